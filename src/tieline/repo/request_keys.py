"""Idempotency keys of requests already handled: one row per (owner, key), holding the result."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import RequestKey
from tieline.repo import upserts

_key = RequestKey.__table__
_RESULT = sa.select(_key.c.result).where(
    _key.c.owner_id == sa.bindparam("owner_id"), _key.c.key == sa.bindparam("key")
)


def claim(session: Session, *, owner_id: int, key: str, now: datetime) -> bool:
    """Store the key with no result yet, in one statement; False when the owner already has it.

    INSERT ... ON CONFLICT DO NOTHING: a second request with the key while the first is still in
    its transaction waits on the unique index (PostgreSQL; SQLite's writers queue at BEGIN) and then
    inserts nothing, instead of failing on the constraint."""
    statement = upserts.insert(session, _key).values(owner_id=owner_id, key=key, created_at=now, result=None)
    statement = statement.on_conflict_do_nothing(index_elements=["owner_id", "key"]).returning(_key.c.id)
    return session.execute(statement).first() is not None


def result(session: Session, *, owner_id: int, key: str) -> tuple[bool, str | None]:
    """(whether the owner has the key, the result stored with it: None while none is)."""
    row = session.execute(_RESULT, {"owner_id": owner_id, "key": key}).first()
    return (False, None) if row is None else (True, row.result)


def set_result(session: Session, *, owner_id: int, key: str, result: str) -> None:
    """Keep the result of the request that claimed the key."""
    session.execute(
        sa.update(_key).where(_key.c.owner_id == owner_id, _key.c.key == key).values(result=result)
    )


def purge(session: Session, *, owner_id: int, before: datetime) -> int:
    """Forget the owner's keys stored before a moment; how many were."""
    done = session.execute(sa.delete(_key).where(_key.c.owner_id == owner_id, _key.c.created_at < before))
    return int(done.rowcount or 0)
