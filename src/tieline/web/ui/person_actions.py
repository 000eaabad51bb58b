"""A person's ledger on their page, acted on in place: favours both ways (record one, log a thank-you),
milestones (record one) and open follow-ups (add one, mark one done).

The page renders each section with one query (`sections`); every POST here answers with its section
again, or with the section and a message saying what to fix (422) when the input cannot be used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from tieline.dates import parse_date, parse_when
from tieline.errors import InvalidInput
from tieline.models import FAVOUR_KINDS, MILESTONE_KINDS, FollowUp, Milestone, Person
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import milestones as milestones_service
from tieline.services import people as people_service
from tieline.services.favours import PersonLedger
from tieline.services.milestones import Occasion
from tieline.services.people import MembershipItem, PersonView
from tieline.web.deps import NowDep, OwnerDep, SessionDep, TodayDep
from tieline.web.params import IdPath
from tieline.web.templating import templates

router = APIRouter()

ShortText = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=10_000)]


@dataclass
class FavoursSection:
    """The favours section: the ledger with this person, and what the forms say back."""

    person_id: int
    ledger: PersonLedger
    kinds: Sequence[str] = FAVOUR_KINDS
    error: str | None = None
    notice: str | None = None
    typed: dict[str, str] = field(default_factory=dict)  # the form's values, kept when they failed


@dataclass
class MilestonesSection:
    """The milestones section: what was logged, the birthday and work anniversaries coming up."""

    person_id: int
    recorded: list[Milestone]
    coming_up: list[Occasion]
    kinds: Sequence[str] = MILESTONE_KINDS
    error: str | None = None
    notice: str | None = None
    typed: dict[str, str] = field(default_factory=dict)


@dataclass
class FollowupsSection:
    """The open follow-ups section."""

    person_id: int
    items: list[FollowUp]
    today: date
    error: str | None = None
    notice: str | None = None
    typed: dict[str, str] = field(default_factory=dict)


def sections(
    session: Session, *, owner_id: int, person: PersonView, memberships: list[MembershipItem], today: date
) -> dict[str, Any]:
    """The three sections of a person's page, one query each (the birthday and roles are read)."""
    roles = [
        (m.start_date, m.organisation.name)
        for m in memberships
        if m.organisation.kind == "company" and m.start_date is not None and m.end_date is None
    ]
    return {
        "favours": _favours(session, owner_id, person.id, person.display_name),
        "milestones": _milestones(session, owner_id, person, roles, today),
        "followups": _followups(session, owner_id, person.id, today),
    }


def _favours(session: Session, owner_id: int, person_id: int, name: str) -> FavoursSection:
    ledger = favours_service.person_ledger(session, owner_id=owner_id, person_id=person_id, name=name)
    return FavoursSection(person_id, ledger)


def _milestones(
    session: Session,
    owner_id: int,
    person: Person | PersonView,
    roles: Sequence[tuple[date, str]],
    today: date,
) -> MilestonesSection:
    recorded = milestones_service.recorded_for(session, owner_id=owner_id, person_id=person.id)
    coming = milestones_service.coming_up(
        day=today,
        birthday_month=person.birthday_month,
        birthday_day=person.birthday_day,
        birthday_year=person.birthday_year,
        company_roles=roles,
    )
    return MilestonesSection(person.id, recorded, coming)


def _followups(session: Session, owner_id: int, person_id: int, today: date) -> FollowupsSection:
    items = followups_service.open_for(session, owner_id=owner_id, person_id=person_id)
    return FollowupsSection(person_id, items, today)


def _person(session: Session, owner_id: int, person_id: int) -> Person:
    return people_service.get_person(session, owner_id=owner_id, person_id=person_id, details=False)


def _answer(
    request: Request,
    template: str,
    name: str,
    build: Callable[[], Any],
    act: Callable[[], str],
    typed: dict[str, str],
) -> HTMLResponse:
    """Run `act` (which validates before it writes) and show the section again: with its notice on
    success, or with the problem and what was typed (status 422) when the input cannot be used."""
    try:
        notice = act()
    except InvalidInput as exc:
        section = build()
        section.error, section.typed = exc.message, typed
        return templates.TemplateResponse(request, template, {name: section}, status_code=422)
    section = build()
    section.notice = notice
    return templates.TemplateResponse(request, template, {name: section})


