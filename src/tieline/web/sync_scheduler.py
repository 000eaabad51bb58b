"""Syncs run by the web app, one at a time per process, in threads of their own: the ones `tieline
serve` runs by itself every `sync.every_minutes` (each owner's own), and those a user asks for with
"Sync now" (polled by the page).

Each sync opens its own short transactions (services.sync.run), so a request never waits on one
but for SQLite's write lock, which each holds only while it stores what it fetched. One lock keeps
two syncs of this process from running together, and a claim on each connection (services.sync.claims,
in the database) keeps two processes (`tieline serve --workers N`) from running the same connection's
sync at once: a second would fetch the same mail again. An owner's scheduled pass is claimed too, for
that owner's interval, so N processes make one pass per interval, not N.

A "Sync now" job keeps its progress in this process's memory, and its claim ("sync-job:OWNER:ID") in
the database while it runs and for an hour after, marked finished: the page's poll that reaches
another process finds that claim and the connections' own claims, and answers "syncing" until the job
is over, then the connections' table as the database has it (the job's own outcomes and its message
counts stay in the memory of the process that ran it, and are not shown there).

A failing connection waits its back-off (`next_run_at`), and the scheduler wakes once a minute, so
nothing loops hot. A log line names the owner, the connection and the kind of error, never its message
(an ICS address is a secret, and an unexpected error may quote it).
"""

from __future__ import annotations

import logging
import secrets
import threading
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tieline.errors import TielineError
from tieline.models import LOCAL_OWNER_ID
from tieline.services import preferences
from tieline.services.sync import claims as claims_service
from tieline.services.sync import connections as connections_service
from tieline.services.sync import run as run_service
from tieline.services.sync.run import SyncOutcome
from tieline.web.deps import WebState

log = logging.getLogger(__name__)
# How often the scheduler looks for connections due (and at the first time after start): in the
# scheduler's minutes. Each owner's pass then runs at most every `sync.every_minutes` of theirs.
TICK_MINUTES = 1
STOP_WAIT_SECONDS = 10
# How long a finished "Sync now" is known to every process (its claim marked finished), and how
# often a process deletes the claims that ran out long ago.
JOB_KEPT = timedelta(hours=1)
FORGET_EVERY = timedelta(hours=1)
ELSEWHERE = "another of the app's processes is syncing it now; the table shows its result when it is done"


@dataclass
class SyncJob:
    """A "Sync now" asked for from the page: which connections, how far it got, what each did."""

    id: str
    names: list[str]
    owner_id: int = LOCAL_OWNER_ID
    current: str | None = None
    done_items: int = 0
    total_items: int = 0
    outcomes: list[SyncOutcome] = field(default_factory=list)
    waiting: bool = True  # for another sync of this process to finish
    done: bool = False


class BackgroundLoop:
    """A thread of the app process that does one turn of work (`tick`) after `first_pause` seconds,
    then every `pause` seconds, until stopped; the app's lifespan starts and stops it (the scheduler
    here, the agenda warmer)."""

    def __init__(self, *, name: str, first_pause: float, pause: float) -> None:
        self.thread_name = name
        self.first_pause = first_pause
        self.pause = pause
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> object:
        """One turn of work; it handles its own failures (an exception escaping it ends the loop)."""
        raise NotImplementedError

    def start(self) -> None:
        """Start the thread (the app's lifespan calls this)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name=self.thread_name, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the loop: no new turn starts; the one running is let finish for a while."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=STOP_WAIT_SECONDS)

    @property
    def running(self) -> bool:
        """Whether the thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        pause = self.first_pause
        while not self._stop.wait(pause):
            self.tick()
            pause = self.pause


