"""Shared fixtures. Every test that asks for a database runs twice: on SQLite and on PostgreSQL.

Each pytest run creates its own databases (an SQLite file in a temporary directory, and a
PostgreSQL database `tieline_test_<pid>_<random>` made through the `postgres` maintenance database)
and migrates each once. Between tests the tables are emptied and the rows the migrations seeded
(the local owner, id 1) are put back, which is much faster than migrating again.

Fixtures for tests:
- `db`: the migrated, emptied `tieline.db.Database` of the current backend;
- `session`: a session on it, rolled back after the test (services and repo tests);
- `cli`: runs `tieline --database URL ...` in-process with Typer's runner (CLI tests), on the
  session's engine so its statement cache carries over from command to command;
- `snapshot`: every row of every table, to assert that a failed command wrote nothing;
- `add_person` / `log`: shortcuts over the services for repo and service tests;
- `now` / `today`: the fixed clock the CLI sees through TIELINE_NOW;
- `fresh_database_url`: a new, empty database of the backend (migration tests).

`pytest --backend sqlite` (or `postgresql`) runs one backend only. An unreachable PostgreSQL fails
every PostgreSQL test when CI is set, and skips them (with the reason) otherwise.
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import shutil
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import sqlalchemy as sa
import typer
import typer.testing
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner, Result

import tieline.cli.context
from tieline.cli.main import app
from tieline.config import Settings, normalise_url
from tieline.db import Database, open_database
from tieline.models import LOCAL_OWNER_ID, Base, Interaction, Person
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

BACKENDS = ("sqlite", "postgresql")
DEFAULT_PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# A Tuesday, mid-morning UTC; tests run with TZ=UTC so local and UTC dates agree.
FIXED_NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


class Clock:
    """An app's clock (`create_app(now=...)`), fixed at FIXED_NOW until a test moves it."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=(*BACKENDS, "all"),
        default="all",
        help="Run database tests on this backend only (default: all).",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Relative dates ("today", "3 days ago") are read in the local time zone: pin it.
    os.environ["TZ"] = "UTC"
    time.tzset()
    # Sync secrets go to the system keyring where one exists: never a developer's real keyring from
    # a test. With no keyring, tieline keeps them in an owner-only file, which the tests check.
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(autouse=True)
def no_system_keyring() -> Iterator[None]:
    """Sync passwords go to the data folder's owner-only file, never the keyring of whoever runs the
    tests (PYTHON_KEYRING_BACKEND does the same for the processes the tests start)."""
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("backend")
        backends = BACKENDS if chosen == "all" else (chosen,)
        metafunc.parametrize("backend", backends, indirect=True, scope="session")


def in_ci() -> bool:
    """True on a CI runner, where a missing PostgreSQL must fail the run instead of skipping."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pg_admin_url() -> str:
    """The maintenance-database URL used to create and drop the test databases."""
    return normalise_url(os.environ.get("TIELINE_TEST_PG_ADMIN_URL") or DEFAULT_PG_ADMIN_URL)


@contextmanager
def scratch_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for the duration of the block, dropped afterwards."""
    admin_url = pg_admin_url()
    admin = sa.create_engine(
        admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool, connect_args={"connect_timeout": 5}
    )
    name = f"tieline_test_{os.getpid()}_{secrets.token_hex(4)}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        message = f"PostgreSQL unreachable at {admin.url.render_as_string()}: {reason}"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message + " (set CI=true to make this a failure)")
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def scratch_database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of a new, empty database of this backend, removed after the block."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / f'scratch-{secrets.token_hex(4)}.db'}"
    else:
        with scratch_postgres_database() as url:
            yield url


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """'sqlite' or 'postgresql': the database tests asking for it run on each in turn."""
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """This run's own database for the backend, dropped at the end of the session."""
    with scratch_database(backend, tmp_path_factory.mktemp(backend)) as url:
        yield url


