"""Dormant ties worth reactivating (tieline.services.agenda.reactivation)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person, Tie
from tieline.repo import ties as ties_repo
from tieline.services import agenda, preferences, scoring
from tieline.services import interactions as interactions_service
from tieline.services import milestones as milestones_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.agenda import AgendaItem, DoneOptions, reactivation
from tieline.services.people import PersonChanges

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def ago(days: int) -> datetime:
    return noon(DAY - timedelta(days=days))


def once_close(
    session: Session,
    add_person: AddPerson,
    name: str,
    silent: int,
    *,
    closeness: int | None = 4,
    kind: str = "meeting",
    initiators: tuple[str | None, ...] = ("me", "them", "them"),
    **values: object,
) -> Person:
    """A tie of three contacts 20, 10 and 0 days before it fell silent `silent` days ago."""
    person = add_person(name, tier=4, closeness=closeness, **values)
    for gap, by in zip((20, 10, 0), initiators, strict=True):
        when = ago(silent + gap)
        interactions_service.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind=kind, people=[person], when=when, initiated_by=by, now=when
        )
    return person


def collect(session: Session, day: date = DAY) -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    return sorted(reactivation.collect(ctx), key=lambda i: (-i.priority, i.key))


def names(items: list[AgendaItem]) -> list[str]:
    return [i.person_name or "" for i in items]


def tie_of(session: Session, person: Person) -> Tie:
    tie = ties_repo.get(session, person_id=person.id)
    assert tie is not None
    return tie


def expected_priority(session: Session, person: Person, silent: int, role_changed: bool = False) -> float:
    tie = tie_of(session, person)
    novelty = (1 + math.log1p(silent / 365.25) / 2) * (1.5 if role_changed else 1.0)
    recip = scoring.reciprocity(tie)
    engagement = 0.75 if recip is None else 0.5 + recip / 200
    return 1.5 * tie.contact_strength / 100 * novelty * engagement


def test_a_once_strong_tie_silent_for_a_year_is_suggested_with_why(
    session: Session, add_person: AddPerson
) -> None:
    ana = once_close(session, add_person, "Ana Lima", 400)
    tie = tie_of(session, ana)
    assert tie.contact_strength >= 60  # strong as of the last contact...
    prefs = preferences.load(session, owner_id=LOCAL_OWNER_ID)
    assert scoring.strength(ana, tie, at=noon(DAY), prefs=prefs).total < tie.contact_strength  # faded since
    [line] = collect(session)
    assert line.key == f"reactivate:{ana.id}:{(DAY - timedelta(days=400)).isoformat()}"
    assert (line.kind, line.title, line.draft) == ("reactivate", "Reconnect with Ana Lima", "reconnect")
    assert line.reasons == [
        "you were close once; you last spoke a year ago",
        "they reached out 2 times before: people help more willingly than we expect",
    ]
    assert line.details[0] == f"strength {tie.contact_strength:.0f} when you last spoke, 400 days ago"
    assert line.priority == pytest.approx(expected_priority(session, ana, 400))


def test_dormant_means_a_full_year_of_silence(session: Session, add_person: AddPerson) -> None:
    once_close(session, add_person, "Ana Year", 365)
    once_close(session, add_person, "Bo Almost", 364)
    assert names(collect(session)) == ["Ana Year"]
    assert sorted(names(collect(session, DAY + timedelta(days=1)))) == ["Ana Year", "Bo Almost"]


def test_the_dormant_days_setting_moves_the_threshold(session: Session, add_person: AddPerson) -> None:
    once_close(session, add_person, "Ana Lima", 200)
    assert collect(session) == []
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="dormant.days", value="180")
    assert names(collect(session)) == ["Ana Lima"]


def test_ranking_is_past_strength_times_novelty_times_engagement(
    session: Session, add_person: AddPerson
) -> None:
    base = once_close(session, add_person, "Ana Base", 400)
    longer = once_close(session, add_person, "Bo Longer", 800)  # same past strength, more time apart
    weaker = once_close(session, add_person, "Cy Weaker", 400, closeness=3)  # lower past strength
    one_sided = once_close(session, add_person, "Dee One-sided", 400, initiators=("me", "me", "me"))
    items = collect(session)
    assert names(items) == ["Bo Longer", "Ana Base", "Cy Weaker", "Dee One-sided"]
    silent = {base.id: 400, longer.id: 800, weaker.id: 400, one_sided.id: 400}
    people = {p.id: p for p in (base, longer, weaker, one_sided)}
    for item in items:
        assert item.person_id is not None
        assert item.priority == pytest.approx(
            expected_priority(session, people[item.person_id], silent[item.person_id])
        )
    assert tie_of(session, longer).contact_strength == tie_of(session, base).contact_strength
    assert "they reached out" not in " ".join(items[-1].reasons)


def test_a_new_company_role_since_the_last_contact_ranks_higher_and_says_so(
    session: Session, add_person: AddPerson
) -> None:
    plain = once_close(session, add_person, "Ana Plain", 400)
    moved = once_close(session, add_person, "Bo Moved", 400, company="Acme", title="Engineer")
    people_service.edit_person(
        session,
        moved,
        PersonChanges(set={"company": "Globex", "title": "CTO"}),
        today=DAY - timedelta(days=30),
    )
    session.flush()
    items = collect(session)
    assert names(items) == ["Bo Moved", "Ana Plain"]
    assert items[0].reasons[1] == (
        "their work changed since (now CTO at Globex, February 2026): plenty to catch up on"
    )
    assert items[0].priority == pytest.approx(expected_priority(session, moved, 400, role_changed=True))
    assert items[1].priority == pytest.approx(expected_priority(session, plain, 400))
    assert items[0].priority / items[1].priority == pytest.approx(1.5)


def test_a_membership_that_started_before_the_last_contact_is_no_news(
    session: Session, add_person: AddPerson
) -> None:
    bo = once_close(session, add_person, "Bo Chen", 400)
    org = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="Initech")
    organisations_service.add_membership(
        session, person=bo, organisation=org, role="PM", since=DAY - timedelta(days=500)
    )
    [line] = collect(session)
    assert not any("changed since" in r for r in line.reasons)
    assert line.priority == pytest.approx(expected_priority(session, bo, 400))
    organisations_service.add_membership(
        session, person=bo, organisation=org, role="VP", since=DAY - timedelta(days=100)
    )
    [line] = collect(session)
    assert line.reasons[1] == (  # no title or company on the person
        "their work changed since (a new role, November 2025): plenty to catch up on"
    )


@pytest.mark.parametrize("kind", ["new_job", "promotion"])
def test_a_new_job_or_promotion_milestone_counts_as_a_role_change(
    session: Session, add_person: AddPerson, kind: str
) -> None:
    once_close(session, add_person, "Ana Plain", 400)
    cy = once_close(session, add_person, "Cy Dorn", 400, title="Director")
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=cy, kind=kind, occurred_on=DAY - timedelta(days=60)
    )
    items = collect(session)
    assert names(items) == ["Cy Dorn", "Ana Plain"]
    assert items[0].reasons[1] == (
        "their work changed since (now Director, January 2026): plenty to catch up on"
    )


def test_other_milestones_are_not_a_role_change(session: Session, add_person: AddPerson) -> None:
    cy = once_close(session, add_person, "Cy Dorn", 400)
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=cy, kind="award", occurred_on=DAY - timedelta(days=60)
    )
    [line] = collect(session)
    assert line.priority == pytest.approx(expected_priority(session, cy, 400))


def test_three_years_apart_is_long_dormant_and_says_so(session: Session, add_person: AddPerson) -> None:
    once_close(session, add_person, "Ana Recent", 1094)
    once_close(session, add_person, "Bo Long", 1095)
    items = {i.person_name: i for i in collect(session)}
    long_dormant = "a tie this long dormant brings the most new ideas when it wakes"
    assert items["Bo Long"].reasons[-1] == long_dormant
    assert long_dormant not in items["Ana Recent"].reasons


def test_weak_ties_are_not_suggested(session: Session, add_person: AddPerson) -> None:
    # Three likes and no rating: too weak to have been a tie worth waking.
    weak = once_close(
        session, add_person, "Ana Weak", 500, closeness=None, kind="social", initiators=(None,) * 3
    )
    strong = once_close(session, add_person, "Bo Strong", 500)
    assert tie_of(session, weak).contact_strength < 25
    assert names(collect(session)) == ["Bo Strong"]
    threshold = tie_of(session, strong).contact_strength
    preferences.set_value(
        session, owner_id=LOCAL_OWNER_ID, key="agenda.reactivate_min_strength", value=str(threshold + 0.1)
    )
    assert collect(session) == []
    preferences.set_value(
        session, owner_id=LOCAL_OWNER_ID, key="agenda.reactivate_min_strength", value=str(threshold)
    )
    assert names(collect(session)) == ["Bo Strong"]
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.reactivate_min_strength", value="0")
    assert sorted(names(collect(session))) == ["Ana Weak", "Bo Strong"]


def test_fewer_than_three_contacts_need_a_rating(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=4)
    bo = add_person("Bo Chen", tier=4, closeness=5)
    for person in (ana, bo):
        for days in (500, 510):
            interactions_service.log_interaction(
                session, owner_id=LOCAL_OWNER_ID, kind="meeting", people=[person], when=ago(days),
                initiated_by="them", now=ago(days),
            )  # fmt: skip
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.reactivate_min_strength", value="0")
    assert names(collect(session)) == ["Bo Chen"]


def test_archived_people_are_not_suggested(session: Session, add_person: AddPerson) -> None:
    ana = once_close(session, add_person, "Ana Lima", 400)
    people_service.archive_person(ana)
    session.flush()
    assert collect(session) == []


def test_the_reactivate_weight_scales_the_priority(session: Session, add_person: AddPerson) -> None:
    ana = once_close(session, add_person, "Ana Lima", 400)
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.weight.reactivate", value="3")
    [line] = collect(session)
    assert line.priority == pytest.approx(2 * expected_priority(session, ana, 400))


def test_done_logs_the_reconnection_and_wakes_the_tie(session: Session, add_person: AddPerson) -> None:
    ana = once_close(session, add_person, "Ana Lima", 400)
    [line] = collect(session)
    agenda.done(
        session, owner_id=LOCAL_OWNER_ID, ref=line.key, now=noon(DAY), options=DoneOptions(log_kind="coffee")
    )
    session.flush()
    assert ana.last_contact_at == noon(DAY)
    assert tie_of(session, ana).interactions == 4
    for later in (0, 1, 364):
        assert collect(session, DAY + timedelta(days=later)) == []
    [again] = collect(session, DAY + timedelta(days=365))
    assert again.key == f"reactivate:{ana.id}:{DAY.isoformat()}"
