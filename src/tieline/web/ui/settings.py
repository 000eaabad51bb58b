"""Settings: tiers and cadences, score weights, daily cap, own addresses, SMTP."""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.services import preferences
from tieline.web.deps import OwnerDep, SessionDep
from tieline.web.templating import templates

router = APIRouter()


def _rows(prefs: preferences.Preferences) -> list[tuple[str, str, str, str]]:
    rows = []
    for key, (default, help_text) in preferences.DEFAULTS.items():
        value = prefs[key]
        shown = ", ".join(value) if isinstance(value, list) else ("" if value is None else str(value))
        rows.append((key, shown, json.dumps(default), help_text))
    return rows


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Every setting with its default and what it does."""
    prefs = preferences.load(session, owner_id=owner_id)
    return templates.TemplateResponse(request, "ui/settings.html", {"rows": _rows(prefs)})


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
    for key, (_, _) in preferences.DEFAULTS.items():
        if key not in form:
            continue
        text = form[key]
        current = dict((k, v) for k, v, _, _ in _rows(prefs))[key]
        if text.strip() == current:
            continue
        preferences.set_value(session, owner_id=owner_id, key=key, value=text)
        changed.append(key)
    prefs = preferences.load(session, owner_id=owner_id)
    message = f"saved: {', '.join(changed)}" if changed else "nothing changed"
    return templates.TemplateResponse(request, "ui/settings.html", {"rows": _rows(prefs), "message": message})
