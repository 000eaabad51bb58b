"""Queries about follow-ups and promises: one by id, the open ones, those due by a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import FollowUp, Person


def get(session: Session, *, owner_id: int, followup_id: int) -> FollowUp | None:
    """The follow-up with this id, if the owner has it."""
    return session.scalars(
        sa.select(FollowUp).where(FollowUp.id == followup_id, FollowUp.owner_id == owner_id)
    ).first()


def listing(
    session: Session, *, owner_id: int, include_closed: bool = False, person_id: int | None = None
) -> list[tuple[FollowUp, str | None]]:
    """(follow-up, person's name or None) by due date: open ones, or every one with `include_closed`."""
    where = FollowUpFilter(status=None if include_closed else "open", person_id=person_id)
    return page(session, owner_id=owner_id, where=where)


def due_by(session: Session, *, owner_id: int, day: date) -> list[Any]:
    """Open follow-ups due on or before `day`, about live people or nobody in particular.

    Each row has the follow-up's columns and `person_name` / `given_name` (NULL without a person).
    """
    follow_up = FollowUp.__table__.c
    person = Person.__table__.c
    stmt = (
        sa.select(
            follow_up.id,
            follow_up.person_id,
            follow_up.text,
            follow_up.due_on,
            follow_up.every_days,
            follow_up.is_promise,
            person.display_name.label("person_name"),
            person.given_name,
        )
        .outerjoin(Person.__table__, person.id == follow_up.person_id)
        .where(
            follow_up.owner_id == owner_id,
            follow_up.status == "open",
            follow_up.due_on <= day,
            sa.or_(follow_up.person_id.is_(None), person.archived.is_(False)),
        )
    )
    return list(session.execute(stmt))


@dataclass(frozen=True)
class FollowUpFilter:
    """What `page` narrows follow-ups down by: a status (None for every one), a person, a last due day."""

    status: str | None = "open"
    person_id: int | None = None
    due_by: date | None = None


def _filtered(stmt: sa.Select, *, owner_id: int, where: FollowUpFilter) -> sa.Select:  # type: ignore[type-arg]
    """Add the filter's conditions to a query over follow-ups."""
    stmt = stmt.where(FollowUp.owner_id == owner_id)
    if where.status is not None:
        stmt = stmt.where(FollowUp.status == where.status)
    if where.person_id is not None:
        stmt = stmt.where(FollowUp.person_id == where.person_id)
    if where.due_by is not None:
        stmt = stmt.where(FollowUp.due_on <= where.due_by)
    return stmt


def page(
    session: Session, *, owner_id: int, where: FollowUpFilter, limit: int | None = None, offset: int = 0
) -> list[tuple[FollowUp, str | None]]:
    """(follow-up, person's name or None) matching the filter, by due date."""
    stmt = _filtered(
        sa.select(FollowUp, Person.display_name).outerjoin(Person, Person.id == FollowUp.person_id),
        owner_id=owner_id,
        where=where,
    )
    stmt = stmt.order_by(FollowUp.due_on, FollowUp.id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [(f, name) for f, name in session.execute(stmt)]


def count_matching(session: Session, *, owner_id: int, where: FollowUpFilter) -> int:
    """How many follow-ups `page` would return without a limit."""
    stmt = _filtered(sa.select(sa.func.count(FollowUp.id)), owner_id=owner_id, where=where)
    return session.scalar(stmt) or 0
