"""The agenda cache (`agenda_cache`): an owner's agenda computed once, read by every app process.

A row holds either an agenda (JSON, services/agenda/cache.py) or a stale stamp that every write to
the owner's data leaves in the same commit (db.py, `stamp_written_agendas`). An agenda is stored
only over the payload read before computing it, so one computed before a write never lands after it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.db import AGENDA_STALE
from tieline.models import Account, AgendaCache, LoginSession, Owner
from tieline.repo import upserts

_cache = AgendaCache.__table__
_READ = sa.select(_cache.c.day, _cache.c.computed_at, _cache.c.payload).where(
    _cache.c.owner_id == sa.bindparam("owner_id")
)


class CacheRow(NamedTuple):
    """An owner's row: the day it was for, when it was written, and the agenda or a stale stamp."""

    day: date
    computed_at: datetime
    payload: str


def read(session: Session, *, owner_id: int) -> CacheRow | None:
    """The owner's row, if any."""
    row = session.execute(_READ, {"owner_id": owner_id}).one_or_none()
    return CacheRow(row.day, row.computed_at, row.payload) if row is not None else None


def store(
    session: Session, *, owner_id: int, day: date, computed_at: datetime, payload: str, over: str | None
) -> bool:
    """Store an agenda if the row still holds `over` (None: there was no row); True when stored.

    In a savepoint, and never waiting: a row changed meanwhile (a write since the agenda was read,
    or another process storing first) stores nothing, and so does a lock another writer holds
    (SQLite refuses at once to turn a reading transaction into a writing one when another writer
    holds the lock or has committed since): the agenda is shown all the same, only not kept.
    """
    values = {"owner_id": owner_id, "day": day, "computed_at": computed_at, "payload": payload}
    if over is None:
        stmt: sa.Executable = (
            upserts.insert(session, _cache).values(values).on_conflict_do_nothing(index_elements=["owner_id"])
        )
    else:
        stmt = (
            sa.update(_cache)
            .where(_cache.c.owner_id == owner_id, _cache.c.payload == over)
            .values(day=day, computed_at=computed_at, payload=payload)
        )
    try:
        with session.begin_nested():
            return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    except sa.exc.OperationalError:
        return False  # busy (SQLite's lock, PostgreSQL's lock_timeout): nothing kept, nothing lost


# How much of a kept agenda's JSON `owners_to_compute` reads: its head, where services/agenda/cache.py
# writes the format and when the agenda was computed and stops being true, before the lines.
HEAD_CHARS = 200


class OwnerAgenda(NamedTuple):
    """An owner whose agenda may need computing: `head` is None when their row is missing, stale or
    for another day; else the start of today's kept agenda, for the caller to judge its validity."""

    owner_id: int
    head: str | None


def owners_to_compute(session: Session, *, day: date, local_owner_id: int) -> list[OwnerAgenda]:
    """The owners who use the app (each enabled account's; with no account at all, the local owner)
    and whose row is not known to hold today's agenda (`head` None), or holds it (`head` given), the
    most recently signed in first, then the rest by id. One statement; nothing is written."""
    account = Account.__table__
    login = LoginSession.__table__
    owner = Owner.__table__
    any_account = account.alias("any_account")  # not correlated with the joined one
    seen = (
        sa.select(login.c.owner_id, sa.func.max(login.c.last_seen_at).label("at"))
        .group_by(login.c.owner_id)
        .subquery()
    )
    known = sa.and_(
        _cache.c.owner_id.is_not(None),
        _cache.c.day == day,
        sa.not_(_cache.c.payload.startswith(AGENDA_STALE, autoescape=True)),
    )
    head = sa.case((known, sa.func.substr(_cache.c.payload, 1, HEAD_CHARS)), else_=None)
    stmt = (
        sa.select(owner.c.id, head.label("head"))
        .outerjoin(account, account.c.owner_id == owner.c.id)
        .outerjoin(_cache, _cache.c.owner_id == owner.c.id)
        .outerjoin(seen, seen.c.owner_id == owner.c.id)
        .where(
            sa.or_(
                sa.and_(account.c.owner_id.is_not(None), account.c.disabled_at.is_(None)),
                sa.and_(owner.c.id == local_owner_id, ~sa.select(any_account.c.owner_id).exists()),
            )
        )
        .order_by(sa.case((seen.c.at.is_(None), 1), else_=0), seen.c.at.desc(), owner.c.id)
    )
    return [OwnerAgenda(row.id, row.head) for row in session.execute(stmt)]
