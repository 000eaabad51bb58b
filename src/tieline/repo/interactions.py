"""Queries about interactions: a person's timeline, and keeping last-contact times current."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tieline.models import Interaction, InteractionParticipant, Person


class TimelineItem(NamedTuple):
    """What a timeline shows of an interaction (read-only; edit through the Interaction itself).

    A named tuple, as TimelineEntry: a page builds fifty of each, and these cost a third of a
    frozen dataclass to make."""

    id: int
    kind: str
    occurred_at: datetime
    initiated_by: str | None
    channel: str | None
    subject: str | None
    notes: str | None


class TimelineEntry(NamedTuple):
    """One interaction as a person's timeline shows it, with the others who were there."""

    interaction: TimelineItem
    others: list[str]


_ip = InteractionParticipant.__table__
_other = InteractionParticipant.__table__.alias("other")
_interaction = Interaction.__table__
_person = Person.__table__
# Built once, as plain Core: the person page runs it on every view. The latest interactions (one
# walk down the person's (person_id, occurred_at) index), each joined to the others who were there.
_recent = (
    sa.select(*(_interaction.c[name] for name in TimelineItem._fields))
    .join(_ip, _ip.c.interaction_id == _interaction.c.id)
    .where(_ip.c.person_id == sa.bindparam("person_id"), _ip.c.owner_id == sa.bindparam("owner_id"))
    .order_by(_ip.c.occurred_at.desc(), _ip.c.interaction_id.desc())
    .limit(sa.bindparam("limit"))
    .subquery("recent")
)
_TIMELINE = (
    sa.select(_recent, _person.c.display_name)
    .outerjoin(
        _other,
        sa.and_(_other.c.interaction_id == _recent.c.id, _other.c.person_id != sa.bindparam("person_id")),
    )
    .outerjoin(_person, _person.c.id == _other.c.person_id)
    .order_by(_recent.c.occurred_at.desc(), _recent.c.id.desc(), _person.c.sort_name)
)


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
    entries: list[TimelineEntry] = []
    for *values, other in session.execute(
        _TIMELINE, {"person_id": person_id, "owner_id": owner_id, "limit": limit}
    ).all():
        if not entries or entries[-1].interaction.id != values[0]:
            entries.append(TimelineEntry(TimelineItem(*values), []))
        if other is not None:
            entries[-1].others.append(other)
    return entries


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


def every_with_participants(session: Session, *, owner_id: int, batch: int = 1_000) -> Iterator[Interaction]:
    """Every interaction of the owner, oldest id first, with its participants; streamed `batch` at a time."""
    stmt = (
        sa.select(Interaction)
        .where(Interaction.owner_id == owner_id)
        .order_by(Interaction.id)
        .options(selectinload(Interaction.participants))
        .execution_options(yield_per=batch)
    )
    yield from session.scalars(stmt)
