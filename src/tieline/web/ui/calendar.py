"""The calendar feed of due items, at a secret address that `tieline export calendar-link` (or the Settings
page) makes, replaces and turns off."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from tieline.errors import NotFound
from tieline.exporters.calendar import build_calendar
from tieline.services import preferences
from tieline.web.deps import NowDep, SessionDep, StateDep, TodayDep

router = APIRouter()


@router.get("/calendar/{token}.ics")
def feed(token: str, session: SessionDep, now: NowDep, today: TodayDep, state: StateDep) -> Response:
    """The next 30 days of agenda items as iCalendar, for a calendar app to subscribe to. Public:
    calendar apps cannot sign in, so the secret in the address says whose feed it is."""
    owner_id = preferences.owner_of_calendar_token(session, token)
    if owner_id is None:
        raise NotFound("no such calendar")
    body = build_calendar(session, owner_id=owner_id, day=today, now=now, data_dir=state.settings.data_dir)
    return Response(body, media_type="text/calendar; charset=utf-8")
