"""Give before you ask, on the agenda (tieline.services.agenda.give_first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import agenda, preferences
from tieline.services import asks as asks_service
from tieline.services import favours as favours_service
from tieline.services import people as people_service
from tieline.services.agenda import AgendaItem

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def give_first(session: Session, day: date = DAY) -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    return [i for i in agenda.collect_all(ctx) if i.kind == "give_first"]


def favour(session: Session, person: Person, direction: str) -> None:
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=person, direction=direction, kind="advice", when=noon(DAY),
        now=noon(DAY),
    )  # fmt: skip


def ask(session: Session, person: Person, text: str = "a reference") -> int:
    return asks_service.plan_ask(session, owner_id=LOCAL_OWNER_ID, person=person, text=text, day=DAY).ask.id


def test_an_ask_of_someone_you_owe_suggests_giving_first(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", lists={"interests": ["jazz"]})
    favour(session, ana, "received")
    favour(session, ana, "received")
    favour(session, ana, "given")
    ask_id = ask(session, ana)
    [line] = give_first(session)
    assert line.key == f"give:{ask_id}"
    assert line.title == "Give to Ana Lima before you ask"
    assert line.reasons == [
        "you plan to ask: a reference",
        "you gave Ana Lima 1, received 2: you owe them (+1)",
        "give first: share something on jazz",
    ]
    assert (line.priority, line.ref_id, line.person_id, line.draft) == (3.5, ask_id, ana.id, "give_first")


def test_no_line_when_the_balance_is_even_or_in_your_favour(session: Session, add_person: AddPerson) -> None:
    even, ahead, stranger = add_person("Even"), add_person("Ahead"), add_person("Stranger")
    favour(session, even, "received")
    favour(session, even, "given")
    favour(session, ahead, "given")
    for person in (even, ahead, stranger):
        ask(session, person)
    assert give_first(session) == []


def test_the_line_goes_once_you_have_given(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    favour(session, ana, "received")
    ask(session, ana)
    assert len(give_first(session)) == 1
    favour(session, ana, "given")
    assert give_first(session) == []


def test_the_line_goes_once_asked_or_dropped_or_archived(session: Session, add_person: AddPerson) -> None:
    ana, bo, cy = add_person("Ana"), add_person("Bo"), add_person("Cy")
    ids = {}
    for person in (ana, bo, cy):
        favour(session, person, "received")
        ids[person.id] = ask(session, person)
    assert len(give_first(session)) == 3
    asks_service.set_status(asks_service.get(session, owner_id=LOCAL_OWNER_ID, ask_id=ids[ana.id]), "asked")
    asks_service.set_status(asks_service.get(session, owner_id=LOCAL_OWNER_ID, ask_id=ids[bo.id]), "dropped")
    people_service.archive_person(cy)
    session.flush()
    assert give_first(session) == []


def test_a_generic_suggestion_when_nothing_specific_is_known(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana")
    favour(session, ana, "received")
    ask(session, ana)
    [line] = give_first(session)
    assert line.reasons[-1].startswith("give first: offer help")


def test_snoozed_and_dismissed_give_first_lines_stay_away(session: Session, add_person: AddPerson) -> None:
    ana, bo = add_person("Ana"), add_person("Bo")
    favour(session, ana, "received")
    favour(session, bo, "received")
    snoozed, dismissed = ask(session, ana), ask(session, bo)
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=f"give:{snoozed}", days=5, now=noon(DAY))
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=f"give:{dismissed}", now=noon(DAY))
    assert give_first(session, DAY + timedelta(days=4)) == []
    assert [i.key for i in give_first(session, DAY + timedelta(days=5))] == [f"give:{snoozed}"]


def test_done_hides_the_line_for_good(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana")
    favour(session, ana, "received")
    ask_id = ask(session, ana)
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=f"give:{ask_id}", now=noon(DAY))
    assert give_first(session, DAY + timedelta(days=30)) == []


def test_the_give_first_weight_setting_changes_the_order(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana")
    favour(session, ana, "received")
    ask(session, ana)
    bo = add_person("Bo Chen", tier=1)
    bo.created_at = noon(DAY - timedelta(days=21))  # never contacted, three weeks: 3 x (0.5 + 0)

    def order() -> list[str]:
        ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY))
        return [i.kind for i in agenda.collect_all(ctx) if i.kind in ("keep_in_touch", "give_first")]

    # Both can wait a day (no deadline): the weights decide between them.
    assert order() == ["give_first", "keep_in_touch"]  # 3.5 vs 1.5
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.weight.give_first", value="1")
    assert order() == ["keep_in_touch", "give_first"]
