"""Engine and session factory. Differences between SQLite and PostgreSQL live here only
(and in the migrations that must create dialect-specific indexes)."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker
from sqlalchemy.sql import operators

from tieline.config import Settings
from tieline.errors import Busy, ConfigError
from tieline.private_files import create_database_file, tighten_dir

# The newest migration; `ensure_schema` compares against it so a command on an up-to-date
# database does not pay for loading Alembic. A test keeps it equal to the script head.
SCHEMA_HEAD = "0012_teams"

# Indexes the migrations make by hand (full text, expressions, partial); schema comparisons leave
# them alone. The partial ix_interaction_to_me_alone is not declared on the model: a dialect keyword
# (`sqlite_where`) there loads every SQL dialect when the models are imported, 30 ms of each command.
HAND_MADE_INDEXES = frozenset(
    {
        "ix_person_search_fts",
        "ix_said_search_fts",
        "ix_membership_start_month_day",
        "ix_person_owner_tier_silence",
        "ix_interaction_to_me_alone",
    }
)
# The FTS5 tables (and their shadow tables) the migrations make on SQLite.
FTS_TABLES = ("person_fts", "said_fts")


def models_describe(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether the models describe this table or index, for Alembic's `include_name`: not what the
    migrations make by hand (the FTS5 tables, HAND_MADE_INDEXES)."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLES):
        return False
    return not (type_ == "index" and name in HAND_MADE_INDEXES)


MIGRATIONS_DIR = Path(__file__).parent / "migrations"

# How long a write waits for another writer's lock before it gives up with `Busy`, in milliseconds
# (SQLite's busy_timeout, PostgreSQL's lock_timeout). Long enough for any one request or command
# of another tieline to finish; short enough that a user is told rather than left waiting.
LOCK_TIMEOUT_MS = 5000

# SQLite's page cache per connection, in KiB: reads of a large network stay in memory.
SQLITE_CACHE_KIB = 65536
# A long import writes every page once; a cache this size keeps its peak memory down.
SQLITE_IMPORT_CACHE_KIB = 16384


# The execution option that marks a connection as opened for writing (see `Database.transaction`).
WRITES = "tieline_writes"


def _sqlite_pragmas(lock_timeout_ms: int):  # type: ignore[no-untyped-def]
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # The driver's own transaction handling is off: `_sqlite_begin` says BEGIN itself, so a
        # transaction that will write can take the write lock at its start (SQLAlchemy's recipe).
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(lock_timeout_ms)}")
        cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cur.close()

    return on_connect


def _sqlite_begin(conn: sa.Connection) -> None:
    # A transaction that reads and then writes under WAL fails at once ("database is locked", no
    # wait) when another writer committed in between; one that takes the lock first waits its turn.
    immediate = conn.get_execution_options().get(WRITES, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine_for(url: str, *, lock_timeout_ms: int = LOCK_TIMEOUT_MS) -> Engine:
    """An engine for the URL, with SQLite set up for safe concurrent local use and a bounded wait
    for another writer's locks on both databases."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            create_database_file(Path(path))
        engine = sa.create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas(lock_timeout_ms))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return sa.create_engine(
            url, pool_pre_ping=True, connect_args={"options": f"-c lock_timeout={int(lock_timeout_ms)}"}
        )
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise ConfigError(f"cannot use database URL {url!r}: {exc}") from exc


# PostgreSQL's SQLSTATEs for a write that lost a race for a lock: lock_timeout (55P03), a
# serialisation failure (40001) and a deadlock (40P01). SQLite says "database is locked".
_BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})


