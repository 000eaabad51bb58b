"""People met in mail and calendars who match nobody yet: the queue, with how often and how recently,
to add as a person, link to someone you have, or ignore for good; and its count for the nav."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.services.sync import discovered as discovered_service
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep
from tieline.web.templating import templates

router = APIRouter()

Email = Annotated[str, Form(max_length=320)]
# The page lists the most recent this many; a first sync of a large mailbox may queue thousands.
SHOWN = 200


def _page(request: Request, session: Session, owner_id: int, **extra: Any) -> HTMLResponse:
    entries = discovered_service.listing(session, owner_id=owner_id, limit=SHOWN)
    total = discovered_service.count(session, owner_id=owner_id) if len(entries) == SHOWN else len(entries)
    context = {"entries": entries, "total": total, **extra}
    return templates.TemplateResponse(request, "ui/discovered.html", context)


@router.get("/discovered", response_class=HTMLResponse)
def discovered_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """The queue, most recently seen first."""
    return _page(request, session, owner_id)


@router.get("/discovered/badge", response_class=HTMLResponse)
def badge(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """The nav's link to the queue with its count, or nothing when it is empty (loaded after the page)."""
    count = discovered_service.count(session, owner_id=owner_id)
    return templates.TemplateResponse(request, "ui/_discovered_badge.html", {"count": count})


@router.post("/discovered/add", response_class=HTMLResponse)
def add(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    now: NowDep,
    email: Email,
    name: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    """Make a person of a discovered address (named as seen unless a name is typed)."""
    person = discovered_service.add_person(
        session, owner_id=owner_id, email=email, name=name.strip() or None, today=today, now=now
    )
    return _page(request, session, owner_id, message=f"added {person.display_name}", person_id=person.id)


@router.post("/discovered/link", response_class=HTMLResponse)
def link(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    now: NowDep,
    email: Email,
    people: Annotated[str, Form(max_length=500)],
) -> HTMLResponse:
    """Give a discovered address to a person you have (`people`: their name or #id, as quick log)."""
    person = discovered_service.link(
        session, owner_id=owner_id, email=email, person=people.strip(), today=today, now=now
    )
    message = f"{email.strip().lower()} is now {person.display_name}'s"
    return _page(request, session, owner_id, message=message, person_id=person.id)


@router.post("/discovered/ignore", response_class=HTMLResponse)
def ignore(request: Request, session: SessionDep, owner_id: OwnerDep, email: Email) -> HTMLResponse:
    """Ignore an address for good: it is not listed again."""
    entry = discovered_service.ignore(session, owner_id=owner_id, email=email)
    return _page(request, session, owner_id, message=f"ignoring {entry.email}")
