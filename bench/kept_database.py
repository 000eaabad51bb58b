"""A PostgreSQL database a bench builds once and keeps between runs (bench.server, bench.teams).

It is reused while the build record kept as the database's comment carries the same stamp (everything
its rows depend on: sizes, seed, generator, schema); otherwise, or when asked, it is built again into
`<name>_partial` and renamed once whole, so an interrupted build is never kept.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from tieline.config import Settings, normalise_url
from tieline.db import Database, open_database


def admin_engine(url: str) -> sa.Engine:
    """An engine on the server `url` points at, for CREATE, DROP and COMMENT ON DATABASE."""
    return sa.create_engine(normalise_url(url), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def url_of(admin: sa.Engine, name: str) -> str:
    """The URL of the database `name` on the admin engine's server."""
    return admin.url.set(database=name).render_as_string(hide_password=False)


def open_at(url: str, data_dir: Path) -> Database:
    """tieline's database at `url` (migrated to head)."""
    return open_database(Settings(data_dir=data_dir, database_url=url))


def kept_record(admin: sa.Engine, name: str) -> dict[str, Any] | None:
    """The build record kept as the database's comment, or None when there is no such database."""
    with admin.connect() as conn:
        text = conn.execute(
            sa.text("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = :n"),
            {"n": name},
        ).scalar()
    if text is None:
        return None
    try:
        return dict(json.loads(text))
    except ValueError:
        return {}


def ensure(
    admin: sa.Engine, name: str, *, stamp: str, rebuild: bool, build: Callable[[str], None]
) -> dict[str, Any]:
    """The kept database `name`'s build record; when it is missing, of another stamp or `rebuild`,
    `build(partial)` first fills the new, empty database `partial`, which then replaces it."""
    record = kept_record(admin, name)
    if record is not None and record.get("stamp") == stamp and not rebuild:
        return record
    partial = f"{name}_partial"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{partial}"'))
    started = time.perf_counter()
    build(partial)
    record = {
        "stamp": stamp,
        "seconds": round(time.perf_counter() - started, 1),
        "built_at": datetime.now(UTC).isoformat(),
    }
    with admin.connect() as conn:
        record["bytes"] = int(
            conn.execute(sa.text("SELECT pg_database_size(:n)"), {"n": partial}).scalar() or 0
        )
        conn.execute(sa.text(f"COMMENT ON DATABASE \"{partial}\" IS '{json.dumps(record)}'"))
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'ALTER DATABASE "{partial}" RENAME TO "{name}"'))  # only a whole one is kept
    return record