def is_busy(exc: sa.exc.DBAPIError) -> bool:
    """Whether a driver error means another writer held a lock too long (worth trying again)."""
    if getattr(exc.orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return isinstance(exc, sa.exc.OperationalError) and "database is locked" in str(exc.orig)


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
    def transaction(self, *, writes: bool = False) -> Iterator[Session]:
        """One session in one transaction: committed on success, rolled back on any error.

        `writes` takes SQLite's write lock at the start (BEGIN IMMEDIATE), so concurrent writers
        queue instead of failing. A lock held too long by another writer, at any point up to and
        including the commit, raises `Busy`: nothing of the transaction is kept.
        """
        bind = self._writing_engine if writes else self.engine
        try:
            with self.sessions(bind=bind) as session, session.begin():
                yield session
        except sa.exc.DBAPIError as exc:
            if is_busy(exc):
                raise Busy(
                    "the database is busy (another tieline is writing to it): nothing was saved; try again"
                ) from exc
            raise

    @functools.cached_property
    def _writing_engine(self) -> Engine:
        # The same pool and statement cache; its connections say BEGIN IMMEDIATE on SQLite.
        return self.engine.execution_options(**{WRITES: True})

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def open_database(
    settings: Settings, *, migrate: bool = True, lock_timeout_ms: int = LOCK_TIMEOUT_MS
) -> Database:
    """Open the configured database, creating and migrating it on first use."""
    tighten_dir(settings.data_dir)  # older versions made it readable by everyone
    engine = create_engine_for(settings.database_url, lock_timeout_ms=lock_timeout_ms)
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


def begin_snapshot(session: Session) -> None:
    """Make every later read of the session's transaction see one snapshot, so a write by another
    process cannot tear a long read (a backup). Call it before the transaction's first read."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif bind.dialect.name == "sqlite":
        # pysqlite opens no transaction for a SELECT: each would see its own snapshot.
        connection = session.connection()
        if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN")


# --- Keeping `agenda_cache` true (issue 17) ---------------------------------------------------------
# Each owner's computed agenda is kept in `agenda_cache` (services/agenda/cache.py). Every transaction
# that writes an owner's data also writes, in the same commit, a new "stale" stamp into that owner's
# row (a row is made if there was none), so no process serves an agenda computed before the write,
# and none can store one: a computed agenda is stored only over the stamp it read before computing.
# The writes are noticed here, for every caller and every session, not in each service: the ORM
# objects each flush wrote (their owner_id), and every other INSERT/UPDATE/DELETE a session's
# connection runs (the owner of an INSERT's rows or of an `owner_id = ?` condition, else every owner:
# correct, only slower); writes past SQLAlchemy (a driver's COPY or executemany) in a transaction that
# showed no other write are caught by the database's own record of the transaction writing.

# The same stamp's random part is kept apart in `data_stamp`, which storing an agenda leaves alone:
# it changes with every commit that writes the owner's data, so a team member's shared entries are
# computed again only when it moved (services/team_shares.py).

# Tables that never feed the agenda: writing them leaves every cached agenda standing. The team
# tables are among them: a member's shares are computed from their data, and writing them must not
# count as a change of that data. Nor does the audit of asking. An introduction request
# (`intro_request`) does feed one: it is on the holder's agenda, whose id is its `owner_id`.
NOT_AGENDA_TABLES = frozenset(
    {"agenda_cache", "agenda_listing", "account", "login_session", "login_failure", "api_token",
     "request_key", "job_claim", "import_change", "import_job", "team", "team_member", "team_invite",
     "team_share_rule", "team_share", "team_share_key", "team_audit"}
)  # fmt: skip
AGENDA_STALE = "stale:"  # a stamp's payload starts so; services/agenda/cache.py stores JSON
_WRITES = "tieline_agenda_writes"
_READING = frozenset({"SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SHOW",
                      "SET", "ANALYZE", "EXPLAIN", "VALUES"})  # fmt: skip
_WITH_WRITE = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.I)  # a WITH ... that writes
_TEXT_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I
)
_STAMP = """INSERT INTO agenda_cache (owner_id, day, computed_at, payload, data_stamp)
SELECT id, :day, :at, :stamp, :data_stamp FROM owner WHERE {where} ORDER BY id
ON CONFLICT (owner_id) DO UPDATE SET day = excluded.day, computed_at = excluded.computed_at,
payload = excluded.payload, data_stamp = excluded.data_stamp"""


@dataclass
class _Writes:
    """What a session's transaction wrote so far that feeds the agenda."""

    info: dict[Any, Any]  # the connection's, where its statements find this
    owners: set[int] = field(default_factory=set)
    every: bool = False  # a write whose owners are not known
    seen: bool = False  # any write noticed, to any table
    changes: int = 0  # SQLite's count of changed rows when the transaction began
    flush: UOWTransaction | None = None


@event.listens_for(Session, "after_begin")
def _begin_noting(session: Session, _transaction: Any, connection: sa.Connection) -> None:
    writes = session.info.get(_WRITES)
    if writes is None:
        writes = session.info[_WRITES] = _Writes(connection.info)
        if connection.dialect.name == "sqlite":
            writes.changes = connection.connection.dbapi_connection.total_changes  # type: ignore[union-attr]
    connection.info[_WRITES] = writes


@event.listens_for(Session, "before_flush")
def _flush_starts(session: Session, flush: UOWTransaction, _objects: Any) -> None:
    if (writes := session.info.get(_WRITES)) is not None:
        writes.flush = flush  # its statements are noted by their objects, in `_flushed`


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush: UOWTransaction) -> None:
    writes = session.info.get(_WRITES)
    if writes is None:
        return
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", "")
        writes.seen = True
        if table in NOT_AGENDA_TABLES:
            continue
        owner = sa.inspect(obj).dict.get("id" if table == "owner" else "owner_id")
        if isinstance(owner, int):
            writes.owners.add(owner)
        else:
            writes.every = True


