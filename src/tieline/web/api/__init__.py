"""The REST API under /api/v1: one router per feature."""

from fastapi import APIRouter

from tieline.web.api import (
    agenda,
    export,
    favours,
    followups,
    imports,
    interactions,
    organisations,
    people,
    teams,
)

router = APIRouter()
for _module in (people, interactions, agenda, organisations, favours, followups, imports, export, teams):
    router.include_router(_module.router)
