"""Background jobs that run once however many processes serve the app (`tieline serve --workers N`).

A process runs a job only while it holds the job's claim (`job_claim`, taken by one atomic statement in
`repo/job_claims.py`): a connection's sync ("sync:OWNER:NAME", held while it runs, renewed while it
lasts and given back after), and an owner's scheduled pass ("sync-pass:OWNER", held for that owner's
`sync.every_minutes` and never given back, so N processes make one pass per interval, not N).
A process that dies leaves its claim to run out (`HOLD`), after which another may take the job.

Claims are measured on the wall clock, not the app's clock (which TIELINE_NOW and tests may fix):
they are about processes running now. Each claim is its own short writing transaction, so every
process sees it at once.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tieline.db import Database
from tieline.repo import job_claims as claims_repo
from tieline.repo import sync as sync_repo
from tieline.repo.sync import DueConnection
from tieline.services import beside

log = logging.getLogger(__name__)
# How long a claim lasts unless renewed: a process that died holds its jobs no longer than this.
HOLD = timedelta(minutes=30)
# The holder of a job's claim once it is over (`kept(..., finished_for=...)`).
FINISHED = "finished"
# Claims that ran out are deleted this long after (`forget_expired`).
FORGET_AFTER = timedelta(days=1)

Clock = Callable[[], datetime]


def wall_clock() -> datetime:
    """The real time, whatever the app's clock says."""
    return datetime.now(UTC)


def new_holder() -> str:
    """A name for this process's claims: its machine, its pid and a random part (a pid is reused)."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{secrets.token_hex(4)}"


def connection_job(owner_id: int, name: str) -> str:
    """The claim's name for syncing one connection."""
    return f"sync:{owner_id}:{name}"


def pass_job(owner_id: int) -> str:
    """The claim's name for an owner's scheduled pass."""
    return f"sync-pass:{owner_id}"


def due_everywhere(session: Session, *, now: datetime) -> list[DueConnection]:
    """Every owner's connections due now (none in back-off), by owner then name."""
    return sync_repo.due_everywhere(session, now=now)


def claim(database: Database, *, name: str, holder: str, now: datetime, hold: timedelta = HOLD) -> bool:
    """Take the job for `holder` until `now + hold`, committed at once; False when another holds it."""
    with database.transaction(writes=True) as session:
        return claims_repo.claim(session, name=name, holder=holder, now=now, until=now + hold)


def renew(database: Database, *, name: str, holder: str, now: datetime, hold: timedelta = HOLD) -> bool:
    """Hold the holder's claim until `now + hold`; False when it is no longer theirs."""
    with database.transaction(writes=True) as session:
        return claims_repo.renew(session, name=name, holder=holder, until=now + hold)


def release(database: Database, *, name: str, holder: str) -> None:
    """Give the holder's claim back, so another process may run the job at once."""
    with database.transaction(writes=True) as session:
        claims_repo.release(session, name=name, holder=holder)


def forget_expired(database: Database, *, now: datetime) -> None:
    """Delete the claims that ran out over `FORGET_AFTER` ago (finished jobs, dead processes')."""
    with database.transaction(writes=True) as session:
        claims_repo.forget_expired(session, before=now - FORGET_AFTER)


def running(session: Session, *, names: list[str], now: datetime) -> dict[str, str]:
    """Which of these jobs some process holds at `now`: name -> holder."""
    return claims_repo.holders(session, names=names, now=now)


@contextmanager
def claimed(
    database: Database, *, name: str, holder: str, hold: timedelta = HOLD, clock: Clock = wall_clock
) -> Iterator[bool]:
    """Hold the job's claim for the block (True), or yield False at once when another holds it;
    a claim held is kept (`kept`) while the block runs and given back after."""
    if not claim(database, name=name, holder=holder, now=clock(), hold=hold):
        yield False
        return
    with kept(database, name=name, holder=holder, hold=hold, clock=clock):
        yield True


@contextmanager
def kept(
    database: Database,
    *,
    name: str,
    holder: str,
    hold: timedelta = HOLD,
    clock: Clock = wall_clock,
    finished_for: timedelta | None = None,
) -> Iterator[None]:
    """Keep a claim the holder has taken for the block: renewed every third of `hold` (a first mail
    sync may take longer than `hold`), and given back when the block ends, however it ends; with
    `finished_for`, marked `FINISHED` for that long instead, so other processes see the job is over."""

    def keep() -> bool:
        try:
            if not renew(database, name=name, holder=holder, now=clock(), hold=hold):
                log.warning("job %s: its claim was taken over while it ran", name)
                return False
        except Exception as exc:  # the database busy or away: try again at the next turn
            log.warning("job %s: could not renew its claim (%s)", name, type(exc).__name__)
        return True

    try:
        with beside.every(hold.total_seconds() / 3, keep, name=f"claim-{name}", join_seconds=5):
            yield
    finally:
        # Not given back (the database away): it runs out after `hold`.
        with suppress(Exception):
            if finished_for is None:
                release(database, name=name, holder=holder)
            else:
                with database.transaction(writes=True) as session:
                    claims_repo.finish(
                        session, name=name, holder=holder, finished=FINISHED, until=clock() + finished_for
                    )
