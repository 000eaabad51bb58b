"""Imports started from the web app, seen the same from every app process (`tieline serve --workers N`).

Each import's progress, then its report or its error, is kept in `import_job`, so a page's poll may
reach any process. At most `limit` imports run at once across every process on the database: an
import holds one of the claims `import-slot:0` .. `import-slot:{limit-1}` (`job_claim`, through
`services/sync/claims.py`) while it runs, renewed while it lasts and given back when it ends; a
process that was killed leaves its claim to run out after `SLOT_HOLD`.

Every write here is its own short transaction, and times are the wall clock's (they are about
processes running now, not the app's clock, which tests may fix). While an import writes, SQLite
lets no other transaction write: the progress and the claim's renewal, written beside the import
from threads of their own, wait their turn there (the import never waits for them), and the page of
the process running the import reads its progress from memory.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tieline.db import Database
from tieline.errors import Busy
from tieline.importers.report import ImportReport
from tieline.repo import import_jobs as repo
from tieline.services import beside
from tieline.services.sync import claims

log = logging.getLogger(__name__)
SLOT = "import-slot:"
# How long an import's slot is held unless renewed (every third of it): a killed process's imports
# hold their slots no longer than this. Generous because on SQLite the renewal cannot be written
# while an import holds the write lock.
SLOT_HOLD = timedelta(minutes=10)
PROGRESS_EVERY = 1.0  # seconds between two writes of an import's progress, at most
FINISH_TRIES_FOR = SLOT_HOLD  # an import's end is written again (the database busy) this long at most
KEEP_FINISHED = timedelta(days=1)  # finished imports are forgotten after this, when another starts
KEEP_STARTED = timedelta(days=7)  # and any import, even one whose process died before its end
SHOWN = 50  # skips, warnings and merges kept with a report: the page lists no more
STOPPED = "the import stopped before it reported (its app process ended?): see the recent imports below"


@dataclass(frozen=True)
class JobStatus:
    """An import as far as it got: records read so far, then the report (JSON) or the error."""

    id: str
    filename: str
    records: int
    done: bool
    error: str | None = None
    report: dict[str, Any] | None = None


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report as kept for the page (the `tieline import --json` shape, lists cut at `SHOWN`)."""
    return report.to_dict(limit=SHOWN)


def slot_names(limit: int) -> list[str]:
    """The claims of the `limit` import slots."""
    return [f"{SLOT}{n}" for n in range(limit)]


def slot_holder(job_id: str, process: str) -> str:
    """The holder of the slot an import takes: the import, then its process (`claims.new_holder`)."""
    return f"{job_id}@{process}"


def claim_slot(database: Database, *, job_id: str, process: str, limit: int) -> str | None:
    """Take a free import slot for the import `job_id` (the slot's name), or None when all `limit`
    are held."""
    holder = slot_holder(job_id, process)
    for name in slot_names(limit):
        if claims.claim(database, name=name, holder=holder, now=claims.wall_clock(), hold=SLOT_HOLD):
            return name
    return None


@contextmanager
def slot_kept(database: Database, *, name: str, job_id: str, process: str) -> Iterator[None]:
    """Keep a slot taken by `claim_slot` while the block runs (renewed), given back after."""
    with claims.kept(database, name=name, holder=slot_holder(job_id, process), hold=SLOT_HOLD):
        yield


def start(database: Database, *, job_id: str, owner_id: int, filename: str) -> None:
    """Record a new import (forgetting those finished over a day ago)."""
    now = claims.wall_clock()
    with database.transaction(writes=True) as session:
        repo.forget(session, finished_before=now - KEEP_FINISHED, started_before=now - KEEP_STARTED)
        repo.add(session, job_id=job_id, owner_id=owner_id, filename=filename, now=now)


@contextmanager
def progress_written(
    database: Database, *, job_id: str, records: Callable[[], int], every: float = PROGRESS_EVERY
) -> Iterator[None]:
    """While the block runs, write `records()` to the import's row every `every` seconds when it
    changed, from a thread of its own (a write that fails is tried again at the next turn)."""
    written = 0

    def write() -> bool:
        nonlocal written
        count = records()
        if count != written:
            try:
                with database.transaction(writes=True) as session:
                    repo.progress(session, job_id=job_id, records=count, now=claims.wall_clock())
                written = count
            except Exception as exc:  # busy (SQLite: the import itself writing), or away
                log.debug("import %s: progress not written (%s)", job_id, type(exc).__name__)
        return True

    with beside.every(every, write, name=f"import-progress-{job_id}"):
        yield


def finish(
    database: Database,
    *,
    job_id: str,
    records: int | None,
    report: ImportReport | None,
    error: str | None,
    tries_for: timedelta = FINISH_TRIES_FOR,
) -> bool:
    """Record the import's end: its report, or its error. Tried again while the database is busy
    (another import writing, on SQLite), for up to `tries_for`; False when it never could be."""
    kept = report_json(report) if report is not None else None
    if kept is None and error is None:
        error = "the import was stopped"
    deadline = time.monotonic() + tries_for.total_seconds()
    while True:
        try:
            with database.transaction(writes=True) as session:
                repo.finish(
                    session, job_id=job_id, records=records, report=kept, error=error, now=claims.wall_clock()
                )
            return True
        except Busy:
            if time.monotonic() >= deadline:
                log.warning("import %s: its end could not be written (the database stayed busy)", job_id)
                return False
            time.sleep(1)


def status(database: Database, *, job_id: str, owner_id: int, limit: int) -> JobStatus | None:
    """The owner's import by id, as far as it got; None for an unknown id and for another owner's
    import alike. An import not over whose slot nobody holds any more stopped without reporting."""
    with database.transaction() as session:
        row = repo.get(session, job_id=job_id, owner_id=owner_id)
        if row is None:
            return None
        if row.done:
            return JobStatus(row.id, row.filename, row.records, True, row.error, row.report)
        holders = claims.running(session, names=slot_names(limit), now=claims.wall_clock())
    if any(holder.startswith(slot_holder(job_id, "")) for holder in holders.values()):
        return JobStatus(row.id, row.filename, row.records, False)
    return JobStatus(row.id, row.filename, row.records, True, STOPPED)
