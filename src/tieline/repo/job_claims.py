"""Claims on background jobs (`job_claim`): which process runs a job until when, so each job runs once
however many processes serve the app. A claim is taken, renewed and given back by one statement each."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import JobClaim
from tieline.repo import upserts

_claim = JobClaim.__table__


def claim(session: Session, *, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take the job `name` for `holder` until `until`: True when it was free (no row, or a claim that
    ran out before `now`), False when another claim still holds it. One INSERT ... ON CONFLICT DO
    UPDATE ... WHERE, so two processes asking at once cannot both win: the second waits on the
    first's row (PostgreSQL) or write lock (SQLite) and then finds a claim still running. It claims iff
    the statement wrote one row (told by RETURNING: drivers do not all count an INSERT's rows)."""
    stmt = upserts.insert(session, _claim).values(name=name, holder=holder, until=until)
    stmt = stmt.on_conflict_do_update(
        index_elements=[_claim.c.name],
        set_={"holder": stmt.excluded.holder, "until": stmt.excluded.until},
        where=_claim.c.until < now,
    )
    # The row comes back only when it was written (inserted, or an expired claim taken over).
    return session.execute(stmt.returning(_claim.c.name)).first() is not None


def renew(session: Session, *, name: str, holder: str, until: datetime) -> bool:
    """Hold a claim of this holder longer; False when it is no longer theirs (it ran out and was taken)."""
    stmt = sa.update(_claim).where(_claim.c.name == name, _claim.c.holder == holder).values(until=until)
    return session.execute(stmt.returning(_claim.c.name)).first() is not None


def finish(session: Session, *, name: str, holder: str, finished: str, until: datetime) -> None:
    """Mark the holder's claim finished (its holder becomes `finished`) and keep it until `until`, so
    other processes can tell a job that is over from one that never was."""
    stmt = sa.update(_claim).where(_claim.c.name == name, _claim.c.holder == holder)
    session.execute(stmt.values(holder=finished, until=until))


def forget_expired(session: Session, *, before: datetime) -> None:
    """Delete the claims that ran out before `before`."""
    session.execute(sa.delete(_claim).where(_claim.c.until < before))


def release(session: Session, *, name: str, holder: str) -> None:
    """Give a claim back (only the holder's own: one taken over meanwhile stays its new holder's)."""
    session.execute(sa.delete(_claim).where(_claim.c.name == name, _claim.c.holder == holder))


def holders(session: Session, *, names: list[str], now: datetime) -> dict[str, str]:
    """The claims among `names` still running at `now`: name -> holder."""
    if not names:
        return {}
    stmt = sa.select(_claim.c.name, _claim.c.holder).where(_claim.c.name.in_(names), _claim.c.until >= now)
    return {row.name: row.holder for row in session.execute(stmt)}
