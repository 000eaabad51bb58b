"""Syncs run by the web app, one at a time, in threads of their own: the ones `tieline serve` runs by
itself every `sync.every_minutes`, and those a user asks for with "Sync now" (polled by the page).

Each sync opens its own short transactions (services.sync.run), so a request never waits on one
but for SQLite's write lock, which each holds only while it stores what it fetched. One lock keeps
two syncs of this process from running together: a second would fetch the same mail again.
A failing connection waits its back-off (`next_run_at`), and the scheduler sleeps between passes,
so nothing loops hot. A log line names the connection and the kind of error, never its message (an
ICS address is a secret, and an unexpected error may quote it).
"""

from __future__ import annotations

import logging
import secrets
import threading
from contextlib import suppress
from dataclasses import dataclass, field

from tieline.errors import TielineError
from tieline.models import LOCAL_OWNER_ID
from tieline.services import preferences
from tieline.services.sync import connections as connections_service
from tieline.services.sync import run as run_service
from tieline.services.sync.run import SyncOutcome
from tieline.web.deps import WebState

log = logging.getLogger(__name__)
# How long after start the first scheduled pass runs, and how often a turned-off scheduler
# (`sync.every_minutes` 0) looks again at the setting: in the scheduler's minutes.
FIRST_PASS_MINUTES = 1
OFF_RECHECK_MINUTES = 1
STOP_WAIT_SECONDS = 10


@dataclass
class SyncJob:
    """A "Sync now" asked for from the page: which connections, how far it got, what each did."""

    id: str
    names: list[str]
    current: str | None = None
    done_items: int = 0
    total_items: int = 0
    outcomes: list[SyncOutcome] = field(default_factory=list)
    waiting: bool = True  # for another sync of this process to finish
    done: bool = False


class SyncRunner:
    """Runs the app's syncs one at a time: scheduled passes and the jobs the Sync page starts."""

    def __init__(self, state: WebState, *, minute_seconds: float = 60.0) -> None:
        self.state = state
        # Tests shorten the scheduler's minute; a sync's own clock (back-off) is the app's.
        self.minute_seconds = minute_seconds
        self.owner_id = LOCAL_OWNER_ID  # local mode: one owner (server mode will go through each)
        self._one_at_a_time = threading.Lock()
        self._jobs: dict[str, SyncJob] = {}
        self._jobs_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- "Sync now" ---------------------------------------------------------------------------

    def start_job(self, names: list[str]) -> SyncJob:
        """Sync these connections in a thread of their own (after any sync running now); the same
        ones asked for again while that job is unfinished give that job, not a second one."""
        with self._jobs_lock:
            for job in self._jobs.values():
                if not job.done and job.names == list(names):
                    return job
            job = SyncJob(id=secrets.token_urlsafe(8), names=list(names))
            self._jobs[job.id] = job
        threading.Thread(target=self._run_job, args=(job,), name=f"sync-{job.id}", daemon=True).start()
        return job

    def job(self, job_id: str) -> SyncJob | None:
        """A job by id (kept in memory: a restart forgets them)."""
        with self._jobs_lock:
            return self._jobs.get(job_id)

    def _run_job(self, job: SyncJob) -> None:
        try:
            with self._one_at_a_time:
                job.waiting = False
                for name in job.names:
                    job.current, job.done_items, job.total_items = name, 0, 0

                    def progress(done: int, total: int) -> None:
                        job.done_items, job.total_items = done, total

                    job.outcomes.append(self._sync(name, progress))
        finally:
            job.current, job.done = None, True

    # --- by itself, under `tieline serve` -------------------------------------------------------

    def start(self) -> None:
        """Start the scheduler's thread (the app's lifespan calls this)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="sync-scheduler", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop the scheduler: no new sync starts; one running is let finish for a while."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=STOP_WAIT_SECONDS)

    @property
    def running(self) -> bool:
        """Whether the scheduler's thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        wait = FIRST_PASS_MINUTES
        while not self._stop.wait(wait * self.minute_seconds):
            every = self._every_minutes()
            if every <= 0:
                wait = OFF_RECHECK_MINUTES
                continue
            self.run_due()
            wait = every

    def _every_minutes(self) -> float:
        try:
            with self.state.database.transaction() as session:
                prefs = preferences.load(session, owner_id=self.owner_id)
            return float(prefs["sync.every_minutes"] or 0)
        except Exception as exc:  # the database busy or away: try again later, never in a tight loop
            log.warning("sync scheduler: could not read its setting (%s)", type(exc).__name__)
            return OFF_RECHECK_MINUTES

    def run_due(self) -> list[SyncOutcome]:
        """One pass: each connection due now (none in back-off), one after the other."""
        try:
            with self.state.database.transaction() as session:
                names = connections_service.due_connections(
                    session, owner_id=self.owner_id, now=self.state.now()
                )
        except Exception as exc:
            log.warning("sync scheduler: could not list the connections due (%s)", type(exc).__name__)
            return []
        outcomes = []
        for name in names:
            if self._stop.is_set():
                break
            with self._one_at_a_time:
                outcomes.append(self._sync(name, None))
        return outcomes

    # --- one sync -------------------------------------------------------------------------------

    def _sync(self, name: str, progress: run_service.Progress | None) -> SyncOutcome:
        """Sync one connection; whatever goes wrong is an outcome in words, never a dead thread."""
        try:
            return run_service.sync_connection(
                self.state.database, owner_id=self.owner_id, name=name,
                data_dir=self.state.settings.data_dir, now=self.state.now(), progress=progress,
            )  # fmt: skip
        except TielineError as exc:  # gone meanwhile, or the database busy: nothing was written
            log.warning("sync of %s: %s", name, type(exc).__name__)
            return SyncOutcome(name=name, kind="", ok=False, error=exc.message)
        except Exception as exc:
            # Not a connector's SyncError (those are recorded by the run): record it too, so the
            # connection waits its back-off rather than being tried again at every pass.
            log.warning("sync of %s failed unexpectedly: %s", name, type(exc).__name__)
            error = f"the sync failed unexpectedly ({type(exc).__name__}); nothing was stored"
            # The status may not be written either (the database busy): the next pass tries again.
            with suppress(Exception):
                run_service.record_failure(
                    self.state.database, owner_id=self.owner_id, name=name, error=error, now=self.state.now()
                )
            return SyncOutcome(name=name, kind="", ok=False, error=error)
