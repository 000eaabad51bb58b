"""Today's agendas computed before anyone asks (issue 17, server mode): each app process's warmer
(`web/agenda_warmer.py`) makes passes, and a pass computes, one owner at a time, the agenda of each
owner who uses the app whose kept agenda (`cache.py`) is missing, marked stale by a write, for
another day, or past the time it stops being true; so the Today page and `GET /api/v1/agenda`
normally find it ready instead of computing it on the request's path.

Each owner's computation is claimed (`job_claim`, "agenda:OWNER:DAY", services/sync/claims.py) for
`HOLD` at most, and given back once done, so of N processes one computes it; a process that finds it
claimed leaves it. A pass with work to do holds `PASS_CLAIM` while it lasts, so of N processes one
computes at a time: on a small server the warmers never take every core from the requests. A pass
that finds nothing to compute is one reading statement and writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import agenda_cache as cache_repo
from tieline.services.agenda import cache
from tieline.services.sync import claims as claims_service

log = logging.getLogger(__name__)
# Longer than any one agenda takes to compute; a process that died while computing holds it no longer.
HOLD = timedelta(minutes=2)
# Held by the one process making a pass with work to do, so the warmers of N processes compute one
# agenda at a time between them and never take more than one core from the requests.
PASS_CLAIM = "agenda-warm-pass"


def claim_name(owner_id: int, day: date) -> str:
    """The claim's name for computing an owner's agenda of a day."""
    return f"agenda:{owner_id}:{day.isoformat()}"


def owners_to_warm(database: Database, *, now: datetime) -> list[int]:
    """The owners whose agenda for today (at `now`) is not kept and true, most recently active first."""
    day = now.astimezone().date()
    with database.transaction() as session:
        rows = cache_repo.owners_to_compute(session, day=day, local_owner_id=LOCAL_OWNER_ID)
    # Judged by the head alone, with the test `cache.cached_agenda` makes again on the whole row.
    return [row.owner_id for row in rows if row.head is None or not cache.still_true(row.head, now=now)]


def warm_owner(database: Database, *, owner_id: int, now: datetime, holder: str) -> bool:
    """Compute the owner's agenda for today if this holder claims it (True), else leave it (False).

    Computed by `cache.cached_agenda` in a READING transaction: it reads and computes holding no lock,
    then stores in a savepoint, which on SQLite turns the transaction into a writing one only for
    that last statement and its commit, never waiting for the lock (a writer busy or committed since
    the read: nothing is stored, and the next pass tries again). A writing transaction would hold
    SQLite's one write lock for the whole computation (about 100 ms on a large network), and every
    request that writes would queue behind it. On PostgreSQL the two are the same."""
    day = now.astimezone().date()
    name = claim_name(owner_id, day)
    if not claims_service.claim(
        database, name=name, holder=holder, now=claims_service.wall_clock(), hold=HOLD
    ):
        return False
    try:
        with database.transaction() as session:
            cache.cached_agenda(session, owner_id=owner_id, day=day, now=now)
    finally:
        claims_service.release(database, name=name, holder=holder)
    return True


def warm_pass(
    database: Database,
    *,
    clock: Callable[[], datetime],
    holder: str,
    stopping: Callable[[], bool] = lambda: False,
) -> int:
    """One pass: the owners to warm (`owners_to_warm`), one at a time, at the clock's time then; how
    many this holder claimed (each computed then, unless another process had just done so).

    The owners are listed again after each computation, so several processes going down the same
    list each take the next one nobody has (not one another has just computed), and someone who
    signed in meanwhile comes first. Each owner is tried once per pass: one claimed elsewhere is left
    to the process that has it, and one whose agenda could not be kept (SQLite's lock taken while it
    was computed) waits for the next pass. A failure is logged in one line (the owner's id and the
    error's kind, never its message) and the pass goes on."""
    owners = [] if stopping() else owners_to_warm(database, now=clock())
    if not owners:
        return 0  # nothing to do: one reading statement, nothing written
    with claims_service.claimed(database, name=PASS_CLAIM, holder=holder, hold=HOLD) as ours:
        if not ours:
            return 0  # another process is making its pass; the next pass looks again
        return _pass(database, owners, clock=clock, holder=holder, stopping=stopping)


def _pass(
    database: Database,
    owners: list[int],
    *,
    clock: Callable[[], datetime],
    holder: str,
    stopping: Callable[[], bool],
) -> int:
    """The pass itself, from `owners` (listed just before), listing them again after each computed."""
    computed = 0
    tried: set[int] = set()
    while not stopping():
        for owner_id in owners:
            if owner_id in tried:
                continue
            if stopping():
                return computed
            tried.add(owner_id)
            try:
                ours = warm_owner(database, owner_id=owner_id, now=clock(), holder=holder)
            except Exception as exc:
                log.warning("agenda warmer: owner %s's agenda failed (%s)", owner_id, type(exc).__name__)
                continue
            if ours:
                computed += 1
                break  # list again
        else:
            return computed  # none left untried
        owners = owners_to_warm(database, now=clock())
    return computed
