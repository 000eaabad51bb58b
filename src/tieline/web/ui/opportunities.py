"""Opportunities: jobs, partnerships, collaborations... by stage, with where they came from and when
they are due; a form to add one and, on each, a form to move its stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.dates import parse_date
from tieline.errors import InvalidInput
from tieline.models import OPPORTUNITY_KINDS, OPPORTUNITY_STAGES, Opportunity
from tieline.services import introductions as introductions_service
from tieline.services import opportunities as opportunities_service
from tieline.services.opportunities import CLOSED_STAGES
from tieline.web.deps import OwnerDep, SessionDep, TodayDep
from tieline.web.params import IdPath
from tieline.web.templating import templates
from tieline.web.ui.growth_forms import answer, optional, person_options

router = APIRouter()
INTRO_CHOICES = 200  # the form offers the newest introductions as where an opportunity came from
Text = Annotated[str, Form(max_length=500)]
Row = tuple[Opportunity, str | None, str | None, str | None]


@dataclass(frozen=True)
class Stage:
    """The opportunities at one stage: (opportunity, person, organisation, event names), soonest due first."""

    name: str
    rows: list[Row]

    @property
    def closed(self) -> bool:
        """Won and lost close an opportunity."""
        return self.name in CLOSED_STAGES


def _context(session: Session, owner_id: int, today: date, message: str | None = None) -> dict[str, Any]:
    by_stage: dict[str, list[Row]] = {stage: [] for stage in OPPORTUNITY_STAGES}
    for row in opportunities_service.listing(session, owner_id=owner_id):
        by_stage[row.opportunity.stage].append(row)
    intros = introductions_service.listing(session, owner_id=owner_id)[:INTRO_CHOICES]
    return {
        "stages": [Stage(name, rows) for name, rows in by_stage.items() if rows],
        "stage_names": OPPORTUNITY_STAGES,
        "kinds": OPPORTUNITY_KINDS,
        "intros": intros,
        "today": today,
        "message": message,
    }


@router.get("/opportunities", response_class=HTMLResponse)
def opportunities_page(
    request: Request, session: SessionDep, owner_id: OwnerDep, today: TodayDep
) -> HTMLResponse:
    """Opportunities by stage, open ones first, each with its origin and due date."""
    return templates.TemplateResponse(request, "ui/opportunities.html", _context(session, owner_id, today))


@router.get("/opportunities/names", response_class=HTMLResponse)
def names(
    request: Request, session: SessionDep, owner_id: OwnerDep, via: Annotated[str, Query(max_length=500)] = ""
) -> HTMLResponse:
    """Autocomplete for the person an opportunity came through."""
    return person_options(request, session, owner_id, via)


@router.post("/opportunities", response_class=HTMLResponse)
def add(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    title: Text = "",
    kind: Annotated[str, Form(max_length=40)] = "job",
    stage: Annotated[str, Form(max_length=40)] = "spotted",
    via: Text = "",
    organisation: Text = "",
    event: Text = "",
    introduction: Annotated[str, Form(max_length=20)] = "",
    spotted: Annotated[str, Form(max_length=100)] = "today",
    due: Annotated[str, Form(max_length=100)] = "",
    notes: Annotated[str, Form(max_length=100_000)] = "",
    reset: Annotated[str, Form(max_length=1)] = "",
) -> HTMLResponse:
    """Record an opportunity and where it came from (a person, organisation, event, introduction)."""
    if not title.strip():
        raise InvalidInput("give the opportunity a title, e.g. 'Staff engineer at Acme'")
    spotted_on = parse_date(spotted or "today", today=today, field="spotted")
    due_on = parse_date(due, today=today, field="due") if optional(due) else None
    origin = opportunities_service.resolve_origin(
        session,
        owner_id=owner_id,
        person=via,
        organisation=organisation,
        event=event,
        introduction=introduction,
    )
    item = opportunities_service.add_opportunity(
        session, owner_id=owner_id, title=title, kind=kind, stage=stage, origin=origin, spotted_on=spotted_on,
        due_on=due_on, notes=notes,
    )  # fmt: skip
    message = f"Added opportunity #{item.id}: {item.title} ({item.kind.replace('_', ' ')}, {item.stage})."
    context = {**_context(session, owner_id, today, message), "reset_form": bool(reset)}
    return answer(
        request, partial="ui/_opportunities_changed.html", page="ui/opportunities.html", context=context
    )


@router.post("/opportunities/{opportunity_id}/move", response_class=HTMLResponse)
def move(
    request: Request,
    opportunity_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    stage: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    """Move an opportunity to another stage as of today (won and lost close it; moving back reopens it)."""
    if not stage.strip():
        raise InvalidInput("choose the stage to move it to")
    item = opportunities_service.get(session, owner_id=owner_id, opportunity_id=opportunity_id)
    result = opportunities_service.move(item, stage=stage, on=today)
    session.flush()
    changes = [f"{result.previous} → {item.stage}"] if result.previous != item.stage else []
    message = f"#{item.id} {item.title}: " + "; ".join([*changes, *result.notes]) + "."
    return answer(
        request,
        partial="ui/_opportunities_changed.html",
        page="ui/opportunities.html",
        context=_context(session, owner_id, today, message),
    )
