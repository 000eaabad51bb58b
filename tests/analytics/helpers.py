"""Hand-made networks for the analytics tests: people with a set tie strength and knows links."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Knows, Person, Tie

AddPerson = Callable[..., Person]


def person(session: Session, add_person: AddPerson, name: str, strength: float, **values: object) -> Person:
    """A person whose stored tie strength with you is `strength` (0-100)."""
    found = add_person(name, **values)
    tie = session.get(Tie, found.id)
    if tie is None:
        tie = Tie(owner_id=LOCAL_OWNER_ID, person_id=found.id)
        session.add(tie)
    tie.strength = strength
    session.flush()
    return found


def knows(
    session: Session, a: Person, b: Person, strength: float | None = None, source: str = "manual"
) -> None:
    """Record that two people know each other."""
    low, high = sorted((a.id, b.id))
    session.add(
        Knows(owner_id=LOCAL_OWNER_ID, person_id=low, other_id=high, strength=strength, source=source)
    )
    session.flush()
