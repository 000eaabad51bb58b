"""Events: upcoming and past ones with whom you met, an event's page (each person met with their
48-hour follow-up), and adding events and the people you met or saw there."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from tieline.dates import parse_date
from tieline.errors import NotFound
from tieline.models import EVENT_KINDS, Event
from tieline.services import events as events_service
from tieline.services import people as people_service
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep
from tieline.web.templating import templates

router = APIRouter()
KINDS = [(kind, kind.replace("_", " ")) for kind in EVENT_KINDS]

Text = Annotated[str, Form(max_length=500)]
Day = Annotated[str, Form(max_length=100)]


def event_by_id(session: Session, owner_id: int, text: str) -> Event:
    """The event a path's id names; anything but a known id is the 404 page."""
    if not (text.isascii() and text.isdigit()):
        raise NotFound(f"no event with id {text}")
    return events_service.resolve_event(session, owner_id=owner_id, text=f"#{text}")


def _lists(session: Session, owner_id: int, today: date) -> dict[str, Any]:
    upcoming, past = events_service.upcoming_and_past(session, owner_id=owner_id, today=today)
    return {"upcoming": upcoming, "past": past}


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, session: SessionDep, owner_id: OwnerDep, today: TodayDep) -> HTMLResponse:
    """Upcoming events soonest first, then past ones newest first, with how many people you met."""
    context = {**_lists(session, owner_id, today), "kinds": KINDS}
    return templates.TemplateResponse(request, "ui/events.html", context)


@router.post("/events", response_class=HTMLResponse)
def add_event(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    name: Text,
    when: Day,
    end: Day = "",
    kind: Annotated[str, Form(max_length=40)] = "conference",
    place: Text = "",
    organiser: Text = "",
    notes: Annotated[str, Form(max_length=100_000)] = "",
) -> Response:
    """Record an event; a new organiser is created as `tieline event add --organiser` would."""
    starts_on = parse_date(when, today=today, field="date")
    ends_on = parse_date(end, today=today, field="last day") if end.strip() else None
    event_kind = events_service.check_kind(kind)
    org = (
        events_service.organiser_for(session, owner_id=owner_id, text=organiser, event_kind=event_kind)
        if organiser.strip()
        else None
    )
    event = events_service.add_event(
        session, owner_id=owner_id, name=name, starts_on=starts_on, ends_on=ends_on, kind=event_kind,
        place=place, organiser=org, notes=notes,
    )  # fmt: skip
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/events/{event.id}", status_code=303)
    context = {
        "message": f"Added {event.kind.replace('_', ' ')} {event.name} on {event.starts_on.isoformat()}.",
        "href": f"/events/{event.id}",
        "link": "Open it",
        "oob": "ui/_event_lists.html",
        **_lists(session, owner_id, today),
    }
    return templates.TemplateResponse(request, "ui/_saved.html", context)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(
    request: Request, event_id: str, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """An event: whom you met (each with their follow-up), who else was there, what came of it."""
    event = event_by_id(session, owner_id, event_id)
    report = events_service.report(session, event, now=now)
    return templates.TemplateResponse(request, "ui/event.html", {"report": report})


@router.post("/events/{event_id}/people", response_class=HTMLResponse)
def add_people(
    request: Request,
    event_id: str,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    people: Annotated[str, Form(max_length=5000)],
    note: Annotated[str, Form(max_length=100_000)] = "",
    how: Annotated[str, Form(pattern="^(met|saw)$")] = "met",
) -> Response:
    """Record people you met (a follow-up and an interaction each; a new name becomes a new person)
    or only saw there (people you know; nothing else is recorded)."""
    event = event_by_id(session, owner_id, event_id)
    names = [part.strip() for part in people.split(",") if part.strip()]
    if how == "met":
        encounters = events_service.meet(
            session, owner_id=owner_id, event=event, names=names, note=note or None, now=now
        )
    else:
        who = [people_service.resolve_person(session, owner_id=owner_id, text=name) for name in names]
        encounters = events_service.attend(session, owner_id=owner_id, event=event, people=who)
    if not request.headers.get("hx-request"):
        return RedirectResponse(f"/events/{event.id}", status_code=303)
    context = {
        "encounters": encounters,
        "oob": "ui/_event_people.html",
        "report": events_service.report(session, event, now=now),
    }
    return templates.TemplateResponse(request, "ui/_saved.html", context)
