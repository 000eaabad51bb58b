"""The people list, as `tieline list`, `GET /api/v1/people` and the People page show it: the best
matches for a search, or people filtered (by tier, tag, organisation, who is due or dormant) and
sorted, a page at a time, with how many there are in all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import Person, utcnow
from tieline.repo import organisations as organisations_repo
from tieline.repo import people as people_repo
from tieline.repo.people import SORTS, PersonFilter
from tieline.repo.person_view import PersonSummary
from tieline.services import people as people_service

Show = Literal["all", "due", "dormant"]
__all__ = ["SORTS", "OrganisationChoice", "PeopleListing", "PeopleQuery", "Show", "list_people"]


@dataclass(frozen=True)
class PeopleQuery:
    """Which people a listing holds: `words` to search for (best matches first, filters unused), else
    the filters in `sort` order; `show` narrows them to who is due (overdue for contact, most overdue
    first) or dormant (worth reviving, best first)."""

    words: str = ""
    tier: int | None = None
    tag: str | None = None
    organisation_id: int | None = None
    archived: bool = False  # archived people too
    show: Show = "all"
    sort: str = "name"

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise InvalidInput(f"unknown sort {self.sort!r}: use one of {', '.join(SORTS)}")


@dataclass(frozen=True)
class OrganisationChoice:
    """An organisation to filter the list by."""

    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class PeopleListing:
    """A page of people and how many match in all; `organisations` to filter by, when asked for."""

    rows: Sequence[Person | PersonSummary]
    total: int
    organisations: list[OrganisationChoice] = field(default_factory=list)


def list_people(
    session: Session,
    *,
    owner_id: int,
    query: PeopleQuery,
    limit: int | None = None,
    offset: int = 0,
    now: datetime | None = None,
    organisations: int = 0,
) -> PeopleListing:
    """The page of people the query asks for (`limit` rows from `offset`) and their total; with
    `organisations`, that many organisations by name to filter by. `now` dates who is due or dormant."""
    rows, total = _rows(session, owner_id=owner_id, query=query, limit=limit, offset=offset, now=now)
    choices = (
        [
            OrganisationChoice(*row)
            for row in organisations_repo.names(session, owner_id=owner_id, limit=organisations)
        ]
        if organisations
        else []
    )
    return PeopleListing(rows=rows, total=total, organisations=choices)


def _rows(
    session: Session,
    *,
    owner_id: int,
    query: PeopleQuery,
    limit: int | None,
    offset: int,
    now: datetime | None,
) -> tuple[Sequence[Person | PersonSummary], int]:
    if query.words.strip():
        found = people_service.search(session, owner_id=owner_id, query=query.words, limit=limit or 20)
        return [p for p, _ in found], len(found)
    if query.show != "all":
        ids = _agenda_people(session, owner_id=owner_id, show=query.show, now=now or utcnow())
        page = ids[offset : None if limit is None else offset + limit]
        return people_repo.get_many(session, owner_id=owner_id, person_ids=page, details=False), len(ids)
    where = PersonFilter(
        tier=query.tier, tag=query.tag, organisation_id=query.organisation_id, include_archived=query.archived
    )
    rows = people_repo.list_summaries(
        session, owner_id=owner_id, where=where, sort=query.sort, limit=limit, offset=offset
    )
    if offset == 0 and (limit is None or len(rows) < limit):
        return rows, len(rows)  # the whole list fits on the page: nothing left to count
    return rows, people_repo.count_matching(session, owner_id=owner_id, where=where)


def _agenda_people(session: Session, *, owner_id: int, show: Show, now: datetime) -> list[int]:
    """Who the agenda finds due (most overdue x strongest first) or dormant (best to revive first)."""
    # Imported here: the agenda and its sources are more than `show` or `search` needs to load.
    from tieline.services import agenda
    from tieline.services.agenda import reactivation

    ctx = agenda.context(session, owner_id=owner_id, day=now.astimezone().date(), now=now)
    if show == "due":
        return [i.person_id for i in agenda.losing_touch(ctx) if i.person_id is not None]
    lines = sorted(reactivation.collect(ctx), key=lambda i: -i.priority)
    return [i.person_id for i in lines if i.person_id is not None]
