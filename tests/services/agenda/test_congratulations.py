"""Congratulations on the agenda: birthdays, milestones, work anniversaries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import interactions as interactions_repo
from tieline.services import agenda, preferences
from tieline.services import followups as followups_service
from tieline.services import milestones as milestones_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.agenda import AgendaItem
from tieline.services.agenda import congratulations as source

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def congratulations(session: Session, day: date = DAY, *, merged: bool = False) -> list[AgendaItem]:
    """The congratulate lines on `day` (merged: as the agenda shows them, one per person)."""
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    if merged:
        return [i for i in agenda.collect_all(ctx) if i.kind == "congratulate"]
    return sorted(source.collect(ctx), key=lambda i: i.key)


def keys(session: Session, day: date = DAY) -> list[str]:
    return [i.key for i in congratulations(session, day)]


def test_a_birthday_without_a_year_appears_on_the_day(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", birthday="03-10")
    [line] = congratulations(session)
    assert line.key == f"congrats:birthday:{ana.id}:2026"
    assert line.title == "Wish Ana Lima a happy birthday"
    assert line.reasons[0] == "birthday today: a wish on the day means the most"
    assert (line.person_id, line.due_on, line.draft) == (ana.id, DAY, "congratulations")
    assert line.deadline == DAY  # time-sensitive: it ranks above every line that can wait


def test_a_birthday_with_a_year_says_the_age(session: Session, add_person: AddPerson) -> None:
    add_person("Ana Lima", birthday="1986-03-10")
    [line] = congratulations(session)
    assert line.reasons[0] == "birthday today (turns 40): a wish on the day means the most"
    late = congratulations(session, DAY + timedelta(days=1))[0]
    assert late.reasons[0] == "birthday yesterday (turned 40): a late wish still lands"


def test_a_birthday_stays_two_days_and_fades(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", birthday="03-10")
    assert keys(session, DAY - timedelta(days=1)) == []
    on_the_day = congratulations(session, DAY)[0].priority
    two_late = congratulations(session, DAY + timedelta(days=2))
    assert [i.key for i in two_late] == [f"congrats:birthday:{ana.id}:2026"]
    assert two_late[0].reasons[0] == "birthday on Tuesday: a late wish still lands"
    assert two_late[0].details[0].startswith("on 2026-03-10, 2 days ago; tie strength ")
    assert two_late[0].priority == pytest.approx(on_the_day * milestones_service.freshness(2))
    assert keys(session, DAY + timedelta(days=3)) == []


def test_a_29_february_birthday_is_wished_on_the_28th_in_common_years(
    session: Session, add_person: AddPerson
) -> None:
    leap = add_person("Leap Baby", birthday="02-29")
    assert keys(session, date(2027, 2, 28)) == [f"congrats:birthday:{leap.id}:2027"]
    assert keys(session, date(2027, 2, 27)) == []
    assert keys(session, date(2028, 2, 28)) == []
    assert keys(session, date(2028, 2, 29)) == [f"congrats:birthday:{leap.id}:2028"]


def test_a_new_years_eve_birthday_seen_on_new_years_day_keys_last_year(
    session: Session, add_person: AddPerson
) -> None:
    eve = add_person("Eve", birthday="12-31")
    assert keys(session, date(2027, 1, 1)) == [f"congrats:birthday:{eve.id}:2026"]


def test_archived_people_get_no_congratulations(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", birthday="03-10")
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="award", occurred_on=DAY
    )
    people_service.archive_person(ana)
    session.flush()
    assert keys(session) == []


def test_a_logged_milestone_is_congratulated_for_a_week(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    item = milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="new_job", occurred_on=DAY, text="CTO at Beta"
    )
    assert keys(session, DAY - timedelta(days=1)) == []  # not before it happened
    [line] = congratulations(session, DAY)
    assert line.key == f"congrats:milestone:{item.id}"
    assert line.title == "Congratulate Ana Lima on the new job: CTO at Beta"
    assert (line.ref_id, line.due_on) == (item.id, DAY)
    week_late = congratulations(session, DAY + timedelta(days=7))
    assert week_late[0].priority == pytest.approx(line.priority / 2)
    assert keys(session, DAY + timedelta(days=8)) == []


def test_a_work_anniversary_of_a_current_company_role_appears_on_the_day(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo, cy, dee = (add_person(n) for n in ("Ana Lima", "Bo Chen", "Cy Diaz", "Dee Eng"))
    acme = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    club = organisations_service.ensure_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Chess Club", kind="association"
    )
    current = organisations_service.add_membership(
        session, person=ana, organisation=acme, role="CTO", since=date(2021, 3, 10)
    )
    organisations_service.add_membership(
        session, person=bo, organisation=acme, since=date(2021, 3, 10), until=date(2025, 1, 1)
    )  # ended
    organisations_service.add_membership(session, person=cy, organisation=club, since=date(2021, 3, 10))
    organisations_service.add_membership(session, person=dee, organisation=acme, since=DAY)  # 0 years
    organisations_service.add_membership(session, person=None, organisation=acme, since=date(2020, 3, 10))
    [line] = congratulations(session)
    assert line.key == f"congrats:anniversary:{current.id}:2026"
    assert line.title == "Congratulate Ana Lima on 5 years at Acme"
    assert line.reasons[0] == "work anniversary today: 5 years at Acme as CTO, since March 2021"
    assert line.ref_id == current.id
    assert keys(session, DAY + timedelta(days=1)) == []
    assert keys(session, DAY - timedelta(days=365)) == [f"congrats:anniversary:{current.id}:2025"]


def test_a_stronger_tie_ranks_higher(session: Session, add_person: AddPerson) -> None:
    add_person("Close Friend", birthday="03-10", closeness=5)
    add_person("Acquaintance", birthday="03-10")
    lines = sorted(congratulations(session), key=lambda i: -i.priority)
    assert [i.person_name for i in lines] == ["Close Friend", "Acquaintance"]
    # 3 x freshness 1 x (0.5 + strength / 100): a closeness of 5 is a strength of 100 here.
    assert lines[0].priority == pytest.approx(3.0 * 1.5)


def test_one_line_per_person_when_several_congratulations_are_due(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", birthday="03-10")
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="award", occurred_on=DAY
    )
    [line] = congratulations(session, merged=True)
    assert line.also != []


def test_done_logs_a_message_and_the_line_does_not_return(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", birthday="03-10")
    key = f"congrats:birthday:{ana.id}:2026"
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=key, now=noon(DAY))
    [entry] = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert (entry.interaction.kind, entry.interaction.initiated_by) == ("message", "me")
    assert entry.interaction.notes == "birthday wishes (from the agenda)"
    assert ana.last_contact_at == noon(DAY)
    assert congratulations(session, DAY, merged=True) == []
    assert congratulations(session, DAY + timedelta(days=1), merged=True) == []
    # Next year is a new birthday.
    assert [i.key for i in congratulations(session, DAY + timedelta(days=365), merged=True)] == [
        f"congrats:birthday:{ana.id}:2027"
    ]


def test_snoozed_and_dismissed_congratulations_stay_away(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", birthday="03-10")
    bo = add_person("Bo Chen")
    award = milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=bo, kind="award", occurred_on=DAY
    )
    agenda.snooze(
        session, owner_id=LOCAL_OWNER_ID, ref=f"congrats:birthday:{ana.id}:2026", days=2, now=noon(DAY)
    )
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=f"congrats:milestone:{award.id}", now=noon(DAY))
    assert congratulations(session, DAY, merged=True) == []
    assert congratulations(session, DAY + timedelta(days=1), merged=True) == []
    back = congratulations(session, DAY + timedelta(days=2), merged=True)
    assert [i.key for i in back] == [f"congrats:birthday:{ana.id}:2026"]


def test_the_congratulate_weight_setting_changes_the_order(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", birthday="03-10")
    followups_service.add_followup(session, owner_id=LOCAL_OWNER_ID, person=ana, text="x", due_on=DAY)

    def order() -> list[str]:
        ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY))
        return [i.kind for i in agenda.collect_all(ctx) if i.kind in ("follow_up", "congratulate")]

    assert order() == ["follow_up", "congratulate"]  # 3 vs 3 x 0.5 for an unknown tie
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.weight.congratulate", value="10")
    assert order() == ["congratulate", "follow_up"]
