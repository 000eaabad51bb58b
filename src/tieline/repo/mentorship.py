"""Queries about mentorship: relations, when you last met each person, their latest session, open follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tieline.models import FollowUp, Interaction, InteractionParticipant, Person, Relation


def find_open(
    session: Session, *, owner_id: int, kind: str, person_id: int, other_id: int | None
) -> Relation | None:
    """The relation of this kind between these people that has not ended, if any."""
    stmt = sa.select(Relation).where(
        Relation.owner_id == owner_id,
        Relation.kind == kind,
        Relation.person_id == person_id,
        Relation.ended_on.is_(None),
        Relation.other_id.is_(None) if other_id is None else Relation.other_id == other_id,
    )
    return session.scalars(stmt.order_by(Relation.id)).first()


def listing(
    session: Session, *, owner_id: int, kinds: Sequence[str], include_ended: bool = False
) -> list[tuple[Relation, str, str | None]]:
    """(relation, person's name, other's name or None) of these kinds, yours first, then by name."""
    other = aliased(Person)
    stmt = (
        sa.select(Relation, Person.display_name, other.display_name)
        .join(Person, Person.id == Relation.person_id)
        .outerjoin(other, other.id == Relation.other_id)
        .where(Relation.owner_id == owner_id, Relation.kind.in_(list(kinds)))
        .order_by(Relation.other_id.is_not(None), Person.sort_name, Relation.id)
    )
    if not include_ended:
        stmt = stmt.where(Relation.ended_on.is_(None))
    return [(r, name, other_name) for r, name, other_name in session.execute(stmt)]


def last_met(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, datetime]:
    """person id -> time of their latest interaction of any kind."""
    if not person_ids:
        return {}
    stmt = (
        sa.select(InteractionParticipant.person_id, sa.func.max(InteractionParticipant.occurred_at))
        .where(
            InteractionParticipant.owner_id == owner_id,
            InteractionParticipant.person_id.in_(list(person_ids)),
        )
        .group_by(InteractionParticipant.person_id)
    )
    return {pid: when for pid, when in session.execute(stmt)}


def last_sessions(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, Any]:
    """person id -> their latest mentoring interaction (`id`, `occurred_at`, `notes`), in one query."""
    if not person_ids:
        return {}
    ranked = (
        sa.select(
            InteractionParticipant.person_id,
            Interaction.id,
            Interaction.occurred_at,
            Interaction.notes,
            sa.func.row_number()
            .over(
                partition_by=InteractionParticipant.person_id,
                order_by=(Interaction.occurred_at.desc(), Interaction.id.desc()),
            )
            .label("rank"),
        )
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(
            InteractionParticipant.owner_id == owner_id,
            InteractionParticipant.person_id.in_(list(person_ids)),
            Interaction.kind == "mentoring",
        )
        .subquery()
    )
    stmt = sa.select(ranked.c.person_id, ranked.c.id, ranked.c.occurred_at, ranked.c.notes).where(
        ranked.c.rank == 1
    )
    return {row.person_id: row for row in session.execute(stmt)}


def open_followups(
    session: Session, *, owner_id: int, person_ids: Sequence[int]
) -> dict[int, list[FollowUp]]:
    """person id -> their open follow-ups and promises, by due date."""
    if not person_ids:
        return {}
    stmt = (
        sa.select(FollowUp)
        .where(
            FollowUp.owner_id == owner_id,
            FollowUp.status == "open",
            FollowUp.person_id.in_(list(person_ids)),
        )
        .order_by(FollowUp.due_on, FollowUp.id)
    )
    out: dict[int, list[FollowUp]] = {}
    for item in session.scalars(stmt):
        assert item.person_id is not None
        out.setdefault(item.person_id, []).append(item)
    return out


def sessions_due(session: Session, *, owner_id: int, kinds: Sequence[str], day: date) -> list[Any]:
    """Your current relations of these kinds with live people, each with its latest mentoring session.

    Each row: `id`, `kind`, `person_id`, `display_name`, `started_on`, `created_at`, `last_session_at`
    (NULL when no session was ever logged).
    """
    interaction_participant = InteractionParticipant.__table__.c
    interaction = Interaction.__table__.c
    relation = Relation.__table__.c
    person = Person.__table__.c
    last = (
        sa.select(
            interaction_participant.person_id.label("person_id"),
            sa.func.max(interaction_participant.occurred_at).label("last_session_at"),
        )
        .join(Interaction.__table__, interaction.id == interaction_participant.interaction_id)
        .where(interaction_participant.owner_id == owner_id, interaction.kind == "mentoring")
        .group_by(interaction_participant.person_id)
        .subquery()
    )
    stmt = (
        sa.select(
            relation.id,
            relation.kind,
            relation.person_id,
            person.display_name,
            relation.started_on,
            relation.created_at,
            last.c.last_session_at,
        )
        .join(Person.__table__, person.id == relation.person_id)
        .outerjoin(last, last.c.person_id == relation.person_id)
        .where(
            relation.owner_id == owner_id,
            relation.kind.in_(list(kinds)),
            relation.other_id.is_(None),
            relation.ended_on.is_(None),
            sa.or_(relation.started_on.is_(None), relation.started_on <= day),
            person.archived.is_(False),
        )
        .order_by(relation.id)
    )
    return list(session.execute(stmt))
