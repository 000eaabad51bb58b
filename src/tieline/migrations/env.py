"""Alembic environment: runs on the engine tieline hands over (never one built from a URL here)."""

from __future__ import annotations

from alembic import context

from tieline.db import models_describe
from tieline.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through tieline (tieline init), which supplies the engine")


with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild a table (copy, drop, rename). With foreign keys enforced, dropping
        # the old table would cascade-delete its children's rows, so they are off while migrating
        # (SQLite changes this only outside a transaction, so on the driver's connection, which
        # tieline runs in autocommit: see db._sqlite_begin) and checked before the commit.
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=sqlite,
                compare_type=True,
                include_name=models_describe,
            )
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"a migration left rows pointing nowhere: {broken[:5]}")
    finally:
        if sqlite:
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
