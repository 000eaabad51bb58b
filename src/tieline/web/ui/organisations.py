"""Organisations: the list (kind, name search, current member counts), an organisation's page
(parent, departments, members now and before, yours), and adding organisations and members."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from tieline.dates import parse_date
from tieline.errors import InvalidInput, NotFound
from tieline.models import ORGANISATION_KINDS, Organisation, Person
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.web.deps import OwnerDep, SessionDep, TodayDep
from tieline.web.templating import templates

router = APIRouter()
PAGE = 200
# Members listed per table on an organisation's page unless all are asked for: a large employer in
# a big network has thousands, and drawing them all takes half a second.
MEMBERS_SHOWN = 200
KINDS = [(kind, kind.replace("_", " ")) for kind in ORGANISATION_KINDS]

Name = Annotated[str, Form(max_length=500)]
Text = Annotated[str, Form(max_length=500)]
Day = Annotated[str, Form(max_length=100)]


def organisation_by_id(session: Session, owner_id: int, text: str) -> Organisation:
    """The organisation a path's id names; anything but a known id is the 404 page."""
    if not (text.isascii() and text.isdigit()):
        raise NotFound(f"no organisation with id {text}")
    return organisations_service.resolve_organisation(session, owner_id=owner_id, text=f"#{text}")


def _list_context(session: Session, owner_id: int, today: date, kind: str, q: str) -> dict[str, Any]:
    rows, total = organisations_service.listing(
        session, owner_id=owner_id, today=today, kind=kind, query=q, limit=PAGE
    )
    return {"rows": rows, "total": total, "kind": kind, "q": q, "kinds": KINDS}


@router.get("/organisations", response_class=HTMLResponse)
def organisations_page(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    kind: Annotated[str, Query(max_length=40)] = "",
    q: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    """Every organisation by name with its current members; an HTMX request gets only the rows."""
    context = _list_context(session, owner_id, today, kind, q)
    if request.headers.get("hx-request"):
        return templates.TemplateResponse(request, "ui/_organisation_rows.html", context)
    return templates.TemplateResponse(request, "ui/organisations.html", context)


@router.post("/organisations", response_class=HTMLResponse)
def add_organisation(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    name: Name,
    kind: Annotated[str, Form(max_length=40)] = "company",
    parent: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Add an organisation (a department or team when `parent` is an organisation's id)."""
    parent_org = organisation_by_id(session, owner_id, parent.strip()) if parent.strip() else None
    org = organisations_service.add_organisation(
        session, owner_id=owner_id, name=name, kind=kind, parent=parent_org
    )
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/organisations/{org.id}", status_code=303)
    context: dict[str, Any] = {
        "message": f"Added {org.kind.replace('_', ' ')} {org.name}.",
        "href": f"/organisations/{org.id}",
        "link": "Open it",
    }
    if parent_org is not None:
        context["oob"] = "ui/_organisation_departments.html"
        context["page"] = organisations_service.page(session, parent_org, today=today)
    else:
        context["oob"] = "ui/_organisation_rows.html"
        context.update(_list_context(session, owner_id, today, "", ""))
    return templates.TemplateResponse(request, "ui/_saved.html", context)


@router.get("/organisations/{organisation_id}", response_class=HTMLResponse)
def organisation_page(
    request: Request,
    organisation_id: str,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    members: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    """An organisation: where it sits, its departments, current and past members, and you.

    Each members table lists the first MEMBERS_SHOWN and links to the whole list (`?members=all`)."""
    org = organisation_by_id(session, owner_id, organisation_id)
    page = organisations_service.page(session, org, today=today)
    shown = None if members == "all" else MEMBERS_SHOWN
    return templates.TemplateResponse(
        request, "ui/organisation.html", {"page": page, "kinds": KINDS, "shown": shown}
    )


@router.post("/organisations/{organisation_id}/members", response_class=HTMLResponse)
def add_members(
    request: Request,
    organisation_id: str,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    people: Annotated[str, Form(max_length=5000)],
    role: Text = "",
    since: Day = "",
    until: Day = "",
) -> Response:
    """Record people (comma-separated names or #ids; "me" is you) as members with a role and dates.

    Every name and date is read before anything is written: one bad value adds nobody.
    """
    org = organisation_by_id(session, owner_id, organisation_id)
    start = parse_date(since, today=today, field="since") if since.strip() else None
    end = parse_date(until, today=today, field="until") if until.strip() else None
    names = [part.strip() for part in people.split(",") if part.strip()]
    if not names:
        raise InvalidInput("name at least one person (or “me”)")
    who: list[Person | None] = [
        None if name.lower() == "me" else people_service.resolve_person(session, owner_id=owner_id, text=name)
        for name in names
    ]
    for person in who:
        organisations_service.add_membership(
            session, person=person, organisation=org, role=role.strip() or None, since=start, until=end
        )
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/organisations/{org.id}", status_code=303)
    added = ", ".join(p.display_name if p else "you" for p in who)
    context = {
        "message": f"{added}: member of {org.name}" + (f" as {role.strip()}" if role.strip() else "") + ".",
        "oob": "ui/_organisation_members.html",
        "page": organisations_service.page(session, org, today=today),
        "shown": MEMBERS_SHOWN,
    }
    return templates.TemplateResponse(request, "ui/_saved.html", context)
