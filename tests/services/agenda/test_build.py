"""Building the day's agenda (tieline.services.agenda.build): rank, one contact line each, cap, hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import agenda as agenda_repo
from tieline.services import agenda, preferences
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import interactions as interactions_service
from tieline.services import milestones as milestones_service
from tieline.services.agenda import AgendaItem, build
from tieline.services.agenda.sources import SOURCES

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def talk(session: Session, person: Person, days_ago: int, kind: str = "message") -> None:
    when = noon(DAY - timedelta(days=days_ago))
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind=kind, people=[person], when=when, now=when
    )


def silent(
    session: Session, add_person: AddPerson, name: str, days: int, tier: int = 2, **values: object
) -> Person:
    person = add_person(name, tier=tier, **values)
    talk(session, person, days)
    return person


def day_items(session: Session, day: date = DAY) -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    return agenda.collect_all(ctx)


def keys(session: Session, day: date = DAY) -> list[str]:
    return [i.key for i in day_items(session, day)]


def raw_items(session: Session, day: date = DAY) -> list[AgendaItem]:
    """Every source's items, before hiding and merging."""
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    return [item for source in SOURCES for item in source.collect(ctx)]


def busy_ana(session: Session, add_person: AddPerson) -> Person:
    """Ana is owed thanks, just got a new job, is overdue for a check-in and has a follow-up due."""
    ana = silent(session, add_person, "Ana Lima", 10, tier=1)
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=ana, direction="received", kind="advice", when=noon(DAY),
        now=noon(DAY),
    )  # fmt: skip
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="new_job", occurred_on=DAY
    )
    followups_service.add_followup(
        session, owner_id=LOCAL_OWNER_ID, person=ana, text="send the deck", due_on=DAY
    )
    return ana


def test_one_get_in_touch_line_per_person_the_rest_listed_as_also(
    session: Session, add_person: AddPerson
) -> None:
    ana = busy_ana(session, add_person)
    contact = sorted(
        (i for i in raw_items(session) if i.person_id == ana.id and i.kind != "follow_up"),
        key=lambda i: -i.priority,
    )
    assert [i.kind for i in contact] == ["thanks", "congratulate", "keep_in_touch"]
    items = day_items(session)
    # The follow-up is a task, not a contact line; due today, it comes before thanks due by Friday.
    assert [i.kind for i in items] == ["follow_up", "thanks"]
    assert items[1].also == [contact[1].title, contact[2].title]
    assert items[1].also == ["Congratulate Ana Lima on the new job", "Get in touch with Ana Lima"]
    assert items[0].also == []


def test_when_the_top_contact_line_is_hidden_the_next_one_stands_in(
    session: Session, add_person: AddPerson
) -> None:
    busy_ana(session, add_person)
    [thanks] = [i for i in raw_items(session) if i.kind == "thanks"]
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=thanks.key, days=2, now=NOW)
    items = day_items(session)
    assert [i.kind for i in items] == ["follow_up", "congratulate"]
    # The snoozed thanks is not mentioned, and the snooze quiets Ana's undated keep-in-touch too;
    # the dated lines (the follow-up, the fresh news) still show.
    assert items[1].also == []
    # Two days on, the snooze is over: everything about Ana is back in one line.
    later = day_items(session, DAY + timedelta(days=2))
    assert [i.kind for i in later] == ["follow_up", "thanks"]
    assert later[1].also == ["Congratulate Ana Lima on the new job", "Get in touch with Ana Lima"]


def test_time_sensitive_lines_rank_above_timeless_ones_whatever_their_priority(
    session: Session, add_person: AddPerson
) -> None:
    bo = add_person("Bo Chen", tier=2, closeness=5)  # rated only: strength 100
    bo.created_at = noon(DAY - timedelta(days=90))  # and never contacted: 3 x (0.5 + 1) = 4.5
    cy = add_person("Cy Dorn")
    favours_service.record_favour(
        session,
        owner_id=LOCAL_OWNER_ID,
        person=cy,
        direction="received",
        kind="help",
        when=noon(DAY),
        now=NOW,
    )  # thanks: 4.0, due by Friday
    dee = add_person("Dee Eng")
    followups_service.add_followup(session, owner_id=LOCAL_OWNER_ID, person=dee, text="a", due_on=DAY)  # 3.0
    followups_service.add_followup(session, owner_id=LOCAL_OWNER_ID, person=dee, text="b", due_on=DAY)  # 3.0
    items = day_items(session)
    assert [(i.kind, i.person_name) for i in items] == [
        ("follow_up", "Dee Eng"),  # due today
        ("follow_up", "Dee Eng"),
        ("thanks", "Cy Dorn"),  # due by Friday
        ("keep_in_touch", "Bo Chen"),  # the highest priority, but it can wait a day
        ("review_tier", "Bo Chen"),
    ]
    assert [i.priority for i in items] == pytest.approx([3.0, 3.0, 4.0, 4.5, 0.5])
    assert [i.deadline for i in items] == [DAY, DAY, DAY + timedelta(days=3), None, None]
    assert items[0].key < items[1].key  # the key breaks ties
    assert items[3].person_id == bo.id


def test_timeless_lines_are_ranked_by_priority_then_key(session: Session, add_person: AddPerson) -> None:
    silent(session, add_person, "Ana Lima", 60)  # 2 x (0.5 + s)
    silent(session, add_person, "Bo Chen", 45)  # 1.5 x (0.5 + s)
    silent(session, add_person, "Cy Dorn", 45)  # the same: the key decides
    items = day_items(session)
    assert [i.person_name for i in items] == ["Ana Lima", "Bo Chen", "Cy Dorn"]
    assert items[0].priority > items[1].priority == pytest.approx(items[2].priority)
    assert items[1].key < items[2].key


