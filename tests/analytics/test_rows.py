"""The queries behind the analytics return named rows whose names hold the right values
(tieline.repo.graph, tieline.repo.network, tieline.repo.network_stats), and a query whose columns
and names disagree fails at once instead of handing out a number from the wrong column."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

import pytest
from sqlalchemy.orm import Session

from tests.analytics.helpers import AddPerson, knows, person
from tieline.models import LOCAL_OWNER_ID, Event, EventAttendee, Introduction, Person, Tie
from tieline.repo import graph as graph_repo
from tieline.repo import network_stats as stats_repo
from tieline.services import favours as favours_service
from tieline.services import interactions as interactions_service
from tieline.services import opportunities as opportunities_service
from tieline.services import organisations as organisations_service
from tieline.services.opportunities import Origin


class _Two(NamedTuple):
    id: int
    display_name: str


def test_a_query_whose_columns_and_names_disagree_fails_before_it_runs() -> None:
    assert graph_repo.columns_named(_Two, Person.id, Person.display_name) == (Person.id, Person.display_name)
    with pytest.raises(TypeError, match="_Two has the fields"):
        graph_repo.columns_named(_Two, Person.display_name, Person.id)
    with pytest.raises(TypeError):
        graph_repo.columns_named(_Two, Person.id, Person.display_name, Person.tier)


@pytest.fixture
def pair(session: Session, add_person: AddPerson, now: datetime) -> tuple[Person, Person]:
    """Ana and Bo: both at Acme and PyCon, seen together once, introduced, knowing each other; Ana has
    a topic, a tag, a favour and an opportunity."""
    ana = person(
        session, add_person, "Ana", 60, company="Acme", industry="Retail", title="Engineer",
        location="Lisbon", tier=2, lists={"expertise": ["Machine learning"], "tags": ["climbing"]},
    )  # fmt: skip
    bo = person(session, add_person, "Bo", 30, company="Acme")
    knows(session, ana, bo, 0.7)
    # The company field makes both members of Acme.
    acme = organisations_service.resolve_organisation(session, owner_id=LOCAL_OWNER_ID, text="Acme")
    event = Event(owner_id=LOCAL_OWNER_ID, name="PyCon", starts_on=date(2025, 5, 1))
    session.add(event)
    session.flush()
    session.add_all(
        [
            EventAttendee(owner_id=LOCAL_OWNER_ID, event_id=event.id, person_id=ana.id, met=True),
            EventAttendee(owner_id=LOCAL_OWNER_ID, event_id=event.id, person_id=bo.id, met=False),
        ]
    )
    session.add(
        Introduction(
            owner_id=LOCAL_OWNER_ID, person_a_id=ana.id, person_b_id=bo.id, why="x", state="made",
            made_at=now - timedelta(days=3),
        )
    )  # fmt: skip
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind="coffee", people=[ana, bo], when=now - timedelta(days=2)
    )
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=ana, direction="received", kind="advice",
        when=now - timedelta(days=1), now=now,
    )  # fmt: skip
    opportunities_service.add_opportunity(
        session, owner_id=LOCAL_OWNER_ID, title="Role", stage="won",
        origin=Origin(person=ana, organisation=acme, event=event), spotted_on=now.date(),
    )  # fmt: skip
    session.flush()
    return ana, bo


def test_live_people_are_named_rows_with_the_persons_and_the_ties_values(
    session: Session, pair: tuple[Person, Person]
) -> None:
    ana, _bo = pair
    rows = graph_repo.live_people(session, owner_id=LOCAL_OWNER_ID)
    row = next(r for r in rows if r.id == ana.id)
    assert isinstance(row, graph_repo.LivePerson)
    tie = session.get(Tie, ana.id)
    assert tie is not None
    assert (row.display_name, row.tier, row.company, row.industry, row.title, row.location) == (
        "Ana",
        2,
        "Acme",
        "Retail",
        "Engineer",
        "Lisbon",
    )
    assert (row.strength, row.contact_strength, row.interactions) == (
        tie.strength,
        tie.contact_strength,
        tie.interactions,
    )
    assert (row.favours_received, row.favours_given) == (1, 0)
    assert row.last_contact_at == ana.last_contact_at and row.created_at == ana.created_at


def test_the_evidence_queries_name_their_columns(
    session: Session, pair: tuple[Person, Person], now: datetime
) -> None:
    ana, bo = pair
    ids = [ana.id]
    for scope in (None, ids):
        [link] = graph_repo.knows_links(session, owner_id=LOCAL_OWNER_ID, person_ids=scope)
        assert (link.person_id, link.other_id, link.source, link.strength) == (ana.id, bo.id, "manual", 0.7)
        [made] = graph_repo.introductions_made(session, owner_id=LOCAL_OWNER_ID, person_ids=scope)
        assert (made.person_a_id, made.person_b_id, made.made_at) == (ana.id, bo.id, now - timedelta(days=3))
        [shared] = graph_repo.co_participation(session, owner_id=LOCAL_OWNER_ID, person_ids=scope)
        assert (shared.a_id, shared.b_id, shared.count, shared.last_at) == (
            min(ana.id, bo.id),
            max(ana.id, bo.id),
            1,
            now - timedelta(days=2),
        )
        attendance = graph_repo.event_attendance(session, owner_id=LOCAL_OWNER_ID, person_ids=scope)
        assert {(a.name, a.starts_on, a.person_id) for a in attendance} == {
            ("PyCon", date(2025, 5, 1), ana.id),
            ("PyCon", date(2025, 5, 1), bo.id),
        }
        members = graph_repo.current_memberships(
            session, owner_id=LOCAL_OWNER_ID, today=now.date(), person_ids=scope
        )
        assert {(m.name, m.kind, m.person_id) for m in members} == {
            ("Acme", "company", ana.id),
            ("Acme", "company", bo.id),
        }


def test_the_facts_common_ground_compares_are_named(session: Session, pair: tuple[Person, Person]) -> None:
    ana, bo = pair
    attended = graph_repo.events_of(session, owner_id=LOCAL_OWNER_ID, person_ids=[ana.id, bo.id])
    assert {(e.person_id, e.name, e.met) for e in attended} == {
        (ana.id, "PyCon", True),
        (bo.id, "PyCon", False),
    }
    [topic] = graph_repo.topics_of(session, owner_id=LOCAL_OWNER_ID, person_ids=[ana.id])
    assert (topic.person_id, topic.kind, topic.value) == (ana.id, "expertise", "Machine learning")
    assert graph_repo.all_topics(session, owner_id=LOCAL_OWNER_ID, kinds=["expertise"]) == [topic]
    [tag] = graph_repo.tags_of(session, owner_id=LOCAL_OWNER_ID, person_ids=[ana.id])
    assert (tag.person_id, tag.tag) == (ana.id, "climbing")
    facts = {f.id: f for f in graph_repo.people_by_ids(session, owner_id=LOCAL_OWNER_ID, person_ids=[ana.id])}
    assert (facts[ana.id].display_name, facts[ana.id].industry, facts[ana.id].archived) == (
        "Ana",
        "Retail",
        False,
    )
    assert graph_repo.names_by_id(session, owner_id=LOCAL_OWNER_ID, person_ids=[ana.id, bo.id]) == {
        ana.id: "Ana",
        bo.id: "Bo",
    }


def test_the_stats_and_map_queries_name_their_columns(session: Session, pair: tuple[Person, Person]) -> None:
    ana, bo = pair
    [favours] = stats_repo.favour_totals(session, owner_id=LOCAL_OWNER_ID)
    assert (favours.direction, favours.count, favours.unthanked) == ("received", 1, 1)
    [source] = stats_repo.opportunities_by_source(session, owner_id=LOCAL_OWNER_ID)
    assert (source.event_name, source.organisation_name, source.stage, source.count) == (
        "PyCon",
        "Acme",
        "won",
        1,
    )
    people = stats_repo.event_people(session, owner_id=LOCAL_OWNER_ID)
    assert {(p.name, p.person_id, p.met) for p in people} == {
        ("PyCon", ana.id, True),
        ("PyCon", bo.id, False),
    }
    new = stats_repo.monthly_new_people(session, owner_id=LOCAL_OWNER_ID)
    assert sorted(n.created_at for n in new) == sorted(p.created_at for p in (ana, bo))
