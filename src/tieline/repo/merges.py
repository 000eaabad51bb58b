"""Moving every row that points at one person to another: the storage side of merging two people."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tieline.repo import rows


def repoint_person(session: Session, *, kept_id: int, merged_id: int, dropped: Collection[str]) -> None:
    """Point every row of any table that refers to `merged_id` at `kept_id`, then delete the merged
    person's own row. Rows of the `dropped` tables are deleted instead, and so are rows that would
    duplicate one of the kept person's under a unique key."""
    for tbl, column in rows.references_to("person"):
        if tbl.name in dropped:
            rows.delete_where(session, column, merged_id)
            continue
        _drop_conflicts(session, tbl, column, kept_id, merged_id)
        session.execute(sa.update(tbl).where(column == merged_id).values({column.name: kept_id}))
    person = rows.table("person")
    session.execute(sa.delete(person).where(person.c.id == merged_id))


def _drop_conflicts(
    session: Session, tbl: sa.Table, column: sa.Column[Any], kept_id: int, merged_id: int
) -> None:
    """Delete the merged person's rows that would duplicate a kept person's row under a unique key."""
    keys = [[c.name for c in tbl.primary_key.columns]]
    keys += [[c.name for c in u.columns] for u in tbl.constraints if isinstance(u, sa.UniqueConstraint)]
    for key in keys:
        if column.name not in key:
            continue
        other = aliased(tbl)
        same = [other.c[name] == tbl.c[name] for name in key if name != column.name]
        clash = sa.exists().where(other.c[column.name] == kept_id, *same)
        session.execute(sa.delete(tbl).where(column == merged_id, clash))
