"""Queries about events, who you met or saw there, and what came of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    Event,
    EventAttendee,
    FollowUp,
    InteractionParticipant,
    Opportunity,
    Organisation,
    Person,
    Tie,
)
from tieline.models.base import UTCDateTime


@dataclass(frozen=True)
class EventCounts:
    """An event with its organiser's name and how many people you met, saw and followed up."""

    event: Event
    organiser: str | None
    met: int
    attended: int
    followed_up: int


@dataclass(frozen=True)
class AttendeeRow:
    """One person at an event with their follow-up, tie and latest contact after meeting them."""

    attendee: EventAttendee
    person: Person
    follow_up: FollowUp | None
    tie: Tie | None
    # The latest interaction with them strictly after met_at (None if none, or not met).
    last_contact_after: datetime | None


def get(session: Session, *, owner_id: int, event_id: int) -> Event | None:
    """The event with this id, if the owner has it."""
    return session.scalars(sa.select(Event).where(Event.id == event_id, Event.owner_id == owner_id)).first()


def names(session: Session, *, owner_id: int) -> list[tuple[int, str, date]]:
    """(id, name, starts_on) of every event, newest first: few enough to match names in Python."""
    stmt = (
        sa.select(Event.id, Event.name, Event.starts_on)
        .where(Event.owner_id == owner_id)
        .order_by(Event.starts_on.desc(), Event.id.desc())
    )
    return [(i, n, d) for i, n, d in session.execute(stmt)]


def get_many(session: Session, *, owner_id: int, event_ids: Sequence[int]) -> list[Event]:
    """The events with these ids, newest first."""
    if not event_ids:
        return []
    stmt = (
        sa.select(Event)
        .where(Event.owner_id == owner_id, Event.id.in_(list(event_ids)))
        .order_by(Event.starts_on.desc(), Event.id.desc())
    )
    return list(session.scalars(stmt))


def listing(session: Session, *, owner_id: int) -> list[EventCounts]:
    """Every event, newest first, with counts of people met, seen and followed up (done)."""
    counts = (
        sa.select(
            EventAttendee.event_id,
            sa.func.count().filter(EventAttendee.met.is_(True)).label("met"),
            sa.func.count().filter(EventAttendee.met.is_(False)).label("attended"),
            sa.func.count(FollowUp.id).filter(FollowUp.status == "done").label("followed_up"),
        )
        .outerjoin(FollowUp, FollowUp.id == EventAttendee.follow_up_id)
        .where(EventAttendee.owner_id == owner_id)
        .group_by(EventAttendee.event_id)
        .subquery()
    )
    stmt = (
        sa.select(
            Event,
            Organisation.name,
            sa.func.coalesce(counts.c.met, 0),
            sa.func.coalesce(counts.c.attended, 0),
            sa.func.coalesce(counts.c.followed_up, 0),
        )
        .outerjoin(Organisation, Organisation.id == Event.organiser_id)
        .outerjoin(counts, counts.c.event_id == Event.id)
        .where(Event.owner_id == owner_id)
        .order_by(Event.starts_on.desc(), Event.id.desc())
    )
    return [EventCounts(e, org, int(m), int(a), int(f)) for e, org, m, a, f in session.execute(stmt)]


def attendees_by_person(
    session: Session, *, owner_id: int, event_id: int, person_ids: Sequence[int]
) -> dict[int, EventAttendee]:
    """person id -> their attendance at the event, for those of `person_ids` already recorded."""
    if not person_ids:
        return {}
    stmt = sa.select(EventAttendee).where(
        EventAttendee.owner_id == owner_id,
        EventAttendee.event_id == event_id,
        EventAttendee.person_id.in_(list(person_ids)),
    )
    return {a.person_id: a for a in session.scalars(stmt)}


def attendee_rows(session: Session, *, owner_id: int, event_id: int) -> list[AttendeeRow]:
    """Everyone at the event, people met first, by name: one query whatever the number of people."""
    # The (person_id, occurred_at) index answers this per attendee with one short range scan.
    after = (
        sa.select(sa.func.max(InteractionParticipant.occurred_at))
        .where(
            InteractionParticipant.person_id == EventAttendee.person_id,
            InteractionParticipant.owner_id == owner_id,
            InteractionParticipant.occurred_at > EventAttendee.met_at,
        )
        .correlate(EventAttendee)
        .scalar_subquery()
    )
    # max() loses the column's type; give it back so both dialects return an aware UTC time.
    after = sa.type_coerce(after, UTCDateTime())
    stmt = (
        sa.select(EventAttendee, Person, FollowUp, Tie, after)
        .join(Person, Person.id == EventAttendee.person_id)
        .outerjoin(FollowUp, FollowUp.id == EventAttendee.follow_up_id)
        .outerjoin(Tie, Tie.person_id == EventAttendee.person_id)
        .where(EventAttendee.owner_id == owner_id, EventAttendee.event_id == event_id)
        .order_by(EventAttendee.met.desc(), Person.sort_name, Person.id)
    )
    return [AttendeeRow(a, p, f, t, last) for a, p, f, t, last in session.execute(stmt)]


def opportunities(
    session: Session, *, owner_id: int, event_id: int, since: date
) -> list[tuple[Opportunity, str | None]]:
    """Opportunities that came of the event, with the name of the person they came through.

    Those recorded against the event, and those that came through someone met there and were
    spotted on or after `since` (the day the event began).
    """
    met_there = sa.select(EventAttendee.person_id).where(
        EventAttendee.owner_id == owner_id, EventAttendee.event_id == event_id, EventAttendee.met.is_(True)
    )
    stmt = (
        sa.select(Opportunity, Person.display_name)
        .outerjoin(Person, Person.id == Opportunity.person_id)
        .where(
            Opportunity.owner_id == owner_id,
            sa.or_(
                Opportunity.event_id == event_id,
                sa.and_(Opportunity.person_id.in_(met_there), Opportunity.spotted_on >= since),
            ),
        )
        .order_by(Opportunity.spotted_on, Opportunity.id)
    )
    return [(o, name) for o, name in session.execute(stmt)]
