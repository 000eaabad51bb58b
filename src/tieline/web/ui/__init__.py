"""The HTML pages (server-rendered, HTMX for partial updates): one router per feature."""

from fastapi import APIRouter

from tieline.web.ui import (
    calendar,
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
):
    router.include_router(_module.router)
