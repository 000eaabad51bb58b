"""Queries behind networking goals: each measure is one or two set-based statements over a window.

Windows are half-open [since, until) in time (the local days turned into aware datetimes by the
caller), or inclusive dates for date columns.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tieline.models import (
    Event,
    EventAttendee,
    Goal,
    InteractionParticipant,
    Introduction,
    Person,
    PersonTag,
)
from tieline.repo.agenda import silent_since

RECENT = 5


def get(session: Session, *, owner_id: int, goal_id: int) -> Goal | None:
    """The goal with this id, if the owner has it."""
    return session.scalars(sa.select(Goal).where(Goal.id == goal_id, Goal.owner_id == owner_id)).one_or_none()


def listing(session: Session, *, owner_id: int) -> list[Goal]:
    """Every goal, in the order they were set."""
    return list(session.scalars(sa.select(Goal).where(Goal.owner_id == owner_id).order_by(Goal.id)))


def _people_scope(owner_id: int, industry: str | None, tag: str | None) -> list[Any]:
    """Conditions narrowing people to an industry (contains, any case) and a tag (any case)."""
    conditions: list[Any] = [Person.owner_id == owner_id]
    if industry:
        conditions.append(sa.func.lower(Person.industry).contains(industry.lower(), autoescape=True))
    if tag:
        tagged = sa.select(PersonTag.person_id).where(
            PersonTag.owner_id == owner_id, sa.func.lower(PersonTag.tag) == tag.lower()
        )
        conditions.append(Person.id.in_(tagged))
    return conditions


def people_met(
    session: Session,
    *,
    owner_id: int,
    first_day: date,
    last_day: date,
    since: datetime,
    until: datetime,
    industry: str | None = None,
    tag: str | None = None,
) -> list[tuple[int, str, date | None, datetime]]:
    """(id, name, met_on, created_at) of the people first met in the window: their met-on date in it,
    else (no met-on date) added in it. One pass over people."""
    by_met_on = sa.and_(Person.met_on.is_not(None), Person.met_on >= first_day, Person.met_on <= last_day)
    by_added = sa.and_(Person.met_on.is_(None), Person.created_at >= since, Person.created_at < until)
    stmt = sa.select(Person.id, Person.display_name, Person.met_on, Person.created_at).where(
        *_people_scope(owner_id, industry, tag), sa.or_(by_met_on, by_added)
    )
    return [(pid, name, met_on, created) for pid, name, met_on, created in session.execute(stmt)]


def events_attended(
    session: Session, *, owner_id: int, first_day: date, last_day: date
) -> tuple[int, list[tuple[int, str, date]]]:
    """Events in the window that you attended (every event you record is one you go to) and the
    latest few, with how many people you met at each folded into the name."""
    window = (Event.owner_id == owner_id, Event.starts_on >= first_day, Event.starts_on <= last_day)
    count = session.scalar(sa.select(sa.func.count()).select_from(Event).where(*window)) or 0
    recent: list[tuple[int, str, date]] = []
    if count:
        met = (
            sa.select(sa.func.count())
            .where(EventAttendee.event_id == Event.id, EventAttendee.met.is_(True))
            .scalar_subquery()
        )
        stmt = (
            sa.select(Event.id, Event.name, Event.starts_on, met)
            .where(*window)
            .order_by(Event.starts_on.desc(), Event.id.desc())
            .limit(RECENT)
        )
        recent = [(eid, f"{name} (met {n})" if n else name, on) for eid, name, on, n in session.execute(stmt)]
    return int(count), recent


def contacts_after_silence(
    session: Session,
    *,
    owner_id: int,
    since: datetime,
    until: datetime,
    silent_before: datetime,
    industry: str | None = None,
    tag: str | None = None,
) -> list[tuple[int, str, datetime, datetime]]:
    """(person id, name, first contact in the window, the contact before it) for the people
    contacted in the window whose contact before it was earlier than `silent_before`; the caller
    checks the silence between the two against its threshold.

    Only people last in touch since the window opened can have been contacted in it; for each, the
    contact before the window is one index seek (participant by person and time), and the first
    contact in the window one more for those silent long enough, so the window's interactions are
    never scanned.
    """
    before = aliased(InteractionParticipant)
    previous_at = (
        sa.select(sa.func.max(before.occurred_at))
        .where(before.person_id == Person.id, before.occurred_at < since)
        .scalar_subquery()
    )
    contact = aliased(InteractionParticipant)
    first_at = (
        sa.select(sa.func.min(contact.occurred_at))
        .where(contact.person_id == Person.id, contact.occurred_at >= since, contact.occurred_at < until)
        .scalar_subquery()
    )
    stmt = sa.select(Person.id, Person.display_name, first_at, previous_at).where(
        *_people_scope(owner_id, industry, tag), Person.last_contact_at >= since, previous_at < silent_before
    )
    return [(pid, name, first, prev) for pid, name, first, prev in session.execute(stmt) if first is not None]


def introductions_made(
    session: Session, *, owner_id: int, since: datetime, until: datetime
) -> tuple[int, list[tuple[int, str, datetime]]]:
    """Introductions made in the window, and the latest few ("A -> B")."""
    window = (
        Introduction.owner_id == owner_id,
        Introduction.made_at >= since,
        Introduction.made_at < until,
    )
    count = session.scalar(sa.select(sa.func.count()).select_from(Introduction).where(*window)) or 0
    recent: list[tuple[int, str, datetime]] = []
    if count:
        a = aliased(Person)
        b = aliased(Person)
        stmt = (
            sa.select(Introduction.id, a.display_name, b.display_name, Introduction.made_at)
            .join(a, a.id == Introduction.person_a_id)
            .join(b, b.id == Introduction.person_b_id)
            .where(*window)
            .order_by(Introduction.made_at.desc(), Introduction.id.desc())
            .limit(RECENT)
        )
        recent = [(iid, f"{na} -> {nb}", at) for iid, na, nb, at in session.execute(stmt)]
    return int(count), recent


def tier_cadence(
    session: Session, *, owner_id: int, tier: int, cutoff: datetime | None
) -> tuple[int, int, list[Any]]:
    """For the live people of a tier: how many there are, how many without a cadence of their own
    were last in touch on or before `cutoff` (None: the tier has no cadence), and rows (id,
    display_name, cadence_days, last) of those late ones and of everyone with a cadence of their own
    (for the caller to check against it)."""
    live = (Person.owner_id == owner_id, Person.tier == tier, Person.archived.is_(False))
    last = silent_since()  # the expression ix_person_owner_tier_silence holds
    late = sa.and_(Person.cadence_days.is_(None), last <= cutoff) if cutoff is not None else sa.false()
    total, n_late = session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(late)).where(*live)
    ).one()
    rows = session.execute(
        sa.select(Person.id, Person.display_name, Person.cadence_days, last.label("last"))
        .where(*live, sa.or_(late, Person.cadence_days.is_not(None)))
        .order_by(last, Person.id)
    ).all()
    return int(total), int(n_late or 0), list(rows)
