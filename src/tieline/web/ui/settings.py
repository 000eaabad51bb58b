"""Settings: tiers and cadences, score weights, daily cap, own addresses, SMTP; and the calendar feed's
address, shown but never typed (made new or turned off by its own buttons)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.services import preferences
from tieline.web.deps import OwnerDep, SessionDep
from tieline.web.templating import templates

router = APIRouter()


def _shown(value: Any) -> str:
    return ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))


def _rows(prefs: preferences.Preferences) -> list[tuple[str, str, str, str]]:
    """The settings a user types: every one but those tieline generates."""
    return [
        (key, _shown(prefs[key]), json.dumps(default), help_text)
        for key, (default, help_text) in preferences.DEFAULTS.items()
        if key not in preferences.GENERATED
    ]


def _calendar(request: Request, prefs: preferences.Preferences) -> dict[str, Any]:
    """The feed's address on the host the page was asked for, or why there is none."""
    token = preferences.calendar_token(prefs)
    address = f"{str(request.base_url).rstrip('/')}/calendar/{token}.ics" if token else None
    return {"address": address, "stale": token is None and prefs["calendar.token"] is not None}


def _page(request: Request, session: Session, owner_id: int, message: str | None = None) -> HTMLResponse:
    prefs = preferences.load(session, owner_id=owner_id)
    context = {"rows": _rows(prefs), "calendar": _calendar(request, prefs), "message": message}
    return templates.TemplateResponse(request, "ui/settings.html", context)


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Every setting with its default and what it does, and the calendar feed's address."""
    return _page(request, session, owner_id)


@router.post("/settings", response_class=HTMLResponse)
async def save_settings(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Save changed settings (each checked; one bad value saves nothing)."""
    form = await request.form()
    values = {key: str(value) for key, value in form.items()}
    # The database work goes to the thread pool, as in a `def` route: never on the event loop.
    return await run_in_threadpool(_save_settings, request, session, owner_id, values)


def _save_settings(request: Request, session: Session, owner_id: int, form: dict[str, str]) -> HTMLResponse:
    prefs = preferences.load(session, owner_id=owner_id)
    changed = []
    for key in preferences.DEFAULTS:
        if key not in form or form[key].strip() == _shown(prefs[key]):
            continue
        # A generated setting sent with a new value (a script, a hand-made form) is refused with the
        # reason, not dropped: saying "saved" would let the sender believe the value took.
        preferences.set_value(session, owner_id=owner_id, key=key, value=form[key])
        changed.append(key)
    return _page(request, session, owner_id, f"saved: {', '.join(changed)}" if changed else "nothing changed")


@router.post("/settings/calendar/new", response_class=HTMLResponse)
def new_calendar_address(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Make a new secret address for the calendar feed; the old one stops working at once."""
    preferences.new_calendar_token(session, owner_id=owner_id)
    return _page(request, session, owner_id, "new calendar address made: the old one no longer works")


@router.post("/settings/calendar/off", response_class=HTMLResponse)
def calendar_off(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Turn the calendar feed off: no address serves it until a new one is made."""
    preferences.turn_off_calendar(session, owner_id=owner_id)
    return _page(request, session, owner_id, "calendar feed turned off")
