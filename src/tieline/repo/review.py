"""Queries for looking back over a span of time: interactions logged, people contacted, people added."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Interaction, InteractionParticipant, Person


@dataclass(frozen=True)
class LoggedInteraction:
    """An interaction in the span, with the names of everyone who took part."""

    interaction: Interaction
    people: list[str]


@dataclass(frozen=True)
class Contacted:
    """A person contacted in the span: how often, and when last."""

    person_id: int
    name: str
    interactions: int
    last_at: datetime


def _in_span(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(Interaction.occurred_at >= start, Interaction.occurred_at < end)


def count_interactions(session: Session, *, owner_id: int, start: datetime, end: datetime) -> dict[str, int]:
    """How many interactions of each kind happened in [start, end)."""
    stmt = (
        sa.select(Interaction.kind, sa.func.count())
        .where(Interaction.owner_id == owner_id, _in_span(start, end))
        .group_by(Interaction.kind)
        .order_by(Interaction.kind)
    )
    return {kind: int(n) for kind, n in session.execute(stmt)}


def interactions(
    session: Session, *, owner_id: int, start: datetime, end: datetime, limit: int = 20
) -> list[LoggedInteraction]:
    """The latest interactions in [start, end), newest first, with who took part."""
    rows = list(
        session.scalars(
            sa.select(Interaction)
            .where(Interaction.owner_id == owner_id, _in_span(start, end))
            .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            .limit(limit)
        )
    )
    if not rows:
        return []
    names: dict[int, list[str]] = defaultdict(list)
    for interaction_id, name in session.execute(
        sa.select(InteractionParticipant.interaction_id, Person.display_name)
        .join(Person, Person.id == InteractionParticipant.person_id)
        .where(InteractionParticipant.interaction_id.in_([r.id for r in rows]))
        .order_by(Person.sort_name)
    ):
        names[interaction_id].append(name)
    return [LoggedInteraction(r, names.get(r.id, [])) for r in rows]


def people_contacted(
    session: Session, *, owner_id: int, start: datetime, end: datetime, limit: int = 50
) -> tuple[list[Contacted], int]:
    """The people contacted in [start, end), most contacts first, and how many there were in all."""
    per_person = (
        sa.select(
            InteractionParticipant.person_id,
            sa.func.count().label("n"),
            sa.func.max(InteractionParticipant.occurred_at).label("last_at"),
        )
        .where(
            InteractionParticipant.owner_id == owner_id,
            InteractionParticipant.occurred_at >= start,
            InteractionParticipant.occurred_at < end,
        )
        .group_by(InteractionParticipant.person_id)
        .subquery()
    )
    total = session.scalar(sa.select(sa.func.count()).select_from(per_person)) or 0
    stmt = (
        sa.select(Person.id, Person.display_name, per_person.c.n, per_person.c.last_at)
        .join(per_person, per_person.c.person_id == Person.id)
        .order_by(per_person.c.n.desc(), Person.sort_name, Person.id)
        .limit(limit)
    )
    rows = [Contacted(pid, name, int(n), last_at) for pid, name, n, last_at in session.execute(stmt)]
    return rows, int(total)


def people_added(session: Session, *, owner_id: int, start: datetime, end: datetime) -> int:
    """How many people were added to the network in [start, end)."""
    stmt = sa.select(sa.func.count()).where(
        Person.owner_id == owner_id, Person.created_at >= start, Person.created_at < end
    )
    return int(session.scalar(stmt) or 0)
