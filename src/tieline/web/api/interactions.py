"/api/v1/interactions: log an interaction."

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from tieline.dates import parse_when
from tieline.serialise.interactions import InteractionOut, interaction
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.web.api.schemas import ErrorOut, InteractionCreate
from tieline.web.deps import NowDep, OwnerDep, SessionDep

router = APIRouter(tags=["interactions"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})


@router.post("/interactions", response_model=InteractionOut, status_code=status.HTTP_201_CREATED)
def log_interaction(
    body: InteractionCreate, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> dict[str, Any]:
    """Log an interaction with one or more people (their tie strength updates at once)."""
    people = people_service.get_people(session, owner_id=owner_id, person_ids=body.people)
    item = interactions_service.log_interaction(
        session,
        owner_id=owner_id,
        kind=body.kind,
        people=people,
        when=parse_when(body.when, now=now, field="when"),
        notes=body.notes,
        initiated_by=body.initiated_by,
        subject=body.subject,
        now=now,
    )
    return interaction(item, [p.display_name for p in people])
