"""Import: upload a file or a LinkedIn zip, watch its progress, read the report; review duplicates."""

from __future__ import annotations

import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from tieline.errors import NotFound
from tieline.services import duplicates as duplicates_service
from tieline.services import imports as imports_service
from tieline.services import merge as merge_service
from tieline.services import people as people_service
from tieline.web.deps import NowDep, OwnerDep, SessionDep, StateDep
from tieline.web.jobs import ImportJob, ImportJobs
from tieline.web.params import IdForm
from tieline.web.templating import templates
from tieline.web.uploads import save_upload, shown_name

router = APIRouter()


def _page(request: Request, session, owner_id: int, **extra) -> HTMLResponse:  # type: ignore[no-untyped-def]
    context = {
        "runs": imports_service.runs(session, owner_id=owner_id, limit=10),
        "candidates": duplicates_service.find(session, owner_id=owner_id)[:50],
        **extra,
    }
    return templates.TemplateResponse(request, "ui/import.html", context)


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """The upload form, recent imports, and the duplicate review queue."""
    return _page(request, session, owner_id)


@router.post("/import", response_class=HTMLResponse)
async def upload(
    request: Request,
    state: StateDep,
    owner_id: OwnerDep,
    now: NowDep,
    file: UploadFile,
    dry_run: Annotated[bool, Form()] = False,
    create_people: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Save the upload in a private temporary folder and import it in the background (refused at
    once, with nothing copied, when the most imports the app runs together are running)."""
    jobs: ImportJobs = request.app.state.import_jobs
    slot = await run_in_threadpool(jobs.claim)
    workdir = Path(tempfile.mkdtemp(prefix="tieline-upload-"))
    try:
        target = await run_in_threadpool(save_upload, file, workdir)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        slot.release()
        raise
    name = shown_name(file.filename)

    def run(job: ImportJob):  # type: ignore[no-untyped-def]
        def progress(done: int) -> None:
            job.records = done

        return imports_service.import_path(
            state.database, target, owner_id=owner_id, now=now, dry_run=dry_run,
            create_people=create_people, progress=progress, name=name,
        )  # fmt: skip

    job = await run_in_threadpool(
        partial(jobs.start, owner_id=owner_id, filename=name, workdir=workdir, run=run, slot=slot)
    )
    return templates.TemplateResponse(request, "ui/_import_job.html", {"job": job})


@router.get("/import/jobs/{job_id}", response_class=HTMLResponse)
def job_status(request: Request, owner_id: OwnerDep, job_id: str) -> HTMLResponse:
    """Progress of an import (polled by the page, reaching any app process), then its report."""
    jobs: ImportJobs = request.app.state.import_jobs
    job = jobs.get(job_id, owner_id=owner_id)
    if job is None:
        raise NotFound("no such import (finished over a day ago?)")
    return templates.TemplateResponse(request, "ui/_import_job.html", {"job": job, "report": job.report})


@router.post("/duplicates/merge", response_class=HTMLResponse)
def merge(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    kept: IdForm,
    merged: IdForm,
) -> HTMLResponse:
    """Merge the second person into the first (undoable)."""
    a = people_service.resolve_person(session, owner_id=owner_id, text=f"#{kept}")
    b = people_service.resolve_person(session, owner_id=owner_id, text=f"#{merged}")
    name = b.display_name
    record = merge_service.merge(session, kept=a, merged=b, now=now)
    session.flush()
    message = f"Merged {name} into {a.display_name}."
    return _page(request, session, owner_id, message=message, undo_merge=record.id)


@router.post("/duplicates/unmerge", response_class=HTMLResponse)
def unmerge(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    merge_id: IdForm,
) -> HTMLResponse:
    """Undo a merge."""
    merge_service.unmerge(session, owner_id=owner_id, merge_id=merge_id, now=now)
    session.flush()
    return _page(request, session, owner_id, message="Merge undone: both people are back as they were.")


@router.post("/duplicates/distinct", response_class=HTMLResponse)
def distinct(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    a: IdForm,
    b: IdForm,
) -> HTMLResponse:
    """Two people who are not the same: stop proposing them."""
    first = people_service.resolve_person(session, owner_id=owner_id, text=f"#{a}")
    second = people_service.resolve_person(session, owner_id=owner_id, text=f"#{b}")
    merge_service.mark_distinct(session, owner_id=owner_id, a=first, b=second)
    session.flush()
    return _page(request, session, owner_id, message="Noted: not the same person.")
