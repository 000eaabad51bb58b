"""Queries about interactions: a person's timeline, and keeping last-contact times current."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Interaction, InteractionParticipant, Person


@dataclass(frozen=True)
class TimelineEntry:
    """One interaction as a person's timeline shows it, with the others who were there."""

    interaction: Interaction
    others: list[str]


def add(session: Session, interaction: Interaction, people: list[Person]) -> Interaction:
    """Store an interaction with its participants and move their last-contact time forward."""
    interaction.participants = [
        InteractionParticipant(
            person_id=p.id, owner_id=interaction.owner_id, occurred_at=interaction.occurred_at
        )
        for p in people
    ]
    session.add(interaction)
    for person in people:
        if person.last_contact_at is None or person.last_contact_at < interaction.occurred_at:
            person.last_contact_at = interaction.occurred_at
    session.flush()
    return interaction


def timeline(session: Session, *, owner_id: int, person_id: int, limit: int = 50) -> list[TimelineEntry]:
    """The person's most recent interactions, newest first, each with the other participants."""
    # One walk down the person's (person_id, occurred_at) index, joined to the interactions.
    recent = (
        sa.select(Interaction)
        .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
        .where(InteractionParticipant.person_id == person_id, InteractionParticipant.owner_id == owner_id)
        .order_by(InteractionParticipant.occurred_at.desc(), InteractionParticipant.interaction_id.desc())
        .limit(limit)
    )
    interactions = list(session.scalars(recent))
    if not interactions:
        return []
    others: dict[int, list[str]] = defaultdict(list)
    names = session.execute(
        sa.select(InteractionParticipant.interaction_id, Person.display_name)
        .join(Person, Person.id == InteractionParticipant.person_id)
        .where(
            InteractionParticipant.interaction_id.in_([i.id for i in interactions]),
            InteractionParticipant.person_id != person_id,
        )
        .order_by(Person.sort_name)
    )
    for interaction_id, name in names:
        others[interaction_id].append(name)
    return [TimelineEntry(i, others.get(i.id, [])) for i in interactions]


def count_for_person(session: Session, *, owner_id: int, person_id: int) -> int:
    """How many interactions the person took part in."""
    stmt = (
        sa.select(sa.func.count())
        .select_from(InteractionParticipant)
        .where(InteractionParticipant.person_id == person_id, InteractionParticipant.owner_id == owner_id)
    )
    return session.scalar(stmt) or 0


def last_contact(session: Session, *, owner_id: int, person_id: int) -> datetime | None:
    """The time of the person's latest interaction, recomputed from the interactions themselves."""
    stmt = sa.select(sa.func.max(InteractionParticipant.occurred_at)).where(
        InteractionParticipant.person_id == person_id, InteractionParticipant.owner_id == owner_id
    )
    value = session.scalar(stmt)
    if isinstance(value, datetime):
        return value
    return None


def delete_sole_interactions(session: Session, *, owner_id: int, person_id: int) -> None:
    """Delete the interactions in which this person was the only participant."""
    others = sa.select(InteractionParticipant.interaction_id).where(
        InteractionParticipant.person_id != person_id
    )
    mine = sa.select(InteractionParticipant.interaction_id).where(
        InteractionParticipant.person_id == person_id, InteractionParticipant.owner_id == owner_id
    )
    session.execute(
        sa.delete(Interaction)
        .where(Interaction.id.in_(mine), Interaction.id.not_in(others))
        .execution_options(synchronize_session=False)
    )
