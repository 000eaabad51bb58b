"""Full-text search (tieline.repo.search): FTS5 on SQLite, tsvector on PostgreSQL, same answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import search as search_repo
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

AddPerson = Callable[..., Person]


def found(session: Session, query: str, **options: object) -> list[str]:
    hits = search_repo.find_people(session, owner_id=LOCAL_OWNER_ID, query=query, **options)  # type: ignore[arg-type]
    return [person.display_name for person, _ in hits]


def test_a_name_match_ranks_above_a_notes_only_match(session: Session, add_person: AddPerson) -> None:
    add_person("Bo Notes", notes="Introduced me to Kowalski at the conference")
    add_person("Kasia Kowalski")
    add_person("Ted Title", title="Kowalski liaison")
    assert found(session, "kowalski") == ["Kasia Kowalski", "Ted Title", "Bo Notes"]


@pytest.mark.parametrize("query", ["jose", "JOSÉ", "José", "jose alvarez", "álvarez"])
def test_search_ignores_case_and_accents(session: Session, add_person: AddPerson, query: str) -> None:
    add_person("José Álvarez")
    assert found(session, query) == ["José Álvarez"]


def test_search_with_accents_finds_a_name_typed_without(session: Session, add_person: AddPerson) -> None:
    add_person("Jose Alvarez")
    assert found(session, "José Álvarez") == ["Jose Alvarez"]


def test_each_query_word_matches_as_a_prefix(session: Session, add_person: AddPerson) -> None:
    add_person("Alexandra Lima")
    assert found(session, "alex li") == ["Alexandra Lima"]
    assert found(session, "lexandra") == []


def test_every_query_word_must_match(session: Session, add_person: AddPerson) -> None:
    add_person("Ana Acme", company="Acme")
    add_person("Ana Globex", company="Globex")
    assert found(session, "ana acme") == ["Ana Acme"]


def test_search_looks_at_handles_work_topics_and_notes(session: Session, add_person: AddPerson) -> None:
    add_person(
        "Everything Person",
        company="Initech",
        title="Staff Engineer",
        location="Lisbon",
        notes="Plays the cello",
        met_where="PyCon",
        lists={
            "emails": ["ev@example.org"],
            "tags": ["climbing"],
            "interests": ["Rust"],
            "expertise": ["Kubernetes"],
            "needs": ["cofounder"],
            "links": ["https://github.com/evperson"],
        },
    )
    for query in ("initech", "engineer", "lisbon", "cello", "pycon", "ev@example.org", "climbing", "rust",
                  "kubernetes", "cofounder", "evperson"):  # fmt: skip
        assert found(session, query) == ["Everything Person"], query


@pytest.mark.parametrize(
    ("name", "query"),
    [("王小明", "小明"), ("王小明", "王"), ("محمد علي", "علي"), ("Zoë Ångström", "angstrom")],
)
def test_search_finds_names_in_any_script(
    session: Session, add_person: AddPerson, name: str, query: str
) -> None:
    add_person(name)
    add_person("Someone Else")
    assert found(session, query) == [name]


def test_archived_people_are_found_only_when_asked(session: Session, add_person: AddPerson) -> None:
    add_person("Archie Ved").archived = True
    session.flush()
    assert found(session, "archie") == []
    assert found(session, "archie", include_archived=True) == ["Archie Ved"]


def test_search_follows_edits_and_deletes(session: Session, add_person: AddPerson, today: date) -> None:
    person = add_person("Ana Lima")
    people_service.edit_person(session, person, PersonChanges(set={"company": "Initech"}), today=today)
    assert found(session, "initech") == ["Ana Lima"]
    people_service.edit_person(session, person, PersonChanges(set={"company": "Globex"}), today=today)
    assert found(session, "initech") == []
    people_service.delete_person(session, person)
    assert found(session, "globex") == []
    assert found(session, "ana") == []


@pytest.mark.parametrize("query", ["", "   ", "!!", "--"])
def test_a_query_without_words_finds_nothing(session: Session, add_person: AddPerson, query: str) -> None:
    add_person("Ana Lima")
    assert found(session, query) == []


@pytest.mark.parametrize(
    "query", ['ana" OR *', "o'brien", "ana AND", "NOT ana", "ana & | !", "(ana)", "ana:*", "NEAR(ana lima)"]
)
def test_query_syntax_characters_are_plain_text(session: Session, add_person: AddPerson, query: str) -> None:
    add_person("Ana Lima")
    add_person("Pat O'Brien")
    # No error from either engine; words that do not match simply find nobody.
    assert isinstance(found(session, query), list)


def test_search_respects_the_limit(session: Session, add_person: AddPerson) -> None:
    for n in range(5):
        add_person(f"Sam {n}")
    assert len(found(session, "sam", limit=3)) == 3