def test_the_daily_cap_shows_the_top_lines_and_counts_the_rest(
    session: Session, add_person: AddPerson
) -> None:
    for n in range(7):
        silent(session, add_person, f"Person {n}", 31 + n)
    view = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW)
    assert (len(view.items), view.total, view.day) == (5, 7, DAY)
    assert [i.key for i in view.items] == keys(session)[:5]
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.daily_cap", value="2")
    view = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW)
    assert (len(view.items), view.total) == (2, 7)
    view = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW, limit=20)
    assert (len(view.items), view.total) == (7, 7)


def test_only_the_lines_shown_are_built_and_they_match_the_full_listing(
    session: Session, add_person: AddPerson
) -> None:
    for n in range(6):
        silent(session, add_person, f"Person {n}", 31 + n, tier=1 + n % 3)
    busy_ana(session, add_person)
    full = day_items(session)
    view = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY), limit=3)
    assert view.total == len(full)
    assert [(i.key, i.priority, i.reasons, i.also) for i in view.items] == [
        (i.key, i.priority, i.reasons, i.also) for i in full[:3]
    ]
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY))
    lines = build.ranked_lines(ctx)
    assert [line.key for line in lines] == [i.key for i in full]


def test_the_listing_shown_is_remembered_by_number(session: Session, add_person: AddPerson) -> None:
    for n in range(3):
        silent(session, add_person, f"Person {n}", 31 + n)
    view = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY + timedelta(days=2), now=NOW)
    for number, item in enumerate(view.items, 1):
        assert agenda_repo.listed_key(session, owner_id=LOCAL_OWNER_ID, number=number) == (
            item.key,
            DAY + timedelta(days=2),
        )
    agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW, limit=1, remember=False)
    assert agenda_repo.listed_key(session, owner_id=LOCAL_OWNER_ID, number=3) is not None  # not replaced
    agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW, limit=1)
    assert agenda_repo.listed_key(session, owner_id=LOCAL_OWNER_ID, number=2) is None


def test_scores_are_taken_now_today_and_at_noon_on_other_days(session: Session) -> None:
    assert agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW).now == NOW
    later = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY + timedelta(days=3), now=NOW)
    assert later.now == noon(DAY + timedelta(days=3))


# --- hidden states --------------------------------------------------------------------------------


def test_a_snoozed_line_is_hidden_until_its_snooze_ends(session: Session, add_person: AddPerson) -> None:
    silent(session, add_person, "Ana Lima", 40)
    [line] = day_items(session)
    item, until = agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=line.key, days=3, now=NOW)
    assert (item.key, until) == (line.key, DAY + timedelta(days=3))
    for later in (0, 1, 2):
        assert keys(session, DAY + timedelta(days=later)) == [], later
    for later in (3, 4, 20):
        assert keys(session, DAY + timedelta(days=later)) == [line.key], later


def test_a_dismissed_line_stays_hidden(session: Session, add_person: AddPerson) -> None:
    silent(session, add_person, "Ana Lima", 40)
    [line] = day_items(session)
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=line.key, now=NOW)
    for later in (0, 1, 3, 30, 400):
        # Dismissing means the person: their tier review, due after three missed cadences, stays quiet too.
        assert [i.kind for i in day_items(session, DAY + timedelta(days=later))] == [], later


def test_a_done_task_stays_done(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    followups_service.add_followup(session, owner_id=LOCAL_OWNER_ID, person=ana, text="x", due_on=DAY)
    [line] = day_items(session)
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=line.key, now=NOW)
    for later in (0, 1, 3, 30, 400):
        # Only the follow-up is done for good; a year on, Ana is due a check-in like anyone.
        lines = day_items(session, DAY + timedelta(days=later))
        assert [i.key for i in lines if i.kind == "follow_up"] == [], later


def test_a_done_check_in_comes_back_only_after_the_next_cadence(
    session: Session, add_person: AddPerson
) -> None:
    ana = silent(session, add_person, "Ana Lima", 40)  # tier 2: every 30 days
    [line] = day_items(session)
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=line.key, now=NOW)
    assert ana.last_contact_at == NOW
    for later in (0, 1, 15, 29):
        assert keys(session, DAY + timedelta(days=later)) == [], later
    assert keys(session, DAY + timedelta(days=30)) == [f"keep:{ana.id}:{DAY.isoformat()}"]


def test_a_snooze_can_be_replaced_by_a_dismissal(session: Session, add_person: AddPerson) -> None:
    silent(session, add_person, "Ana Lima", 40)
    [line] = day_items(session)
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=line.key, days=1, now=NOW)
    assert keys(session, DAY + timedelta(days=1)) == [line.key]
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=line.key, now=NOW)
    assert keys(session, DAY + timedelta(days=1)) == []
    assert (
        agenda.collect_all(
            agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW), include_hidden=True
        )[0].key
        == line.key
    )


def test_a_snoozed_line_does_not_take_a_place_under_the_cap(session: Session, add_person: AddPerson) -> None:
    for n in range(6):
        silent(session, add_person, f"Person {n}", 31 + 5 * n)
    first = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW)
    assert first.total == 6
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=first.items[0].key, days=7, now=NOW)
    second = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW)
    assert second.total == 5
    assert [i.key for i in second.items] == [i.key for i in first.items[1:]] + [keys(session)[-1]]
