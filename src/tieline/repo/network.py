"""Queries behind the network map: the strongest ties and who appeared together with whom."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import InteractionParticipant, Person, Tie


def strongest(session: Session, *, owner_id: int, limit: int) -> list[sa.Row]:  # type: ignore[type-arg]
    """(id, name, tier, company, strength) of the live people with the strongest stored ties."""
    stmt = (
        sa.select(Person.id, Person.display_name, Person.tier, Person.company, Tie.strength)
        .join(Tie, Tie.person_id == Person.id)
        .where(Person.owner_id == owner_id, Person.archived.is_(False), Tie.strength > 0)
        .order_by(Tie.strength.desc(), Person.id)
        .limit(limit)
    )
    return list(session.execute(stmt))


def co_participation(session: Session, *, owner_id: int, person_ids: list[int]) -> list[tuple[int, int, int]]:
    """(a, b, shared interactions) for pairs among `person_ids` who took part in the same interaction."""
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
    return [(int(x), int(y), int(n)) for x, y, n in session.execute(stmt)]
