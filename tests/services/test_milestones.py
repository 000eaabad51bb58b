"""Milestones, birthdays and work anniversaries (tieline.services.milestones)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import LOCAL_OWNER_ID, MILESTONE_KINDS, Person
from tieline.services import milestones as milestones_service
from tieline.services import organisations as organisations_service

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("new-job", "new_job"), ("new job", "new_job"), ("New_Job", "new_job"), ("job", "new_job"),
     ("anniversary", "work_anniversary"), ("promoted", "promotion")],
)  # fmt: skip
def test_check_kind_accepts_the_ways_people_type_kinds(typed: str, kind: str) -> None:
    assert milestones_service.check_kind(typed) == kind


def test_every_stored_kind_is_accepted_and_others_are_refused() -> None:
    assert [milestones_service.check_kind(k) for k in MILESTONE_KINDS] == list(MILESTONE_KINDS)
    with pytest.raises(InvalidInput, match="new-job"):
        milestones_service.check_kind("wedding")


@pytest.mark.parametrize(
    ("year", "expected"), [(2027, date(2027, 2, 28)), (2028, date(2028, 2, 29)), (2100, date(2100, 2, 28))]
)
def test_a_29_february_occasion_falls_on_the_28th_in_other_years(year: int, expected: date) -> None:
    assert milestones_service.yearly(year, 2, 29) == expected


def test_month_days_on_adds_29_february_on_the_28th_of_a_common_year() -> None:
    assert milestones_service.month_days_on([date(2027, 2, 28)]) == [(2, 28), (2, 29)]
    assert milestones_service.month_days_on([date(2028, 2, 28)]) == [(2, 28)]


def test_days_late_finds_the_occasion_within_the_window_only() -> None:
    assert milestones_service.days_late(3, 8, on=DAY, within=2) == (date(2026, 3, 8), 2)
    assert milestones_service.days_late(3, 10, on=DAY, within=2) == (DAY, 0)
    assert milestones_service.days_late(3, 7, on=DAY, within=2) is None
    assert milestones_service.days_late(3, 11, on=DAY, within=2) is None
    # Across New Year: a 31 December birthday seen on 1 January is a day late, last year's.
    assert milestones_service.days_late(12, 31, on=date(2027, 1, 1), within=2) == (date(2026, 12, 31), 1)


@pytest.mark.parametrize(("late", "value"), [(0, 1.0), (1, 1 - 0.5 / 7), (7, 0.5), (30, 0.5)])
def test_freshness_falls_from_one_on_the_day_to_half_a_week_late(late: int, value: float) -> None:
    assert milestones_service.freshness(late) == pytest.approx(value)


def test_add_milestone_stores_the_normalised_kind(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    item = milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="new-job", occurred_on=DAY, text="  CTO at Beta "
    )
    assert (item.kind, item.text, item.person_id, item.occurred_on) == ("new_job", "CTO at Beta", ana.id, DAY)
    assert milestones_service.listing(session, owner_id=LOCAL_OWNER_ID) == [(item, "Ana Lima")]


def test_occasions_list_a_persons_birthday_anniversary_and_milestones_in_the_window(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", birthday="1986-03-20")
    acme = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    organisations_service.add_membership(session, person=ana, organisation=acme, since=date(2021, 3, 15))
    old = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="OldCo")
    organisations_service.add_membership(
        session, person=ana, organisation=old, since=date(2015, 3, 12), until=date(2020, 1, 1)
    )
    for kind, on in (("promotion", date(2026, 3, 5)), ("award", date(2026, 2, 1))):
        milestones_service.add_milestone(
            session, owner_id=LOCAL_OWNER_ID, person=ana, kind=kind, occurred_on=on
        )
    found = milestones_service.occasions(
        session, owner_id=LOCAL_OWNER_ID, person=ana, day=DAY, back=7, ahead=14
    )
    assert [(o.kind, o.on, o.text) for o in found] == [
        ("promotion", date(2026, 3, 5), "the promotion"),
        ("work_anniversary", date(2026, 3, 15), "5 years at Acme"),
        ("birthday", date(2026, 3, 20), "their birthday (turns 40)"),
    ]


def test_company_roles_are_the_current_dated_ones_that_anniversaries_count_from(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima")
    acme = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    organisations_service.add_membership(session, person=ana, organisation=acme, since=date(2021, 3, 15))
    old = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="OldCo")
    organisations_service.add_membership(
        session, person=ana, organisation=old, since=date(2015, 3, 12), until=date(2020, 1, 1)
    )
    club = organisations_service.ensure_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Chess", kind="association"
    )
    organisations_service.add_membership(session, person=ana, organisation=club, since=date(2019, 1, 1))
    undated = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="Beta")
    organisations_service.add_membership(session, person=ana, organisation=undated)
    session.flush()
    roles = milestones_service.company_roles(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert roles == [(date(2021, 3, 15), "Acme")]
    coming = milestones_service.coming_up(
        day=DAY, birthday_month=None, birthday_day=None, birthday_year=None, company_roles=roles
    )
    assert [(o.kind, o.on) for o in coming] == [("work_anniversary", date(2026, 3, 15))]
