"""/api/v1/export/{format}: the files `tieline export` writes: everyone as vCard, CSV or JSON, and the
calendar of reminders. The same writers write the same bytes; only the destination differs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TextIO

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel
from starlette.background import BackgroundTask

from tieline.exporters.calendar import DEFAULT_HORIZON_DAYS, MAX_HORIZON_DAYS, build_calendar
from tieline.exporters.csv_export import write_csv
from tieline.exporters.vcard import write_vcards
from tieline.serialise.interactions import InteractionOut
from tieline.serialise.people import PersonOut
from tieline.services import exports as exports_service
from tieline.web.api.schemas import ErrorOut
from tieline.web.deps import NowDep, OwnerDep, SessionDep, StateDep, TodayDep

router = APIRouter(tags=["export"], responses={422: {"model": ErrorOut}})

VCARD = "text/vcard; charset=utf-8"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
CALENDAR = "text/calendar; charset=utf-8"


class ExportedInteractionOut(InteractionOut):
    """An interaction in the JSON export, with the ids of the people who took part."""

    people: list[int]


class PeopleExportOut(BaseModel):
    """The JSON export: everyone with every field, and the interactions when asked for."""

    format: str
    people: list[PersonOut]
    interactions: list[ExportedInteractionOut] | None = None


def _file(content_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {content_type.split(";")[0]: {}}}}


def _written(
    write: Callable[[TextIO], object],
    *,
    filename: str,
    media_type: str,
    encoding: str = "utf-8",
    newline: str,
) -> FileResponse:
    """A file written whole into a private temporary file (memory stays flat over 30,000 people),
    sent as an attachment and removed once sent."""
    descriptor, name = tempfile.mkstemp(prefix="tieline-export-")
    path = Path(name)
    try:
        with open(descriptor, "w", encoding=encoding, newline=newline) as out:
            write(out)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return FileResponse(
        path,
        media_type=media_type,
        filename=filename,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


@router.get(
    "/export/vcard", response_class=Response, responses=_file(VCARD, "One vCard 3.0 card per person.")
)
def export_vcard(session: SessionDep, owner_id: OwnerDep) -> Response:
    """Everyone (archived people too) as vCard 3.0 cards in one .vcf file, as `tieline export vcard`."""
    people = exports_service.every_person(session, owner_id=owner_id)
    return _written(
        lambda out: write_vcards(people, out), filename="tieline-people.vcf", media_type=VCARD, newline=""
    )


@router.get(
    "/export/csv",
    response_class=Response,
    responses=_file(CSV, "One row per person, UTF-8 with a byte-order mark."),
)
def export_csv(session: SessionDep, owner_id: OwnerDep) -> Response:
    """Everyone as one CSV row each, as `tieline export csv`: lists joined with " ::: ", and every
    cell a spreadsheet would run as a formula neutralised."""
    people = exports_service.every_person(session, owner_id=owner_id)
    # The byte-order mark makes Excel read the file as UTF-8.
    return _written(
        lambda out: write_csv(people, out),
        filename="tieline-people.csv",
        media_type=CSV,
        encoding="utf-8-sig",
        newline="",
    )


@router.get(
    "/export/json",
    response_class=Response,
    responses={200: {"model": PeopleExportOut, "description": "Everyone with every field."}},
)
def export_json(
    session: SessionDep,
    owner_id: OwnerDep,
    with_interactions: Annotated[
        bool, Query(description="add every interaction, with who took part")
    ] = False,
) -> Response:
    """Everyone with every field (the `show --json` shape), as `tieline export json`."""

    def write(out: TextIO) -> None:
        exports_service.write_people_json(
            session, out, owner_id=owner_id, with_interactions=with_interactions
        )

    return _written(write, filename="tieline-people.json", media_type=JSON, newline="\n")


@router.get(
    "/export/calendar",
    response_class=Response,
    responses=_file(CALENDAR, "One all-day reminder per agenda line, on the day it falls due."),
)
def export_calendar(
    session: SessionDep,
    owner_id: OwnerDep,
    state: StateDep,
    now: NowDep,
    today: TodayDep,
    days: Annotated[
        int, Query(ge=1, le=MAX_HORIZON_DAYS, description="how many days ahead (a year at most)")
    ] = DEFAULT_HORIZON_DAYS,
    day: Annotated[
        date | None, Query(alias="date", description="first day covered (overdue lines fall on it)")
    ] = None,
    drafts: Annotated[bool, Query(description="put each line's draft message in its description")] = False,
) -> Response:
    """The agenda's reminders as an iCalendar file, as `tieline export calendar`."""
    # Open on loopback like the rest of the API in local mode; server mode puts the whole API behind login.
    body = build_calendar(
        session,
        owner_id=owner_id,
        day=day or today,
        now=now,
        horizon_days=days,
        data_dir=state.settings.data_dir,
        include_drafts=drafts,
    )
    return Response(
        body,
        media_type=CALENDAR,
        headers={"Content-Disposition": 'attachment; filename="tieline-reminders.ics"'},
    )