@pytest.fixture
def fresh_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty (not migrated) database of the backend, for the migration tests."""
    with scratch_database(backend, tmp_path) as url:
        yield url


@dataclass
class MigratedDatabase:
    """The session's database and the rows its migrations seeded, to restore between tests."""

    database: Database
    seeded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (sequence, first free id) for each table whose id comes from a PostgreSQL sequence.
    sequences: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture(scope="session")
def migrated(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedDatabase]:
    """Migrate the session's database once and remember what the migrations put in it."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=database_url)
    database = open_database(settings)
    with database.engine.connect() as conn:
        seeded = {
            t.name: [dict(row) for row in conn.execute(t.select()).mappings()]
            for t in Base.metadata.sorted_tables
        }
        sequences = []
        if database.dialect == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" not in table.c:
                    continue
                sequence = conn.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name})
                if sequence:
                    first_free = max((row["id"] for row in seeded[table.name]), default=0) + 1
                    sequences.append((sequence, first_free))
    yield MigratedDatabase(database, {k: v for k, v in seeded.items() if v}, sequences)
    database.dispose()


def empty_tables(migrated: MigratedDatabase) -> None:
    """Delete every row, restart the id counters and put the seeded rows back."""
    database = migrated.database
    tables = Base.metadata.sorted_tables
    with database.engine.begin() as conn:
        if database.dialect == "postgresql":
            # A test that leaked a transaction would otherwise hang the next one.
            conn.execute(sa.text("SET LOCAL lock_timeout = '5s'"))
        for table in reversed(tables):
            conn.execute(table.delete())
        for table in tables:
            if rows := migrated.seeded.get(table.name):
                conn.execute(table.insert(), rows)
        for sequence, first_free in migrated.sequences:
            conn.execute(sa.text("SELECT setval(:s, :n, false)"), {"s": sequence, "n": first_free})


@pytest.fixture
def db(migrated: MigratedDatabase) -> Database:
    """The migrated database of the current backend, emptied of everything but the owner."""
    empty_tables(migrated)
    return migrated.database


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    """A session for service and repo tests; what the test flushes is rolled back afterwards."""
    with db.sessions() as s:
        yield s
        s.rollback()


@pytest.fixture
def snapshot(db: Database) -> Callable[[], dict[str, list[tuple[str, ...]]]]:
    """A function returning every row of every table, comparable before and after a command.

    All but `agenda_cache`: a cache, never data; a committed write leaves a new stale stamp in it
    (db.py), which is how an undo that puts every row back still makes the agenda be computed again."""

    def take() -> dict[str, list[tuple[str, ...]]]:
        with db.engine.connect() as conn:
            return {
                t.name: sorted(tuple(repr(v) for v in row) for row in conn.execute(t.select()))
                for t in Base.metadata.sorted_tables
                if t.name != "agenda_cache"
            }

    return take


@pytest.fixture
def now() -> datetime:
    """The CLI's clock in tests (TIELINE_NOW)."""
    return FIXED_NOW


@pytest.fixture
def today() -> date:
    """The date of the fixed clock."""
    return FIXED_NOW.date()


@functools.cache
def click_command(typer_app: typer.Typer) -> Any:
    """The click command Typer builds from the app; building it takes most of an invocation's time."""
    return typer.main.get_command(typer_app)


