"""The INSERT of the session's dialect, for the statements that say what to do ON CONFLICT (both
SQLite and PostgreSQL have it, each in its own SQLAlchemy dialect)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session


def insert(session: Session, table: sa.Table) -> Any:
    """`INSERT INTO table` with `on_conflict_do_nothing` / `on_conflict_do_update` for this session's
    database (`sqlalchemy.dialects.sqlite.Insert` or `postgresql.Insert`)."""
    # Imported here: importing a dialect loads all its drivers, which the everyday reads do without.
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
