"""Queries behind `tieline stats`' counts that are not the graph itself: new people and
interactions per month, favour totals, and what events and organisations gave (opportunities,
people met). The graph's own queries (people, ties, links, memberships) are in `graph.py`."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Event, EventAttendee, Favour, Interaction, Opportunity, Organisation, Person
from tieline.repo.graph import columns_named


class NewPerson(NamedTuple):
    """When a live person was met (if known) and added."""

    met_on: datetime | date | None
    created_at: datetime


def monthly_new_people(session: Session, *, owner_id: int) -> list[NewPerson]:
    """Every live person's dates, to count new people per month."""
    stmt = sa.select(*columns_named(NewPerson, Person.met_on, Person.created_at)).where(
        Person.owner_id == owner_id, Person.archived.is_(False)
    )
    return list(map(NewPerson._make, session.execute(stmt)))


def interactions_per_month(session: Session, *, owner_id: int, since: datetime) -> dict[str, int]:
    """Interactions per calendar month ("2026-03") since `since` (UTC months)."""
    if session.get_bind().dialect.name == "postgresql":
        month = sa.func.to_char(Interaction.occurred_at, "YYYY-MM")
    else:
        month = sa.func.substr(Interaction.occurred_at, 1, 7)
    stmt = (
        sa.select(month, sa.func.count())
        .where(Interaction.owner_id == owner_id, Interaction.occurred_at >= since)
        .group_by(month)
    )
    return {str(m): int(n) for m, n in session.execute(stmt)}


class FavourTotal(NamedTuple):
    """Favours in one direction (given, received): how many, and how many not yet thanked."""

    direction: str
    count: int
    unthanked: int


def favour_totals(session: Session, *, owner_id: int) -> list[FavourTotal]:
    """Favours per direction."""
    stmt = (
        sa.select(
            *columns_named(
                FavourTotal,
                Favour.direction,
                sa.func.count().label("count"),
                sa.func.count().filter(Favour.thanked_at.is_(None)).label("unthanked"),
            )
        )
        .where(Favour.owner_id == owner_id)
        .group_by(Favour.direction)
    )
    return list(map(FavourTotal._make, session.execute(stmt)))


class OpportunitySource(NamedTuple):
    """Opportunities at one stage that came from an event and an organisation (either may be None)."""

    event_name: str | None
    organisation_name: str | None
    stage: str
    count: int


def opportunities_by_source(session: Session, *, owner_id: int) -> list[OpportunitySource]:
    """Opportunities counted by the event and organisation they came from, and stage."""
    stmt = (
        sa.select(
            *columns_named(
                OpportunitySource,
                Event.name.label("event_name"),
                Organisation.name.label("organisation_name"),
                Opportunity.stage,
                sa.func.count().label("count"),
            )
        )
        .select_from(Opportunity)
        .outerjoin(Event, Event.id == Opportunity.event_id)
        .outerjoin(Organisation, Organisation.id == Opportunity.organisation_id)
        .where(Opportunity.owner_id == owner_id)
        .group_by(Event.name, Organisation.name, Opportunity.stage)
    )
    return list(map(OpportunitySource._make, session.execute(stmt)))


class EventPerson(NamedTuple):
    """An attendee of an event, and whether you met them there."""

    event_id: int
    name: str
    person_id: int
    met: bool


def event_people(session: Session, *, owner_id: int) -> list[EventPerson]:
    """Every attendee of every event."""
    stmt = (
        sa.select(
            *columns_named(
                EventPerson,
                Event.id.label("event_id"),
                Event.name,
                EventAttendee.person_id,
                EventAttendee.met,
            )
        )
        .join(EventAttendee, EventAttendee.event_id == Event.id)
        .where(Event.owner_id == owner_id)
    )
    return list(map(EventPerson._make, session.execute(stmt)))
