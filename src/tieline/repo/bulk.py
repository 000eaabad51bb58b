"""Many-row inserts straight through the database driver: the import path for tens of thousands of rows,
and the demo loader's path for millions.

SQLAlchemy's per-row parameter processing costs more than the database does at this scale, so
values are converted here once per column type, as SQLAlchemy itself would store them: naive UTC
times, ISO dates and times as text on SQLite, JSON as text.

`insert_many` writes one table from dicts. `insert` writes a stream of `Batch`es with ids already
assigned (`next_ids` says where to start), in one transaction: executemany on SQLite, COPY on
PostgreSQL, with the big tables' secondary indexes built once at the end on SQLite.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Base

Convert = Callable[[Any], Any]


def _utc_naive(value: datetime | None) -> datetime | None:
    return None if value is None else value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_time(value: datetime | None) -> str | None:
    naive = _utc_naive(value)
    return None if naive is None else naive.isoformat(sep=" ", timespec="microseconds")


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _converter(column: sa.Column[Any], dialect: str) -> Convert | None:
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, sa.DateTime):
        return _sqlite_time if dialect == "sqlite" else _utc_naive
    if isinstance(kind, sa.Date):
        return _sqlite_date if dialect == "sqlite" else None
    if isinstance(kind, sa.Boolean):
        return (lambda v: None if v is None else int(v)) if dialect == "sqlite" else None
    if isinstance(kind, sa.JSON):
        if dialect == "sqlite":
            return _json_text
        from psycopg.types.json import Json

        return Json
    return None


def insert_many(session: Session, table_name: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows (every row with the same keys) with one driver-level executemany."""
    if not rows:
        return
    tbl = Base.metadata.tables[table_name]
    dialect = session.get_bind().dialect.name
    names = list(rows[0])
    converters = [_converter(tbl.c[name], dialect) for name in names]
    marker = "?" if dialect == "sqlite" else "%s"
    columns = ", ".join(f'"{name}"' for name in names)
    sql = f'INSERT INTO "{table_name}" ({columns}) VALUES ({", ".join(marker for _ in names)})'
    getter = itemgetter(*names)
    convert_at = [(i, c) for i, c in enumerate(converters) if c is not None]
    if len(names) == 1:
        params: list[Any] = [(getter(row),) for row in rows]
    elif not convert_at:
        params = [getter(row) for row in rows]
    else:
        params = []
        for row in rows:
            values = list(getter(row))
            for i, convert in convert_at:
                values[i] = convert(values[i])
            params.append(tuple(values))
    session.connection().exec_driver_sql(sql, params)
