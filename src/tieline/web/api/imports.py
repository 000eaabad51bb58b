"""/api/v1/imports: import an uploaded file (the `tieline import --json` report back), list the runs,
undo a run."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, Field

from tieline import importers
from tieline.errors import InvalidInput
from tieline.importers.report import MAX_LISTED
from tieline.serialise import imports as serialise
from tieline.serialise.imports import ImportRunOut
from tieline.services import imports as imports_service
from tieline.web.api.schemas import MAX_ID, ErrorOut
from tieline.web.deps import NowDep, OwnerDep, SessionDep, StateDep
from tieline.web.jobs import ImportJobs
from tieline.web.uploads import save_upload, shown_name

RunId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
router = APIRouter(tags=["imports"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})
_FOLDER_FORMATS = frozenset({"maildir"})  # an upload is one file: a Maildir is a folder
FILE_FORMATS = [f for f in importers.FORMATS if f not in _FOLDER_FORMATS]


class NoteOut(BaseModel):
    """A skipped record or a value left out: where (file:line) and why."""

    where: str
    reason: str


class MergeOut(BaseModel):
    """A record merged into a person you had, with the evidence."""

    where: str
    person_id: int
    reasons: list[str]


class ImportReportOut(BaseModel):
    """What an import did (the `tieline import --json` shape); lists hold at most 1,000 entries,
    the counts are exact."""

    format: str
    path: str = Field(description="the uploaded file's name")
    run_id: int | None = Field(description="the run to undo; null for a dry run or when nothing changed")
    dry_run: bool
    records: int
    added: int
    updated: int
    merged: int
    unchanged: int
    skipped: int
    counts: dict[str, dict[str, int]]
    possible_duplicates: int
    skips: list[NoteOut]
    warnings: list[NoteOut]
    merges: list[MergeOut]


@router.post(
    "/imports",
    response_model=ImportReportOut,
    responses={403: {"model": ErrorOut}, 413: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def import_file(
    request: Request,
    state: StateDep,
    owner_id: OwnerDep,
    now: NowDep,
    file: Annotated[
        UploadFile,
        File(description="a LinkedIn export zip, a vCard, a Google or Outlook CSV, iCalendar or mbox"),
    ],
    fmt: Annotated[
        str | None,
        Form(
            alias="format",
            max_length=40,
            description=f"one of {', '.join(FILE_FORMATS)}; default: detected from the name and content",
        ),
    ] = None,
    dry_run: Annotated[bool, Form(description="report what would change and write nothing")] = False,
    create_people: Annotated[bool, Form(description="add people for participants who match nobody")] = False,
) -> dict[str, Any]:
    """Import a file in one transaction and return the report: all of it lands, or (a malformed file,
    with its file, line and field in the error) none of it. A re-import of the same file changes nothing.
    Refused at once (429) while the most imports the app runs together are running."""
    if fmt and importers.check_format(fmt) in _FOLDER_FORMATS:
        raise InvalidInput(f"format {fmt!r} is a folder: upload one mbox file instead")
    name = shown_name(file.filename)
    jobs: ImportJobs = request.app.state.import_jobs
    with jobs.claim():
        workdir = Path(tempfile.mkdtemp(prefix="tieline-upload-"))
        try:
            target = save_upload(file, workdir)
            report = imports_service.import_path(
                state.database,
                target,
                owner_id=owner_id,
                now=now,
                fmt=fmt or None,
                dry_run=dry_run,
                create_people=create_people,
                name=name,
            )
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return report.to_dict(limit=MAX_LISTED)


@router.get("/imports", response_model=list[ImportRunOut])
def list_runs(
    session: SessionDep, owner_id: OwnerDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[dict[str, Any]]:
    """The latest import runs, newest first."""
    return [serialise.import_run(r) for r in imports_service.runs(session, owner_id=owner_id, limit=limit)]


@router.post("/imports/{run_id}/undo", response_model=ImportRunOut)
def undo_run(
    run_id: RunId, session: SessionDep, owner_id: OwnerDep, now: NowDep, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Undo a run whole: delete what it added, restore what it changed (newest run first)."""
    return serialise.import_run(imports_service.undo_run(session, owner_id=owner_id, run_id=run_id, now=now))
