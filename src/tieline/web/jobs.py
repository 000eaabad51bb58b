"""Imports started from the web run in a thread, so the page can show progress while they work.

At most MAX_RUNNING imports run at once, from the import page and the API together: each keeps a
core busy and holds a transaction and up to a hundred MB or so while it works, and the app may run
on a two-core laptop. One more is refused at once (`TooManyImports`, HTTP 429), before its upload
is copied, rather than queued behind them holding its file and a thread.
"""

from __future__ import annotations

import secrets
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tieline.errors import TielineError
from tieline.importers.report import ImportReport

MAX_RUNNING = 2


class TooManyImports(TielineError):
    """Every import slot is taken: nothing was read or written; try again when one has finished."""

    http_status = 429


@dataclass
class ImportJob:
    """One upload being imported: its progress, then its report or its error."""

    id: str
    filename: str
    workdir: Path
    records: int = 0
    report: ImportReport | None = None
    error: str | None = None
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class Slot:
    """One of the app's import slots, held until released (once; releasing again does nothing)."""

    def __init__(self, free: threading.Semaphore) -> None:
        self._free: threading.Semaphore | None = free

    def release(self) -> None:
        """Give the slot back."""
        free, self._free = self._free, None
        if free is not None:
            free.release()

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class ImportJobs:
    """The app's running and finished imports (kept in memory; a restart forgets finished ones)."""

    def __init__(self, *, limit: int = MAX_RUNNING) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()
        self._free = threading.BoundedSemaphore(limit)
        self.limit = limit

    def claim(self) -> Slot:
        """A free import slot, or TooManyImports at once when `limit` imports are running."""
        if not self._free.acquire(blocking=False):
            running = "an import is" if self.limit == 1 else f"{self.limit} imports are"
            raise TooManyImports(f"{running} already running: try again when one has finished")
        return Slot(self._free)

    def start(self, *, filename: str, workdir: Path, run: Any, slot: Slot) -> ImportJob:
        """Run `run(job)` in a thread holding `slot`; the slot and the temporary folder are given
        back when it ends."""
        job = ImportJob(id=secrets.token_urlsafe(8), filename=filename, workdir=workdir)
        with self._lock:
            self._jobs[job.id] = job

        def work() -> None:
            try:
                job.report = run(job)
            except TielineError as exc:
                job.error = exc.message
            except Exception as exc:
                job.error = f"the import failed and changed nothing: {type(exc).__name__}: {exc}"
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
                slot.release()
                job.done = True

        try:
            threading.Thread(target=work, name=f"import-{job.id}", daemon=True).start()
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            slot.release()
            raise
        return job

    def get(self, job_id: str) -> ImportJob | None:
        """A job by id."""
        with self._lock:
            return self._jobs.get(job_id)
