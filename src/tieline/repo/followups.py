"""Queries about follow-ups and promises: one by id, the open ones, those due by a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Event, EventAttendee, FollowUp, Person


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


def due_by(session: Session, *, owner_id: int, day: date, met_before: datetime | None = None) -> list[Any]:
    """Open follow-ups due on or before `day`, about live people or nobody in particular, and with
    `met_before`, those opened by meeting someone at an event before that moment, however far off due.

    Each row has the follow-up's columns, `person_name` / `given_name` (NULL without a person), and
    `event_name` / `met_at` for a follow-up opened at an event (NULL otherwise).
    """
    # Core tables, not the mapped classes: a compound statement naming mapped attributes configures
    # every mapper (about 26 ms of `tieline today`, tests/cli/test_startup.py).
    follow, person, attendee, event = (
        FollowUp.__table__,
        Person.__table__,
        EventAttendee.__table__,
        Event.__table__,
    )
    columns = (
        follow.c.id,
        follow.c.person_id,
        follow.c.text,
        follow.c.due_on,
        follow.c.every_days,
        follow.c.is_promise,
        person.c.display_name.label("person_name"),
        person.c.given_name,
        event.c.name.label("event_name"),
        attendee.c.met_at,
    )
    live = (
        follow.c.owner_id == owner_id,
        follow.c.status == "open",
        sa.or_(follow.c.person_id.is_(None), person.c.archived.is_(False)),
    )
    due = (
        sa.select(*columns)
        .select_from(follow)
        .outerjoin(person, person.c.id == follow.c.person_id)
        .outerjoin(attendee, attendee.c.follow_up_id == follow.c.id)
        .outerjoin(event, event.c.id == attendee.c.event_id)
        .where(*live, follow.c.due_on <= day)
    )
    if met_before is None:
        return list(session.execute(due))
    # Two parts, so the due ones keep their index range (owner, status, due date).
    ahead = (
        sa.select(*columns)
        .select_from(attendee)
        .join(follow, follow.c.id == attendee.c.follow_up_id)
        .join(event, event.c.id == attendee.c.event_id)
        .outerjoin(person, person.c.id == follow.c.person_id)
        .where(*live, attendee.c.owner_id == owner_id, follow.c.due_on > day, attendee.c.met_at < met_before)
    )
    return list(session.execute(sa.union_all(due, ahead)))


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
