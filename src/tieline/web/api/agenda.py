"""/api/v1/agenda: the day's agenda, and done / snooze / dismiss by item key."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from tieline.serialise.agenda import AgendaItemOut, AgendaOut, agenda_item
from tieline.serialise.agenda import agenda as agenda_out
from tieline.services import agenda
from tieline.services.agenda.actions import DoneOptions
from tieline.services.agenda.cache import cached_agenda
from tieline.services.interactions import check_kind
from tieline.web.api.schemas import DoneIn, ErrorOut, SnoozeIn
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep

router = APIRouter(tags=["agenda"], responses={404: {"model": ErrorOut}, 422: {"model": ErrorOut}})


@router.get("/agenda", response_model=AgendaOut)
def read_agenda(
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    today: TodayDep,
    day: Annotated[
        date | None, Query(alias="date", description="the agenda as it will stand that day")
    ] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> dict[str, Any]:
    """The ranked agenda for a day (default today), capped at the daily cap unless limit is given.

    Time-sensitive lines come first; when nothing is due, `coming` lists the next seven days' lines.
    """
    if limit is None:  # at the daily cap: today's is kept once computed (services/agenda/cache.py)
        view = cached_agenda(session, owner_id=owner_id, day=day or today, now=now)
    else:
        view = agenda.agenda_for(
            session, owner_id=owner_id, day=day or today, now=now, limit=limit, remember=False
        )
    return dict(agenda_out(view))


@router.post("/agenda/items/{key}/done", response_model=AgendaItemOut)
def done(key: str, body: DoneIn, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> dict[str, Any]:
    """Mark an item done (a contact item also logs the contact)."""
    options = DoneOptions(log_kind=check_kind(body.kind), note=body.note)
    return agenda_item(agenda.done(session, owner_id=owner_id, ref=key, now=now, options=options))


@router.post("/agenda/items/{key}/snooze", response_model=AgendaItemOut)
def snooze(key: str, body: SnoozeIn, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> dict[str, Any]:
    """Hide an item for some days."""
    item, _ = agenda.snooze(session, owner_id=owner_id, ref=key, days=body.days, now=now)
    return agenda_item(item)


@router.post("/agenda/items/{key}/dismiss", response_model=AgendaItemOut)
def dismiss(
    key: str, session: SessionDep, owner_id: OwnerDep, now: NowDep, body: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Hide an item for good."""
    return agenda_item(agenda.dismiss(session, owner_id=owner_id, ref=key, now=now))
