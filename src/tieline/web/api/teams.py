"""/api/v1/teams: your teams, and which teammates know someone at an organisation or one of your
people (issue 19). A teammate's answer holds only what they share: never their other contacts.

Introductions through the team: ask a teammate (`POST .../requests`, with the entry's `share_id`
from who), follow your requests and withdraw one not answered, list those made of you and accept
(the introduction is proposed in your own flow: /introductions) or decline them; and the audit of
what teammates asked of your shares. Request actions name the request only; each is found among
the account's own (as asker, or as the teammate asked)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from tieline.serialise.teams import AskedOut, KnowerOut, RequestOut, TeamOut, asked, knower, request, team
from tieline.services import team_requests, team_shares
from tieline.services import teams as teams_service
from tieline.web.api.schemas import MAX_ID, ErrorOut
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.params import IdPath

router = APIRouter(tags=["teams"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})
RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="an introduction request's number")]


class AskIn(BaseModel):
    """Ask the teammate who shares an entry for an introduction, saying why."""

    model_config = ConfigDict(extra="forbid")

    share_id: int = Field(ge=1, le=MAX_ID, description="the entry, as who shows it (`share_id`)")
    why: str = Field(max_length=2 * team_requests.MAX_WHY, description="why you would like to meet them")


class AcceptedOut(TypedDict):
    """A request accepted: where it stands, and the introduction proposed in your own flow."""

    request: RequestOut
    introduction_id: int


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


@router.get("/teams/{team_id}/requests", response_model=list[RequestOut])
def my_requests(team_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> list[dict[str, Any]]:
    """Your introduction requests in the team, newest first, and where each stands. A teammate's
    person shows only while they share it ("someone no longer shared" after)."""
    return [request(r) for r in team_requests.asked(session, team_id=team_id, asker=owner_id)]


@router.post("/teams/{team_id}/requests", response_model=RequestOut, status_code=status.HTTP_201_CREATED)
def ask(team_id: IdPath, body: AskIn, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> dict[str, Any]:
    """Ask the teammate sharing an entry for an introduction: it goes on their agenda with the why."""
    made = team_requests.ask(
        session, team_id=team_id, asker=owner_id, share_id=body.share_id, why=body.why, now=now
    )
    return dict(request(made))


@router.get("/teams/{team_id}/requests/waiting", response_model=list[RequestOut])
def waiting(team_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> list[dict[str, Any]]:
    """The requests teammates made of you in the team, not answered yet."""
    return [request(r) for r in team_requests.waiting(session, holder=owner_id, team_id=team_id)]


@router.get("/teams/{team_id}/audit", response_model=list[AskedOut])
def audit(team_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> list[dict[str, Any]]:
    """What teammates asked of your shares in the team, newest first: yours only."""
    return [asked(a) for a in team_requests.audit(session, team_id=team_id, owner_id=owner_id)]


@router.post("/teams/requests/{request_id}/withdraw", response_model=RequestOut)
def withdraw(request_id: RequestId, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> dict[str, Any]:
    """Take back one of your requests not answered yet."""
    return dict(request(team_requests.withdraw(session, asker=owner_id, request_id=request_id, now=now)))


@router.post("/teams/requests/{request_id}/accept", response_model=AcceptedOut)
def accept(request_id: RequestId, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> dict[str, Any]:
    """Accept a request made of you: the introduction is proposed in your double opt-in flow."""
    intro = team_requests.accept(session, holder=owner_id, request_id=request_id, now=now)
    done = team_requests.held(session, holder=owner_id, request_id=request_id)
    return {"request": request(done), "introduction_id": intro.id}


@router.post("/teams/requests/{request_id}/decline", response_model=RequestOut)
def decline(request_id: RequestId, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> dict[str, Any]:
    """Decline a request made of you; no reason is asked or shown."""
    team_requests.decline(session, holder=owner_id, request_id=request_id, now=now)
    return dict(request(team_requests.held(session, holder=owner_id, request_id=request_id)))
