"""People (search as you type, filters, bulk changes) and a person's page (edit in place)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.analytics import common as common_mod
from tieline.dates import parse_date
from tieline.errors import InvalidInput, NotFound
from tieline.models import Person
from tieline.serialise.values import birthday_text
from tieline.services import brief as brief_service
from tieline.services import people as people_service
from tieline.services import people_listing
from tieline.services import search as search_service
from tieline.services.people import PersonChanges
from tieline.services.people_listing import SORTS, PeopleListing, PeopleQuery
from tieline.services.person_fields import EDITABLE, PersonField
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
    rows_only = bool(request.headers.get("hx-request"))
    found = _listing(session, owner_id, now, q, filters, sort, organisations=0 if rows_only else ORG_CHOICES)
    context = {"rows": found.rows, "total": found.total, "q": q, "filters": filters, "sort": sort}
    # What was said with the words searched for, under the people found.
    context["said"] = search_service.said(session, owner_id=owner_id, query=q) if q.strip() else []
    if rows_only:
        return templates.TemplateResponse(request, "ui/_people_rows.html", context)
    context["organisations"] = found.organisations
    return templates.TemplateResponse(request, "ui/people.html", context)


def _listing(
    session: Session,
    owner_id: int,
    now: datetime,
    q: str,
    filters: dict[str, Any],
    sort: str,
    *,
    organisations: int = 0,
) -> PeopleListing:
    query = PeopleQuery(
        words=q,
        tier=filters["tier"],
        tag=filters["tag"],
        organisation_id=filters["org"],
        show=filters["show"],
        sort=sort,
    )
    return people_listing.list_people(
        session, owner_id=owner_id, query=query, limit=PAGE, now=now, organisations=organisations
    )


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
    updated = people_service.edit_people(
        session, owner_id=owner_id, person_ids=person, changes=changes, today=today
    )
    filters = {"tier": None, "tag": None, "org": None, "show": "all"}
    found = _listing(session, owner_id, now, q, filters, sort if sort in SORTS else "name")
    message = f"updated {updated} {'person' if updated == 1 else 'people'}"
    return templates.TemplateResponse(
        request, "ui/_people_rows.html", {"rows": found.rows, "total": found.total, "message": message}
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
    """What you share with a person, one section each: organisations (and when you overlapped),
    events, interests and topics, anything else, then the people you both know, each once. The page
    loads it after itself: for someone in thousands of your interactions the mutual contacts cost
    several times the rest of the page."""
    people_service.check_exists(session, owner_id=owner_id, person_id=person_id)
    ground = common_mod.common_ground(session, owner_id=owner_id, b=person_id, now=now)
    context = {"shared": common_mod.by_section(ground)}
    return templates.TemplateResponse(request, "ui/_person_shared.html", context)


@router.get("/people/{person_id}/brief", response_class=HTMLResponse)
def brief_page(
    request: Request, person_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """Prepare: the meeting brief, one column to read on a phone in the minute before you meet."""
    data = brief_service.brief_for(session, owner_id=owner_id, person_id=person_id, now=now)
    return templates.TemplateResponse(request, "ui/brief.html", {"b": data})


@router.get("/people/{person_id}/{mode}", response_class=HTMLResponse)
def profile_block(
    request: Request, person_id: IdPath, mode: str, session: SessionDep, owner_id: OwnerDep
) -> HTMLResponse:
    """The profile block, read-only ('profile') or as a form ('edit')."""
    if mode not in ("profile", "edit"):
        raise NotFound("no such page")
    return _profile(request, _person(session, owner_id, person_id), editing=mode == "edit")


def _profile(request: Request, p: Person, *, editing: bool) -> HTMLResponse:
    return templates.TemplateResponse(request, "ui/_person_profile.html", profile_context(p, editing=editing))


def profile_context(p: Person, *, editing: bool) -> dict[str, Any]:
    """What the profile block shows; as a form, one input per field you may edit
    (services/person_fields.py), with its current value."""
    context: dict[str, Any] = {"p": p, "birthday": birthday_text(p), "editing": editing}
    if editing:
        context["fields"] = [(field, _form_text(p, field)) for field in EDITABLE]
    return context


def _form_text(p: Person, field: PersonField) -> str:
    """A field's current value as its form input shows it (a list comma-separated)."""
    if field.many:
        return ", ".join(people_service.list_values(p, field.key))
    if field.key == "name":
        return p.display_name
    if field.kind == "birthday":
        return birthday_text(p) or ""
    value = getattr(p, field.key)
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


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
    changes = PersonChanges()
    for field in EDITABLE:
        if field.key not in values:
            continue  # a form may send some fields only
        text = values[field.key]
        if field.many:
            changes.add[field.key] = [v.strip() for v in text.split(",") if v.strip()]
            changes.remove[field.key] = people_service.list_values(p, field.key)
        elif field.kind == "tier":
            if optional(text):  # a blank tier leaves it alone
                changes.set["tier"] = _small_int(text, field="tier")
        else:
            changes.set[field.changes_as] = _read(field, text, today=today)
    people_service.edit_person(session, p, changes, today=today)
    session.flush()
    return _profile(request, p, editing=False)


def _read(field: PersonField, text: str, *, today: date) -> object:
    """A scalar field's value typed in the form: a number or a date read as such, blank for none."""
    if field.kind == "count":
        return _small_int(text, field=field.key.replace("_", " "))
    if field.kind == "date":
        return parse_date(text, today=today, field=field.key.replace("_", " ")) if optional(text) else None
    return text


def _small_int(text: str, *, field: str) -> int | None:
    """A whole number typed in a form, or None for blank; anything else is a clear error."""
    return whole_number(text, field=field) if optional(text) else None
