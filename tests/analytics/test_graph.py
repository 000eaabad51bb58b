"""The network graph: links from each kind of evidence, their strength and the owner's ties."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.analytics.helpers import AddPerson, knows, person
from tieline.analytics.graph import GraphSettings, build_network, combine, links_around
from tieline.models import LOCAL_OWNER_ID, Event, EventAttendee, Introduction
from tieline.services import organisations as organisations_service


def test_evidence_combines_as_independent_chances() -> None:
    assert combine([0.5, 0.5]) == pytest.approx(0.75)
    assert combine([]) == 0.0
    assert combine([1.0, 0.2]) == 1.0


def test_each_kind_of_evidence_makes_a_link_with_its_reason(
    session: Session, add_person: AddPerson, log, now: datetime
) -> None:
    ana, bo, cy, di, ed = (person(session, add_person, n, 50) for n in ("Ana", "Bo", "Cy", "Di", "Ed"))
    knows(session, ana, bo, 0.8)
    session.add(
        Introduction(
            owner_id=LOCAL_OWNER_ID, person_a_id=bo.id, person_b_id=cy.id, why="x", state="made", made_at=now
        )
    )
    log("meeting", [cy, di], when=now - timedelta(days=3))
    event = Event(owner_id=LOCAL_OWNER_ID, name="PyCon", starts_on=now.date())
    session.add(event)
    session.flush()
    session.add_all(
        [EventAttendee(owner_id=LOCAL_OWNER_ID, event_id=event.id, person_id=p.id) for p in (di, ed)]
    )
    session.flush()
    net = build_network(session, owner_id=LOCAL_OWNER_ID, now=now)
    assert net.link(ana.id, bo.id).strength == pytest.approx(0.8)
    assert net.link(ana.id, bo.id).evidence[0][0] == "knows"
    assert net.link(bo.id, cy.id).evidence == [("introduction", f"you introduced them on {now.date()}")]
    assert net.link(cy.id, di.id).evidence[0][0] == "interaction"
    assert net.link(di.id, ed.id).strength == pytest.approx(GraphSettings().event)
    assert net.link(ana.id, ed.id) is None
    assert net.owner_weight(ana.id) == pytest.approx(0.5)


def test_a_small_team_links_its_members_and_a_huge_company_does_not(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    team = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Core team", kind="team"
    )
    big = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="MegaCorp", kind="company"
    )
    people = [person(session, add_person, f"P{i}", 30) for i in range(60)]
    for p in people[:3]:
        organisations_service.add_membership(session, person=p, organisation=team)
    for p in people:
        organisations_service.add_membership(session, person=p, organisation=big)
    session.flush()
    net = build_network(session, owner_id=LOCAL_OWNER_ID, now=now)
    assert net.link(people[0].id, people[1].id).strength == pytest.approx(GraphSettings().organisation)
    assert net.link(people[0].id, people[1].id).evidence[0][1] == "both at Core team (3 current members)"
    assert net.link(people[10].id, people[11].id) is None  # 60 people: more than org_max


def test_links_around_a_few_people_match_the_whole_graph(
    session: Session, add_person: AddPerson, log, now: datetime
) -> None:
    ana, bo, cy = (person(session, add_person, n, 50) for n in ("Ana", "Bo", "Cy"))
    knows(session, ana, bo)
    log("call", [ana, cy], when=now - timedelta(days=400))
    log("call", [bo, cy], when=now - timedelta(days=1))
    whole = build_network(session, owner_id=LOCAL_OWNER_ID, now=now).links
    around = links_around(session, owner_id=LOCAL_OWNER_ID, now=now, person_ids=[ana.id])
    assert around == {k: v for k, v in whole.items() if ana.id in k}
    # The recent shared call counts more than the old one.
    assert whole[(min(bo.id, cy.id), max(bo.id, cy.id))].strength > whole[(ana.id, cy.id)].strength
