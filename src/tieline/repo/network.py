"""Queries behind the network map: the strongest ties and who appeared together with whom."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import InteractionParticipant, Person, Tie
from tieline.repo.graph import columns_named


class StrongTie(NamedTuple):
    """A live person on the map: who they are and your stored tie strength (0-100)."""

    id: int
    display_name: str
    tier: int
    company: str | None
    strength: float


def strongest(session: Session, *, owner_id: int, limit: int) -> list[StrongTie]:
    """The live people with the strongest stored ties, strongest first."""
    stmt = (
        sa.select(
            *columns_named(
                StrongTie, Person.id, Person.display_name, Person.tier, Person.company, Tie.strength
            )
        )
        .join(Tie, Tie.person_id == Person.id)
        .where(Person.owner_id == owner_id, Person.archived.is_(False), Tie.strength > 0)
        .order_by(Tie.strength.desc(), Person.id)
        .limit(limit)
    )
    return list(map(StrongTie._make, session.execute(stmt)))


class SeenTogether(NamedTuple):
    """Two people (a_id < b_id) and the number of interactions they both took part in."""

    a_id: int
    b_id: int
    shared: int


def co_participation(session: Session, *, owner_id: int, person_ids: list[int]) -> list[SeenTogether]:
    """Pairs among `person_ids` who took part in the same interaction."""
    if len(person_ids) < 2:
        return []
    a = sa.orm.aliased(InteractionParticipant)
    b = sa.orm.aliased(InteractionParticipant)
    stmt = (
        sa.select(a.person_id, b.person_id, sa.func.count())
        .join(b, sa.and_(b.interaction_id == a.interaction_id, b.person_id > a.person_id))
        .where(a.owner_id == owner_id, a.person_id.in_(person_ids), b.person_id.in_(person_ids))
        .group_by(a.person_id, b.person_id)
    )
    return [SeenTogether(int(x), int(y), int(n)) for x, y, n in session.execute(stmt)]