@dataclass
class Cli:
    """Runs `tieline --database URL ...` in-process through Typer's test runner."""

    database_url: str
    env: dict[str, str | None]

    def run(self, *args: str, input: str | None = None) -> Result:
        """Run a command and return its result, whatever happened."""
        # The runner rebuilds the command tree from the Typer app on every call (about 0.2 s);
        # build it once per session instead.
        with mock.patch.object(typer.testing, "_get_command", click_command):
            return CliRunner().invoke(
                app, ["--database", self.database_url, *args], input=input, env=self.env
            )

    def ok(self, *args: str, input: str | None = None) -> Result:
        """Run a command that must succeed."""
        result = self.run(*args, input=input)
        if result.exit_code != 0:
            detail = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
            pytest.fail(
                f"tieline {' '.join(args)} exited {result.exit_code}\n{result.output}\n{detail}",
                pytrace=False,
            )
        return result

    def json(self, *args: str) -> Any:
        """Run a command with --json and return the parsed document."""
        return json.loads(self.ok(*args, "--json").stdout)

    def user_error(self, *args: str, code: int, input: str | None = None) -> str:
        """Run a command that must fail as a user mistake: exit code, one line on stderr, no traceback."""
        result = self.run(*args, input=input)
        unexpected = result.exception is not None and not isinstance(result.exception, SystemExit)
        assert not unexpected, "".join(traceback.format_exception(*result.exc_info))
        assert result.exit_code == code, f"exit {result.exit_code}, wanted {code}: {result.output}"
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, f"wanted one line on stderr, got: {result.stderr!r}"
        assert lines[0].startswith("error: "), lines[0]
        assert "Traceback" not in result.output
        return lines[0]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str | None]:
    """The environment the CLI runs in: a fixed clock, a private data directory, a wide terminal."""
    return {
        "TIELINE_NOW": FIXED_NOW.isoformat(),
        "TIELINE_DATA_DIR": str(tmp_path / "data"),
        "TIELINE_DATABASE_URL": None,
        "COLUMNS": "200",
        "NO_COLOR": "1",
    }


@pytest.fixture
def cli(
    db: Database, database_url: str, cli_env: dict[str, str | None], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """The CLI on this test's (emptied) database."""
    real_open_database = tieline.cli.context.open_database

    def open_database(settings: Settings, *, migrate: bool = True) -> Database:
        # Hand the CLI the session's engine: a new engine per command starts with an empty statement
        # cache and spends most of the command compiling SQL. Opening and migrating a database for
        # real is covered by the setup and subprocess tests, which use other URLs.
        if settings.database_url == database_url:
            return db
        return real_open_database(settings, migrate=migrate)

    monkeypatch.setattr(tieline.cli.context, "open_database", open_database)
    return Cli(database_url=database_url, env=cli_env)


@pytest.fixture
def add_person(session: Session, today: date) -> Callable[..., Person]:
    """add_person("Ana Lima", company="Acme", lists={"tags": ["x"]}) through the people service."""

    def add(name: str, *, lists: dict[str, list[str]] | None = None, **values: Any) -> Person:
        changes = PersonChanges(set=values, add=lists or {})
        person = people_service.add_person(
            session, owner_id=LOCAL_OWNER_ID, name=name, changes=changes, today=today
        )
        session.flush()
        return person

    return add


@pytest.fixture
def log(session: Session, now: datetime) -> Callable[..., Interaction]:
    """log("coffee", [ana, bo], when=..., notes=...) through the interactions service."""

    def record(kind: str, people: list[Person], *, when: datetime | None = None, **extra: Any) -> Interaction:
        return interactions_service.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind=kind, people=people, when=when or now, **extra
        )

    return record


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Zip bombs (tests/zip_bombs.py): 400 MB of zeros in about 0.4 MB, and 400 MB of one
    LinkedIn connection repeated in about 1.4 MB."""
    from tests.zip_bombs import ROW, write_bomb

    folder = tmp_path_factory.mktemp("bombs")
    return {
        "zeros": write_bomb(folder / "export.zip"),
        "rows": write_bomb(folder / "Basic_LinkedInDataExport.zip", unit=ROW),
    }


# A headless Debian chromium for the browser tests (the web app's and the HTML report's).
CHROMIUM = os.environ.get("TIELINE_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian chromium; CI installs it (scripts/test), so its absence fails there."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM}", pytrace=False)
        pytest.skip(f"chromium not found at {CHROMIUM} (scripts/test installs it)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()
