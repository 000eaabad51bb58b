"""Goals: each with its progress and pace as the goals service measures them from what you log; a form
to set one, and on each a button to remove it (what it measured stays)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.models import GOAL_KINDS
from tieline.services import goals as goals_service
from tieline.web.deps import OwnerDep, SessionDep, TodayDep
from tieline.web.params import IdPath
from tieline.web.templating import templates
from tieline.web.ui.growth_forms import answer, optional, whole_number

router = APIRouter()
Short = Annotated[str, Form(max_length=100)]


def _context(session: Session, owner_id: int, today: date, message: str | None = None) -> dict[str, Any]:
    return {
        "progress": goals_service.all_progress(session, owner_id=owner_id, today=today),
        "kinds": GOAL_KINDS,
        "units": goals_service.UNITS,
        "periods": tuple(goals_service.PERIODS),
        "message": message,
    }


@router.get("/goals", response_class=HTMLResponse)
def goals_page(request: Request, session: SessionDep, owner_id: OwnerDep, today: TodayDep) -> HTMLResponse:
    """Your goals with progress, pace, days left and what counted; a form to set one."""
    return templates.TemplateResponse(request, "ui/goals.html", _context(session, owner_id, today))


@router.post("/goals", response_class=HTMLResponse)
def add(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    kind: Annotated[str, Form(max_length=40)] = "",
    target: Short = "",
    by: Short = "",
    per: Short = "",
    start: Short = "today",
    industry: Annotated[str, Form(max_length=500)] = "",
    tag: Annotated[str, Form(max_length=200)] = "",
    tier: Annotated[str, Form(max_length=2)] = "",
    label: Annotated[str, Form(max_length=5000)] = "",
    reset: Annotated[str, Form(max_length=1)] = "",
) -> HTMLResponse:
    """Set a goal: a kind, a target, and by when (a date) or how often (a period)."""
    amount = whole_number(target, field="target")
    starts_on = goals_service.day_from_text(start or "today", today=today, field="from", end=False)
    ends_on = goals_service.day_from_text(by, today=today, field="by", end=True) if optional(by) else None
    goal = goals_service.add_goal(
        session, owner_id=owner_id, kind=kind, target=amount, starts_on=starts_on, ends_on=ends_on,
        per=optional(per), industry=optional(industry), tag=optional(tag),
        tier=whole_number(tier, field="tier") if optional(tier) else None, label=optional(label),
    )  # fmt: skip
    message = f"Set goal #{goal.id}: {goal.label or goals_service.describe(goal)}."
    context = {**_context(session, owner_id, today, message), "reset_form": bool(reset)}
    return answer(request, partial="ui/_goals_changed.html", page="ui/goals.html", context=context)


@router.post("/goals/{goal_id}/remove", response_class=HTMLResponse)
def remove(
    request: Request,
    goal_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
) -> HTMLResponse:
    """Remove a goal; the people, events and introductions it counted stay."""
    goal = goals_service.get(session, owner_id=owner_id, goal_id=goal_id)
    what = goal.label or goals_service.describe(goal)
    goals_service.remove_goal(session, goal)
    return answer(
        request,
        partial="ui/_goals_changed.html",
        page="ui/goals.html",
        context=_context(session, owner_id, today, f"Removed goal #{goal_id}: {what}."),
    )
