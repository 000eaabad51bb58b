"/api/v1/interactions: log an interaction."

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status

from tieline.dates import parse_when
from tieline.models import Interaction, Person
from tieline.serialise.interactions import InteractionOut, interaction
from tieline.services import idempotency
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.web.api.schemas import ErrorOut, InteractionCreate
from tieline.web.deps import NowDep, OwnerDep, SessionDep

router = APIRouter(tags=["interactions"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})


@router.post("/interactions", response_model=InteractionOut, status_code=status.HTTP_201_CREATED)
def log_interaction(
    body: InteractionCreate,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Any string of up to 100 printable ASCII characters: a request sent again with "
            "the same key logs nothing more and answers as the first did (Idempotent-Replayed: true).",
        ),
    ] = None,
) -> dict[str, Any]:
    """Log an interaction with one or more people (their tie strength updates at once)."""
    key = idempotency.check_key(idempotency_key)

    def log() -> tuple[Interaction, list[Person]]:
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
        return item, people

    done = idempotency.log_once(session, owner_id=owner_id, key=key, now=now, log=log)
    if done.repeated:
        response.headers["Idempotent-Replayed"] = "true"
    return interaction(done.interaction, [p.display_name for p in done.people])
