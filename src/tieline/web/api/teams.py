"""/api/v1/teams: your teams, and which teammates know someone at an organisation or one of your
people (issue 19). A teammate's answer holds only what they share: never their other contacts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from tieline.serialise.teams import KnowerOut, TeamOut, knower, team
from tieline.services import team_shares
from tieline.services import teams as teams_service
from tieline.web.api.schemas import MAX_ID, ErrorOut
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.params import IdPath

router = APIRouter(tags=["teams"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})


@router.get("/teams", response_model=list[TeamOut])
def list_teams(session: SessionDep, owner_id: OwnerDep) -> list[dict[str, Any]]:
    """Your teams, your role in each, and their members by username."""
    return [team(t, members) for t, members in teams_service.my_teams(session, owner_id=owner_id)]


@router.get("/teams/{team_id}/who", response_model=list[KnowerOut])
def who(
    team_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    organisation: Annotated[str | None, Query(min_length=1, max_length=500)] = None,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="one of your people")] = None,
) -> list[dict[str, Any]]:
    """Which teammates know someone at an organisation, or one of your people (give one of the two):
    each with their band and year, and the person as they share them. Strongest first."""
    found = team_shares.who(
        session,
        team_id=team_id,
        asker_owner_id=owner_id,
        now=now,
        organisation=organisation,
        person_id=person_id,
    )
    return [knower(k) for k in found]
