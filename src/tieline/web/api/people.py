"""/api/v1/people: list, search, create, read, update (with ETags), archive, delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import Person
from tieline.repo import people as people_repo
from tieline.repo.people import SORTS, PersonFilter
from tieline.serialise import person_full, person_summary, strength, timeline
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.people import LIST_FIELDS, PersonChanges
from tieline.web.api.schemas import (
    MAX_ID,
    ErrorOut,
    InteractionOut,
    Page,
    PersonCreate,
    PersonOut,
    PersonSummaryOut,
    PersonUpdate,
    SearchHitOut,
)
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep
from tieline.web.params import IdPath

router = APIRouter(tags=["people"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})
_SET_FIELDS = [
    "title",
    "company",
    "department",
    "industry",
    "location",
    "birthday",
    "met_how",
    "met_where",
    "met_on",
    "tier",
    "cadence_days",
    "closeness",
    "notes",
]


def _get(session: Session, owner_id: int, person_id: int) -> Person:
    return people_service.get_person(session, owner_id=owner_id, person_id=person_id, details=True)


def etag(person: Person) -> str:
    """A weak validator that changes whenever the person is saved."""
    return f'W/"{person.id}-{person.updated_at.timestamp():.6f}"'


def _full(session: SessionDep, person: Person, now: Any) -> dict[str, Any]:
    data = people_service.profile(
        session, owner_id=person.owner_id, person_id=person.id, timeline_limit=0, now=now
    )
    doc = person_full(person)
    doc["strength"] = strength(data.strength)
    doc["effective_cadence_days"] = data.cadence_days
    doc["next_due"] = data.next_due.isoformat() if data.next_due else None
    return doc


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
    assert sort in SORTS
    if org is not None:
        organisations_service.resolve_organisation(session, owner_id=owner_id, text=str(org))
    where = PersonFilter(tier=tier, tag=tag, organisation_id=org, include_archived=archived)
    people = people_repo.list_summaries(
        session, owner_id=owner_id, where=where, sort=sort, limit=limit, offset=offset
    )
    total = people_repo.count_matching(session, owner_id=owner_id, where=where)
    return {"items": [person_summary(p) for p in people], "total": total, "limit": limit, "offset": offset}


@router.get("/search", response_model=list[SearchHitOut], tags=["search"])
def search(
    session: SessionDep,
    owner_id: OwnerDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[dict[str, Any]]:
    """People matching every word of q (as prefixes), case- and accent-insensitive, best first."""
    results = people_service.search(session, owner_id=owner_id, query=q, limit=limit)
    return [{**person_summary(p), "score": score} for p, score in results]


@router.post("/people", response_model=PersonOut, status_code=status.HTTP_201_CREATED)
def create_person(
    body: PersonCreate,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    now: NowDep,
    response: Response,
) -> dict[str, Any]:
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


@router.get("/people/{person_id}", response_model=PersonOut)
def read_person(
    person_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep, response: Response
) -> dict[str, Any]:
    """A person with every field, tie strength and cadence."""
    person = _get(session, owner_id, person_id)
    response.headers["ETag"] = etag(person)
    return _full(session, person, now)


@router.patch("/people/{person_id}", response_model=PersonOut, responses={412: {"model": ErrorOut}})
def update_person(
    person_id: IdPath,
    body: PersonUpdate,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    now: NowDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> dict[str, Any]:
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
) -> list[dict[str, Any]]:
    """A person's latest interactions, newest first."""
    data = people_service.profile(
        session, owner_id=owner_id, person_id=person_id, timeline_limit=limit, now=now
    )
    return timeline(data.timeline)


class PreconditionFailed(InvalidInput):
    """An If-Match header that no longer matches."""

    http_status = 412


def _changes(body: PersonCreate | PersonUpdate, *, current: Person | None) -> PersonChanges:
    given = body.model_dump(exclude_unset=True)
    values = {k: given[k] for k in _SET_FIELDS if k in given}
    if "name" in given and isinstance(body, PersonUpdate):
        if given["name"] is None:
            raise InvalidInput("name cannot be empty")
        values["display_name"] = given["name"]
    if values.get("tier") is None and "tier" in values:
        values["tier"] = 4
    add: dict[str, list[str]] = {}
    remove: dict[str, list[str]] = {}
    for key in LIST_FIELDS:
        if key not in given:
            continue
        add[key] = list(given[key] or [])
        if current is not None:
            remove[key] = people_service.list_values(current, key)
    return PersonChanges(set=values, add=add, remove=remove)
