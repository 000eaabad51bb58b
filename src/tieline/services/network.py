"""The network page's map: your strongest ties in labelled groups, and the person searched for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tieline.analytics import people_map
from tieline.analytics.people_map import PeopleMap
from tieline.errors import InvalidInput
from tieline.services import people as people_service


def network_map(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    limit: int,
    tier: int | None = None,
    focus: str = "",
) -> PeopleMap:
    """The `limit` live people with the strongest ties (of `tier`, when given), grouped and labelled;
    `focus` (a name or #id, as `tieline show` takes) is added and named even when not among them."""
    focus_id = (
        people_service.resolve_person_id(session, owner_id=owner_id, text=focus) if focus.strip() else None
    )
    found = people_map.people_map(session, owner_id=owner_id, now=now, limit=limit, tier=tier, focus=focus_id)
    if focus_id is not None and found.focus is None:
        raise InvalidInput(f"{focus.strip()} is archived: archived people are not on the map")
    return found
