"""Storing parsed records: one transaction, idempotent, recorded as a run that can be undone.

Records are taken in batches (people before what happened with them), each kept by its stable
source id: a record seen before with the same content costs a digest comparison and writes
nothing; a new one is matched to the people who exist (email, LinkedIn URL, phone, name and
company) and merged when the match is certain. A run that changed nothing leaves no trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.importers.records import (
    FavourRecord,
    ImportOptions,
    InteractionRecord,
    MembershipRecord,
    MilestoneRecord,
    PersonRecord,
    Record,
    SkippedRecord,
)
from tieline.importers.report import MAX_LISTED, ImportReport
from tieline.models import ImportRun
from tieline.services.importing.activity import ActivityWriter
from tieline.services.importing.changelog import ChangeLog
from tieline.services.importing.people import PeopleWriter

BATCH = 5000
Progress = Callable[[int], None]


def save(
    session: Session,
    records: Iterable[Record],
    *,
    owner_id: int,
    fmt: str,
    path: str,
    options: ImportOptions,
    now: datetime,
    progress: Progress | None = None,
    dry_run: bool = False,
    name: str | None = None,
    log: ChangeLog | None = None,
) -> ImportReport:
    """Store records in the session's transaction and return the report (the caller commits).

    `name` is what the user calls the file at `path` (an upload's own name): the report and the run
    say it instead of the path. `log` takes in changes the caller made in the same run (an address
    book sync's merges), so the run undoes them too."""
    shown_as = (path, name) if name else None
    report = ImportReport(format=fmt, path=name or path, dry_run=dry_run, shown_as=shown_as)
    log = log if log is not None else ChangeLog()
    people = PeopleWriter(session=session, owner_id=owner_id, now=now, log=log, report=report)
    activity = ActivityWriter(
        session=session,
        owner_id=owner_id,
        now=now,
        log=log,
        report=report,
        people=people,
        own_emails=frozenset(e.lower() for e in options.own_emails),
        create_people=options.create_people,
    )
    batch: list[Record] = []
    for record in records:
        report.records += 1
        batch.append(record)
        if len(batch) >= BATCH:
            _save_batch(batch, people, activity, report)
            batch = []
            if progress is not None:
                progress(report.records)
    _save_batch(batch, people, activity, report)
    activity.rescore()
    if progress is not None:
        progress(report.records)
    if log.empty:
        return report
    run = ImportRun(
        owner_id=owner_id, format=fmt, path=report.path, started_at=now, finished_at=now, counts={}
    )
    session.add(run)
    session.flush()
    report.run_id = run.id
    run.counts = report.to_dict(limit=MAX_LISTED)
    log.write(session, run_id=run.id)
    session.flush()
    return report


def _save_batch(
    batch: list[Record], people: PeopleWriter, activity: ActivityWriter, report: ImportReport
) -> None:
    persons = [r for r in batch if isinstance(r, PersonRecord)]
    interactions = [r for r in batch if isinstance(r, InteractionRecord)]
    memberships = [r for r in batch if isinstance(r, MembershipRecord)]
    favours = [r for r in batch if isinstance(r, FavourRecord)]
    milestones = [r for r in batch if isinstance(r, MilestoneRecord)]
    for record in batch:
        if isinstance(record, SkippedRecord):
            report.skip(record.origin, record.reason)
    if persons:
        people.add(persons)
    activity.load_batch(interactions)
    if created := activity.people_to_create([*interactions, *favours, *milestones]):
        people.add(created)
    activity.add_interactions(interactions)
    activity.add_memberships(memberships)
    activity.add_favours(favours)
    activity.add_milestones(milestones)
