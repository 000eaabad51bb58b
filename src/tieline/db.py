"""Engine and session factory. Differences between SQLite and PostgreSQL live here only
(and in the migrations that must create dialect-specific indexes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from tieline.config import Settings
from tieline.errors import ConfigError

# The newest migration; `ensure_schema` compares against it so a command on an up-to-date
# database does not pay for loading Alembic. A test keeps it equal to the script head.
SCHEMA_HEAD = "0006_agenda_indexes"

# Indexes the migrations make by hand (full text, expressions); schema comparisons leave them alone.
HAND_MADE_INDEXES = frozenset(
    {"ix_person_search_fts", "ix_membership_start_month_day", "ix_person_owner_tier_silence"}
)


def models_describe(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether the models describe this table or index, for Alembic's `include_name`: not what the
    migrations make by hand (the FTS5 tables, HAND_MADE_INDEXES)."""
    if type_ == "table" and name is not None and name.startswith("person_fts"):
        return False
    return not (type_ == "index" and name in HAND_MADE_INDEXES)


MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# SQLite's page cache per connection, in KiB: reads of a large network stay in memory.
SQLITE_CACHE_KIB = 65536
# A long import writes every page once; a cache this size keeps its peak memory down.
SQLITE_IMPORT_CACHE_KIB = 16384


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.close()


def create_engine_for(url: str) -> Engine:
    """An engine for the URL, with SQLite set up for safe concurrent local use."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise ConfigError(f"cannot use database URL {url!r}: {exc}") from exc


@dataclass
class Database:
    """An engine and its session factory, built once per process by `open_database`."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """Open the configured database, creating and migrating it on first use."""
    engine = create_engine_for(settings.database_url)
    try:
        if migrate:
            ensure_schema(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(f"cannot open database {engine.url.render_as_string()}: {reason}") from exc
    return Database(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> None:
    """Run the migrations up to head unless the database is already there."""
    if current_revision(engine) == SCHEMA_HEAD:
        return
    upgrade(engine)


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic config that runs the package's migrations on this engine."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` (used by the migration tests)."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


@contextmanager
def lean_page_cache(session: Session) -> Iterator[None]:
    """A smaller SQLite page cache on the session's connection while a long write runs.

    The cache is restored on the same driver connection afterwards, even after the session has
    committed and given it back to the pool. PostgreSQL's memory is the server's: nothing to do.
    """
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    driver = session.connection().connection.dbapi_connection
    assert driver is not None
    driver.execute(f"PRAGMA cache_size=-{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
