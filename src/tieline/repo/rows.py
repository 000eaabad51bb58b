"""Whole rows as JSON and back, for any table: the before-images behind import undo and unmerge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Base


def table(name: str) -> sa.Table:
    """The mapped table of that name."""
    return Base.metadata.tables[name]


def encode(tbl: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row's values made JSON-safe (dates and times as ISO 8601 text)."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        out[key] = value.isoformat() if isinstance(value, date | datetime) else value
    return out


def decode(tbl: sa.Table, doc: dict[str, Any]) -> dict[str, Any]:
    """A row's values back from `encode`, typed by the table's columns."""
    out: dict[str, Any] = {}
    for key, value in doc.items():
        column = tbl.c[key]
        python_type = _python_type(column)
        if value is not None and python_type is datetime:
            value = datetime.fromisoformat(value)
        elif value is not None and python_type is date:
            value = date.fromisoformat(value)
        out[key] = value
    return out


def _python_type(column: sa.Column[Any]) -> type | None:
    kind = column.type
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


def key_of(tbl: sa.Table, row: dict[str, Any]) -> list[Any]:
    """The primary-key values of a row, in key order."""
    return [row[c.name] for c in tbl.primary_key.columns]


def where_key(tbl: sa.Table, key: Sequence[Any]) -> sa.ColumnElement[bool]:
    """A condition selecting the row with this primary key."""
    return sa.and_(*(c == v for c, v in zip(tbl.primary_key.columns, key, strict=True)))


def select_encoded(
    session: Session, tbl: sa.Table, condition: sa.ColumnElement[bool]
) -> list[dict[str, Any]]:
    """Every row matching `condition`, encoded, in primary-key order."""
    stmt = sa.select(tbl).where(condition).order_by(*tbl.primary_key.columns)
    return [encode(tbl, dict(r)) for r in session.execute(stmt).mappings()]


def exists(session: Session, tbl: sa.Table, key: Sequence[Any]) -> bool:
    """True when a row with this primary key exists."""
    return (
        session.execute(sa.select(sa.literal(1)).select_from(tbl).where(where_key(tbl, key))).first()
        is not None
    )


def insert(session: Session, tbl: sa.Table, doc: dict[str, Any]) -> None:
    """Write an encoded row back as a new row."""
    session.execute(sa.insert(tbl).values(**decode(tbl, doc)))


def update(session: Session, tbl: sa.Table, key: Sequence[Any], values: dict[str, Any]) -> None:
    """Set these columns of the row with this primary key (values as the columns take them)."""
    session.execute(sa.update(tbl).where(where_key(tbl, key)).values(**values))


def delete(session: Session, tbl: sa.Table, key: Sequence[Any]) -> None:
    """Delete the row with this primary key."""
    session.execute(sa.delete(tbl).where(where_key(tbl, key)))


def delete_where(session: Session, column: sa.Column[Any], value: Any) -> None:
    """Delete every row of the column's table whose `column` holds `value`."""
    session.execute(sa.delete(column.table).where(column == value))


def put(session: Session, tbl: sa.Table, doc: dict[str, Any]) -> None:
    """Write an encoded row back: update it where its key exists, insert it otherwise."""
    values = decode(tbl, doc)
    key = key_of(tbl, values)
    if exists(session, tbl, key):
        session.execute(sa.update(tbl).where(where_key(tbl, key)).values(**values))
    else:
        session.execute(sa.insert(tbl).values(**values))


def references_to(target: str = "person") -> list[tuple[sa.Table, sa.Column[Any]]]:
    """(table, column) of every foreign key pointing at `target`.id, in dependency order."""
    found = []
    for tbl in Base.metadata.sorted_tables:
        for fk in tbl.foreign_keys:
            if fk.column.table.name == target and fk.parent.table is tbl and tbl.name != target:
                found.append((tbl, fk.parent))
    return found


def delete_ids(session: Session, tbl: sa.Table, ids: Sequence[Any], *, chunk: int = 500) -> None:
    """Delete the rows with these (single-column) primary keys."""
    column = next(iter(tbl.primary_key.columns))
    for start in range(0, len(ids), chunk):
        session.execute(sa.delete(tbl).where(column.in_(ids[start : start + chunk])))
