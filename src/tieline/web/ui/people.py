"""People (search as you type, filters, bulk changes) and a person's page (edit in place)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.analytics import common as common_mod
from tieline.errors import InvalidInput, NotFound
from tieline.models import Person
from tieline.repo import organisations as organisations_repo
from tieline.repo import people as people_repo
from tieline.repo.people import SORTS, PersonFilter
from tieline.repo.person_view import PersonSummary
from tieline.serialise import birthday_text
from tieline.services import people as people_service
from tieline.services.agenda import context as agenda_context
from tieline.services.people import LIST_FIELDS, PersonChanges
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep
from tieline.web.params import IdItem, IdPath
from tieline.web.templating import templates
from tieline.web.ui import person_actions
from tieline.web.ui.growth_forms import optional, person_options, whole_number

router = APIRouter()
PAGE = 50
ORG_CHOICES = 500  # the organisation filter lists at most this many, by name


@router.get("/people", response_class=HTMLResponse)
def people_page(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    q: Annotated[str, Query(max_length=500)] = "",
    tier: Annotated[str, Query(max_length=2)] = "",
    tag: Annotated[str, Query(max_length=200)] = "",
    org: Annotated[str, Query(max_length=12)] = "",
    show: Annotated[str, Query(pattern="^(all|due|dormant)$")] = "all",
    sort: Annotated[str, Query(max_length=20)] = "name",
) -> HTMLResponse:
    """The people list; an HTMX request gets only the rows."""
    sort = sort if sort in SORTS else "name"
    filters = {
        "tier": int(tier) if tier in ("1", "2", "3", "4", "5") else None,
        "tag": tag.strip() or None,
        "org": int(org) if org.isascii() and org.isdigit() and len(org) < 18 else None,
        "show": show,
    }
    rows, total = _rows(session, owner_id, now, q, filters, sort)
    context = {"rows": rows, "total": total, "q": q, "filters": filters, "sort": sort}
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "ui/_people_rows.html", context)
    context["organisations"] = organisations_repo.names(session, owner_id=owner_id, limit=ORG_CHOICES)
    return templates.TemplateResponse(request, "ui/people.html", context)


def _rows(
    session: Session, owner_id: int, now: datetime, q: str, filters: dict[str, Any], sort: str
) -> tuple[list[Person] | list[PersonSummary], int]:
    if q.strip():
        found = [p for p, _ in people_service.search(session, owner_id=owner_id, query=q, limit=PAGE)]
        return found, len(found)
    if filters["show"] in ("due", "dormant"):
        ctx = agenda_context(session, owner_id=owner_id, day=now.astimezone().date(), now=now)
        ids = _due_ids(ctx) if filters["show"] == "due" else _dormant_ids(ctx)
        people = people_repo.get_many(session, owner_id=owner_id, person_ids=ids[:PAGE], details=False)
        return people, len(ids)
    where = PersonFilter(tier=filters["tier"], tag=filters["tag"], organisation_id=filters["org"])
    rows = people_repo.list_summaries(session, owner_id=owner_id, where=where, sort=sort, limit=PAGE)
    if len(rows) < PAGE:
        return rows, len(rows)  # the whole list fits on the page: nothing left to count
    return rows, people_repo.count_matching(session, owner_id=owner_id, where=where)


def _due_ids(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    from tieline.services.agenda import losing_touch

    return [i.person_id for i in losing_touch(ctx) if i.person_id is not None]


def _dormant_ids(ctx) -> list[int]:  # type: ignore[no-untyped-def]
    from tieline.services.agenda import reactivation

    return [i.person_id for i in sorted(reactivation.collect(ctx), key=lambda i: -i.priority) if i.person_id]


@router.get("/people/suggest", response_class=HTMLResponse)
def suggest(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    people: Annotated[str, Query(max_length=2000)] = "",
) -> HTMLResponse:
    """<option>s for the quick-log autocomplete, matching the last name being typed."""
    *done, typed = people.split(",")
    named = ", ".join(part.strip() for part in done if part.strip())
    return person_options(request, session, owner_id, typed, prefix=f"{named}, " if named else "")


@router.post("/people/bulk", response_class=HTMLResponse)
def bulk(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    today: TodayDep,
    person: Annotated[list[IdItem] | None, Form()] = None,
    add_tag: Annotated[str, Form(max_length=200)] = "",
    set_tier: Annotated[str, Form(max_length=2)] = "",
    q: Annotated[str, Form(max_length=500)] = "",
    sort: Annotated[str, Form(max_length=20)] = "name",
) -> HTMLResponse:
    """Add a tag to, or set the tier of, every selected person."""
    if not person:
        raise InvalidInput("select at least one person")
    changes = PersonChanges(
        set={"tier": set_tier} if set_tier else {}, add={"tags": [add_tag]} if add_tag.strip() else {}
    )
    if not (changes.set or changes.add):
        raise InvalidInput("choose a tag to add or a tier to set")
    people = people_repo.get_many(session, owner_id=owner_id, person_ids=person)
    for p in people:
        people_service.edit_person(session, p, changes, today=today)
    filters = {"tier": None, "tag": None, "org": None, "show": "all"}
    rows, total = _rows(session, owner_id, now, q, filters, sort if sort in SORTS else "name")
    message = f"updated {len(people)} {'person' if len(people) == 1 else 'people'}"
    return templates.TemplateResponse(
        request, "ui/_people_rows.html", {"rows": rows, "total": total, "message": message}
    )


def _person(session: Session, owner_id: int, person_id: int) -> Person:
    return people_service.get_person(session, owner_id=owner_id, person_id=person_id, details=True)


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request, person_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep, today: TodayDep
) -> HTMLResponse:
    """A person's page: strength and its parts, cadence, profile, organisations, timeline, favours
    both ways, milestones and open follow-ups; what you share with them follows from `common_block`."""
    data = people_service.profile(session, owner_id=owner_id, person_id=person_id, now=now)
    p = data.person
    context = {"data": data, "p": p, "birthday": birthday_text(p), "editing": False}
    context |= person_actions.sections(
        session, owner_id=owner_id, person=p, memberships=data.memberships, today=today
    )
    return templates.TemplateResponse(request, "ui/person.html", context)


@router.get("/people/{person_id}/common", response_class=HTMLResponse)
def common_block(
    request: Request,
    person_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
) -> HTMLResponse:
    """What you share with a person, strongest first, then the people you both know. The page loads
    it after itself: for someone in thousands of your interactions the mutual contacts cost several
    times the rest of the page."""
    if not people_repo.exists(session, owner_id=owner_id, person_id=person_id):
        raise NotFound(f"no person with id {person_id}")
    ground = common_mod.common_ground(session, owner_id=owner_id, b=person_id, now=now)
    context = {
        "person_id": person_id,
        "items": ground.items[: common_mod.COMMON_SHOWN],
        "more": max(0, len(ground.items) - common_mod.COMMON_SHOWN),
        "mutual": [i for i in ground.items if i.kind == "contact"],
        "mutual_total": ground.mutual_contacts,
    }
    return templates.TemplateResponse(request, "ui/_person_shared.html", context)


@router.get("/people/{person_id}/{mode}", response_class=HTMLResponse)
def profile_block(
    request: Request, person_id: IdPath, mode: str, session: SessionDep, owner_id: OwnerDep
) -> HTMLResponse:
    """The profile block, read-only ('profile') or as a form ('edit')."""
    if mode not in ("profile", "edit"):
        raise NotFound("no such page")
    p = _person(session, owner_id, person_id)
    return templates.TemplateResponse(
        request, "ui/_person_profile.html", {"p": p, "birthday": birthday_text(p), "editing": mode == "edit"}
    )


@router.post("/people/{person_id}", response_class=HTMLResponse)
async def save_profile(
    request: Request, person_id: IdPath, session: SessionDep, owner_id: OwnerDep, today: TodayDep
) -> HTMLResponse:
    """Save the in-place edit form."""
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    # Reading the form needs the event loop; the database work goes to the thread pool, as in a
    # `def` route, so a write waiting on a lock never stalls every other request.
    return await run_in_threadpool(_save_profile, request, session, owner_id, person_id, values, today)


def _save_profile(
    request: Request, session: Session, owner_id: int, person_id: int, values: dict[str, str], today: date
) -> HTMLResponse:
    p = _person(session, owner_id, person_id)
    scalars: dict[str, Any] = {}
    for key in ("title", "company", "department", "industry", "location", "birthday", "met_how", "notes"):
        if key in values:
            scalars[key] = values[key]
    if "name" in values:
        scalars["display_name"] = values["name"]
    for key in ("tier", "cadence_days", "closeness"):
        if key in values:
            scalars[key] = _small_int(values[key], field=key.replace("_", " "))
    if scalars.get("tier") is None:
        scalars.pop("tier", None)
    add, remove = {}, {}
    for key in LIST_FIELDS:
        if key in values:
            add[key] = [v.strip() for v in values[key].split(",") if v.strip()]
            remove[key] = people_service.list_values(p, key)
    people_service.edit_person(session, p, PersonChanges(set=scalars, add=add, remove=remove), today=today)
    session.flush()
    return templates.TemplateResponse(
        request, "ui/_person_profile.html", {"p": p, "birthday": birthday_text(p), "editing": False}
    )


def _small_int(text: str, *, field: str) -> int | None:
    """A whole number typed in a form, or None for blank; anything else is a clear error."""
    return whole_number(text, field=field) if optional(text) else None
