"""Quick log: from any page, people (autocomplete), kind, date, note."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from tieline.dates import parse_when
from tieline.errors import InvalidInput
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.web.deps import NowDep, OwnerDep, SessionDep
from tieline.web.templating import templates

router = APIRouter()


@router.post("/log", response_class=HTMLResponse)
def quick_log(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    people: Annotated[str, Form(max_length=5000)],
    kind: Annotated[str, Form(max_length=40)] = "coffee",
    when: Annotated[str, Form(max_length=100)] = "today",
    note: Annotated[str, Form(max_length=100_000)] = "",
) -> HTMLResponse:
    """Log an interaction; answers with a confirmation line (HTMX) naming who and when."""
    names = [part.strip() for part in people.split(",") if part.strip()]
    if not names:
        raise InvalidInput("name at least one person")
    found = [people_service.resolve_person(session, owner_id=owner_id, text=name) for name in names]
    moment = parse_when(when, now=now, field="when")
    item = interactions_service.log_interaction(
        session, owner_id=owner_id, kind=kind, people=found, when=moment, notes=note or None, now=now
    )
    return templates.TemplateResponse(request, "ui/_logged.html", {"item": item, "people": found})
