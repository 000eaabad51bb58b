"""Timing the services against their floors, query by query, alternating so both see the same machine."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.floors import Floor
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import people as people_service
from tieline.services.people import PersonProfile


def search_service(db: Database) -> Callable[[str], Any]:
    """`tieline search QUERY`'s data: what services.people.search returns."""

    def run(query: str) -> Any:
        with db.sessions() as session:
            return people_service.search(session, owner_id=LOCAL_OWNER_ID, query=query)

    return run


def show_service(db: Database) -> Callable[[str], Any]:
    """`tieline show PERSON`'s data: resolve the name, load the profile, and touch what is rendered."""

    def run(text: str) -> Any:
        with db.sessions() as session:
            person = people_service.resolve_person(session, owner_id=LOCAL_OWNER_ID, text=text)
            return _touch(people_service.profile(session, person))

    return run


def _touch(data: PersonProfile) -> int:
    """Read every attribute the person page renders, so lazy loads are counted."""
    p = data.person
    count = len(p.emails) + len(p.phones) + len(p.links) + len(p.tags) + len(p.topics)
    count += sum(len(m.organisation.name) > 0 for m in data.memberships)
    count += sum(len(e.others) + len(e.interaction.kind) > 0 for e in data.timeline)
    return count


def compare(
    items: list[str], service: Callable[[str], Any], floor: Callable[[str], Any]
) -> tuple[list[float], list[float]]:
    """Seconds per item for the service and the floor; one untimed pass first warms both up."""
    for item in items:
        floor(item)
        service(item)
    timed_service: list[float] = []
    timed_floor: list[float] = []
    for n, item in enumerate(items):
        first, second = (floor, service) if n % 2 else (service, floor)
        for run in (first, second):
            started = time.perf_counter()
            run(item)
            (timed_floor if run is floor else timed_service).append(time.perf_counter() - started)
    return timed_service, timed_floor


def search_and_show(db: Database, floor: Floor, queries: list[str], people: list[str]) -> dict[str, Any]:
    """Latencies of search and of the person page, each with its floor."""
    return {
        "search": compare(queries, search_service(db), floor.search),
        "show": compare(people, show_service(db), floor.show),
    }
