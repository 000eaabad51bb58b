"""The HTML pages (server-rendered, HTMX for partial updates): one router per feature."""

from fastapi import APIRouter

from tieline.web.ui import (
    account,
    calendar,
    discovered,
    events,
    goals,
    imports,
    introductions,
    log,
    login,
    network,
    opportunities,
    organisations,
    people,
    person_actions,
    pwa,
    settings,
    sync,
    teams,
    today,
)

# Open to anyone: signing in, the calendar feed (its secret address says whose it is), and the
# installable app's manifest and service worker (a browser fetches the manifest without cookies).
public_router = APIRouter(include_in_schema=False)
for _module in (login, calendar, pwa):
    public_router.include_router(_module.router)

# Every other page needs an owner (the app adds that dependency to this router as a whole).
router = APIRouter(include_in_schema=False)
for _module in (
    today,
    account,
    people,
    person_actions,
    log,
    network,
    imports,
    settings,
    organisations,
    events,
    introductions,
    opportunities,
    goals,
    sync,
    discovered,
    teams,
):
    router.include_router(_module.router)