class SyncRunner(BackgroundLoop):
    """Runs the app's syncs one at a time: scheduled passes and the jobs the Sync page starts."""

    def __init__(self, state: WebState, *, minute_seconds: float = 60.0) -> None:
        tick = TICK_MINUTES * minute_seconds
        super().__init__(name="sync-scheduler", first_pause=tick, pause=tick)
        self.state = state
        # Tests shorten the scheduler's minute; a sync's own clock (back-off) is the app's.
        self.minute_seconds = minute_seconds
        self.owner_id = LOCAL_OWNER_ID  # whose "Sync now" it runs when not told (local mode)
        self.holder = claims_service.new_holder()  # this process, in the claims it takes
        self._one_at_a_time = threading.Lock()
        self._jobs: dict[str, SyncJob] = {}
        self._jobs_lock = threading.Lock()
        self._forgotten_at: datetime | None = None

    # --- "Sync now" ---------------------------------------------------------------------------

    def start_job(self, names: list[str], *, owner_id: int | None = None) -> SyncJob:
        """Sync these connections of the owner in a thread of their own (after any sync this process
        runs now); the same ones asked for again while that job is unfinished give that job, not a
        second one."""
        owner = self.owner_id if owner_id is None else owner_id
        with self._jobs_lock:
            for job in self._jobs.values():
                if not job.done and job.owner_id == owner and job.names == list(names):
                    return job
            job = SyncJob(id=secrets.token_urlsafe(8), names=list(names), owner_id=owner)
            self._jobs[job.id] = job
        threading.Thread(target=self._run_job, args=(job,), name=f"sync-{job.id}", daemon=True).start()
        return job

    def job(self, job_id: str, *, owner_id: int | None = None) -> SyncJob | None:
        """The owner's job by id: this process's own, with its progress and outcomes; else, from its
        claim, another process's: running (saying which connection is syncing) or finished (without
        its outcomes, which that process keeps); else None."""
        owner = self.owner_id if owner_id is None else owner_id
        with self._jobs_lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job if job.owner_id == owner else None
        job = SyncJob(id=job_id, names=[], owner_id=owner, waiting=False, done=True)
        name = self._job_claim(job)
        with self.state.database.transaction() as session:
            now = claims_service.wall_clock()
            holder = claims_service.running(session, names=[name], now=now).get(name)
            if holder is None:
                return None
            if holder == claims_service.FINISHED:
                return job
            names = [c.name for c in connections_service.list_connections(session, owner_id=owner)]
            by_claim = {claims_service.connection_job(owner, n): n for n in names}
            syncing = claims_service.running(session, names=list(by_claim), now=now)
        job.done = False
        job.names = sorted(by_claim[c] for c in syncing)
        job.current = ", ".join(job.names) or None
        job.waiting = not job.names
        return job

    @staticmethod
    def _job_claim(job: SyncJob) -> str:
        return f"sync-job:{job.owner_id}:{job.id}"

    def _run_job(self, job: SyncJob) -> None:
        # The job's claim tells the other processes it runs, then (kept a while marked finished) that
        # it is over. Taken here, not by start_job: the request starting the job holds SQLite's write
        # lock until it commits, just before its answer goes out, so this waits that long at most.
        claim: AbstractContextManager[None] = nullcontext()
        try:
            if claims_service.claim(
                self.state.database, name=self._job_claim(job), holder=self.holder,
                now=claims_service.wall_clock(),
            ):  # fmt: skip
                claim = claims_service.kept(
                    self.state.database, name=self._job_claim(job), holder=self.holder, finished_for=JOB_KEPT
                )
        except Exception as exc:  # the database busy: the job runs, seen by this process's polls only
            log.warning("sync job %s: could not claim it (%s)", job.id, type(exc).__name__)
        try:
            with claim, self._one_at_a_time:
                job.waiting = False
                for name in job.names:
                    job.current, job.done_items, job.total_items = name, 0, 0

                    def progress(done: int, total: int) -> None:
                        job.done_items, job.total_items = done, total

                    outcome = self._sync(job.owner_id, name, progress)
                    job.outcomes.append(outcome or SyncOutcome(name=name, kind="", ok=False, error=ELSEWHERE))
        finally:
            job.current, job.done = None, True

    # --- by itself, under `tieline serve` -------------------------------------------------------

    def tick(self) -> list[SyncOutcome]:
        """The scheduler's turn, once a minute (`start`, `stop`: no new sync starts once stopped)."""
        return self.run_due()

    def run_due(self) -> list[SyncOutcome]:
        """One pass: for each owner whose interval has come (`sync.every_minutes`; 0: never) and
        whose pass no process has made within it, each connection due now (none in back-off), one
        after the other, each only while no other process syncs it."""
        try:
            with self.state.database.transaction() as session:
                due: dict[int, list[str]] = {}
                for row in claims_service.due_everywhere(session, now=self.state.now()):
                    due.setdefault(row.owner_id, []).append(row.name)
                every = {
                    owner: float(preferences.load(session, owner_id=owner)["sync.every_minutes"] or 0)
                    for owner in due
                }
        except Exception as exc:  # the database busy or away: the next tick tries again
            log.warning("sync scheduler: could not list the connections due (%s)", type(exc).__name__)
            return []
        self._forget_expired()
        outcomes = []
        for owner, names in due.items():
            if every[owner] <= 0 or self._stop.is_set():
                continue
            # Held for the owner's interval (less a hair, for the wall clock's slewing): this process's
            # tick after it, or another's, makes the next pass.
            hold = timedelta(seconds=(every[owner] - TICK_MINUTES / 100) * self.minute_seconds)
            try:
                ours = claims_service.claim(
                    self.state.database, name=claims_service.pass_job(owner), holder=self.holder,
                    now=claims_service.wall_clock(), hold=hold,
                )  # fmt: skip
            except Exception as exc:
                log.warning("sync scheduler: could not claim owner %s's pass (%s)", owner, type(exc).__name__)
                continue
            if not ours:  # made within the interval, by this process or another
                continue
            for name in names:
                if self._stop.is_set():
                    break
                with self._one_at_a_time:
                    outcome = self._sync(owner, name, None)
                if outcome is not None:
                    outcomes.append(outcome)
        return outcomes

    def _forget_expired(self) -> None:
        now = claims_service.wall_clock()
        if self._forgotten_at is not None and now - self._forgotten_at < FORGET_EVERY:
            return
        self._forgotten_at = now
        try:
            claims_service.forget_expired(self.state.database, now=now)
        except Exception as exc:  # the next hour tries again
            log.warning("sync scheduler: could not delete old claims (%s)", type(exc).__name__)

    # --- one sync -------------------------------------------------------------------------------

    def _sync(self, owner_id: int, name: str, progress: run_service.Progress | None) -> SyncOutcome | None:
        """Sync one connection while holding its claim (None: another process is syncing it);
        whatever goes wrong is an outcome in words, never a dead thread."""
        try:
            with claims_service.claimed(
                self.state.database, name=claims_service.connection_job(owner_id, name), holder=self.holder
            ) as ours:
                if not ours:
                    return None
                return run_service.sync_connection(
                    self.state.database, owner_id=owner_id, name=name,
                    data_dir=self.state.settings.data_dir, now=self.state.now(), progress=progress,
                )  # fmt: skip
        except TielineError as exc:  # gone meanwhile, or the database busy: nothing was written
            log.warning("sync of owner %s's %s: %s", owner_id, name, type(exc).__name__)
            return SyncOutcome(name=name, kind="", ok=False, error=exc.message)
        except Exception as exc:
            # Not a connector's SyncError (those are recorded by the run): record it too, so the
            # connection waits its back-off rather than being tried again at every pass.
            log.warning("sync of owner %s's %s failed unexpectedly: %s", owner_id, name, type(exc).__name__)
            error = f"the sync failed unexpectedly ({type(exc).__name__}); nothing was stored"
            # The status may not be written either (the database busy): the next pass tries again.
            with suppress(Exception):
                run_service.record_failure(
                    self.state.database, owner_id=owner_id, name=name, error=error, now=self.state.now()
                )
            return SyncOutcome(name=name, kind="", ok=False, error=error)