@router.post("/people/{person_id}/favours", response_class=HTMLResponse)
def record_favour(
    request: Request,
    person_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    direction: ShortText = "",
    kind: ShortText = "",
    text: LongText = "",
    when: ShortText = "today",
) -> HTMLResponse:
    """Log help given to or received from this person; answers with the favours section."""
    person = _person(session, owner_id, person_id)

    def act() -> str:
        checked = favours_service.check_kind(kind)
        moment = parse_when(when, now=now, field="when")
        favours_service.record_favour(
            session,
            owner_id=owner_id,
            person=person,
            direction=direction,
            kind=checked,
            when=moment,
            now=now,
            text=text,
        )
        return f"recorded: {checked.replace('_', ' ')} {direction}"

    typed = {"direction": direction, "kind": kind, "text": text, "when": when}
    build = partial(_favours, session, owner_id, person.id, person.display_name)
    return _answer(request, "ui/_person_favours.html", "favours", build, act, typed)


@router.post("/people/{person_id}/favours/thanks", response_class=HTMLResponse)
def log_thanks(
    request: Request,
    person_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    text: LongText = "",
) -> HTMLResponse:
    """Log a thank-you to this person, closing every thanks owed; answers with the favours section."""
    person = _person(session, owner_id, person_id)

    def act() -> str:
        if not favours_service.thanks_owed(session, owner_id=owner_id, person=person):
            raise InvalidInput(f"no thanks are owed to {person.display_name}")
        thanked = favours_service.thank(session, owner_id=owner_id, person=person, now=now, text=text)
        return f"thank-you logged: {thanked.interaction.notes}"

    build = partial(_favours, session, owner_id, person.id, person.display_name)
    return _answer(request, "ui/_person_favours.html", "favours", build, act, {"thanks_text": text})


@router.post("/people/{person_id}/milestones", response_class=HTMLResponse)
def record_milestone(
    request: Request,
    person_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    kind: ShortText = "",
    on: ShortText = "today",
    text: LongText = "",
) -> HTMLResponse:
    """Log a milestone of this person (a new job, a promotion...); answers with the milestones section."""
    person = _person(session, owner_id, person_id)

    def act() -> str:
        checked = milestones_service.check_kind(kind)
        day = parse_date(on, today=today, field="date")
        milestones_service.add_milestone(
            session, owner_id=owner_id, person=person, kind=checked, occurred_on=day, text=text
        )
        return f"recorded: {checked.replace('_', ' ')} on {day.isoformat()}"

    def build() -> MilestonesSection:
        roles = milestones_service.company_roles(session, owner_id=owner_id, person_id=person.id)
        return _milestones(session, owner_id, person, roles, today)

    typed = {"kind": kind, "on": on, "text": text}
    return _answer(request, "ui/_person_milestones.html", "milestones", build, act, typed)


@router.post("/people/{person_id}/followups", response_class=HTMLResponse)
def add_followup(
    request: Request,
    person_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    today: TodayDep,
    text: LongText = "",
    due: ShortText = "",
    promise: ShortText = "",
) -> HTMLResponse:
    """Add a follow-up about this person, due on a day; answers with the open follow-ups."""
    person = _person(session, owner_id, person_id)

    def act() -> str:
        if not due.strip():
            raise InvalidInput("give the day it is due, e.g. 2026-03-20, tomorrow or 'in 2 weeks'")
        day = parse_date(due, today=today, field="due date")
        followups_service.add_followup(
            session, owner_id=owner_id, person=person, text=text, due_on=day, is_promise=bool(promise)
        )
        return f"added, due {day.isoformat()}"

    typed = {"text": text, "due": due, "promise": promise}
    build = partial(_followups, session, owner_id, person.id, today)
    return _answer(request, "ui/_person_followups.html", "followups", build, act, typed)


@router.post("/people/{person_id}/followups/{followup_id}/done", response_class=HTMLResponse)
def complete_followup(
    request: Request,
    person_id: IdPath,
    followup_id: IdPath,
    session: SessionDep,
    owner_id: OwnerDep,
    now: NowDep,
    today: TodayDep,
) -> HTMLResponse:
    """Mark one of this person's follow-ups done (a recurring one moves to its next due date)."""
    followup = followups_service.get_of_person(
        session, owner_id=owner_id, person_id=person_id, followup_id=followup_id
    )

    def act() -> str:
        followups_service.complete(followup, day=today, now=now)
        session.flush()
        if followup.status == "open":
            return f"done: {followup.text}; next due {followup.due_on.isoformat()}"
        return f"done: {followup.text}"

    build = partial(_followups, session, owner_id, person_id, today)
    return _answer(request, "ui/_person_followups.html", "followups", build, act, {})
