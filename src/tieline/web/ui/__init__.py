"""The HTML pages (server-rendered, HTMX for partial updates): one router per feature."""

from fastapi import APIRouter

from tieline.web.ui import calendar, imports, log, network, people, settings, today

router = APIRouter(include_in_schema=False)
for _module in (today, people, log, network, imports, settings, calendar):
    router.include_router(_module.router)
