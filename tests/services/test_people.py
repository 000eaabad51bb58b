"""People use cases (tieline.services.people): add, edit, resolve a name, delete, archive, search."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import (
    LOCAL_OWNER_ID,
    Interaction,
    Membership,
    Person,
    PersonEmail,
    PersonTag,
    PersonTopic,
)
from tieline.repo import organisations as organisations_repo
from tieline.repo import people as people_repo
from tieline.repo.people import PersonFilter
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]


def resolve(session: Session, text: str) -> Person:
    return people_service.resolve_person(session, owner_id=LOCAL_OWNER_ID, text=text)


def edit(session: Session, person: Person, today: date, **changes: dict) -> Person:  # type: ignore[type-arg]
    return people_service.edit_person(session, person, PersonChanges(**changes), today=today)


def memberships(session: Session, person: Person) -> list[tuple[str, str | None, date | None, date | None]]:
    rows = organisations_repo.memberships_of_person(session, owner_id=LOCAL_OWNER_ID, person_id=person.id)
    return sorted(
        ((m.organisation.name, m.role, m.start_date, m.end_date) for m in rows),
        key=lambda r: (r[0], str(r[2])),
    )


# Adding


def test_add_person_splits_the_name_and_defaults_to_the_network_tier(add_person: AddPerson) -> None:
    person = add_person("Ana Maria Lima")
    assert (person.given_name, person.family_name) == ("Ana Maria", "Lima")
    assert person.sort_name == "ana maria lima"
    assert person.tier == 4


def test_add_person_keeps_an_unspaced_name_whole(add_person: AddPerson) -> None:
    person = add_person("王小明")
    assert (person.given_name, person.family_name) == ("王小明", None)


def test_add_person_stores_every_list_without_duplicates(add_person: AddPerson) -> None:
    person = add_person(
        "Ana",
        lists={
            "emails": ["ana@example.com", "ANA@example.com", "ana@work.example"],
            "phones": ["+44 20 7946 0018", "+44 (20) 7946-0018"],
            "links": ["https://www.linkedin.com/in/ana"],
            "tags": ["friend", "friend", "climbing"],
            "interests": ["Chess", "chess"],
            "expertise": ["Go"],
            "needs": ["Funding"],
        },
    )
    assert [e.address for e in person.emails] == ["ana@example.com", "ana@work.example"]
    assert [p.number for p in person.phones] == ["+44 20 7946 0018"]
    assert [(link.url, link.kind) for link in person.links] == [
        ("https://www.linkedin.com/in/ana", "linkedin")
    ]
    assert sorted(t.tag for t in person.tags) == ["climbing", "friend"]
    assert person.topic_values("interest") == ["Chess"]
    assert person.topic_values("expertise") == ["Go"]
    assert person.topic_values("need") == ["Funding"]


@pytest.mark.parametrize(
    ("name", "values", "lists", "message"),
    [
        ("  ", {}, {}, "name cannot be empty"),
        ("Ana", {}, {"emails": ["not-an-email"]}, "not an email address"),
        ("Ana", {"tier": "9"}, {}, "unknown tier"),
        ("Ana", {"birthday": "1990-02-30"}, {}, "birthday"),
        ("Ana", {"closeness": 7}, {}, "closeness"),
        ("Ana", {"cadence_days": 0}, {}, "cadence"),
        ("Ana", {}, {"phones": ["no digits"]}, "phone"),
        ("Ana", {}, {"tags": ["  "]}, "tag"),
    ],
)
def test_add_person_rejects_bad_values(
    add_person: AddPerson,
    name: str,
    values: dict,
    lists: dict,
    message: str,  # type: ignore[type-arg]
) -> None:
    with pytest.raises(InvalidInput, match=message):
        add_person(name, lists=lists, **values)


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(InvalidInput, match="unknown person field"):
        PersonChanges(set={"shoe_size": 42})
    with pytest.raises(InvalidInput, match="unknown person field"):
        PersonChanges(add={"fax": ["1"]})


def test_add_person_with_a_company_opens_an_undated_membership(
    session: Session, add_person: AddPerson
) -> None:
    person = add_person("Ana", company="Acme", title="CTO")
    assert memberships(session, person) == [("Acme", "CTO", None, None)]


# Editing


def test_edit_adds_and_removes_list_values(session: Session, add_person: AddPerson, today: date) -> None:
    person = add_person(
        "Ana",
        lists={
            "emails": ["old@example.com"],
            "tags": ["a", "b"],
            "interests": ["Chess"],
            "phones": ["555 0100"],
        },
    )
    edit(
        session,
        person,
        today,
        add={"emails": ["new@example.com"], "tags": ["c"], "interests": ["Go"]},
        remove={
            "emails": ["OLD@example.com"],
            "tags": ["a"],
            "interests": ["chess"],
            "phones": ["(555) 01-00"],
        },
    )
    assert [e.address for e in person.emails] == ["new@example.com"]
    assert sorted(t.tag for t in person.tags) == ["b", "c"]
    assert person.topic_values("interest") == ["Go"]
    assert person.phones == []


def test_removing_a_value_that_is_not_there_changes_nothing(
    session: Session, add_person: AddPerson, today: date
) -> None:
    person = add_person("Ana", lists={"tags": ["a"]})
    edit(session, person, today, remove={"tags": ["zzz"], "emails": ["nobody@example.com"]})
    assert [t.tag for t in person.tags] == ["a"]


def test_edit_sets_and_clears_scalar_fields(session: Session, add_person: AddPerson, today: date) -> None:
    person = add_person("Ana", birthday="1990-05-02", tier="inner", location="Lisbon")
    assert (person.birthday_year, person.birthday_month, person.birthday_day, person.tier) == (1990, 5, 2, 1)
    edit(session, person, today, set={"birthday": None, "location": "  ", "tier": "acquaintance"})
    assert (person.birthday_month, person.location, person.tier) == (None, None, 5)


def test_edit_name_updates_the_sort_name(session: Session, add_person: AddPerson, today: date) -> None:
    person = add_person("Ana Lima")
    edit(session, person, today, set={"display_name": "Ána Souza"})
    assert person.sort_name == "ana souza"
    assert resolve(session, "ana souza") is person


def test_renaming_a_person_renames_the_derived_given_and_family_names(
    session: Session, add_person: AddPerson, today: date
) -> None:
    person = add_person("Ana Lima")
    edit(session, person, today, set={"display_name": "Bea Souza"})
    assert (person.given_name, person.family_name) == ("Bea", "Souza")


def test_changing_company_ends_the_old_membership_and_opens_a_new_one(
    session: Session, add_person: AddPerson, today: date
) -> None:
    person = add_person("Ana", company="Acme", title="Engineer")
    edit(session, person, today, set={"company": "Globex", "title": "CTO"})
    assert memberships(session, person) == [
        ("Acme", "Engineer", None, today),
        ("Globex", "CTO", today, None),
    ]


def test_changing_only_the_title_updates_the_current_role(
    session: Session, add_person: AddPerson, today: date
) -> None:
    person = add_person("Ana", company="Acme", title="Engineer")
    edit(session, person, today, set={"title": "Staff Engineer"})
    assert memberships(session, person) == [("Acme", "Staff Engineer", None, None)]


def test_clearing_the_company_ends_the_membership(
    session: Session, add_person: AddPerson, today: date
) -> None:
    person = add_person("Ana", company="Acme")
    edit(session, person, today, set={"company": ""})
    assert person.company is None
    assert memberships(session, person) == [("Acme", None, None, today)]


def test_company_names_differing_in_case_or_accents_are_one_organisation(
    session: Session, add_person: AddPerson
) -> None:
    add_person("Ana", company="Café Co")
    add_person("Bo", company="CAFE CO")
    orgs = organisations_repo.list_with_counts(session, owner_id=LOCAL_OWNER_ID)
    assert [(o.name, n) for o, n in orgs] == [("Café Co", 2)]


# Resolving a name


def test_resolve_by_id_with_or_without_hash(session: Session, add_person: AddPerson) -> None:
    person = add_person("Ana")
    assert resolve(session, f"#{person.id}") is person
    session.flush()
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    sa.event.listen(session.get_bind(), "before_cursor_execute", record)
    try:
        assert resolve(session, str(person.id)) is person
    finally:
        sa.event.remove(session.get_bind(), "before_cursor_execute", record)
    assert len(seen) == 1  # loading the person is what checks the id


def test_resolve_an_unknown_id_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no person with id 42"):
        resolve(session, "#42")


def test_exact_name_beats_a_longer_name_it_prefixes(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana")
    add_person("Ana Lima")
    assert resolve(session, "ana") is ana


def test_a_unique_prefix_of_any_name_word_resolves(session: Session, add_person: AddPerson) -> None:
    jose = add_person("José Álvarez")
    add_person("Ana Lima")
    assert resolve(session, "Alv") is jose
    assert resolve(session, "jo") is jose


def test_a_typo_resolves_by_fuzzy_match(session: Session, add_person: AddPerson) -> None:
    jose = add_person("José Álvarez")
    add_person("Ana Lima")
    assert resolve(session, "Jose Alvares") is jose


def test_an_ambiguous_prefix_lists_the_candidates(session: Session, add_person: AddPerson) -> None:
    add_person("Ana Lima", company="Acme", title="CTO")
    add_person("Ana Souza")
    with pytest.raises(Ambiguous) as caught:
        resolve(session, "ana")
    assert len(caught.value.candidates) == 2
    assert "Ana Lima (#1, CTO at Acme)" in caught.value.candidates
    assert "'ana' matches 2 people" in caught.value.message


def test_namesakes_are_ambiguous_and_told_apart_by_id(session: Session, add_person: AddPerson) -> None:
    first, second = add_person("Sam Lee"), add_person("Sam Lee")
    with pytest.raises(Ambiguous) as caught:
        resolve(session, "Sam Lee")
    assert caught.value.candidates == [f"Sam Lee (#{first.id})", f"Sam Lee (#{second.id})"]


def test_a_live_person_wins_over_an_archived_namesake(session: Session, add_person: AddPerson) -> None:
    add_person("Sam Lee").archived = True
    live = add_person("Sam Lee")
    session.flush()
    assert resolve(session, "sam lee") is live


@pytest.mark.parametrize("text", ["Zebedee", "qqqq"])
def test_an_unknown_name_is_not_found(session: Session, add_person: AddPerson, text: str) -> None:
    add_person("Ana Lima")
    with pytest.raises(NotFound, match="no person matches"):
        resolve(session, text)


def test_an_empty_name_is_invalid(session: Session) -> None:
    with pytest.raises(InvalidInput):
        resolve(session, "   ")


@pytest.mark.parametrize("text", ["²", "#99999999999999999999999"])
def test_odd_numbers_are_not_found_rather_than_a_crash(
    session: Session, add_person: AddPerson, text: str
) -> None:
    add_person("Ana Lima")
    with pytest.raises(NotFound):
        resolve(session, text)


# Deleting and archiving


def test_delete_removes_the_person_and_interactions_only_they_attended(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, bo = add_person("Ana", company="Acme"), add_person("Bo")
    log("call", [ana], notes="just ana")
    log("meeting", [ana, bo], notes="both", when=now - timedelta(days=1))
    people_service.delete_person(session, ana)
    session.expire_all()
    assert [p.display_name for p in session.scalars(sa.select(Person))] == ["Bo"]
    assert session.scalars(sa.select(Interaction.notes)).all() == ["both"]
    assert session.scalars(sa.select(Membership)).all() == []
    bo = resolve(session, "Bo")
    timeline = people_service.profile(session, owner_id=LOCAL_OWNER_ID, person_id=bo.id).timeline
    assert [(e.interaction.notes, e.others) for e in timeline] == [("both", [])]


def test_archive_hides_from_lists_and_search_and_undo_brings_back(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima")
    people_service.archive_person(ana)
    session.flush()
    assert people_repo.list_summaries(session, owner_id=LOCAL_OWNER_ID, where=PersonFilter()) == []
    assert people_service.search(session, owner_id=LOCAL_OWNER_ID, query="ana") == []
    assert resolve(session, "ana") is ana  # still reachable by name to undo
    people_service.archive_person(ana, archived=False)
    session.flush()
    assert [p.id for p, _ in people_service.search(session, owner_id=LOCAL_OWNER_ID, query="ana")] == [ana.id]


# Profile and search


def test_profile_gathers_memberships_timeline_and_count(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana", company="Acme")
    ana.emails = [
        PersonEmail(owner_id=LOCAL_OWNER_ID, address="b@x.org", position=1),
        PersonEmail(owner_id=LOCAL_OWNER_ID, address="a@x.org", label="work", position=0),
    ]
    ana.tags = [PersonTag(owner_id=LOCAL_OWNER_ID, tag=t) for t in ("zeta", "alpha")]
    ana.topics = [
        PersonTopic(owner_id=LOCAL_OWNER_ID, kind="need", value="funding", position=1),
        PersonTopic(owner_id=LOCAL_OWNER_ID, kind="interest", value="chess", position=0),
    ]
    log("call", [ana], notes="hello")
    data = people_service.profile(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, timeline_limit=10)
    assert [m.organisation.name for m in data.memberships] == ["Acme"]
    assert [e.interaction.notes for e in data.timeline] == ["hello"]
    assert data.interaction_count == 1
    # The page reads the person as stored, lists in their kept order, as the model would give them.
    assert [(e.address, e.label) for e in data.person.emails] == [("a@x.org", "work"), ("b@x.org", None)]
    assert [t.tag for t in data.person.tags] == ["alpha", "zeta"]
    assert data.person.topic_values("interest") == ["chess"]
    assert data.person.topic_values("need") == ["funding"]
    assert (data.person.display_name, data.person.company, data.person.phones) == ("Ana", "Acme", [])
    # The tie is read in the same row, but it is the profile's, not an attribute of the person.
    assert not hasattr(data.person, "tie_strength")
    assert data.interaction_count == 1


def test_profile_lists_memberships_current_first_then_latest_start_with_their_roles_and_dates(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana")
    for name, kind, role, since, until in (
        ("Old Co", "company", "Analyst", date(2010, 1, 1), date(2015, 1, 1)),
        ("Undated Club", "association", None, None, date(2019, 1, 1)),
        ("Now Co", "company", "CTO", date(2020, 1, 1), None),
        ("Mid Co", "company", "Lead", date(2015, 1, 1), date(2020, 1, 1)),
        ("Alumni", "alumni_network", None, None, None),
    ):
        org = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name=name, kind=kind)
        organisations_service.add_membership(
            session, person=ana, organisation=org, role=role, since=since, until=until
        )
    data = people_service.profile(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert [
        (m.organisation.name, m.organisation.kind, m.role, m.start_date, m.end_date) for m in data.memberships
    ] == [
        ("Now Co", "company", "CTO", date(2020, 1, 1), None),
        ("Alumni", "alumni_network", None, None, None),
        ("Mid Co", "company", "Lead", date(2015, 1, 1), date(2020, 1, 1)),
        ("Old Co", "company", "Analyst", date(2010, 1, 1), date(2015, 1, 1)),
        ("Undated Club", "association", None, None, date(2019, 1, 1)),
    ]
    assert all(m.person_id == ana.id and m.organisation_id == m.organisation.id for m in data.memberships)


def test_profile_of_someone_else_or_nobody_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no person with id 999"):
        people_service.profile(session, owner_id=LOCAL_OWNER_ID, person_id=999)


def test_search_returns_people_best_first_with_scores(session: Session, add_person: AddPerson) -> None:
    add_person("Notes Only", notes="knows rust well")
    add_person("Rusty Nail")
    results = people_service.search(session, owner_id=LOCAL_OWNER_ID, query="rust")
    assert [p.display_name for p, _ in results] == ["Rusty Nail", "Notes Only"]
    assert results[0][1] > results[1][1] > 0


def test_search_results_carry_what_a_result_shows(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Rust", company="Acme", title="CTO", tier=2)
    ana.emails = [
        PersonEmail(owner_id=LOCAL_OWNER_ID, address="b@x.org", position=1),
        PersonEmail(owner_id=LOCAL_OWNER_ID, address="a@x.org", position=0),
    ]
    ana.tags = [PersonTag(owner_id=LOCAL_OWNER_ID, tag=t) for t in ("zeta", "alpha")]
    add_person("Bo Rust")  # no emails or tags: must not borrow Ana's
    session.flush()
    found = {
        p.display_name: p for p, _ in people_service.search(session, owner_id=LOCAL_OWNER_ID, query="rust")
    }
    a, b = found["Ana Rust"], found["Bo Rust"]
    assert (a.id, a.company, a.title, a.tier, a.archived) == (ana.id, "Acme", "CTO", 2, False)
    assert [e.address for e in a.emails] == ["a@x.org", "b@x.org"]
    assert [t.tag for t in a.tags] == ["alpha", "zeta"]
    assert (b.emails, b.tags) == ([], [])


def test_describe_tells_namesakes_apart(add_person: AddPerson) -> None:
    person = add_person("Ana", company="Acme", title="CTO")
    assert people_service.describe(person) == f"Ana (#{person.id}, CTO at Acme)"
    person.archived = True
    assert people_service.describe(person) == f"Ana (#{person.id}, CTO at Acme, archived)"


def test_get_person_gives_the_owners_person_or_says_no_such_id(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana", lists={"emails": ["ana@example.com"]})
    found = people_service.get_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert (found.id, [e.address for e in found.emails]) == (ana.id, ["ana@example.com"])
    with pytest.raises(NotFound, match=f"no person with id {ana.id + 1}"):
        people_service.get_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id + 1)


def test_get_people_keeps_the_order_given_once_each_and_names_the_missing(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    found = people_service.get_people(session, owner_id=LOCAL_OWNER_ID, person_ids=[bo.id, ana.id, bo.id])
    assert found == [bo, ana]
    with pytest.raises(NotFound, match=f"no person with id {bo.id + 1}, {bo.id + 7}"):
        people_service.get_people(session, owner_id=LOCAL_OWNER_ID, person_ids=[bo.id + 7, ana.id, bo.id + 1])


def test_people_are_counted_in_words() -> None:
    assert [people_service.number_of_people(n) for n in (0, 1, 2, 30_000)] == [
        "0 people",
        "1 person",
        "2 people",
        "30,000 people",
    ]
