"""Overdue keep-in-touch lines and tier reviews (tieline.services.agenda.keep_in_touch)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import interactions as interactions_repo
from tieline.repo import ties as ties_repo
from tieline.services import agenda, preferences, scoring
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.agenda import AgendaItem, DoneOptions

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def ago(days: int, day: date = DAY) -> datetime:
    return noon(day - timedelta(days=days))


def talk(
    session: Session, person: Person, when: datetime, kind: str = "message", by: str | None = None
) -> None:
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind=kind, people=[person], when=when, initiated_by=by, now=when
    )


def added(session: Session, add_person: AddPerson, name: str, days_ago: int, **values: object) -> Person:
    """Someone added `days_ago` days ago and never contacted since."""
    person = add_person(name, **values)
    person.created_at = ago(days_ago)
    session.flush()
    return person


def lines(session: Session, day: date = DAY, kind: str = "keep_in_touch") -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    return [i for i in agenda.collect_all(ctx) if i.kind == kind]


def names(items: list[AgendaItem]) -> list[str]:
    return [i.person_name or "" for i in items]


def set_pref(session: Session, key: str, value: str) -> None:
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key=key, value=value)


@pytest.mark.parametrize(("tier", "cadence"), [(1, 7), (2, 30), (3, 90), (4, 365)])
def test_each_tier_is_overdue_from_its_cadence_on(
    session: Session, add_person: AddPerson, tier: int, cadence: int
) -> None:
    due = add_person("Ana Due", tier=tier)
    early = add_person("Bo Early", tier=tier)
    talk(session, due, ago(cadence))
    talk(session, early, ago(cadence - 1))
    [line] = lines(session)
    assert line.person_id == due.id
    assert line.due_on == DAY
    assert line.key == f"keep:{due.id}:{(DAY - timedelta(days=cadence)).isoformat()}"
    assert sorted(names(lines(session, DAY + timedelta(days=1)))) == ["Ana Due", "Bo Early"]


def test_acquaintances_have_no_cadence_and_are_never_due(session: Session, add_person: AddPerson) -> None:
    talk(session, add_person("Ana Lima", tier=5), ago(3000))
    added(session, add_person, "Bo Chen", 3000, tier=5)
    for later in (0, 365, 3650):
        assert lines(session, DAY + timedelta(days=later)) == []
        assert lines(session, DAY + timedelta(days=later), kind="review_tier") == []


def test_a_persons_own_cadence_overrides_the_tiers(session: Session, add_person: AddPerson) -> None:
    slower = add_person("Ana Slow", tier=1, cadence_days=20)  # tier 1 alone would be due after 7 days
    faster = add_person("Bo Fast", tier=4, cadence_days=14)  # tier 4 alone: after a year
    acquaintance = add_person("Cy Acq", tier=5, cadence_days=60)  # an explicit cadence is kept
    talk(session, slower, ago(19))
    talk(session, faster, ago(14))
    talk(session, acquaintance, ago(60))
    assert sorted(names(lines(session))) == ["Bo Fast", "Cy Acq"]
    assert sorted(names(lines(session, DAY + timedelta(days=1)))) == ["Ana Slow", "Bo Fast", "Cy Acq"]
    [line] = [i for i in lines(session) if i.person_id == faster.id]
    # An own cadence is the person's rhythm, not their circle's.
    assert line.reasons == ["you usually talk every two weeks; it has been two weeks"]
    assert line.details[0] == "last contact 14 days ago; cadence 14 days (tier 4 network, own cadence)"


def test_an_own_cadence_is_due_on_the_day_it_is_reached_whatever_the_hour(
    session: Session, add_person: AddPerson
) -> None:
    # The database picks the candidates with an own cadence; whole local days decide, as for tiers.
    late = add_person("Ana Late", tier=4, cadence_days=10)
    early = add_person("Bo Early", tier=4, cadence_days=10)
    talk(session, late, datetime.combine(DAY - timedelta(days=10), time(23, 59, 59), tzinfo=UTC))
    talk(session, early, datetime.combine(DAY - timedelta(days=9), time(0, 0, 1), tzinfo=UTC))
    assert names(lines(session)) == ["Ana Late"]
    assert sorted(names(lines(session, DAY + timedelta(days=1)))) == ["Ana Late", "Bo Early"]


def test_tier_cadences_are_settings(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=2)
    talk(session, ana, ago(20))
    assert lines(session) == []
    set_pref(session, "cadence.tier2", "20")
    assert names(lines(session)) == ["Ana Lima"]
    set_pref(session, "cadence.tier5", "10")
    cy = add_person("Cy Dorn", tier=5)
    talk(session, cy, ago(10))
    assert sorted(names(lines(session))) == ["Ana Lima", "Cy Dorn"]


def test_someone_never_contacted_counts_from_when_they_were_added(
    session: Session, add_person: AddPerson
) -> None:
    ana = added(session, add_person, "Ana Lima", 45, tier=2)
    added(session, add_person, "Bo Chen", 29, tier=2)
    [line] = lines(session)
    assert line.person_id == ana.id
    assert line.key == f"keep:{ana.id}:never"
    assert line.reasons == [
        "close circle: you meant to talk every month; no contact since you added them over a month ago"
    ]
    assert line.details == [
        "no contact since added 45 days ago; cadence 30 days (tier 2 close)",
        "due ratio 1.5, tie strength 0",
    ]
    assert line.priority == pytest.approx(1.5 * 0.5)  # strength 0: 0.5 + 0/100
    assert line.due_on == DAY - timedelta(days=15)


def test_the_order_is_capped_due_ratio_times_strength(session: Session, add_person: AddPerson) -> None:
    # Never met and unrated: strength 0, so the priority is min(ratio, 3) x 0.5.
    added(session, add_person, "Ratio 1.5", 45, tier=2)
    added(session, add_person, "Ratio 4", 120, tier=2)
    added(session, add_person, "Ratio 10", 300, tier=2)
    # Rated very close: strength 100 (the rating is the only part), so x 1.5.
    added(session, add_person, "Close ratio 1.2", 36, tier=2, closeness=5)
    got = {i.person_name: i.priority for i in lines(session)}
    assert got == pytest.approx({"Ratio 1.5": 0.75, "Ratio 4": 1.5, "Ratio 10": 1.5, "Close ratio 1.2": 1.8})
    assert names(lines(session)) == ["Close ratio 1.2", "Ratio 4", "Ratio 10", "Ratio 1.5"]  # key breaks ties


def test_priority_and_reasons_use_the_strength_at_that_moment(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", tier=1, closeness=3)
    for days, by in ((12, "me"), (20, "them"), (30, "me")):
        talk(session, ana, ago(days), "coffee", by)
    [line] = lines(session)
    tie = ties_repo.get(session, person_id=ana.id)
    s = scoring.strength(ana, tie, at=noon(DAY), prefs=preferences.load(session, owner_id=LOCAL_OWNER_ID))
    ratio = 12 / 7
    assert line.reasons == ["inner circle: you usually talk every week; it has been 12 days"]
    assert line.details == [
        "last contact 12 days ago; cadence 7 days (tier 1 inner)",
        f"due ratio {ratio:.1f}, tie strength {s.total:.0f}",
    ]
    assert line.deadline is None  # it can wait a day: timeless
    assert line.priority == pytest.approx(ratio * (0.5 + s.total / 100))
    assert (line.title, line.draft, line.due_on) == (
        "Get in touch with Ana Lima",
        "check_in",
        DAY - timedelta(5),
    )


def test_the_keep_in_touch_weight_scales_every_line(session: Session, add_person: AddPerson) -> None:
    added(session, add_person, "Ana Lima", 60, tier=2)
    set_pref(session, "agenda.weight.keep_in_touch", "2.5")
    [line] = lines(session)
    assert line.priority == pytest.approx(2.5 * 2 * 0.5)


def test_archived_people_are_not_due(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=1)
    talk(session, ana, ago(30))
    people_service.archive_person(ana)
    session.flush()
    assert lines(session) == []


def test_losing_touch_lists_everyone_overdue_whatever_the_cap(
    session: Session, add_person: AddPerson
) -> None:
    for n in range(8):
        added(session, add_person, f"Person {n}", 31 + 10 * n, tier=2)
    added(session, add_person, "Not yet", 10, tier=2)
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY))
    everyone = agenda.losing_touch(ctx)
    assert len(everyone) == 8
    assert {i.kind for i in everyone} == {"keep_in_touch"}  # tier reviews are not "losing touch"
    assert [i.priority for i in everyone] == sorted((i.priority for i in everyone), reverse=True)
    assert "Not yet" not in names(everyone)
    view = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY), remember=False)
    assert len(view.items) == 5  # the daily cap
    assert view.total > 5


# --- suggesting a tier down ---------------------------------------------------------------------


def test_three_missed_cadences_suggest_moving_a_tier_down(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=2)
    bo = add_person("Bo Chen", tier=2)
    talk(session, ana, ago(90))
    talk(session, bo, ago(89))
    [review] = lines(session, kind="review_tier")
    assert review.person_id == ana.id
    assert review.key == f"tier:{ana.id}:2:{(DAY - timedelta(days=90)).isoformat()}"
    assert review.title == "Move Ana Lima to tier 3 (active)?"
    assert review.reasons == [
        "you meant to talk every month and it has been three months: a lighter rhythm would stop the "
        "reminders; done moves them down a tier, dismiss keeps them"
    ]
    assert review.details == ["3 cadences missed (90 days silent, cadence 30)"]
    assert review.priority == pytest.approx(0.5)
    # It is a separate line from the keep-in-touch one, which stays.
    assert sorted(names(lines(session))) == ["Ana Lima", "Bo Chen"]


def test_the_missed_cadences_setting_moves_the_threshold(session: Session, add_person: AddPerson) -> None:
    talk(session, add_person("Ana Lima", tier=1), ago(14))
    assert lines(session, kind="review_tier") == []
    set_pref(session, "demote.missed_cadences", "2")
    [review] = lines(session, kind="review_tier")
    assert review.priority == pytest.approx(0.5 * 1.0)
    set_pref(session, "agenda.weight.review_tier", "2")
    assert lines(session, kind="review_tier")[0].priority == pytest.approx(2.0)


def test_done_on_a_tier_review_moves_the_person_one_tier_down(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", tier=1)
    talk(session, ana, ago(21))
    [review] = lines(session, kind="review_tier")
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=review.key, now=noon(DAY), options=DoneOptions())
    session.flush()
    assert ana.tier == 2
    assert (
        len(interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)) == 1
    )  # none logged
    # 21 days is within tier 2's 30-day cadence: nothing is due any more, and nothing comes back early.
    assert lines(session) == [] and lines(session, kind="review_tier") == []
    assert names(lines(session, DAY + timedelta(days=9))) == ["Ana Lima"]
    assert lines(session, DAY + timedelta(days=68), kind="review_tier") == []
    [again] = lines(session, DAY + timedelta(days=69), kind="review_tier")  # 90 days: 3 x 30 missed
    assert again.title == "Move Ana Lima to tier 3 (active)?"


def test_dismissing_a_tier_review_keeps_the_tier(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=3)
    talk(session, ana, ago(300))
    [review] = lines(session, kind="review_tier")
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=review.key, now=noon(DAY))
    session.flush()
    assert ana.tier == 3
    for later in (0, 1, 30, 400):
        assert lines(session, DAY + timedelta(days=later), kind="review_tier") == []
    assert names(lines(session)) == ["Ana Lima"]  # still overdue: dismissing the review is not a contact


def test_the_review_never_goes_past_the_acquaintance_tier(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=4)
    talk(session, ana, ago(3 * 365))
    [review] = lines(session, kind="review_tier")
    assert review.title == "Move Ana Lima to tier 5 (acquaintance)?"
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=review.key, now=noon(DAY))
    session.flush()
    assert ana.tier == 5
    assert lines(session, DAY + timedelta(days=5000), kind="review_tier") == []


def test_the_review_counts_whole_cadences_missed(session: Session, add_person: AddPerson) -> None:
    talk(session, add_person("Ana Lima", tier=2), ago(105))
    [review] = lines(session, kind="review_tier")
    assert review.details[0] == "3 cadences missed (105 days silent, cadence 30)"
    assert review.reasons[0].startswith("you meant to talk every month and it has been over three months")


# --- done on a keep-in-touch line ----------------------------------------------------------------


def test_done_logs_the_contact_and_the_next_line_waits_a_full_cadence(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", tier=1)
    talk(session, ana, ago(10))
    [line] = lines(session)
    agenda.done(
        session, owner_id=LOCAL_OWNER_ID, ref=line.key, now=noon(DAY), options=DoneOptions(log_kind="call")
    )
    session.flush()
    [latest, _] = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert (latest.interaction.kind, latest.interaction.initiated_by) == ("call", "me")
    assert latest.interaction.occurred_at == noon(DAY)
    assert latest.interaction.notes == "checked in (from the agenda)"
    assert ana.last_contact_at == noon(DAY)
    for later in range(7):
        assert lines(session, DAY + timedelta(days=later)) == [], later
    [fresh] = lines(session, DAY + timedelta(days=7))
    assert fresh.key == f"keep:{ana.id}:{DAY.isoformat()}" != line.key
