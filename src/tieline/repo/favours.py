"""Queries about the favour ledger: counts per person, the entries, and thanks still owed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Favour, Person


def counts(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None
) -> dict[int, tuple[int, int]]:
    """person id -> (given, received) for everyone with a favour, or for `person_ids` only."""
    favour = Favour.__table__.c
    stmt = (
        sa.select(favour.person_id, favour.direction, sa.func.count())
        .where(favour.owner_id == owner_id)
        .group_by(favour.person_id, favour.direction)
    )
    if person_ids is not None:
        if not person_ids:
            return {}
        stmt = stmt.where(favour.person_id.in_(list(person_ids)))
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
    favour = Favour.__table__.c
    person = Person.__table__.c
    stmt = (
        sa.select(
            favour.id,
            favour.person_id,
            favour.kind,
            favour.text,
            favour.occurred_at,
            person.display_name,
            person.given_name,
        )
        .join(Person.__table__, person.id == favour.person_id)
        .where(
            favour.owner_id == owner_id,
            favour.direction == "received",
            favour.thanked_at.is_(None),
            person.archived.is_(False),
        )
        .order_by(favour.occurred_at, favour.id)
    )
    if received_by is not None:
        stmt = stmt.where(favour.occurred_at <= received_by)
    return list(session.execute(stmt))


@dataclass(frozen=True)
class FavourFilter:
    """What `listing` narrows favours down by; None leaves a field unfiltered."""

    person_id: int | None = None
    direction: str | None = None
    kind: str | None = None


def _filtered(stmt: sa.Select, *, owner_id: int, where: FavourFilter) -> sa.Select:  # type: ignore[type-arg]
    """Add the filter's conditions to a query over favours."""
    stmt = stmt.where(Favour.owner_id == owner_id)
    if where.person_id is not None:
        stmt = stmt.where(Favour.person_id == where.person_id)
    if where.direction is not None:
        stmt = stmt.where(Favour.direction == where.direction)
    if where.kind is not None:
        stmt = stmt.where(Favour.kind == where.kind)
    return stmt


def get(session: Session, *, owner_id: int, favour_id: int) -> Favour | None:
    """The favour with this id, if the owner has it."""
    return session.scalars(
        sa.select(Favour).where(Favour.id == favour_id, Favour.owner_id == owner_id)
    ).first()


def listing(
    session: Session, *, owner_id: int, where: FavourFilter, limit: int | None = None, offset: int = 0
) -> list[tuple[Favour, str]]:
    """(favour, person's name) matching the filter, newest first."""
    stmt = _filtered(
        sa.select(Favour, Person.display_name).join(Person, Person.id == Favour.person_id),
        owner_id=owner_id,
        where=where,
    )
    stmt = stmt.order_by(Favour.occurred_at.desc(), Favour.id.desc()).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [(f, name) for f, name in session.execute(stmt)]


def count_matching(session: Session, *, owner_id: int, where: FavourFilter) -> int:
    """How many favours `listing` would return without a limit."""
    return session.scalar(_filtered(sa.select(sa.func.count(Favour.id)), owner_id=owner_id, where=where)) or 0
