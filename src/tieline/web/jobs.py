"""Imports started from the web run in a thread, so the page can show progress while they work.

At most MAX_RUNNING imports run at once, from the import page and the API together, across every
app process on the database (`tieline serve --workers N`): each keeps a core busy and holds a
transaction and up to a hundred MB or so while it works, and the app may run on a two-core laptop.
One more is refused at once (`TooManyImports`, HTTP 429), before its upload is copied, rather than
queued behind them holding its file and a thread. The slots are claims in the database
(`services/import_jobs.py`); each import's progress and end are written there too, so a page's poll
may reach any process. The process running an import answers from memory.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tieline.db import Database
from tieline.errors import TielineError
from tieline.importers.report import ImportReport
from tieline.services import import_jobs as service
from tieline.services.import_jobs import JobStatus
from tieline.services.sync import claims

log = logging.getLogger(__name__)
MAX_RUNNING = 2


class TooManyImports(TielineError):
    """Every import slot is taken: nothing was read or written; try again when one has finished."""

    http_status = 429


@dataclass
class ImportJob:
    """One upload being imported in this process: its progress, then its report or its error."""

    id: str
    owner_id: int
    filename: str
    workdir: Path
    records: int = 0
    report: ImportReport | None = None
    error: str | None = None
    done: bool = False

    def status(self) -> JobStatus:
        """As far as it got, as every process shows it."""
        done = self.done  # read first: the report or the error is set before it
        report = self.report
        shown = service.report_json(report) if report is not None else None
        return JobStatus(self.id, self.filename, self.records, done, self.error, shown)


class Slot:
    """One of the import slots, held (its claim renewed) until released, once; releasing again does
    nothing. `job_id` is the import it is for."""

    def __init__(self, job_id: str, keeper: ExitStack) -> None:
        self.job_id = job_id
        self._keeper: ExitStack | None = keeper
        self._lock = threading.Lock()

    def release(self) -> None:
        """Give the slot back."""
        with self._lock:
            keeper, self._keeper = self._keeper, None
        if keeper is not None:
            keeper.close()

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class ImportJobs:
    """The imports this process runs (in memory until their end is written to the database), and
    every process's as the database tells them."""

    def __init__(self, *, database: Database, limit: int = MAX_RUNNING) -> None:
        self.database = database
        self.limit = limit
        self.process = claims.new_holder()  # this process, in the slots it claims
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def claim(self) -> Slot:
        """A free import slot, or TooManyImports at once when `limit` imports are running anywhere."""
        job_id = secrets.token_urlsafe(16)
        name = service.claim_slot(self.database, job_id=job_id, process=self.process, limit=self.limit)
        if name is None:
            running = "an import is" if self.limit == 1 else f"{self.limit} imports are"
            raise TooManyImports(f"{running} already running: try again when one has finished")
        keeper = ExitStack()
        try:
            keeper.enter_context(
                service.slot_kept(self.database, name=name, job_id=job_id, process=self.process)
            )
        except BaseException:
            keeper.close()
            raise
        return Slot(job_id, keeper)

    def start(self, *, owner_id: int, filename: str, workdir: Path, run: Any, slot: Slot) -> ImportJob:
        """Run `run(job)` (its report back) in a thread holding `slot`; the slot and the temporary
        folder are given back when it ends, once its end is written."""
        job = ImportJob(id=slot.job_id, owner_id=owner_id, filename=filename, workdir=workdir)
        try:
            service.start(self.database, job_id=job.id, owner_id=owner_id, filename=filename)
        except BaseException:
            shutil.rmtree(workdir, ignore_errors=True)
            slot.release()
            raise
        with self._lock:
            self._jobs[job.id] = job

        def work() -> None:
            try:
                with service.progress_written(self.database, job_id=job.id, records=lambda: job.records):
                    job.report = run(job)
            except TielineError as exc:
                job.error = exc.message
            except Exception as exc:
                job.error = f"the import failed and changed nothing: {type(exc).__name__}: {exc}"
            finally:
                shutil.rmtree(workdir, ignore_errors=True)
                written = False
                try:
                    written = service.finish(
                        self.database, job_id=job.id, records=job.records, report=job.report, error=job.error
                    )
                except Exception as exc:
                    log.warning("import %s: its end could not be written (%s)", job.id, type(exc).__name__)
                finally:
                    slot.release()
                    job.done = True
                    if written:  # every process reads it from the database now
                        with self._lock:
                            self._jobs.pop(job.id, None)

        try:
            threading.Thread(target=work, name=f"import-{job.id}", daemon=True).start()
        except BaseException:
            with self._lock:
                self._jobs.pop(job.id, None)
            shutil.rmtree(workdir, ignore_errors=True)
            slot.release()
            raise
        return job

    def get(self, job_id: str, *, owner_id: int) -> JobStatus | None:
        """The owner's import by id, as far as it got, whichever process runs it; None for an unknown
        id and for another owner's import alike."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None and job.owner_id == owner_id:
            return job.status()
        return service.status(self.database, job_id=job_id, owner_id=owner_id, limit=self.limit)
