"""Imports started from the web run in a thread, so the page can show progress while they work."""

from __future__ import annotations

import secrets
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tieline.errors import TielineError
from tieline.importers.report import ImportReport


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


class ImportJobs:
    """The app's running and finished imports (kept in memory; a restart forgets finished ones)."""

    def __init__(self) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def start(self, *, filename: str, workdir: Path, run: Any) -> ImportJob:
        """Run `run(job)` in a thread; the temporary folder is removed when it ends."""
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
                job.done = True

        threading.Thread(target=work, name=f"import-{job.id}", daemon=True).start()
        return job

    def get(self, job_id: str) -> ImportJob | None:
        """A job by id."""
        with self._lock:
            return self._jobs.get(job_id)
