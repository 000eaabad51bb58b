"""Queries of the address book sync: each card's link to its person, the people to send, people
loaded with what a card carries, and the conflicts waiting for the user."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tieline.models import CardConflict, CardLink, Person, PersonTag

CHUNK = 500


class Chosen(NamedTuple):
    """A person a connection sends."""

    id: int


def links(session: Session, *, connection_id: int) -> list[CardLink]:
    """Every card link of a connection, oldest first (a merged person keeps their oldest card)."""
    stmt = sa.select(CardLink).where(CardLink.connection_id == connection_id).order_by(CardLink.id)
    return list(session.scalars(stmt))


def chosen(session: Session, *, owner_id: int, tier: int | None, tag: str | None) -> list[Chosen]:
    """The live people a connection sends: all, those of tier `tier` or closer, or those tagged."""
    stmt = sa.select(Person.id, Person.archived).where(
        Person.owner_id == owner_id, Person.archived.is_(False)
    )
    if tier is not None:
        stmt = stmt.where(Person.tier <= tier)
    if tag is not None:
        tagged = sa.select(PersonTag.person_id).where(PersonTag.owner_id == owner_id, PersonTag.tag == tag)
        stmt = stmt.where(Person.id.in_(tagged))
    return [Chosen(row.id) for row in session.execute(stmt.order_by(Person.id))]


def archived_ids(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> set[int]:
    """Which of these people are archived."""
    found: set[int] = set()
    for start in range(0, len(person_ids), CHUNK):
        stmt = sa.select(Person.id).where(
            Person.owner_id == owner_id,
            Person.archived.is_(True),
            Person.id.in_(person_ids[start : start + CHUNK]),
        )
        found.update(session.scalars(stmt))
    return found


def people(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, Person]:
    """id -> person with emails, phones and links loaded, CHUNK at a time."""
    found: dict[int, Person] = {}
    options = [selectinload(Person.emails), selectinload(Person.phones), selectinload(Person.links)]
    for start in range(0, len(person_ids), CHUNK):
        stmt = (
            sa.select(Person)
            .where(Person.owner_id == owner_id, Person.id.in_(person_ids[start : start + CHUNK]))
            .options(*options)
        )
        found.update((p.id, p) for p in session.scalars(stmt))
    return found


def conflicts(session: Session, *, owner_id: int, open_only: bool = True) -> list[CardConflict]:
    """The conflicts found by address book syncs, newest first."""
    stmt = sa.select(CardConflict).where(CardConflict.owner_id == owner_id)
    if open_only:
        stmt = stmt.where(CardConflict.resolved_at.is_(None))
    return list(session.scalars(stmt.order_by(CardConflict.id.desc())))


def conflict(session: Session, *, owner_id: int, conflict_id: int) -> CardConflict | None:
    """One conflict by id."""
    stmt = sa.select(CardConflict).where(CardConflict.owner_id == owner_id, CardConflict.id == conflict_id)
    return session.scalars(stmt).one_or_none()


def open_conflict(session: Session, *, person_id: int, field: str) -> CardConflict | None:
    """The unresolved conflict on a person's field, if any."""
    stmt = sa.select(CardConflict).where(
        CardConflict.person_id == person_id, CardConflict.field == field, CardConflict.resolved_at.is_(None)
    )
    return session.scalars(stmt).first()
