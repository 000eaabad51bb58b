"""Imports started from the web app (`import_job`): how far each got, so any app process can answer
its poll. Each function is one statement; the caller's transaction is short and its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import ImportJob

_job = ImportJob.__table__
_READ = sa.select(
    _job.c.id, _job.c.filename, _job.c.records, _job.c.done, _job.c.error, _job.c.report, _job.c.updated_at
).where(_job.c.id == sa.bindparam("job_id"), _job.c.owner_id == sa.bindparam("owner_id"))


class JobRow(NamedTuple):
    """An import as far as it got: records read so far, then the report (JSON) or the error."""

    id: str
    filename: str
    records: int
    done: bool
    error: str | None
    report: dict[str, Any] | None
    updated_at: datetime


def add(session: Session, *, job_id: str, owner_id: int, filename: str, now: datetime) -> None:
    """A new import, not done, no record read yet."""
    session.execute(
        sa.insert(_job).values(
            id=job_id,
            owner_id=owner_id,
            filename=filename,
            records=0,
            done=False,
            created_at=now,
            updated_at=now,
        )
    )


def progress(session: Session, *, job_id: str, records: int, now: datetime) -> None:
    """Records read so far (never over a finished import's row)."""
    stmt = sa.update(_job).where(_job.c.id == job_id, _job.c.done.is_(False))
    session.execute(stmt.values(records=records, updated_at=now))


def finish(
    session: Session,
    *,
    job_id: str,
    records: int | None,
    report: dict[str, Any] | None,
    error: str | None,
    now: datetime,
) -> None:
    """The import is over: its report, or its error."""
    values: dict[str, Any] = {"done": True, "report": report, "error": error, "updated_at": now}
    if records is not None:
        values["records"] = records
    session.execute(sa.update(_job).where(_job.c.id == job_id).values(**values))


def get(session: Session, *, job_id: str, owner_id: int) -> JobRow | None:
    """The owner's import by id; None for an unknown id and for another owner's import alike."""
    row = session.execute(_READ, {"job_id": job_id, "owner_id": owner_id}).first()
    return None if row is None else JobRow(**row._mapping)


def forget(session: Session, *, finished_before: datetime, started_before: datetime) -> None:
    """Delete the imports finished before `finished_before`, and any started before `started_before`
    (one whose process died before it could say it was over). One statement over a small table."""
    session.execute(
        sa.delete(_job).where(
            sa.or_(
                sa.and_(_job.c.done.is_(True), _job.c.updated_at < finished_before),
                _job.c.created_at < started_before,
            )
        )
    )
