"""Timing the services against their floors, query by query, alternating so both see the same machine."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bench.floors import Floor
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import brief as brief_service
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
            person_id = people_service.resolve_person_id(
                session, owner_id=LOCAL_OWNER_ID, text=text, verify_id=False
            )
            return _touch(people_service.profile(session, owner_id=LOCAL_OWNER_ID, person_id=person_id))

    return run


def brief_service_of(db: Database, *, now: datetime) -> Callable[[str], Any]:
    """`tieline brief PERSON`'s data: resolve the name, then the whole brief (plain data, all read)."""

    def run(text: str) -> Any:
        with db.sessions() as session:
            person_id = people_service.resolve_person_id(
                session, owner_id=LOCAL_OWNER_ID, text=text, verify_id=False
            )
            return brief_service.brief_for(session, owner_id=LOCAL_OWNER_ID, person_id=person_id, now=now)

    return run


def _touch(data: PersonProfile) -> int:
    """Read every attribute the person page renders, so lazy loads are counted."""
    p = data.person
    count = len(p.emails) + len(p.phones) + len(p.links) + len(p.tags) + len(p.topics)
    count += sum(len(m.organisation.name) > 0 for m in data.memberships)
    count += sum(len(e.others) + len(e.interaction.kind) > 0 for e in data.timeline)
    return count


@dataclass
class Timings:
    """Seconds per item, wall clock and CPU, for the service and for its floor."""

    service: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    service_cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)


def compare(items: list[str], service: Callable[[str], Any], floor: Callable[[str], Any]) -> Timings:
    """Time the service and the floor on each item, alternating; one untimed pass first warms both.

    CPU time is kept too: on a machine busy with other work, wall-clock figures of Python-heavy
    code stretch far more than those of the short floors.
    """
    for item in items:
        floor(item)
        service(item)
    out = Timings()
    for n, item in enumerate(items):
        for run in (floor, service) if n % 2 else (service, floor):
            wall, cpu = time.perf_counter(), time.process_time()
            run(item)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if run is floor:
                out.floor.append(wall)
                out.floor_cpu.append(cpu)
            else:
                out.service.append(wall)
                out.service_cpu.append(cpu)
    return out


def search_and_show(db: Database, floor: Floor, queries: list[str], people: list[str]) -> dict[str, Timings]:
    """Latencies of search and of the person page, each with its floor."""
    return {
        "search": compare(queries, search_service(db), floor.search),
        "show": compare(people, show_service(db), floor.show),
    }
