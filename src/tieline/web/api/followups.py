"""/api/v1/follow-ups: follow-ups and promises (list, add, read), done and dismiss with ETags."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from tieline.dates import parse_date
from tieline.models import FollowUp, Person
from tieline.serialise import followups as serialise
from tieline.serialise.followups import FollowUpOut
from tieline.services import followups as followups_service
from tieline.services import people as people_service
from tieline.web.api.people import PreconditionFailed
from tieline.web.api.schemas import MAX_ID, ErrorOut, NonBlank, Page
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep
from tieline.web.params import IdPath

IfMatch = Annotated[str | None, Header(description="the ETag you read; refuses the change if it moved on")]
router = APIRouter(tags=["follow-ups"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})


class FollowUpCreate(BaseModel):
    """Something to do by a date, about a person or no one in particular, optionally repeating."""

    model_config = ConfigDict(extra="forbid")

    person_id: int | None = Field(None, ge=1, le=MAX_ID)
    text: NonBlank
    due: str = Field(
        "today", max_length=100, description="today, tomorrow, YYYY-MM-DD, 'in 3 days', 'in 2 weeks'"
    )
    every_days: int | None = Field(
        None, ge=1, le=36500, description="repeat every N days: done moves it to the next due date"
    )
    promise: bool = Field(False, description="a promise you made to them")


def etag(item: FollowUp) -> str:
    """A weak validator that changes whenever the follow-up is saved."""
    return f'W/"{item.id}-{item.updated_at.timestamp():.6f}"'


def _person(session: Session, owner_id: int, person_id: int) -> Person:
    return people_service.get_person(session, owner_id=owner_id, person_id=person_id, details=False)


def _name(session: SessionDep, item: FollowUp) -> str | None:
    if item.person_id is None:
        return None
    return _person(session, item.owner_id, item.person_id).display_name


def _saved(session: SessionDep, item: FollowUp, response: Response) -> dict[str, Any]:
    session.flush()
    session.refresh(item)
    response.headers["ETag"] = etag(item)
    return serialise.followup(item, _name(session, item))


def _checked(item: FollowUp, if_match: str | None) -> FollowUp:
    if if_match is not None and if_match != etag(item):
        raise PreconditionFailed("the follow-up changed since you read it; reload and try again")
    return item


@router.get("/follow-ups", response_model=Page[FollowUpOut])
def list_followups(
    session: SessionDep,
    owner_id: OwnerDep,
    status_: Annotated[str, Query(alias="status", pattern="^(open|done|dismissed|all)$")] = "open",
    person: Annotated[int | None, Query(description="person id", ge=1, le=MAX_ID)] = None,
    due_by: Annotated[date | None, Query(description="only those due on or before this day")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Follow-ups and promises by due date (open ones unless status says otherwise), a page at a time."""
    if person is not None:
        _person(session, owner_id, person)
    rows, total = followups_service.page(
        session,
        owner_id=owner_id,
        status=None if status_ == "all" else status_,
        person_id=person,
        due_by=due_by,
        limit=limit,
        offset=offset,
    )
    return {
        "items": [serialise.followup(f, name) for f, name in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.post("/follow-ups", response_model=FollowUpOut, status_code=status.HTTP_201_CREATED)
def create_followup(
    body: FollowUpCreate, session: SessionDep, owner_id: OwnerDep, today: TodayDep, response: Response
) -> dict[str, Any]:
    """Record a follow-up (or a promise), due on a day."""
    person = _person(session, owner_id, body.person_id) if body.person_id is not None else None
    item = followups_service.add_followup(
        session,
        owner_id=owner_id,
        person=person,
        text=body.text,
        due_on=parse_date(body.due, today=today, field="due"),
        every_days=body.every_days,
        is_promise=body.promise,
    )
    response.headers["Location"] = f"/api/v1/follow-ups/{item.id}"
    return _saved(session, item, response)


@router.get("/follow-ups/{followup_id}", response_model=FollowUpOut)
def read_followup(
    followup_id: IdPath, session: SessionDep, owner_id: OwnerDep, response: Response
) -> dict[str, Any]:
    """One follow-up, with its ETag."""
    item = followups_service.get(session, owner_id=owner_id, followup_id=followup_id)
    response.headers["ETag"] = etag(item)
    return serialise.followup(item, _name(session, item))


@router.post(
    "/follow-ups/{followup_id}/done", response_model=FollowUpOut, responses={412: {"model": ErrorOut}}
)
def complete_followup(
    followup_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    now: NowDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Mark a follow-up done today; a repeating one stays open, due on its next date after today.

    Send If-Match with the ETag you read so that a retried request cannot move a repeating one twice.
    This logs no contact: the agenda's done does, or POST /interactions.
    """
    item = _checked(followups_service.get(session, owner_id=owner_id, followup_id=followup_id), if_match)
    followups_service.complete(item, day=today, now=now)
    return _saved(session, item, response)


@router.post(
    "/follow-ups/{followup_id}/dismiss", response_model=FollowUpOut, responses={412: {"model": ErrorOut}}
)
def dismiss_followup(
    followup_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Drop a follow-up without doing it (a repeating one stops repeating)."""
    item = _checked(followups_service.get(session, owner_id=owner_id, followup_id=followup_id), if_match)
    followups_service.dismiss(item)
    return _saved(session, item, response)