@event.listens_for(Engine, "before_cursor_execute")
def _statement(
    conn: sa.Connection, _cursor: Any, statement: str, _params: Any, context: Any, _many: bool
) -> None:
    writes: _Writes | None = conn.info.get(_WRITES)
    if writes is None:
        return
    flush = writes.flush
    if flush is not None and flush.transaction is not None and flush.transaction.is_active:
        return
    compiled = context.compiled if context is not None else None
    dml = compiled.statement if compiled is not None else None
    if isinstance(dml, sa.Insert | sa.Update | sa.Delete):
        writes.seen = True
        if dml.table.name in NOT_AGENDA_TABLES:  # type: ignore[union-attr]
            return
        owners = _owners_of(dml, compiled, context.compiled_parameters)
        if owners is None:
            writes.every = True
        else:
            writes.owners.update(owners)
        return
    words = statement.lstrip().split(None, 1)
    verb = words[0].upper() if words else ""
    if verb in _READING or (verb == "WITH" and not _WITH_WRITE.search(statement)):
        return
    writes.seen = True
    target = _TEXT_WRITE.match(statement)
    if target is not None and target.group(1).lower() in NOT_AGENDA_TABLES:
        return
    writes.every = True  # SQL by hand (or a schema change): every owner


def _owners_of(dml: Any, compiled: Any, params: list[dict[str, Any]]) -> set[int] | None:
    """The owners whose rows a statement can touch: an INSERT's `owner_id` values, or the value of
    an `owner_id = ?` condition ANDed into an UPDATE's or DELETE's WHERE; None when not known."""
    table = dml.table
    if "owner_id" not in table.c:
        return set() if table.name == "owner" and isinstance(dml, sa.Insert) else None
    key: str | None = "owner_id"
    if not isinstance(dml, sa.Insert):
        where = dml.whereclause
        terms = (
            where.clauses
            if isinstance(where, sa.BooleanClauseList) and where.operator is operators.and_
            else [where]
        )
        key = next(
            (compiled.bind_names[t.right] for t in terms
             if isinstance(t, sa.BinaryExpression) and t.operator is operators.eq
             and t.left is table.c.owner_id and isinstance(t.right, sa.BindParameter)),
            None,
        )  # fmt: skip
    values = {p.get(key) for p in params} if key else {None}
    return values if all(isinstance(v, int) for v in values) else None  # type: ignore[return-value]


@event.listens_for(Session, "before_commit")
def _stamp_before_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        stamp_written_agendas(session, commit=True)


@event.listens_for(Session, "after_transaction_end")
def _end_noting(session: Session, transaction: Any) -> None:
    if transaction.parent is None and (writes := session.info.pop(_WRITES, None)) is not None:
        writes.info.pop(_WRITES, None)


def stamp_written_agendas(session: Session, *, commit: bool = False) -> None:
    """Mark stale the cached agendas of the owners this transaction wrote so far (flushing first).

    Runs before every commit; the agenda cache calls it before reading its row, so an agenda shown
    after a write in the same transaction (done, then the list again) is computed after it.
    """
    writes: _Writes | None = session.info.get(_WRITES)
    if writes is None:
        return
    session.flush()
    if commit and not writes.seen and _wrote_past_sqlalchemy(session, writes):
        writes.every = True
    if not (writes.every or writes.owners):
        return
    where = "true" if writes.every else "id IN :owners"
    stmt = sa.text(_STAMP.format(where=where)).bindparams(
        sa.bindparam("day", type_=sa.Date), sa.bindparam("at", type_=sa.DateTime)
    )
    if not writes.every:
        stmt = stmt.bindparams(sa.bindparam("owners", expanding=True))
    now = datetime.now(UTC)
    values: dict[str, Any] = {"day": now.date(), "at": now.replace(tzinfo=None)}
    values["data_stamp"] = secrets.token_hex(8)
    values["stamp"] = AGENDA_STALE + values["data_stamp"]
    if not writes.every:
        values["owners"] = sorted(writes.owners)
    session.execute(stmt, values)
    writes.owners.clear()
    writes.every = False


def _wrote_past_sqlalchemy(session: Session, writes: _Writes) -> bool:
    """Whether the transaction changed rows that no statement seen here explains (a driver's COPY)."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        return connection.connection.dbapi_connection.total_changes != writes.changes  # type: ignore[union-attr]
    if not connection.get_execution_options().get(WRITES, False):
        return False  # reading transactions (every page view) pay no extra round trip
    return bool(session.scalar(sa.text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")))
