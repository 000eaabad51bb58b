"""Queries about people (tieline.repo.people): lookups, filters and sorts, on both backends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import people as people_repo
from tieline.repo.people import PersonFilter
from tieline.repo.person_view import PersonSummary
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

AddPerson = Callable[..., Person]


def names(people: Sequence[Person | PersonSummary]) -> list[str]:
    return [p.display_name for p in people]


def listed(session: Session, sort: str = "name", **where: object) -> list[str]:
    return names(
        people_repo.list_summaries(session, owner_id=LOCAL_OWNER_ID, where=PersonFilter(**where), sort=sort)  # type: ignore[arg-type]
    )


def test_list_sorts_by_folded_name(session: Session, add_person: AddPerson) -> None:
    for name in ("zoe", "Émile", "adam", "Eve"):
        add_person(name)
    assert listed(session) == ["adam", "Émile", "Eve", "zoe"]


def test_list_by_last_contact_puts_never_contacted_first_then_the_longest_silence(
    session: Session, add_person: AddPerson, log: Callable[..., object], now: datetime
) -> None:
    recent, old, _never, older = (add_person(n) for n in ("Recent", "Old", "Never", "Older"))
    log("call", [recent], when=now - timedelta(days=1))
    log("call", [old], when=now - timedelta(days=100))
    log("call", [older], when=now - timedelta(days=400))
    assert listed(session, sort="last-contact") == ["Never", "Older", "Old", "Recent"]


def test_list_by_created_puts_the_newest_first(session: Session, add_person: AddPerson) -> None:
    first, second, third = (add_person(n) for n in ("First", "Second", "Third"))
    base = datetime(2026, 1, 1, tzinfo=UTC)
    first.created_at, second.created_at, third.created_at = (
        base,
        base + timedelta(days=2),
        base + timedelta(days=1),
    )
    session.flush()
    assert listed(session, sort="created") == ["Second", "Third", "First"]


def test_list_filters_by_tier_and_tag(session: Session, add_person: AddPerson) -> None:
    add_person("Inner Ida", tier=1, lists={"tags": ["family"]})
    add_person("Close Cal", tier=2, lists={"tags": ["family", "climbing"]})
    add_person("Network Nia", lists={"tags": ["climbing"]})
    assert listed(session, tier=1) == ["Inner Ida"]
    assert listed(session, tag="climbing") == ["Close Cal", "Network Nia"]
    assert listed(session, tier=2, tag="family") == ["Close Cal"]
    assert listed(session, tag="nobody-has-this") == []


def test_list_filters_by_organisation_past_and_present(
    session: Session, add_person: AddPerson, today: date
) -> None:
    add_person("Current Cara", company="Acme")
    former = add_person("Former Finn", company="Acme")
    add_person("Elsewhere Eli", company="Globex")
    people_service.edit_person(session, former, PersonChanges(set={"company": "Initech"}), today=today)
    acme = organisations_service.resolve_organisation(session, owner_id=LOCAL_OWNER_ID, text="Acme")
    assert listed(session, organisation_id=acme.id) == ["Current Cara", "Former Finn"]


def test_list_hides_archived_people_unless_asked(session: Session, add_person: AddPerson) -> None:
    add_person("Shown")
    add_person("Hidden").archived = True
    session.flush()
    assert listed(session) == ["Shown"]
    assert listed(session, include_archived=True) == ["Hidden", "Shown"]


def test_list_limit_and_offset_page_through(session: Session, add_person: AddPerson) -> None:
    for name in ("a", "b", "c", "d"):
        add_person(name)
    where = PersonFilter()
    page = people_repo.list_summaries(session, owner_id=LOCAL_OWNER_ID, where=where, limit=2, offset=1)
    assert names(page) == ["b", "c"]


def test_prefix_matches_the_start_of_any_word_of_the_name(session: Session, add_person: AddPerson) -> None:
    add_person("José Álvarez")
    add_person("Alvin Stone")
    found = people_repo.find_by_name_prefix(session, owner_id=LOCAL_OWNER_ID, prefix="alv")
    assert names(found) == ["Alvin Stone", "José Álvarez"]
    assert people_repo.find_by_name_prefix(session, owner_id=LOCAL_OWNER_ID, prefix="varez") == []


@pytest.mark.parametrize("wildcard", ["%", "_", "a%", "\\"])
def test_prefix_treats_sql_wildcards_as_plain_text(
    session: Session, add_person: AddPerson, wildcard: str
) -> None:
    add_person("Ana Lima")
    assert people_repo.find_by_name_prefix(session, owner_id=LOCAL_OWNER_ID, prefix=wildcard) == []


def test_find_by_email_ignores_case(session: Session, add_person: AddPerson) -> None:
    add_person("Ana", lists={"emails": ["Ana@Example.com"]})
    assert names(people_repo.find_by_email(session, owner_id=LOCAL_OWNER_ID, address="ANA@example.COM")) == [
        "Ana"
    ]


def test_get_many_keeps_the_order_asked_and_skips_missing_ids(
    session: Session, add_person: AddPerson
) -> None:
    a, b = add_person("A"), add_person("B")
    assert names(people_repo.get_many(session, owner_id=LOCAL_OWNER_ID, person_ids=[b.id, 999, a.id])) == [
        "B",
        "A",
    ]


def test_count_includes_archived_people(session: Session, add_person: AddPerson) -> None:
    add_person("A")
    add_person("B").archived = True
    session.flush()
    assert people_repo.count(session, owner_id=LOCAL_OWNER_ID) == 2
