"""Identity resolution, duplicate detection, and merge / unmerge on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import Person
from tieline.services import duplicates, identity
from tieline.services import merge as merge_service
from tieline.services.identity import Facts, compare, linkedin_key, name_key, phone_key

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def facts(pid: int, name: str, company: str | None = None, **sets: set[str]) -> Facts:
    return Facts(id=pid, name=name, company=company, **sets)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/ana-lima/",
        "http://linkedin.com/in/Ana-Lima?trk=abc",
        "www.linkedin.com/in/ana-lima",
        "https://fr.linkedin.com/in/ana-lima#about",
    ],
)
def test_linkedin_urls_compare_equal_however_written(url: str) -> None:
    assert linkedin_key(url) == "linkedin.com/in/ana-lima"


def test_linkedin_key_is_none_for_other_sites() -> None:
    assert linkedin_key("https://github.com/ana") is None and linkedin_key("") is None


def test_phone_numbers_compare_equal_with_and_without_country_code() -> None:
    assert phone_key("+44 20 7946 0958") == phone_key("020 7946 0958") == "2079460958"
    assert phone_key("+1 (415) 555-0100") == phone_key("415.555.0100")
    assert phone_key("123") is None


def test_names_match_in_any_order_with_accents_and_nicknames() -> None:
    assert name_key("Lima, Ana") == name_key("ana LIMA")
    assert name_key("José Álvarez") == name_key("Jose Alvarez")
    assert name_key("Bob Smith") == name_key("Robert Smith")
    assert name_key("Liz Taylor") == name_key("Elizabeth Taylor")


def test_bob_and_robert_at_the_same_company_are_a_certain_match() -> None:
    match = compare(facts(1, "Robert Smith", "Acme Inc."), facts(2, "Bob Smith", "ACME"))
    assert match is not None and match.certain
    assert "same name" in match.reasons and "same company Acme Inc." in match.reasons


def test_same_name_and_company_with_different_linkedin_urls_are_two_people() -> None:
    a = facts(1, "Wei Zhang", "Contoso", linkedin={"linkedin.com/in/wei-1"})
    b = facts(2, "Wei Zhang", "Contoso", linkedin={"linkedin.com/in/wei-2"})
    assert compare(a, b) is None


def test_a_shared_email_is_certain_whatever_the_names() -> None:
    match = compare(
        facts(1, "A. Lima", emails={"ana@x.org"}), facts(2, "Ana Lima-Souza", emails={"ana@x.org"})
    )
    assert match is not None and match.confidence == 1.0 and "same email ana@x.org" in match.reasons


def test_same_name_without_company_is_only_a_candidate() -> None:
    match = compare(facts(1, "Ana Lima"), facts(2, "Ana Lima"))
    assert match is not None and not match.certain


def test_duplicate_pairs_finds_similar_names_and_shared_identifiers() -> None:
    people = [
        facts(1, "Robert Smith", "Acme"),
        facts(2, "Bob Smith", "Acme"),
        facts(3, "Ana Lima", phones={"2079460958"}),
        facts(4, "Ana Lima", phones={"2079460958"}),
        facts(5, "Carla Dias"),
        facts(6, "Wei Zhang", "Contoso", linkedin={"linkedin.com/in/wei-1"}),
        facts(7, "Wei Zhang", "Contoso", linkedin={"linkedin.com/in/wei-2"}),
    ]
    found = {(m.a, m.b) for m in identity.duplicate_pairs(people)}
    assert found == {(1, 2), (3, 4)}


def test_merge_keeps_every_value_and_unmerge_restores_exactly(
    session: Session,
    add_person: Callable[..., Person],
    log: Callable[..., object],
    snapshot: Callable[[], dict],
) -> None:
    ana = add_person(
        "Ana Lima",
        company="Acme",
        notes="likes climbing",
        lists={"emails": ["ana@acme.example"], "tags": ["rob"]},
    )
    dup = add_person(
        "Ana Lima",
        title="CTO",
        notes="met at RoboConf",
        lists={
            "emails": ["ana@home.example", "ana@acme.example"],
            "phones": ["+33 6 12 34 56 78"],
            "tags": ["rob", "climb"],
            "links": ["https://www.linkedin.com/in/ana"],
        },
    )
    bo = add_person("Bo Chen")
    log("coffee", [ana, dup], when=datetime(2026, 3, 1, tzinfo=UTC))
    log("call", [dup, bo], when=datetime(2026, 3, 5, tzinfo=UTC))
    session.commit()
    before = snapshot()

    dup_id = dup.id
    record = merge_service.merge(session, kept=ana, merged=dup, now=NOW)
    session.commit()
    session.expire_all()
    kept = session.get(Person, ana.id)
    assert kept is not None and session.get(Person, dup_id) is None
    assert sorted(e.address for e in kept.emails) == ["ana@acme.example", "ana@home.example"]
    assert [p.number for p in kept.phones] == ["+33 6 12 34 56 78"]
    assert sorted(t.tag for t in kept.tags) == ["climb", "rob"]
    assert "likes climbing" in (kept.notes or "") and "met at RoboConf" in (kept.notes or "")
    assert (kept.title, kept.company, kept.last_contact_at) == (
        "CTO",
        "Acme",
        datetime(2026, 3, 5, tzinfo=UTC),
    )
    from tieline.repo import interactions as interactions_repo

    assert interactions_repo.count_for_person(session, owner_id=1, person_id=ana.id) == 2

    merge_service.unmerge(session, owner_id=1, merge_id=record.id, now=NOW)
    session.commit()
    after = snapshot()
    for table in before:
        if table != "merge_record":
            assert after[table] == before[table], table
    with pytest.raises(InvalidInput, match="already undone"):
        merge_service.unmerge(session, owner_id=1, merge_id=record.id, now=NOW)


def test_duplicates_lists_a_nickname_pair_until_marked_distinct(
    session: Session, add_person: Callable[..., Person]
) -> None:
    bob = add_person("Bob Smith", company="Acme")
    robert = add_person("Robert Smith", company="Acme Inc")
    add_person("Carla Dias")
    found = duplicates.find(session, owner_id=1)
    assert [(c.match.a, c.match.b) for c in found] == [(bob.id, robert.id)]
    merge_service.mark_distinct(session, owner_id=1, a=robert, b=bob)
    assert duplicates.find(session, owner_id=1) == []
