"""Queries about organisations and memberships (tieline.repo.organisations)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Organisation, Person
from tieline.repo import organisations as organisations_repo
from tieline.services import organisations as organisations_service

AddPerson = Callable[..., Person]


def add_org(session: Session, name: str, kind: str = "company") -> Organisation:
    return organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name=name, kind=kind)


def test_list_with_counts_counts_each_person_once_past_and_present(
    session: Session, add_person: AddPerson
) -> None:
    acme, empty = add_org(session, "Acme"), add_org(session, "Empty Club", "association")
    ana, bo = add_person("Ana"), add_person("Bo")
    organisations_service.add_membership(session, person=ana, organisation=acme, until=date(2020, 1, 1))
    organisations_service.add_membership(session, person=ana, organisation=acme, since=date(2021, 1, 1))
    organisations_service.add_membership(session, person=bo, organisation=acme)
    rows = organisations_repo.list_with_counts(session, owner_id=LOCAL_OWNER_ID)
    assert [(o.name, n) for o, n in rows] == [("Acme", 2), ("Empty Club", 0)]
    only = organisations_repo.list_with_counts(session, owner_id=LOCAL_OWNER_ID, kind="association")
    assert [o.id for o, _ in only] == [empty.id]


def test_find_by_name_is_per_kind(session: Session) -> None:
    add_org(session, "Delta", "company")
    add_org(session, "Delta", "alumni_network")
    assert len(organisations_repo.find_by_name(session, owner_id=LOCAL_OWNER_ID, match_name="delta")) == 2
    found = organisations_repo.find_by_name(
        session, owner_id=LOCAL_OWNER_ID, match_name="delta", kind="alumni_network"
    )
    assert [o.kind for o in found] == ["alumni_network"]


@pytest.mark.parametrize("wildcard", ["%", "_", "\\"])
def test_name_prefix_treats_sql_wildcards_as_plain_text(session: Session, wildcard: str) -> None:
    add_org(session, "Acme")
    assert organisations_repo.find_by_name_prefix(session, owner_id=LOCAL_OWNER_ID, prefix=wildcard) == []


@pytest.mark.parametrize("part", ["%", "_", "\\"])
def test_listing_by_part_of_the_name_treats_sql_wildcards_as_plain_text(
    session: Session, today: date, part: str
) -> None:
    add_org(session, "Acme")
    add_org(session, f"Fifty{part}Fifty")
    found = organisations_repo.listing(session, owner_id=LOCAL_OWNER_ID, today=today, name_part=part)
    assert [row.organisation.name for row in found] == [f"Fifty{part}Fifty"]
    assert organisations_repo.count_matching(session, owner_id=LOCAL_OWNER_ID, name_part=part) == 1


def test_memberships_of_person_list_current_ones_first(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana")
    for name, since, until in (
        ("Old Co", date(2010, 1, 1), date(2015, 1, 1)),
        ("Now Co", date(2020, 1, 1), None),
        ("Mid Co", date(2015, 1, 1), date(2020, 1, 1)),
    ):
        organisations_service.add_membership(
            session, person=ana, organisation=add_org(session, name), since=since, until=until
        )
    found = organisations_repo.memberships_of_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert [m.organisation.name for m in found] == ["Now Co", "Mid Co", "Old Co"]


def test_memberships_of_organisation_include_the_owner_as_none(
    session: Session, add_person: AddPerson
) -> None:
    acme = add_org(session, "Acme")
    organisations_service.add_membership(session, person=None, organisation=acme, role="Founder")
    organisations_service.add_membership(session, person=add_person("Ana"), organisation=acme)
    rows = organisations_repo.memberships_of_organisation(
        session, owner_id=LOCAL_OWNER_ID, organisation_id=acme.id
    )
    assert sorted((p.display_name if p else "me", m.role) for m, p in rows) == [
        ("Ana", None),
        ("me", "Founder"),
    ]


def test_current_membership_ignores_ended_ones(session: Session, add_person: AddPerson) -> None:
    acme, ana = add_org(session, "Acme"), add_person("Ana")
    organisations_service.add_membership(session, person=ana, organisation=acme, until=date(2020, 1, 1))
    assert (
        organisations_repo.current_membership(
            session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, organisation_id=acme.id
        )
        is None
    )
    current = organisations_service.add_membership(session, person=ana, organisation=acme)
    assert (
        organisations_repo.current_membership(
            session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, organisation_id=acme.id
        )
        == current
    )


def test_memberships_with_an_unknown_start_come_after_dated_ones_on_every_backend(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana")
    for name, since in (("Undated Co", None), ("Dated Co", date(2015, 1, 1))):
        organisations_service.add_membership(
            session, person=ana, organisation=add_org(session, name), since=since, until=date(2020, 1, 1)
        )
    found = organisations_repo.memberships_of_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert [m.organisation.name for m in found] == ["Dated Co", "Undated Co"]
