"""`tieline stats` numbers on hand-made networks (tieline.analytics.stats)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.analytics.helpers import AddPerson, knows, person
from tieline.analytics.graph import build_network
from tieline.analytics.stats import network_stats, stats_map
from tieline.models import LOCAL_OWNER_ID
from tieline.services import opportunities as opportunities_service
from tieline.services import organisations as organisations_service
from tieline.services.opportunities import Origin


def test_a_star_network_has_burts_star_figures_and_one_industry_has_no_diversity(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    for i in range(4):
        p = person(session, add_person, f"Banker {i}", 50, industry="Banking", tier=3)
        p.last_contact_at = now - timedelta(days=10)
    stats = network_stats(session, owner_id=LOCAL_OWNER_ID, now=now)
    assert stats.brokerage.constraint == pytest.approx(1 / 4)
    assert stats.brokerage.effective_size == pytest.approx(4)
    industry = next(d for d in stats.diversity if d.dimension == "industry")
    assert industry.all.entropy == 0.0 and industry.all.largest_share == 1.0
    assert stats.counts.strong == 4 and stats.counts.people == 4
    assert stats.tiers[2].people == 4 and stats.tiers[2].cumulative == 4 and stats.tiers[2].dunbar == 50
    assert stats.tiers[2].on_cadence == 4
    assert sum(b.people for b in stats.bins) == 4 and stats.bins[5].people == 4


def test_a_clique_of_five_has_burts_clique_figures(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    people = [person(session, add_person, f"P{i}", 100) for i in range(4)]
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            knows(session, a, b, 1.0)
    stats = network_stats(session, owner_id=LOCAL_OWNER_ID, now=now)
    assert stats.brokerage.constraint == pytest.approx(0.766, abs=0.001)
    assert stats.brokerage.effective_size == pytest.approx(1.0)


def test_ties_are_strong_weak_dormant_or_never_contacted(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    for name, strength, days in (("S", 70, 5), ("W", 20, 5), ("D", 70, 400), ("L", 70, 2000), ("N", 0, None)):
        p = person(session, add_person, name, strength)
        p.last_contact_at = now - timedelta(days=days) if days is not None else None
    counts = network_stats(session, owner_id=LOCAL_OWNER_ID, now=now).counts
    assert (counts.strong, counts.weak, counts.dormant, counts.long_dormant, counts.never_contacted) == (
        1,
        1,
        2,
        1,
        1,
    )


def test_two_groups_joined_by_one_person_make_two_clusters_and_a_bridge(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    left = [person(session, add_person, f"Left {i}", 60, company="Acme") for i in range(4)]
    right = [person(session, add_person, f"Right {i}", 60, company="Zeta") for i in range(4)]
    for group in (left, right):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                knows(session, a, b, 0.9)
    broker = person(session, add_person, "Bridget Broker", 60)
    knows(session, broker, left[0], 0.9)
    knows(session, broker, right[0], 0.9)
    net = build_network(session, owner_id=LOCAL_OWNER_ID, now=now)
    stats = network_stats(session, owner_id=LOCAL_OWNER_ID, now=now, network=net)
    assert sorted(c.label for c in stats.clusters) == ["Acme", "Zeta"]
    assert stats.bridges[0].name == "Bridget Broker" and stats.bridges[0].cut_vertex
    drawn = stats_map(net, stats)
    assert {n.id for n in drawn.nodes if n.bridge} >= {broker.id}
    assert len(drawn.nodes) == 9 and len(drawn.links) == 14


def test_organisations_count_by_current_membership_and_return_what_they_gave(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    today = now.date()
    acme = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    quiet = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="Quiet Co")
    staff = []
    for name, strength, days in (("Ana", 70, 5), ("Bo", 20, 5), ("Cy", 70, 400)):
        p = person(session, add_person, name, strength, company="Old Place")
        p.last_contact_at = now - timedelta(days=days)
        organisations_service.add_membership(session, person=p, organisation=acme)
        staff.append(p)
    left = person(session, add_person, "Di", 70, company="Old Place")
    left.last_contact_at = now - timedelta(days=5)
    organisations_service.add_membership(
        session, person=left, organisation=quiet, until=today - timedelta(days=30)
    )
    opportunities_service.add_opportunity(
        session, owner_id=LOCAL_OWNER_ID, title="Role", stage="won",
        origin=Origin(person=staff[0], organisation=acme), spotted_on=today,
    )  # fmt: skip
    session.flush()
    stats = network_stats(session, owner_id=LOCAL_OWNER_ID, now=now)
    orgs = next(d for d in stats.diversity if d.dimension == "organisation")
    # A current membership names the organisation; without one, the company field does.
    assert dict(orgs.all.counts) == {"Acme": 3, "Old Place": 1}
    # Organisations appear among the returns only once they gave an opportunity.
    assert [(r.kind, r.name, r.people, r.lasting, r.opportunities, r.won) for r in stats.returns] == [
        ("organisation", "Acme", 3, 2, 1, 1)
    ]
