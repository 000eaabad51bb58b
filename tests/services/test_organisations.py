"""Organisations and memberships (tieline.services.organisations)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

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
    add_org(session, "Delta")
    add_org(session, "Delta", "alumni_network")


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
