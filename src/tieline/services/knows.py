""" "Knows" links: two people you know who know each other (told by you, or made by an introduction)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import Knows, Person
from tieline.models.growth import KNOWS_SOURCES
from tieline.repo import knows as knows_repo


@dataclass(frozen=True)
class Link:
    """A link seen from one person: who they know, how strongly, and how you learnt it."""

    knows: Knows
    person: Person
    other: Person


def check_strength(value: float | None) -> float | None:
    """A strength between 0 and 1, or None."""
    if value is not None and not 0 <= value <= 1:
        raise InvalidInput(f"--strength must be between 0 and 1, not {value:g}")
    return value


def link(
    session: Session,
    *,
    owner_id: int,
    person: Person,
    other: Person,
    strength: float | None = None,
    note: str | None = None,
    source: str = "manual",
) -> tuple[Link, bool]:
    """Record that two people know each other; re-running updates the strength and note given.

    True when the link is new.
    """
    if person.id == other.id:
        raise InvalidInput(f"{person.display_name} and {other.display_name} are the same person")
    if source not in KNOWS_SOURCES:
        raise InvalidInput(f"a knows link comes from one of {', '.join(KNOWS_SOURCES)}, not {source!r}")
    check_strength(strength)
    row = knows_repo.get_pair(
        session, owner_id=owner_id, person_id=person.id, other_id=other.id, source=source
    )
    created = row is None
    if row is None:
        low, high = sorted((person.id, other.id))
        row = Knows(owner_id=owner_id, person_id=low, other_id=high, source=source)
        session.add(row)
    if strength is not None:
        row.strength = strength
    if note and note.strip():
        row.note = note.strip()
    session.flush()
    return Link(row, person, other), created


def known_by(session: Session, *, owner_id: int, person: Person) -> list[Link]:
    """Everyone the person knows, by name (a pair linked by you and by an introduction shows twice)."""
    rows = knows_repo.of_person(session, owner_id=owner_id, person_id=person.id)
    return [Link(row, person, other) for row, other in rows]
