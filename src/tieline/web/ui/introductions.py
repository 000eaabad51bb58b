"""Introductions: the ones you made or plan, by state; propose one and move it on (double opt-in:
ask A, ask B, introduce, say what came of it); suggested pairs, loaded after the page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.analytics import intros as intros_mod
from tieline.errors import InvalidInput
from tieline.models import INTRODUCTION_STATES, Introduction
from tieline.services import introductions as introductions_service
from tieline.services import people as people_service
from tieline.services import preferences
from tieline.services.drafts import render_draft
from tieline.services.introductions import STATE_NAMES
from tieline.web.deps import NowDep, OwnerDep, SessionDep, StateDep
from tieline.web.params import IdPath
from tieline.web.templating import templates
from tieline.web.ui.growth_forms import answer, optional, person_options

router = APIRouter()
SUGGESTED = 10
CHANGED = "intros-changed"  # the event a change triggers: the suggestions reload on it
Name = Annotated[str, Form(max_length=500)]


@dataclass(frozen=True)
class Group:
    """The introductions in one state, newest first: (introduction, A's name, B's name)."""

    state: str
    name: str
    rows: list[tuple[Introduction, str, str]]


def _context(session: Session, owner_id: int, message: str | None = None) -> dict[str, Any]:
    by_state: dict[str, list[tuple[Introduction, str, str]]] = {state: [] for state in INTRODUCTION_STATES}
    for row in introductions_service.listing(session, owner_id=owner_id):
        by_state[row.introduction.state].append(row)
    groups = [Group(s, STATE_NAMES[s], rows) for s, rows in by_state.items() if rows]
    return {"groups": groups, "message": message}


@router.get("/introductions", response_class=HTMLResponse)
def introductions_page(request: Request, session: SessionDep, owner_id: OwnerDep) -> HTMLResponse:
    """Your introductions by state, a form to propose one; the suggestions load after the page."""
    return templates.TemplateResponse(request, "ui/introductions.html", _context(session, owner_id))


@router.get("/introductions/suggested", response_class=HTMLResponse)
def suggested(request: Request, session: SessionDep, owner_id: OwnerDep, now: NowDep) -> HTMLResponse:
    """Pairs who could help each other (as `tieline suggest intros`), each with a form to propose it."""
    found = intros_mod.suggest_intros(session, owner_id=owner_id, now=now, limit=SUGGESTED)
    return templates.TemplateResponse(request, "ui/_intro_suggestions.html", {"suggestions": found})


@router.get("/introductions/names", response_class=HTMLResponse)
def names(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    a: Annotated[str, Query(max_length=500)] = "",
    b: Annotated[str, Query(max_length=500)] = "",
) -> HTMLResponse:
    """Autocomplete for the A and B fields."""
    return person_options(request, session, owner_id, a or b)


@router.post("/introductions", response_class=HTMLResponse)
def propose(
    request: Request,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    a: Name = "",
    b: Name = "",
    why: Annotated[str, Form(max_length=5000)] = "",
    reset: Annotated[str, Form(max_length=1)] = "",
) -> HTMLResponse:
    """Propose introducing A to B (you will ask A first, then B)."""
    if not (a.strip() and b.strip()):
        raise InvalidInput("name both people: A, whom you ask first, and B")
    if not why.strip():
        raise InvalidInput("say why they should meet")
    person_a = people_service.resolve_person(session, owner_id=owner_id, text=a)
    person_b = people_service.resolve_person(session, owner_id=owner_id, text=b)
    intro = introductions_service.propose(
        session, owner_id=owner_id, a=person_a, b=person_b, why=why, now=now
    )
    message = f"Proposed introduction #{intro.id} of {person_a.display_name} and {person_b.display_name}."
    context = {**_context(session, owner_id, message), "reset_form": bool(reset)}
    return answer(
        request,
        partial="ui/_intro_changed.html",
        page="ui/introductions.html",
        context=context,
        event=CHANGED,
    )


def _move(
    request: Request,
    session: Session,
    owner_id: int,
    introduction_id: int,
    step: Callable[[Introduction], Any],
    verb: str,
) -> HTMLResponse:
    intro = introductions_service.get(session, owner_id=owner_id, introduction_id=introduction_id)
    step(intro)
    a, b = introductions_service.names_of(session, owner_id=owner_id, intro=intro)
    message = f"Introduction #{intro.id} of {a} and {b}: {verb}."
    return answer(
        request,
        partial="ui/_intro_changed.html",
        page="ui/introductions.html",
        context=_context(session, owner_id, message),
        event=CHANGED,
    )


@router.post("/introductions/{introduction_id}/ask-a", response_class=HTMLResponse)
def ask_a(
    request: Request, introduction_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """You asked A whether they would welcome the introduction."""
    return _move(
        request, session, owner_id, introduction_id,
        lambda i: introductions_service.ask_a(session, i, now=now), "asked A",
    )  # fmt: skip


@router.post("/introductions/{introduction_id}/ask-b", response_class=HTMLResponse)
def ask_b(
    request: Request, introduction_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """A agreed, and you asked B."""
    return _move(
        request, session, owner_id, introduction_id,
        lambda i: introductions_service.ask_b(session, i, now=now), "asked B",
    )  # fmt: skip


@router.post("/introductions/{introduction_id}/made", response_class=HTMLResponse)
def made(
    request: Request, introduction_id: IdPath, session: SessionDep, owner_id: OwnerDep, now: NowDep
) -> HTMLResponse:
    """Both agreed and you introduced them: a favour to each, a knows link, the email logged."""
    return _move(
        request, session, owner_id, introduction_id,
        lambda i: introductions_service.make(session, owner_id=owner_id, intro=i, now=now),
        "made (a favour given to each, and they now know each other)",
    )  # fmt: skip


@router.post("/introductions/{introduction_id}/declined", response_class=HTMLResponse)
def declined(
    request: Request,
    introduction_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    by: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    """A or B said no (`by` is a or b), or you dropped it (no `by`)."""
    return _move(
        request, session, owner_id, introduction_id,
        lambda i: introductions_service.decline(session, owner_id=owner_id, intro=i, by=optional(by), now=now),
        "declined" if optional(by) else "dropped",
    )  # fmt: skip


@router.post("/introductions/{introduction_id}/outcome", response_class=HTMLResponse)
def outcome(
    request: Request,
    introduction_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    text: Annotated[str, Form(max_length=5000)] = "",
) -> HTMLResponse:
    """What came of an introduction you made; a later outcome replaces an earlier one."""
    return _move(
        request, session, owner_id, introduction_id,
        lambda i: introductions_service.record_outcome(session, i, text, now=now), "outcome saved",
    )  # fmt: skip


@router.get("/introductions/{introduction_id}/draft", response_class=HTMLResponse)
def draft(
    request: Request,
    introduction_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    state: StateDep,
) -> HTMLResponse:
    """The message for the introduction's current step (ask A, ask B, introduce, how did it go)."""
    intro = introductions_service.get(session, owner_id=owner_id, introduction_id=introduction_id)
    a, b = introductions_service.names_of(session, owner_id=owner_id, intro=intro)
    item = introductions_service.step_item(
        intro.id, intro.state, a=(intro.person_a_id, a), b=(intro.person_b_id, b)
    )
    result = render_draft(
        session, owner_id=owner_id, item=item, prefs=preferences.load(session, owner_id=owner_id),
        data_dir=state.settings.data_dir, now=now,
    )  # fmt: skip
    return templates.TemplateResponse(request, "ui/_draft.html", {"draft": result})
