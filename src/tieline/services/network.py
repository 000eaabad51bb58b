"""The network map: your strongest ties, and which of those people were seen together."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tieline.repo import network as network_repo


@dataclass(frozen=True)
class NetworkMap:
    """The people on the map (id, display_name, tier, company, strength), strongest first, and the
    links among them: (a, b, interactions both took part in)."""

    people: list[Any]
    links: list[tuple[int, int, int]]


def strongest_ties(session: Session, *, owner_id: int, limit: int, tier: int | None = None) -> NetworkMap:
    """The `limit` live people with the strongest ties (only those of `tier` among them, when given)
    and the interactions they shared."""
    people = network_repo.strongest(session, owner_id=owner_id, limit=limit)
    if tier is not None:
        people = [p for p in people if p.tier == tier]
    links = network_repo.co_participation(session, owner_id=owner_id, person_ids=[p.id for p in people])
    return NetworkMap(people, links)
