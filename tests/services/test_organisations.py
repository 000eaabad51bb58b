"""Organisations and memberships (tieline.services.organisations)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Organisation, Person
from tieline.services import organisations as organisations_service

AddPerson = Callable[..., Person]


def add_org(session: Session, name: str, kind: str = "company", **fields: str) -> Organisation:
    return organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name=name, kind=kind, **fields
    )


def resolve(session: Session, text: str) -> Organisation:
    return organisations_service.resolve_organisation(session, owner_id=LOCAL_OWNER_ID, text=text)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("alumni-network", "alumni_network"), ("Alumni Network", "alumni_network"), ("School", "school")],
)
def test_check_kind_accepts_spaces_dashes_and_capitals(typed: str, kind: str) -> None:
    assert organisations_service.check_kind(typed) == kind


def test_an_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match=r"unknown organisation kind 'guild'.*company"):
        organisations_service.check_kind("guild")


def test_adding_an_organisation_twice_is_refused_whatever_the_case(session: Session) -> None:
    add_org(session, "Café Society", "association")
    with pytest.raises(InvalidInput, match="already"):
        add_org(session, "CAFE SOCIETY", "association")


def test_the_same_name_may_be_a_company_and_an_alumni_network(session: Session) -> None:
    company = add_org(session, "Delta")
    alumni = add_org(session, "Delta", "alumni_network")
    assert company.id != alumni.id
    assert (company.kind, alumni.kind) == ("company", "alumni_network")


def test_ensure_organisation_returns_the_existing_one(session: Session) -> None:
    acme = add_org(session, "Acme")
    assert organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="ACME") is acme
    other = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="Globex")
    assert other.id != acme.id


def test_an_organisation_needs_a_name(session: Session) -> None:
    with pytest.raises(InvalidInput, match="organisation name cannot be empty"):
        add_org(session, "  ")


def test_resolve_by_id_exact_name_and_prefix(session: Session) -> None:
    acme, globex = add_org(session, "Acme"), add_org(session, "Globex Corporation")
    add_org(session, "Acme Labs")
    assert resolve(session, f"#{globex.id}") is globex
    assert resolve(session, "acme") is acme
    assert resolve(session, "glob") is globex


def test_resolve_an_ambiguous_prefix_lists_the_candidates(session: Session) -> None:
    add_org(session, "Acme")
    add_org(session, "Acme", "alumni_network")
    with pytest.raises(Ambiguous) as caught:
        resolve(session, "acme")
    assert caught.value.candidates == ["Acme (#1, company)", "Acme (#2, alumni network)"]


def test_resolve_unknown_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no organisation matches 'Nowhere'"):
        resolve(session, "Nowhere")
    with pytest.raises(NotFound, match="no organisation with id 7"):
        resolve(session, "#7")


def test_a_membership_cannot_end_before_it_starts(session: Session, add_person: AddPerson) -> None:
    with pytest.raises(InvalidInput, match="before"):
        organisations_service.add_membership(
            session,
            person=add_person("Ana"),
            organisation=add_org(session, "Acme"),
            since=date(2022, 1, 1),
            until=date(2021, 1, 1),
        )


def test_view_lists_current_members_before_former_ones(session: Session, add_person: AddPerson) -> None:
    acme = add_org(session, "Acme", industry="Anvils")
    organisations_service.add_membership(
        session, person=add_person("Former"), organisation=acme, until=date(2020, 1, 1)
    )
    organisations_service.add_membership(
        session, person=add_person("Zed Current"), organisation=acme, role="CEO"
    )
    view = organisations_service.view(session, acme)
    assert view.organisation.industry == "Anvils"
    assert [(p.display_name, m.role) for m, p in view.members if p] == [
        ("Zed Current", "CEO"),
        ("Former", None),
    ]


@pytest.mark.parametrize("text", ["²", "#99999999999999999999999"])
def test_odd_numbers_name_no_organisation_rather_than_crash(session: Session, text: str) -> None:
    add_org(session, "Acme")
    with pytest.raises(NotFound):
        resolve(session, text)


def member(
    session: Session, person: Person | None, org: Organisation, role: str | None = None,
    since: date | None = None, until: date | None = None,
) -> None:  # fmt: skip
    organisations_service.add_membership(
        session, person=person, organisation=org, role=role, since=since, until=until
    )


def test_who_includes_departments_current_first_then_strongest(
    session: Session, add_person: AddPerson, log: Callable[..., object]
) -> None:
    acme = add_org(session, "Acme")
    data = add_org(session, "Acme Data", "department", parent=acme)
    ml = add_org(session, "Acme ML", "team", parent=data)
    other = add_org(session, "Globex")
    ana, bo, cy, di = (add_person(n) for n in ("Ana Lima", "Bo Chen", "Cy Dorn", "Di Eze"))
    member(session, ana, ml, "Engineer", since=date(2022, 1, 1))
    member(session, bo, acme, "CTO", since=date(2015, 1, 1), until=date(2020, 1, 1))
    member(session, cy, data, "Analyst", since=date(2024, 1, 1))
    member(session, di, other)
    member(session, None, data)  # your own membership is not someone you know
    log("coffee", [cy])
    found = organisations_service.who(session, acme, now=datetime(2026, 3, 10, 10, tzinfo=UTC))
    assert [(i.person.display_name, i.current) for i in found] == [
        ("Cy Dorn", True),  # current, and the stronger tie
        ("Ana Lima", True),
        ("Bo Chen", False),
    ]
    assert [(m.role, org.name) for m, org in found[1].memberships] == [("Engineer", "Acme ML")]
    assert found[0].strength > found[1].strength


def test_who_leaves_out_archived_people_and_tells_past_from_current(
    session: Session, add_person: AddPerson
) -> None:
    school = add_org(session, "Insead", "school")
    gone, alum = add_person("Gone Person"), add_person("Alum Person")
    gone.archived = True
    member(session, gone, school)
    member(session, alum, school, "MBA", since=date(2010, 9, 1), until=date(2011, 7, 1))
    member(session, alum, school, "Guest lecturer", since=date(2025, 1, 1))
    [insider] = organisations_service.who(session, school, now=datetime(2026, 3, 10, 10, tzinfo=UTC))
    assert insider.current
    assert [m.role for m, _ in insider.memberships] == ["Guest lecturer", "MBA"]


def test_common_memberships_name_the_most_specific_shared_organisation(
    session: Session, add_person: AddPerson
) -> None:
    acme = add_org(session, "Acme")
    data = add_org(session, "Acme Data", "department", parent=acme)
    sales = add_org(session, "Acme Sales", "department", parent=acme)
    school = add_org(session, "Insead", "school")
    club = add_org(session, "Chess club", "community")
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    member(session, None, data, "Engineer", since=date(2019, 1, 1), until=date(2023, 6, 30))
    member(session, None, school, "MBA", since=date(2010, 9, 1), until=date(2011, 7, 1))
    member(session, ana, data, "Analyst", since=date(2021, 3, 1))
    member(session, ana, school, "MBA", since=date(2015, 9, 1), until=date(2016, 7, 1))
    member(session, ana, club)
    member(session, bo, sales, "Sales lead", since=date(2018, 1, 1))

    shared = organisations_service.common_memberships(
        session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, today=date(2026, 3, 10)
    )
    assert [(c.organisation.name, c.overlap) for c in shared] == [
        ("Acme Data", (date(2021, 3, 1), date(2023, 6, 30))),  # there together: first
        ("Insead", None),  # the same school, years apart
    ]
    assert [m.role for m in shared[0].mine] == ["Engineer"]
    assert [m.role for m in shared[0].theirs] == ["Analyst"]

    [company] = organisations_service.common_memberships(
        session, owner_id=LOCAL_OWNER_ID, person_id=bo.id, today=date(2026, 3, 10)
    )
    assert company.organisation.name == "Acme"  # data and sales meet at the company
    assert company.overlap == (date(2019, 1, 1), date(2023, 6, 30))


def test_nothing_in_common_is_an_empty_list(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    member(session, ana, add_org(session, "Acme"))
    assert (
        organisations_service.common_memberships(
            session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, today=date(2026, 3, 10)
        )
        == []
    )


def test_with_member_counts_counts_past_and_present_members_and_narrows_by_kind(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    acme, lse = add_org(session, "Acme"), add_org(session, "LSE", "school")
    add_org(session, "Beta")
    organisations_service.add_membership(session, person=ana, organisation=acme)
    organisations_service.add_membership(
        session, person=bo, organisation=acme, since=date(2015, 1, 1), until=date(2020, 1, 1)
    )
    organisations_service.add_membership(session, person=bo, organisation=lse)
    session.flush()
    rows = organisations_service.with_member_counts(session, owner_id=LOCAL_OWNER_ID)
    assert [(o.name, n) for o, n in rows] == [("Acme", 2), ("Beta", 0), ("LSE", 1)]
    schools = organisations_service.with_member_counts(session, owner_id=LOCAL_OWNER_ID, kind="School")
    assert [(o.name, n) for o, n in schools] == [("LSE", 1)]
    with pytest.raises(InvalidInput, match="unknown"):
        organisations_service.with_member_counts(session, owner_id=LOCAL_OWNER_ID, kind="guild")
