"""Warm paths, reconnection and job-search asks (tieline.analytics.paths)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.analytics.helpers import AddPerson, knows, person
from tieline.analytics.paths import find_path, suggest_ask, suggest_reconnect
from tieline.models import LOCAL_OWNER_ID, Tie
from tieline.services import organisations as organisations_service


def test_the_path_finder_returns_the_strongest_chain(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    target = person(session, add_person, "Tara Target", 20)  # a weak direct tie: 0.2
    ally = person(session, add_person, "Al Ally", 90)
    bridge = person(session, add_person, "Bea Bridge", 80)
    famous = person(session, add_person, "Fred Famous", 95)
    knows(session, ally, bridge, 0.9)
    knows(session, bridge, target, 0.9)  # 0.9 x 0.9 x 0.8 = 0.648 through Bea: 0.9*0.9*... see below
    knows(session, famous, target, 0.3)  # 0.95 x 0.3 = 0.285
    found = find_path(session, owner_id=LOCAL_OWNER_ID, now=now, target="Tara", person_ids=[target.id])
    assert found is not None
    assert [s.name for s in found.steps] == ["Al Ally", "Bea Bridge", "Tara Target"]
    assert [s.strength for s in found.steps] == [0.9, 0.9, 0.9]
    assert found.strength == pytest.approx(0.9 * 0.9 * 0.9)
    assert found.steps[2].evidence == ["you said they know each other (0.90)"]


def test_a_strong_direct_tie_is_the_path(session: Session, add_person: AddPerson, now: datetime) -> None:
    target = person(session, add_person, "Tara Target", 95)
    other = person(session, add_person, "Olly", 99)
    knows(session, other, target, 0.9)
    found = find_path(session, owner_id=LOCAL_OWNER_ID, now=now, target="Tara", person_ids=[target.id])
    assert found is not None and [s.person_id for s in found.steps] == [target.id]


def test_a_path_to_an_organisation_ends_at_anyone_there(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    acme = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Acme", kind="company"
    )
    inside = [person(session, add_person, f"Acme {i}", 5) for i in range(3)]
    for p in inside:
        organisations_service.add_membership(session, person=p, organisation=acme)
    friend = person(session, add_person, "Fran Friend", 80)
    knows(session, friend, inside[1], 0.7)
    found = find_path(
        session, owner_id=LOCAL_OWNER_ID, now=now, target="Acme", person_ids=[p.id for p in inside]
    )
    assert found is not None and [s.person_id for s in found.steps] == [friend.id, inside[1].id]


def test_nobody_reachable_means_no_path(session: Session, add_person: AddPerson, now: datetime) -> None:
    lone = person(session, add_person, "Lone", 0)
    assert find_path(session, owner_id=LOCAL_OWNER_ID, now=now, target="Lone", person_ids=[lone.id]) is None


def _dormant(
    session: Session, add_person: AddPerson, name: str, past: float, now: datetime, **values: object
):
    found = person(session, add_person, name, 5, **values)
    found.last_contact_at = now - timedelta(days=500)
    tie = session.get(Tie, found.id)
    tie.contact_strength, tie.initiated_by_me, tie.initiated_by_them = past, 3, 3
    session.flush()
    return found


def test_reconnect_favours_once_strong_ties_outside_your_current_circle(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    for i in range(3):
        current = person(session, add_person, f"Banker {i}", 80, industry="Banking")
        current.last_contact_at = now - timedelta(days=5)
    same = _dormant(session, add_person, "Old Banker", 80, now, industry="Banking")
    new = _dormant(session, add_person, "Old Artist", 80, now, industry="Art")
    weak = _dormant(session, add_person, "Faint Artist", 20, now, industry="Art")
    found = suggest_reconnect(session, owner_id=LOCAL_OWNER_ID, now=now)
    assert [s.person_id for s in found] == [new.id, same.id, weak.id]
    assert found[0].novelty > found[1].novelty


def test_asks_favour_moderately_weak_ties_at_the_company(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    acme = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Acme", kind="company"
    )
    best_friend = person(session, add_person, "Best Friend", 95)
    moderate = person(session, add_person, "Moderate Mo", 35)
    outsider = person(session, add_person, "Outsider", 35)
    for p in (best_friend, moderate):
        organisations_service.add_membership(session, person=p, organisation=acme)
    session.flush()
    found = suggest_ask(
        session, owner_id=LOCAL_OWNER_ID, now=now, organisation_id=acme.id, organisation="Acme"
    )
    assert [s.person_id for s in found] == [moderate.id, best_friend.id]
    assert outsider.id not in {s.person_id for s in found}
    assert found[0].relation == "works there"
