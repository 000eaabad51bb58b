"""The HTML pages (server-rendered, HTMX for partial updates): one router per feature."""

from fastapi import APIRouter

from tieline.web.ui import (
    calendar,
    discovered,
    events,
    goals,
    imports,
    introductions,
    log,
    network,
    opportunities,
    organisations,
    people,
    person_actions,
    settings,
    sync,
    today,
)

router = APIRouter(include_in_schema=False)
for _module in (
    today,
    people,
    person_actions,
    log,
    network,
    imports,
    settings,
    calendar,
    organisations,
    events,
    introductions,
    opportunities,
    goals,
    sync,
    discovered,
):
    router.include_router(_module.router)
