"""/api/v1/people: list, search (people, and what was said), create, read, update (with ETags),
archive, delete."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import Person
from tieline.serialise.brief import BriefOut, brief_json
from tieline.serialise.interactions import InteractionOut, timeline
from tieline.serialise.people import (
    PersonSummaryOut,
    PersonTieOut,
    SearchHitOut,
    person_summary,
    person_with_tie,
    search_hit,
)
from tieline.serialise.search import SearchOut, search_results
from tieline.services import brief as brief_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services import people_listing
from tieline.services import search as search_service
from tieline.services.people import PersonChanges
from tieline.services.people_listing import PeopleQuery
from tieline.services.person_fields import EDITABLE
from tieline.web.api.schemas import MAX_ID, ErrorOut, Page, PersonCreate, PersonUpdate
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep
from tieline.web.params import IdPath

router = APIRouter(tags=["people"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})


def _get(session: Session, owner_id: int, person_id: int) -> Person:
    return people_service.get_person(session, owner_id=owner_id, person_id=person_id, details=True)


def etag(person: Person) -> str:
    """A weak validator that changes whenever the person is saved."""
    return f'W/"{person.id}-{person.updated_at.timestamp():.6f}"'


def _full(session: Session, person: Person, now: datetime) -> PersonTieOut:
    data = people_service.profile(
        session, owner_id=person.owner_id, person_id=person.id, timeline_limit=0, now=now
    )
    return person_with_tie(person, data)


@router.get("/people", response_model=Page[PersonSummaryOut])
def list_people(
    session: SessionDep,
    owner_id: OwnerDep,
    tier: Annotated[int | None, Query(ge=1, le=5)] = None,
    tag: str | None = None,
    org: Annotated[int | None, Query(description="organisation id", ge=1, le=MAX_ID)] = None,
    sort: Annotated[str, Query(pattern="^(name|last-contact|created)$")] = "name",
    archived: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """People, filtered and sorted, a page at a time."""
    if org is not None:
        organisations_service.resolve_organisation(session, owner_id=owner_id, text=str(org))
    query = PeopleQuery(tier=tier, tag=tag, organisation_id=org, archived=archived, sort=sort)
    found = people_listing.list_people(session, owner_id=owner_id, query=query, limit=limit, offset=offset)
    return {
        "items": [person_summary(p) for p in found.rows],
        "total": found.total,
        "limit": limit,
        "offset": offset,
    }


@router.get("/search", response_model=list[SearchHitOut], tags=["search"])
def search(
    session: SessionDep,
    owner_id: OwnerDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[SearchHitOut]:
    """People matching every word of q (as prefixes), case- and accent-insensitive, best first."""
    results = people_service.search(session, owner_id=owner_id, query=q, limit=limit)
    return [search_hit(p, score) for p, score in results]


@router.get("/search/all", response_model=SearchOut, tags=["search"])
def search_all(
    session: SessionDep,
    owner_id: OwnerDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> SearchOut:
    """People matching every word of q, and what was said with every word of q (the subjects and
    notes of interactions, events, introductions and opportunities, with a snippet whose parts mark
    the hits, when, and who was there); each list best first, at most `limit` long."""
    found = search_service.search(session, owner_id=owner_id, query=q, limit=limit, said_limit=limit)
    return search_results(found)


@router.post("/people", response_model=PersonTieOut, status_code=status.HTTP_201_CREATED)
def create_person(
    body: PersonCreate,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    now: NowDep,
    response: Response,
) -> PersonTieOut:
    """Add a person."""
    changes = _changes(body, current=None)
    person = people_service.add_person(
        session, owner_id=owner_id, name=body.name, changes=changes, today=today, now=now
    )
    session.flush()
    session.refresh(person)
    response.headers["ETag"] = etag(person)
    response.headers["Location"] = f"/api/v1/people/{person.id}"
    return _full(session, person, now)


@router.get("/people/{person_id}", response_model=PersonTieOut)
def read_person(
    person_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep, response: Response
) -> PersonTieOut:
    """A person with every field, tie strength and cadence."""
    person = _get(session, owner_id, person_id)
    response.headers["ETag"] = etag(person)
    return _full(session, person, now)


@router.patch("/people/{person_id}", response_model=PersonTieOut, responses={412: {"model": ErrorOut}})
def update_person(
    person_id: IdPath,
    body: PersonUpdate,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    now: NowDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> PersonTieOut:
    """Change a person. Send If-Match with the ETag you read to refuse overwriting someone else's edit."""
    person = _get(session, owner_id, person_id)
    if if_match is not None and if_match != etag(person):
        raise PreconditionFailed("the person changed since you read it; reload and try again")
    people_service.edit_person(session, person, _changes(body, current=person), today=today)
    session.flush()
    session.refresh(person)
    response.headers["ETag"] = etag(person)
    return _full(session, person, now)


@router.delete("/people/{person_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_person(person_id: IdPath, session: SessionDep, owner_id: OwnerDep) -> Response:
    """Delete a person and the interactions only they took part in."""
    people_service.delete_person(session, _get(session, owner_id, person_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/people/{person_id}/interactions", response_model=list[InteractionOut], tags=["interactions"])
def person_interactions(
    person_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[InteractionOut]:
    """A person's latest interactions, newest first."""
    data = people_service.profile(
        session, owner_id=owner_id, person_id=person_id, timeline_limit=limit, now=now
    )
    return timeline(data.timeline)


@router.get("/people/{person_id}/brief", response_model=BriefOut)
def person_brief(person_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> BriefOut:
    """The meeting brief: who they are, the tie, what they told you, what to offer, promises both
    ways, milestones, common ground and three openers with their sources."""
    return brief_json(brief_service.brief_for(session, owner_id=owner_id, person_id=person_id, now=now))


class PreconditionFailed(InvalidInput):
    """An If-Match header that no longer matches."""

    http_status = 412


def _changes(body: PersonCreate | PersonUpdate, *, current: Person | None) -> PersonChanges:
    """The body's fields as changes: what is given is set, a list given replaces the stored one."""
    given = body.model_dump(exclude_unset=True)
    changes = PersonChanges()
    for field in EDITABLE:
        if field.key not in given or (field.key == "name" and current is None):
            continue  # a new person's name is not a change
        value = given[field.key]
        if field.many:
            changes.add[field.key] = list(value or [])
            if current is not None:
                changes.remove[field.key] = people_service.list_values(current, field.key)
        elif field.key == "name" and value is None:
            raise InvalidInput("name cannot be empty")
        else:
            changes.set[field.changes_as] = value  # a null tier is the default tier
    return changes
