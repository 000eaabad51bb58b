"""Events, whom you met there and what came of it (tieline.services.events)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Event, EventAttendee, FollowUp, Interaction, Opportunity, Person
from tieline.services import events as events_service
from tieline.services import followups as followups_service
from tieline.services import preferences

AddPerson = Callable[..., Person]
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def add_event(
    session: Session, name: str = "PyCon Lisbon", day: date = date(2026, 3, 10), **fields: object
) -> Event:
    return events_service.add_event(session, owner_id=LOCAL_OWNER_ID, name=name, starts_on=day, **fields)  # type: ignore[arg-type]


def meet(session: Session, event: Event, *names: str, now: datetime = NOW, note: str | None = None) -> list:
    return events_service.meet(
        session, owner_id=LOCAL_OWNER_ID, event=event, names=list(names), note=note, now=now
    )


def count(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_meeting_a_new_name_creates_the_person_with_how_and_where_you_met(session: Session) -> None:
    event = add_event(session, place="Lisbon")
    [met] = meet(session, event, "Carla Dias", note="works on Rust tooling")
    person = met.person
    assert met.created and not met.already
    assert (person.display_name, person.met_how, person.met_where, person.met_on) == (
        "Carla Dias",
        "at PyCon Lisbon (conference)",
        "Lisbon",
        date(2026, 3, 10),
    )
    assert (met.attendee.met, met.attendee.met_at, met.attendee.note) == (True, NOW, "works on Rust tooling")


def test_each_person_met_owes_a_follow_up_within_48_hours_and_an_event_interaction(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima")
    event = add_event(session)
    [met] = meet(session, event, "Ana Lima", note="Rust")
    follow_up = met.follow_up
    assert (follow_up.person_id, follow_up.text, follow_up.due_on, follow_up.status) == (
        ana.id,
        "Follow up with Ana Lima after PyCon Lisbon",
        date(2026, 3, 12),
        "open",
    )
    assert met.attendee.follow_up_id == follow_up.id
    [interaction] = session.scalars(sa.select(Interaction)).all()
    assert (interaction.kind, interaction.occurred_at, interaction.subject, interaction.notes) == (
        "event",
        NOW,
        "PyCon Lisbon",
        "Rust",
    )
    assert ana.last_contact_at == NOW


def test_the_follow_up_window_is_a_setting(session: Session) -> None:
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="event.follow_up_hours", value="24")
    event = add_event(session)
    [met] = meet(session, event, "Carla Dias")
    assert met.follow_up.due_on == date(2026, 3, 11)


def test_meeting_the_same_person_twice_changes_nothing(session: Session, add_person: AddPerson) -> None:
    add_person("Ana Lima")
    event = add_event(session)
    meet(session, event, "Ana Lima")
    [again] = meet(session, event, "Ana", note="later note", now=NOW + timedelta(hours=3))
    assert again.already and again.follow_up is None
    assert again.attendee.met_at == NOW
    assert again.attendee.note == "later note"  # an empty note is filled, nothing else moves
    assert (count(session, FollowUp), count(session, Interaction), count(session, EventAttendee)) == (1, 1, 1)


def test_one_name_twice_in_one_command_is_met_once(session: Session) -> None:
    event = add_event(session)
    encounters = meet(session, event, "Carla Dias", "Carla Dias")
    assert len(encounters) == 1
    assert (count(session, Person), count(session, FollowUp)) == (1, 1)


def test_a_past_event_dates_the_meeting_at_noon_on_its_last_day(session: Session) -> None:
    event = add_event(session, day=date(2026, 3, 1), ends_on=date(2026, 3, 3))
    [met] = meet(session, event, "Carla Dias")
    assert met.attendee.met_at == datetime(2026, 3, 3, 12, 0, tzinfo=UTC)  # TZ=UTC in tests
    assert met.follow_up.due_on == date(2026, 3, 5)  # already overdue: recorded late


def test_nobody_can_be_met_at_an_event_that_has_not_begun(session: Session) -> None:
    event = add_event(session, day=date(2026, 4, 1))
    with pytest.raises(InvalidInput, match="starts on 2026-04-01"):
        meet(session, event, "Carla Dias")
    assert count(session, Person) == 0


def test_someone_known_before_the_event_keeps_how_you_met(
    session: Session, add_person: AddPerson, log
) -> None:
    ana = add_person("Ana Lima")
    log("coffee", [ana], when=NOW - timedelta(days=400))
    fresh = add_person("Bo Chen")
    event = add_event(session, place="Lisbon")
    meet(session, event, "Ana Lima", "Bo Chen")
    assert (ana.met_how, ana.met_where) == (None, None)
    assert (fresh.met_how, fresh.met_where, fresh.met_on) == (
        "at PyCon Lisbon (conference)",
        "Lisbon",
        date(2026, 3, 10),
    )


def test_an_attendee_met_later_gets_the_follow_up_and_a_met_one_stays_met(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    event = add_event(session)
    [seen] = events_service.attend(session, owner_id=LOCAL_OWNER_ID, event=event, people=[ana])
    assert (seen.attendee.met, seen.attendee.follow_up_id) == (False, None)
    assert count(session, Interaction) == 0
    [met] = meet(session, event, "Ana Lima")
    assert not met.already and met.attendee is seen.attendee and met.follow_up is not None
    meet(session, event, "Bo Chen")
    [bo_again] = events_service.attend(session, owner_id=LOCAL_OWNER_ID, event=event, people=[bo])
    assert bo_again.already and bo_again.attendee.met
    assert count(session, EventAttendee) == 2


def test_a_new_organiser_is_created_with_a_kind_that_fits_the_event(session: Session) -> None:
    meetup = events_service.organiser_for(
        session, owner_id=LOCAL_OWNER_ID, text="PyLadies", event_kind="meetup"
    )
    alumni = events_service.organiser_for(
        session, owner_id=LOCAL_OWNER_ID, text="INSEAD", event_kind="alumni"
    )
    conf = events_service.organiser_for(session, owner_id=LOCAL_OWNER_ID, text="ACM", event_kind="conference")
    assert (meetup.kind, alumni.kind, conf.kind) == ("community", "alumni_network", "association")
    again = events_service.organiser_for(
        session, owner_id=LOCAL_OWNER_ID, text="pyladies", event_kind="conference"
    )
    assert again.id == meetup.id


def test_the_same_event_twice_and_backwards_dates_are_refused(session: Session) -> None:
    add_event(session, "PyCon Lisbon")
    with pytest.raises(InvalidInput, match="already an event named 'PyCon Lisbon' on 2026-03-10"):
        add_event(session, "pycon lisbon")
    add_event(session, "PyCon Lisbon", day=date(2027, 3, 10))  # next year's edition is another event
    with pytest.raises(InvalidInput, match="before"):
        add_event(session, "Later", day=date(2026, 5, 2), ends_on=date(2026, 5, 1))
    with pytest.raises(InvalidInput, match="unknown event kind 'party'"):
        add_event(session, "Party", kind="party")


def test_events_resolve_by_id_exact_name_then_prefix(session: Session) -> None:
    lisbon = add_event(session, "PyCon Lisbon")
    add_event(session, "PyCon Lisbon Sprints", day=date(2026, 3, 11))
    porto = add_event(session, "Web Summit Porto")

    def resolve(text: str) -> Event:
        return events_service.resolve_event(session, owner_id=LOCAL_OWNER_ID, text=text)

    assert resolve(f"#{porto.id}") is porto
    assert resolve("pycon lisbon") is lisbon  # exact beats the prefix of the sprints
    assert resolve("web") is porto
    with pytest.raises(Ambiguous, match="'pycon' matches 2 events: PyCon Lisbon Sprints"):
        resolve("pycon")
    with pytest.raises(NotFound):
        resolve("Devoxx")
    with pytest.raises(NotFound, match="no event with id 99"):
        resolve("#99")


def test_the_listing_is_newest_first_with_counts(session: Session, add_person: AddPerson) -> None:
    old = add_event(session, "Old meetup", day=date(2025, 1, 10), kind="meetup")
    new = add_event(session, "PyCon Lisbon")
    [a, _] = meet(session, new, "Carla Dias", "Dan Eve")
    events_service.attend(session, owner_id=LOCAL_OWNER_ID, event=new, people=[add_person("Bo Chen")])
    followups_service.complete(a.follow_up, day=date(2026, 3, 11), now=NOW + timedelta(days=1))
    rows = events_service.listing(session, owner_id=LOCAL_OWNER_ID)
    assert [(r.event.id, r.met, r.attended, r.followed_up) for r in rows] == [
        (new.id, 2, 1, 1),
        (old.id, 0, 0, 0),
    ]


def test_the_return_counts_follow_ups_in_time_ties_alive_and_opportunities(
    session: Session, add_person: AddPerson, log
) -> None:
    event = add_event(session, day=date(2025, 6, 1))
    june = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    on_time, late, dismissed, _silent = meet(
        session, event, "Ana Lima", "Bo Chen", "Cy Dorn", "Di Eze", now=june
    )
    followups_service.complete(on_time.follow_up, day=date(2025, 6, 2), now=june + timedelta(days=1))
    followups_service.complete(late.follow_up, day=date(2025, 6, 9), now=june + timedelta(days=8))
    followups_service.dismiss(dismissed.follow_up)
    log("email", [on_time.person], when=june + timedelta(days=1))
    log("coffee", [on_time.person], when=NOW - timedelta(days=30))  # still in touch
    log("email", [late.person], when=june + timedelta(days=8))  # nine months ago: not dormant yet
    log("email", [dismissed.person], when=june + timedelta(days=1))  # a contact is a contact
    opportunity = dict(kind="job", spotted_on=date(2025, 9, 1), stage_on=date(2025, 9, 1))
    session.add_all(
        [
            Opportunity(
                owner_id=LOCAL_OWNER_ID,
                title="Via Ana",
                person_id=on_time.person.id,
                stage="won",
                **opportunity,
            ),
            Opportunity(owner_id=LOCAL_OWNER_ID, title="At the event", event_id=event.id, **opportunity),
            Opportunity(
                owner_id=LOCAL_OWNER_ID,
                title="Before",
                person_id=late.person.id,
                spotted_on=date(2025, 1, 1),
                stage_on=date(2025, 1, 1),
            ),
        ]
    )
    session.flush()
    page = events_service.report(session, event, now=NOW)
    states = {p.row.person.display_name: (p.follow_up_state, p.in_time, p.still_in_touch) for p in page.met}
    assert states == {
        "Ana Lima": ("done", True, True),
        "Bo Chen": ("done", False, True),
        "Cy Dorn": ("dismissed", False, True),
        "Di Eze": ("overdue", False, False),
    }
    assert sorted(o.title for o, _ in page.opportunities) == ["At the event", "Via Ana"]
    assert page.result.line() == "met 4, followed up 1 in time, 3 still in touch, 2 opportunities (1 won)"


def test_in_time_means_within_the_48_hours_not_by_the_end_of_the_due_day(
    session: Session, add_person: AddPerson
) -> None:
    event = add_event(session, day=date(2025, 6, 1))
    morning = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    inside, after = meet(session, event, "Ana Lima", "Bo Chen", now=morning)
    # Due on 3 June (the day the 48 hours end, at 09:00); one note sent at 08:00, one at 20:00.
    followups_service.complete(inside.follow_up, day=date(2025, 6, 3), now=morning + timedelta(hours=47))
    followups_service.complete(after.follow_up, day=date(2025, 6, 3), now=morning + timedelta(hours=59))
    session.flush()
    page = events_service.report(session, event, now=NOW)
    assert {p.row.person.display_name: p.in_time for p in page.met} == {"Ana Lima": True, "Bo Chen": False}


def test_a_tie_silent_for_longer_than_the_dormant_window_is_no_longer_in_touch() -> None:
    last = NOW - timedelta(days=400)
    assert not events_service.still_in_touch(last_contact_after=last, now=NOW, dormant_days=365)
    assert events_service.still_in_touch(last_contact_after=last, now=NOW, dormant_days=500)
    assert not events_service.still_in_touch(last_contact_after=None, now=NOW, dormant_days=365)


def test_the_event_page_takes_the_same_queries_for_3_or_30_people(session: Session) -> None:
    small, large = add_event(session, "Small"), add_event(session, "Large", day=date(2026, 3, 9))
    meet(session, small, *[f"Small Person {i}" for i in range(3)])
    meet(session, large, *[f"Large Person {i}" for i in range(30)])
    session.flush()
    session.expire_all()
    with statements(session) as few:
        events_service.report(session, small, now=NOW)
    session.expire_all()
    with statements(session) as many:
        page = events_service.report(session, large, now=NOW)
    assert len(page.met) == 30
    assert len(many) == len(few) <= 4


def test_a_name_close_to_someone_known_is_a_new_person_who_is_pointed_out(
    session: Session, add_person: AddPerson
) -> None:
    john = add_person("John Smith")
    event = add_event(session)
    [met] = meet(session, event, "Jon Smith")
    assert met.created and met.person.id != john.id
    assert met.similar is john
    with pytest.raises(Ambiguous, match="'Smith' matches 2 people"):
        meet(session, event, "Smith")  # a name prefix still names people, here two of them


def test_namesakes_must_be_told_apart_by_id(session: Session, add_person: AddPerson) -> None:
    add_person("Ana Lima")
    add_person("Ana Lima")
    event = add_event(session)
    with pytest.raises(Ambiguous, match="'Ana Lima' matches 2 people"):
        meet(session, event, "Ana Lima")
