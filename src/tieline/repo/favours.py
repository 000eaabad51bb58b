"""Queries about the favour ledger: counts per person, the entries, and thanks still owed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Favour, Person


def counts(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None
) -> dict[int, tuple[int, int]]:
    """person id -> (given, received) for everyone with a favour, or for `person_ids` only."""
    stmt = (
        sa.select(Favour.person_id, Favour.direction, sa.func.count())
        .where(Favour.owner_id == owner_id)
        .group_by(Favour.person_id, Favour.direction)
    )
    if person_ids is not None:
        if not person_ids:
            return {}
        stmt = stmt.where(Favour.person_id.in_(list(person_ids)))
    out: dict[int, list[int]] = {}
    for person_id, direction, n in session.execute(stmt):
        out.setdefault(person_id, [0, 0])[0 if direction == "given" else 1] = int(n)
    return {pid: (g, r) for pid, (g, r) in out.items()}


def names(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, str]:
    """person id -> display name."""
    if not person_ids:
        return {}
    stmt = sa.select(Person.id, Person.display_name).where(
        Person.owner_id == owner_id, Person.id.in_(list(person_ids))
    )
    return {pid: name for pid, name in session.execute(stmt)}


def of_person(session: Session, *, owner_id: int, person_id: int) -> list[Favour]:
    """A person's favours, newest first."""
    stmt = (
        sa.select(Favour)
        .where(Favour.owner_id == owner_id, Favour.person_id == person_id)
        .order_by(Favour.occurred_at.desc(), Favour.id.desc())
    )
    return list(session.scalars(stmt))


def unthanked(session: Session, *, owner_id: int, person_id: int) -> list[Favour]:
    """Help received from a person that has not been thanked yet, oldest first."""
    stmt = (
        sa.select(Favour)
        .where(
            Favour.owner_id == owner_id,
            Favour.person_id == person_id,
            Favour.direction == "received",
            Favour.thanked_at.is_(None),
        )
        .order_by(Favour.occurred_at, Favour.id)
    )
    return list(session.scalars(stmt))


def thanks_owed(session: Session, *, owner_id: int, received_by: datetime | None = None) -> list[Any]:
    """Unthanked help received from live people (by `received_by` when given), with their names."""
    stmt = (
        sa.select(
            Favour.id,
            Favour.person_id,
            Favour.kind,
            Favour.text,
            Favour.occurred_at,
            Person.display_name,
            Person.given_name,
        )
        .join(Person, Person.id == Favour.person_id)
        .where(
            Favour.owner_id == owner_id,
            Favour.direction == "received",
            Favour.thanked_at.is_(None),
            Person.archived.is_(False),
        )
        .order_by(Favour.occurred_at, Favour.id)
    )
    if received_by is not None:
        stmt = stmt.where(Favour.occurred_at <= received_by)
    return list(session.execute(stmt))
