"""Opportunities: where they came from, stage moves, sourcing analytics and agenda lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Event, Introduction, Person
from tieline.services import opportunities as ops
from tieline.services import organisations as organisations_service
from tieline.services.agenda import build
from tieline.services.opportunities import Origin


def _intro(session: Session, a: Person, b: Person) -> Introduction:
    intro = Introduction(owner_id=LOCAL_OWNER_ID, person_a_id=a.id, person_b_id=b.id, why="both hire")
    session.add(intro)
    session.flush()
    return intro


def test_an_introduction_without_a_person_credits_its_b(
    session: Session, add_person: Callable[..., Person], today: date
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    intro = _intro(session, ana, bo)
    item = ops.add_opportunity(
        session, owner_id=LOCAL_OWNER_ID, title="Consulting for Bo's team", kind="client",
        origin=Origin(introduction=intro), spotted_on=today,
    )  # fmt: skip
    assert (item.introduction_id, item.person_id) == (intro.id, bo.id)
    named = ops.add_opportunity(
        session,
        owner_id=LOCAL_OWNER_ID,
        title="Job",
        origin=Origin(person=ana, introduction=intro),
        spotted_on=today,
    )
    assert named.person_id == ana.id


def test_an_origin_is_resolved_from_what_was_typed_and_blank_parts_are_left_out(
    session: Session, add_person: Callable[..., Person], today: date
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    acme = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    conf = Event(owner_id=LOCAL_OWNER_ID, name="PyCon", kind="conference", starts_on=today)
    session.add(conf)
    intro = _intro(session, ana, bo)
    origin = ops.resolve_origin(
        session, owner_id=LOCAL_OWNER_ID, person="ana", organisation=f"#{acme.id}", event="PyCon",
        introduction=f"#{intro.id}",
    )  # fmt: skip
    assert origin == Origin(person=ana, organisation=acme, event=conf, introduction=intro)
    assert (
        ops.resolve_origin(session, owner_id=LOCAL_OWNER_ID, person="  ", event="", introduction=None)
        == Origin()
    )
    with pytest.raises(InvalidInput, match="by its number"):
        ops.resolve_origin(session, owner_id=LOCAL_OWNER_ID, introduction="Ana to Bo")
    item = ops.add_opportunity(session, owner_id=LOCAL_OWNER_ID, title="Job", origin=origin, spotted_on=today)
    assert ops.origin_names(session, item) == ("Ana Lima", "Acme", "PyCon")


def test_moving_sets_the_stage_date_and_says_when_a_closed_one_reopens(session: Session, today: date) -> None:
    item = ops.add_opportunity(
        session, owner_id=LOCAL_OWNER_ID, title="Talk", kind="speaking", spotted_on=today
    )
    later = today + timedelta(days=5)
    assert ops.move(item, stage="proposed", on=later).notes == []
    assert (item.stage, item.stage_on) == ("proposed", later)
    ops.move(item, stage="lost", on=later)
    reopened = ops.move(item, stage="exploring", on=later)
    assert reopened.notes == [f"reopened: it was lost on {later.isoformat()}"]
    same = ops.move(item, stage="exploring", on=later + timedelta(days=1))
    assert item.stage_on == later and "nothing changed" in same.notes[0]
    with pytest.raises(InvalidInput, match="unknown stage"):
        ops.move(item, stage="pending", on=later)
    with pytest.raises(InvalidInput, match="before the opportunity was spotted"):
        ops.move(item, stage="won", on=today - timedelta(days=1))


def test_sources_rank_what_produced_wins_first(
    session: Session, add_person: Callable[..., Person], today: date
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    acme = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    conf = Event(owner_id=LOCAL_OWNER_ID, name="PyCon", kind="conference", starts_on=today)
    session.add(conf)
    session.flush()
    for title, person, stage in (("a", ana, "spotted"), ("b", ana, "applied"), ("c", bo, "won")):
        item = ops.add_opportunity(
            session, owner_id=LOCAL_OWNER_ID, title=title, origin=Origin(person=person, event=conf, organisation=acme),
            spotted_on=today,
        )  # fmt: skip
        ops.move(item, stage=stage, on=today)
    session.flush()
    found = ops.sources(session, owner_id=LOCAL_OWNER_ID)
    assert [(s.kind, s.name, s.total, s.won) for s in found] == [
        ("event", "PyCon", 3, 1),
        ("organisation", "Acme", 3, 1),
        ("person", "Bo Chen", 1, 1),
        ("person", "Ana Lima", 2, 0),
    ]
    assert found[-1].stages == {"spotted": 1, "applied": 1}


def test_listing_filters_by_stage_and_openness(session: Session, today: date) -> None:
    for title, stage in (("open", "applied"), ("won", "won"), ("lost", "lost")):
        ops.add_opportunity(session, owner_id=LOCAL_OWNER_ID, title=title, stage=stage, spotted_on=today)
    assert [o.title for o, *_ in ops.listing(session, owner_id=LOCAL_OWNER_ID, open_only=True)] == ["open"]
    assert [o.title for o, *_ in ops.listing(session, owner_id=LOCAL_OWNER_ID, stage="won")] == ["won"]
    assert ops.listing(session, owner_id=LOCAL_OWNER_ID, stage="won", open_only=True) == []


def test_unknown_ids_and_kinds_are_refused(session: Session, today: date) -> None:
    with pytest.raises(NotFound):
        ops.get(session, owner_id=LOCAL_OWNER_ID, opportunity_id=99)
    with pytest.raises(NotFound):
        ops.resolve_introduction(session, owner_id=LOCAL_OWNER_ID, text="#7")
    with pytest.raises(InvalidInput, match="unknown opportunity kind"):
        ops.add_opportunity(session, owner_id=LOCAL_OWNER_ID, title="x", kind="gig", spotted_on=today)
    with pytest.raises(InvalidInput, match="needs a title"):
        ops.add_opportunity(session, owner_id=LOCAL_OWNER_ID, title="  ", spotted_on=today)


def _lines(session: Session, day: date, now: datetime) -> dict[str, str]:
    ctx = build.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=now)
    return {i.key: i.title for i in build.collect_all(ctx) if i.kind.startswith("opportunity")}


def test_a_deadline_joins_the_agenda_three_days_ahead_and_stays_once_passed(
    session: Session, add_person: Callable[..., Person], today: date, now: datetime
) -> None:
    friday = date(2026, 3, 13)  # today is Tuesday 2026-03-10
    item = ops.add_opportunity(
        session, owner_id=LOCAL_OWNER_ID, title="Staff engineer at Acme", spotted_on=today, due_on=friday
    )
    assert _lines(session, today - timedelta(days=1), now) == {}
    assert list(_lines(session, today, now).values()) == ["Application for Staff engineer at Acme due Friday"]
    [late] = _lines(session, date(2026, 3, 15), now).values()
    assert late == "Application for Staff engineer at Acme was due Friday 2026-03-13 (2 days ago)"
    ops.move(item, stage="won", on=today)
    session.flush()
    assert _lines(session, date(2026, 3, 15), now) == {}


def test_an_opportunity_stalled_in_one_stage_joins_the_agenda(
    session: Session, today: date, now: datetime
) -> None:
    item = ops.add_opportunity(
        session, owner_id=LOCAL_OWNER_ID, title="Partnership with Beta", kind="partnership",
        spotted_on=today - timedelta(days=30),
    )  # fmt: skip
    session.flush()
    assert list(_lines(session, today - timedelta(days=9), now).values()) == []
    [line] = _lines(session, today, now).values()
    assert line == "Move Partnership with Beta forward (or close it): spotted for 30 days"
    ops.move(item, stage="exploring", on=today)
    session.flush()
    assert _lines(session, today, now) == {}
