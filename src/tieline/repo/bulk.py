"""Many-row inserts straight through the database driver: the import path for tens of thousands of rows,
and the demo loader's path for millions.

SQLAlchemy's per-row parameter processing costs more than the database does at this scale, so
values are converted here once per column type, as SQLAlchemy itself would store them: naive UTC
times, ISO dates and times as text on SQLite, JSON as text.

`insert_many` writes one table from dicts: executemany (or multi-row INSERTs) on SQLite, COPY on
PostgreSQL. `repo.bulk_load.insert` writes a stream of `Batch`es with ids already assigned, in one
transaction, with the big tables' secondary indexes built once at the end on SQLite.
"""

from __future__ import annotations

import json
import sqlite3
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


# json.dumps builds a new encoder on every call given any option; one encoder serves every row.
_JSON = json.JSONEncoder(ensure_ascii=False)


def _json_text(value: Any) -> str:
    return _JSON.encode(value)


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


def insert_many(
    session: Session, table_name: str, rows: list[dict[str, Any]], *, rows_per_statement: int = 1
) -> None:
    """Insert rows (every row with the same keys): one driver-level executemany on SQLite, COPY on
    PostgreSQL (where executemany still costs a statement per row).

    On SQLite, with `rows_per_statement` above 1, rows go in multi-row INSERTs instead: a table
    under an FTS5 trigger needs that, as FTS5 writes out its pending index entries at the end of
    every statement.
    """
    if not rows:
        return
    tbl = Base.metadata.tables[table_name]
    dialect = session.get_bind().dialect.name
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    params = _parameters(tbl, names, rows, dialect)
    conn = session.connection()
    if dialect == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cur, cur.copy(f'COPY "{table_name}" ({columns}) FROM STDIN') as copy:
            for values in params:
                copy.write_row(values)
        return
    values = f"({', '.join('?' for _ in names)})"
    if rows_per_statement > 1:
        # SQLite before 3.32 binds at most 999 values per statement, later ones 32766.
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        most = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(names)
        rows_per_statement = min(rows_per_statement, most)
    if rows_per_statement <= 1:
        conn.exec_driver_sql(f'INSERT INTO "{table_name}" ({columns}) VALUES {values}', params)
        return
    for start in range(0, len(params), rows_per_statement):
        chunk = params[start : start + rows_per_statement]
        sql = f'INSERT INTO "{table_name}" ({columns}) VALUES {", ".join([values] * len(chunk))}'
        conn.exec_driver_sql(sql, tuple(value for row in chunk for value in row))


def _parameters(
    tbl: sa.Table, names: list[str], rows: list[dict[str, Any]], dialect: str
) -> list[tuple[Any, ...]]:
    """Each row's values in `names` order, converted as SQLAlchemy would bind them."""
    pick = itemgetter(*names)
    getter = pick if len(names) > 1 else lambda row: (pick(row),)
    convert_at = [
        (i, _Memo(convert)) for i, name in enumerate(names) if (convert := _converter(tbl.c[name], dialect))
    ]
    if not convert_at:
        return [getter(row) for row in rows]
    params = []
    for row in rows:
        values = list(getter(row))
        for i, convert in convert_at:
            values[i] = convert(values[i])
        params.append(tuple(values))
    return params


class _Memo:
    """A converter that reuses its last result: an import stamps every row with the same time."""

    def __init__(self, convert: Convert) -> None:
        self.convert, self.last, self.result = convert, object(), None

    def __call__(self, value: Any) -> Any:
        if value is not self.last:
            self.last, self.result = value, self.convert(value)
        return self.result
