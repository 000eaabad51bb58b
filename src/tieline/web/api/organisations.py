"""/api/v1/organisations: list and create."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from tieline.serialise.organisations import OrganisationOut, organisation
from tieline.services import organisations as organisations_service
from tieline.web.api.schemas import ErrorOut, OrganisationCreate
from tieline.web.deps import OwnerDep, SessionDep

router = APIRouter(tags=["organisations"], responses={422: {"model": ErrorOut}})


@router.get("/organisations", response_model=list[OrganisationOut])
def list_organisations(
    session: SessionDep, owner_id: OwnerDep, kind: Annotated[str | None, Query(max_length=40)] = None
) -> list[dict[str, Any]]:
    """Every organisation with how many people you know there."""
    rows = organisations_service.with_member_counts(session, owner_id=owner_id, kind=kind)
    return [organisation(o, n) for o, n in rows]


@router.post("/organisations", response_model=OrganisationOut, status_code=status.HTTP_201_CREATED)
def create_organisation(body: OrganisationCreate, session: SessionDep, owner_id: OwnerDep) -> dict[str, Any]:
    """Add an organisation."""
    org = organisations_service.add_organisation(
        session,
        owner_id=owner_id,
        name=body.name,
        kind=body.kind,
        industry=body.industry,
        location=body.location,
        website=body.website,
        notes=body.notes,
    )
    return organisation(org, 0)
