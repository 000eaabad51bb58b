"""Queries about opportunities: lookups, listings, what is due or stale, and where they came from."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tieline.models import Event, Introduction, Opportunity, Organisation, Person

CLOSED_STAGES = ("won", "lost")


def get(session: Session, *, owner_id: int, opportunity_id: int) -> Opportunity | None:
    """The opportunity with this id, if the owner has it."""
    stmt = sa.select(Opportunity).where(Opportunity.id == opportunity_id, Opportunity.owner_id == owner_id)
    return session.scalars(stmt).one_or_none()


class ListedOpportunity(NamedTuple):
    """An opportunity with the names of its person, organisation and event."""

    opportunity: Opportunity
    person_name: str | None
    organisation_name: str | None
    event_name: str | None


class IntroductionCount(NamedTuple):
    """How many opportunities of one stage came through one introduction."""

    introduction_id: int
    a_name: str
    b_name: str
    stage: str
    count: int


def listing(
    session: Session, *, owner_id: int, stages: tuple[str, ...] | None = None
) -> list[ListedOpportunity]:
    """Opportunities (of `stages`, else all) with the names of their person, organisation and event:
    open ones by due date then newest, closed ones after."""
    stmt = (
        sa.select(Opportunity, Person.display_name, Organisation.name, Event.name)
        .outerjoin(Person, Person.id == Opportunity.person_id)
        .outerjoin(Organisation, Organisation.id == Opportunity.organisation_id)
        .outerjoin(Event, Event.id == Opportunity.event_id)
        .where(Opportunity.owner_id == owner_id)
        .order_by(
            Opportunity.stage.in_(CLOSED_STAGES),
            Opportunity.due_on.is_(None),
            Opportunity.due_on,
            Opportunity.stage_on.desc(),
            Opportunity.id.desc(),
        )
    )
    if stages is not None:
        stmt = stmt.where(Opportunity.stage.in_(stages))
    return [ListedOpportunity._make(row) for row in session.execute(stmt)]


def names_of(session: Session, item: Opportunity) -> tuple[str | None, str | None, str | None]:
    """The names of an opportunity's person, organisation and event."""
    person = session.get(Person, item.person_id) if item.person_id else None
    org = session.get(Organisation, item.organisation_id) if item.organisation_id else None
    event = session.get(Event, item.event_id) if item.event_id else None
    return (
        person.display_name if person else None,
        org.name if org else None,
        event.name if event else None,
    )


def open_attention(session: Session, *, owner_id: int, due_by: date, stale_before: date) -> list[Any]:
    """Open opportunities due on or before `due_by`, or in their stage since before `stale_before`."""
    opportunity = Opportunity.__table__.c
    person = Person.__table__.c
    stmt = (
        sa.select(
            opportunity.id,
            opportunity.title,
            opportunity.kind,
            opportunity.stage,
            opportunity.stage_on,
            opportunity.due_on,
            opportunity.person_id,
            person.display_name,
        )
        .outerjoin(Person.__table__, person.id == opportunity.person_id)
        .where(
            opportunity.owner_id == owner_id,
            opportunity.stage.not_in(CLOSED_STAGES),
            sa.or_(opportunity.due_on <= due_by, opportunity.stage_on < stale_before),
        )
        .order_by(opportunity.id)
    )
    return list(session.execute(stmt))


# Each source dimension: the opportunity column, and the table and column naming it.
_DIMENSIONS: dict[str, tuple[Any, Any, Any, Any]] = {
    "person": (Opportunity.person_id, Person, Person.id, Person.display_name),
    "event": (Opportunity.event_id, Event, Event.id, Event.name),
    "organisation": (Opportunity.organisation_id, Organisation, Organisation.id, Organisation.name),
}


def counts_by_source(session: Session, *, owner_id: int, dimension: str) -> list[Any]:
    """(id, name, stage, count) of opportunities grouped by person, event or organisation."""
    column, table, key, name = _DIMENSIONS[dimension]
    stmt = (
        sa.select(column, name, Opportunity.stage, sa.func.count())
        .join(table, key == column)
        .where(Opportunity.owner_id == owner_id)
        .group_by(column, name, Opportunity.stage)
    )
    return list(session.execute(stmt))


def counts_by_introduction(session: Session, *, owner_id: int) -> list[IntroductionCount]:
    """How many opportunities of each stage came through each introduction, with A's and B's names."""
    a = aliased(Person)
    b = aliased(Person)
    stmt = (
        sa.select(
            Opportunity.introduction_id, a.display_name, b.display_name, Opportunity.stage, sa.func.count()
        )
        .join(Introduction, Introduction.id == Opportunity.introduction_id)
        .join(a, a.id == Introduction.person_a_id)
        .join(b, b.id == Introduction.person_b_id)
        .where(Opportunity.owner_id == owner_id)
        .group_by(Opportunity.introduction_id, a.display_name, b.display_name, Opportunity.stage)
    )
    return [IntroductionCount._make(row) for row in session.execute(stmt)]
