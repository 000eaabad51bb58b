"""Queries about "knows" links: who knows whom, one row per pair (lower id first) and source."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tieline.models import Knows, Person


def get_pair(session: Session, *, owner_id: int, person_id: int, other_id: int, source: str) -> Knows | None:
    """The link between two people from this source, whichever order they are given in."""
    low, high = sorted((person_id, other_id))
    stmt = sa.select(Knows).where(
        Knows.owner_id == owner_id, Knows.person_id == low, Knows.other_id == high, Knows.source == source
    )
    return session.scalars(stmt).first()


def of_person(session: Session, *, owner_id: int, person_id: int) -> list[tuple[Knows, Person]]:
    """(link, the other person) for every link of this person, by the other's name."""
    other = aliased(Person)
    other_id = sa.case((Knows.person_id == person_id, Knows.other_id), else_=Knows.person_id)
    stmt = (
        sa.select(Knows, other)
        .join(other, other.id == other_id)
        .where(Knows.owner_id == owner_id, sa.or_(Knows.person_id == person_id, Knows.other_id == person_id))
        .order_by(other.sort_name, other.id, Knows.source)
    )
    return [(link, person) for link, person in session.execute(stmt)]
