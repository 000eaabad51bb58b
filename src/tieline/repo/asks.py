"""Queries about planned asks, and the expertise in the network that could meet someone's needs."""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Ask, Person, PersonTopic, Tie
from tieline.repo.agenda import PERSON_TIE_COLUMNS


def get(session: Session, *, owner_id: int, ask_id: int) -> Ask | None:
    """The ask with this id, if the owner has it."""
    return session.scalars(sa.select(Ask).where(Ask.id == ask_id, Ask.owner_id == owner_id)).first()


class PlannedAsk(NamedTuple):
    """An ask still planned: what the agenda's give-first line needs of it."""

    id: int
    person_id: int
    text: str


def planned(session: Session, *, owner_id: int) -> list[PlannedAsk]:
    """Asks still planned, of live people, oldest first."""
    ask, person = Ask.__table__.c, Person.__table__.c
    stmt = (
        sa.select(ask.id, ask.person_id, ask.text)
        .join(Person.__table__, person.id == ask.person_id)
        .where(ask.owner_id == owner_id, ask.status == "planned", person.archived.is_(False))
        .order_by(ask.id)
    )
    return [PlannedAsk._make(row) for row in session.execute(stmt)]


def expertise_topics(session: Session, *, owner_id: int) -> list[str]:
    """Every distinct area of expertise in the network, as typed."""
    stmt = (
        sa.select(PersonTopic.value)
        .where(PersonTopic.owner_id == owner_id, PersonTopic.kind == "expertise")
        .distinct()
    )
    return list(session.scalars(stmt))


def offering(session: Session, *, owner_id: int, topics: list[str], limit: int) -> list[Any]:
    """(person_id, topic) of live people offering one of `topics`, best first by a rough strength.

    The rough strength is the tie's strength as last stored, or the closeness rating (x 20) when
    higher: good enough for a shortlist, whose exact strengths the caller computes.
    """
    if not topics:
        return []
    stored = sa.func.coalesce(Tie.strength, 0.0)
    rated = sa.func.coalesce(Person.closeness, 0) * 20.0
    rough = sa.case((stored > rated, stored), else_=rated)
    stmt = (
        sa.select(PersonTopic.person_id, PersonTopic.value.label("topic"))
        .join(Person, Person.id == PersonTopic.person_id)
        .outerjoin(Tie, Tie.person_id == PersonTopic.person_id)
        .where(
            PersonTopic.owner_id == owner_id,
            PersonTopic.kind == "expertise",
            PersonTopic.value.in_(topics),
            Person.archived.is_(False),
        )
        .order_by(rough.desc(), Person.sort_name, Person.id)
        .limit(limit)
    )
    return list(session.execute(stmt))


def people_with_ties(session: Session, *, owner_id: int, person_ids: list[int]) -> list[Any]:
    """Rows with a person's and their tie's columns, each serving as both in `scoring.strength`."""
    if not person_ids:
        return []
    stmt = (
        sa.select(*PERSON_TIE_COLUMNS)
        .outerjoin(Tie, Tie.person_id == Person.id)
        .where(Person.owner_id == owner_id, Person.id.in_(person_ids))
    )
    return list(session.execute(stmt))
