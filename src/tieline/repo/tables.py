"""Whole tables, any of them: read in key order, counted, emptied. What a backup reads and a restore
clears; `repo.backup_load` writes the rows back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models.base import UTCDateTime


def stored_type(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    """The type a column's values are read and written as in bulk: a UTC timestamp as stored
    (naive), which skips a conversion to an aware time that the next step would undo; others as they are."""
    return column.type.impl_instance if isinstance(column.type, UTCDateTime) else column.type


def _as_stored(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    if isinstance(column.type, UTCDateTime):
        return sa.type_coerce(column, stored_type(column)).label(column.name)
    return column


def _key_order(table: sa.Table, dialect: str) -> list[sa.ColumnElement[Any]]:
    """Order by primary key, comparing text by code point on every backend (PostgreSQL's default
    collation would sort 'B' and 'a' differently from SQLite)."""
    keys = list(table.primary_key.columns) or list(table.columns)
    if dialect != "postgresql":
        return list(keys)
    return [sa.collate(c, "C") if isinstance(c.type, sa.String) else c for c in keys]


def read_batches(
    session: Session, table: sa.Table, columns: Sequence[sa.Column[Any]], *, batch: int
) -> Iterator[Sequence[sa.Row[Any]]]:
    """Every row of a table as `columns` (timestamps as `stored_type`), by primary key, the same
    order on every backend; streamed `batch` rows at a time."""
    dialect = session.get_bind().dialect.name
    stmt = sa.select(*(_as_stored(c) for c in columns)).order_by(*_key_order(table, dialect))
    result = session.execute(stmt, execution_options={"yield_per": batch})
    return result.partitions()


def occupied(session: Session, tables: Iterable[sa.Table]) -> dict[str, int]:
    """table name -> rows, for those of `tables` holding any (an empty one costs one short query)."""
    counts = {}
    for table in tables:
        if session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            counts[table.name] = session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
    return counts


def delete_all(session: Session, tables: Iterable[sa.Table]) -> None:
    """Delete every row of each table, in the order given (children first)."""
    for table in tables:
        session.execute(table.delete())
