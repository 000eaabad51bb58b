"""Introductions waiting on you, on the agenda (tieline.services.agenda.introductions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Introduction, Person
from tieline.services import agenda
from tieline.services import introductions as intros
from tieline.services.agenda import AgendaItem

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)
OWNER = LOCAL_OWNER_ID


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def lines(session: Session, day: date = DAY) -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=OWNER, day=day, now=noon(day))
    return [i for i in agenda.collect_all(ctx) if i.kind == "introduction"]


def proposed(session: Session, add_person: AddPerson) -> Introduction:
    a, b = add_person("Ana Lima", tier=5), add_person("Bo Chen", tier=5)
    return intros.propose(session, owner_id=OWNER, a=a, b=b, why="Bo needs a data engineer", now=noon(DAY))


def test_a_proposed_introduction_asks_you_to_ask_a_first(session: Session, add_person: AddPerson) -> None:
    intro = proposed(session, add_person)
    [line] = lines(session)
    assert line.title == "Ask Ana Lima whether they would welcome an introduction to Bo Chen"
    assert line.reasons == [
        "proposed today; double opt-in: A first, then B",
        "why they should meet: Bo needs a data engineer",
    ]
    assert (line.key, line.person_id, line.ref_id, line.draft) == (
        f"intro:{intro.id}:proposed",
        intro.person_a_id,
        intro.id,
        "intro_ask_a",
    )


def test_done_on_ask_a_moves_the_introduction_on(session: Session, add_person: AddPerson) -> None:
    intro = proposed(session, add_person)
    [line] = lines(session)
    agenda.done(session, owner_id=OWNER, ref=line.key, now=noon(DAY))
    assert (intro.state, intro.asked_a_at) == ("asked_a", noon(DAY))
    assert lines(session) == []


def test_an_unanswered_request_needs_a_nudge_after_the_nudge_days(
    session: Session, add_person: AddPerson
) -> None:
    intro = proposed(session, add_person)
    intros.ask_a(session, intro, now=noon(DAY))
    assert lines(session, DAY + timedelta(days=2)) == []
    [line] = lines(session, DAY + timedelta(days=3))
    assert line.title == "No answer from Ana Lima about meeting Bo Chen: nudge or move on"
    assert (
        line.reasons[0]
        == f"asked 3 days ago; `tieline intro declined {intro.id} --by a` if it is not going to happen"
    )
    assert (line.draft, line.person_id, line.due_on) == (
        "intro_ask_a",
        intro.person_a_id,
        DAY + timedelta(days=3),
    )
    intros.ask_b(session, intro, now=noon(DAY + timedelta(days=3)))
    [line] = lines(session, DAY + timedelta(days=6))
    assert line.title == "No answer from Bo Chen about meeting Ana Lima: nudge or move on"
    assert (line.draft, line.person_id) == ("intro_ask_b", intro.person_b_id)


def test_a_made_introduction_asks_how_it_went_after_a_month_until_an_outcome(
    session: Session, add_person: AddPerson
) -> None:
    intro = proposed(session, add_person)
    for move in (intros.ask_a, intros.ask_b):
        move(session, intro, now=noon(DAY))
    intros.make(session, owner_id=OWNER, intro=intro, now=noon(DAY))
    assert lines(session, DAY + timedelta(days=29)) == []
    [line] = lines(session, DAY + timedelta(days=30))
    assert line.title == "Ask Ana Lima and Bo Chen how the introduction went"
    assert line.draft == "intro_outcome"
    intros.record_outcome(session, intro, "they hired her", now=noon(DAY + timedelta(days=30)))
    assert lines(session, DAY + timedelta(days=30)) == []


def test_declined_introductions_and_archived_people_leave_the_agenda(
    session: Session, add_person: AddPerson
) -> None:
    intro = proposed(session, add_person)
    session.get(Person, intro.person_b_id).archived = True
    session.flush()
    assert lines(session) == []
    session.get(Person, intro.person_b_id).archived = False
    intros.decline(session, owner_id=OWNER, intro=intro, by=None, now=noon(DAY))
    assert lines(session) == []
