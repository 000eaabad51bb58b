"""Today: the agenda with its reasons, and done / snooze / dismiss in place."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.dates import parse_date
from tieline.services import agenda
from tieline.services.agenda.actions import find_item
from tieline.services.agenda.cache import cached_agenda
from tieline.services.drafts import render_draft
from tieline.web.deps import NowDep, OwnerDep, SessionDep, StateDep, TodayDep
from tieline.web.templating import templates

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def today_page(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    today: TodayDep,
    day: str | None = None,
) -> HTMLResponse:
    """The agenda for today (or ?day=YYYY-MM-DD)."""
    shown = parse_date(day, today=today, field="day") if day else today
    view = _agenda(session, owner_id, now, shown)
    return templates.TemplateResponse(
        request, "ui/today.html", {"view": view, "day": shown, "is_today": shown == today}
    )


def _agenda(session: Session, owner_id: int, now: datetime, day: date) -> agenda.AgendaView:
    # Not remembered as the numbered listing `tieline done 3` refers to: the page acts on items by
    # key and shows no numbers, and a page view that wrote would queue behind every other writer.
    # Today's is computed once per change of the data or the day (kept without waiting on a writer).
    return cached_agenda(session, owner_id=owner_id, day=day, now=now)


def _agenda_partial(
    request: Request, session: Session, owner_id: int, now: datetime, day: date
) -> HTMLResponse:
    view = _agenda(session, owner_id, now, day)
    return templates.TemplateResponse(request, "ui/_agenda.html", {"view": view, "day": day})


Key = Annotated[str, Form(max_length=300)]
Day = Annotated[date, Form()]


@router.post("/agenda/done", response_class=HTMLResponse)
def done(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, key: Key, day: Day
) -> HTMLResponse:
    """Mark an item done and show the agenda again."""
    agenda.done(session, owner_id=owner_id, ref=key, now=now)
    return _agenda_partial(request, session, owner_id, now, day)


@router.post("/agenda/snooze", response_class=HTMLResponse)
def snooze(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    key: Key,
    day: Day,
    days: Annotated[int, Form(ge=1, le=3650)] = 1,
) -> HTMLResponse:
    """Snooze an item and show the agenda again."""
    agenda.snooze(session, owner_id=owner_id, ref=key, days=days, now=now)
    return _agenda_partial(request, session, owner_id, now, day)


@router.post("/agenda/dismiss", response_class=HTMLResponse)
def dismiss(
    request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep, key: Key, day: Day
) -> HTMLResponse:
    """Dismiss an item and show the agenda again."""
    agenda.dismiss(session, owner_id=owner_id, ref=key, now=now)
    return _agenda_partial(request, session, owner_id, now, day)


@router.get("/agenda/draft", response_class=HTMLResponse)
def draft(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    state: StateDep,
    key: Annotated[str, Query(max_length=300)],
    day: date,
) -> HTMLResponse:
    """The drafted message for an agenda line, with a mailto: link and a copy button."""
    item, _ = find_item(session, owner_id=owner_id, ref=key, now=now, day=day)
    ctx = agenda.context(session, owner_id=owner_id, day=day, now=now)
    result = render_draft(
        session, owner_id=owner_id, item=item, prefs=ctx.prefs, data_dir=state.settings.data_dir, now=ctx.now
    )
    return templates.TemplateResponse(request, "ui/_draft.html", {"draft": result})
