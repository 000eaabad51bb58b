"""Done, snooze and dismiss on agenda lines (tieline.services.agenda.actions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, AgendaState, Person
from tieline.repo import interactions as interactions_repo
from tieline.services import agenda
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import interactions as interactions_service
from tieline.services.agenda import AgendaItem, DoneOptions

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def silent(session: Session, add_person: AddPerson, name: str, days: int, tier: int = 2) -> Person:
    person = add_person(name, tier=tier)
    when = noon(DAY - timedelta(days=days))
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind="email", people=[person], when=when, now=when
    )
    return person


def show(session: Session, day: date = DAY) -> list[AgendaItem]:
    """What `tieline today` does: list the day's lines and remember their numbers."""
    return agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=day, now=NOW).items


def keys(session: Session, day: date = DAY) -> list[str]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=NOW if day == DAY else noon(day))
    return [i.key for i in agenda.collect_all(ctx)]


def states(session: Session) -> dict[str, tuple[str, date | None]]:
    rows = session.scalars(sa.select(AgendaState).where(AgendaState.owner_id == LOCAL_OWNER_ID))
    return {r.item_key: (r.state, r.until) for r in rows}


def test_a_line_number_means_the_line_of_the_last_listing(session: Session, add_person: AddPerson) -> None:
    ana = silent(session, add_person, "Ana Lima", 60)
    silent(session, add_person, "Bo Chen", 40)
    first, second = show(session)
    assert (first.person_name, second.person_name) == ("Ana Lima", "Bo Chen")
    # Something more pressing arrives after the listing: the numbers still mean what was shown.
    cy = add_person("Cy Dorn")
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=cy, direction="received", kind="help", when=NOW, now=NOW
    )
    assert keys(session)[0].startswith("thanks:")
    done = agenda.done(session, owner_id=LOCAL_OWNER_ID, ref="2", now=NOW)
    assert done.key == second.key
    item, until = agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref="1", days=2, now=NOW)
    assert (item.key, until) == (first.key, DAY + timedelta(days=2))
    assert states(session) == {
        second.key: ("done", None),
        first.key: ("snoozed", DAY + timedelta(days=2)),
        # Snoozing a line about Ana quiets her other undated suggestions as long, until a new contact.
        f"person:{ana.id}:2026-01-09": ("snoozed", DAY + timedelta(days=2)),
    }


def test_a_number_refers_to_the_day_it_was_listed_for(session: Session, add_person: AddPerson) -> None:
    silent(session, add_person, "Ana Lima", 25)  # due in 5 days, not today
    assert keys(session) == []
    [line] = show(session, DAY + timedelta(days=5))
    item, until = agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref="1", days=2, now=NOW)
    assert item.key == line.key
    assert until == DAY + timedelta(days=7)  # counted from the day it was listed for
    assert keys(session, DAY + timedelta(days=6)) == []
    assert keys(session, DAY + timedelta(days=7)) == [line.key]


def test_without_a_listing_a_number_is_an_error(session: Session, add_person: AddPerson) -> None:
    silent(session, add_person, "Ana Lima", 60)
    with pytest.raises(NotFound, match="no line 1 in the last agenda shown"):
        agenda.done(session, owner_id=LOCAL_OWNER_ID, ref="1", now=NOW)
    show(session)
    with pytest.raises(NotFound, match="no line 2 in the last agenda shown"):
        agenda.done(session, owner_id=LOCAL_OWNER_ID, ref="2", now=NOW)


def test_a_line_resolved_since_the_listing_is_no_longer_due(session: Session, add_person: AddPerson) -> None:
    ana = silent(session, add_person, "Ana Lima", 60)
    [line] = show(session)
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind="call", people=[ana], when=NOW, now=NOW
    )
    with pytest.raises(NotFound, match=f"agenda item {line.key} is no longer due"):
        agenda.done(session, owner_id=LOCAL_OWNER_ID, ref="1", now=NOW)
    with pytest.raises(NotFound, match="no longer due"):
        agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref="keep:999:never", now=NOW)
    assert states(session) == {}


def test_a_snooze_needs_at_least_a_day(session: Session, add_person: AddPerson) -> None:
    silent(session, add_person, "Ana Lima", 60)
    show(session)
    for days in (0, -3):
        with pytest.raises(InvalidInput, match="--days must be at least 1"):
            agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref="1", days=days, now=NOW)
    assert states(session) == {}


def test_done_on_a_check_in_logs_the_contact_as_told(session: Session, add_person: AddPerson) -> None:
    ana = silent(session, add_person, "Ana Lima", 60)
    [line] = show(session)
    agenda.done(
        session,
        owner_id=LOCAL_OWNER_ID,
        ref="1",
        now=NOW,
        options=DoneOptions(log_kind="video_call", note="caught up"),
    )
    latest = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)[0].interaction
    assert (latest.kind, latest.notes, latest.initiated_by, latest.occurred_at) == (
        "video_call",
        "caught up",
        "me",
        NOW,
    )
    assert states(session) == {line.key: ("done", None)}
    assert keys(session) == []


def test_dismiss_and_snooze_do_not_log_anything(session: Session, add_person: AddPerson) -> None:
    ana = silent(session, add_person, "Ana Lima", 60)
    bo = silent(session, add_person, "Bo Chen", 50)
    show(session)
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref="1", now=NOW)
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref="2", days=1, now=NOW)
    for person in (ana, bo):
        assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=person.id) == 1


def test_a_line_folded_into_another_can_be_acted_on_by_its_key(
    session: Session, add_person: AddPerson
) -> None:
    ana = silent(session, add_person, "Ana Lima", 60)
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=ana, direction="received", kind="help", when=NOW, now=NOW
    )
    [line] = show(session)
    assert line.kind == "thanks" and line.also == ["Get in touch with Ana Lima"]
    hidden_key = f"keep:{ana.id}:{(DAY - timedelta(days=60)).isoformat()}"
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=hidden_key, now=NOW)
    assert keys(session) == [line.key]
    assert keys(session, DAY + timedelta(days=1))[0] == line.key
    [again] = show(session)
    assert again.also == []


def test_a_later_action_replaces_the_earlier_one(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    followups_service.add_followup(session, owner_id=LOCAL_OWNER_ID, person=ana, text="x", due_on=DAY)
    [line] = show(session)
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=line.key, days=5, now=NOW)
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=line.key, days=1, now=NOW)
    # The line takes the latest action; the quiet over Ana's undated suggestions is never shortened.
    assert states(session) == {
        line.key: ("snoozed", DAY + timedelta(days=1)),
        f"person:{ana.id}:never": ("snoozed", DAY + timedelta(days=5)),
    }
    assert keys(session, DAY + timedelta(days=1)) == [line.key]
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=line.key, now=NOW)
    assert states(session)[f"person:{ana.id}:never"] == ("dismissed", None)


def test_done_on_a_line_listed_ahead_never_logs_a_contact_in_the_future(
    session: Session, add_person: AddPerson
) -> None:
    ana = silent(session, add_person, "Ana Lima", 25)
    show(session, DAY + timedelta(days=10))
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref="1", now=NOW)
    latest = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)[0].interaction
    assert latest.occurred_at <= NOW
