"""The report's numbers on small hand-made networks, built through the services and models, where
the answers are known: a star and a clique of Burt's measures, one industry, tiers, growth, favours."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.conftest import FIXED_NOW
from tieline.models import LOCAL_OWNER_ID, Knows, Tie
from tieline.reports.gather import gather_report
from tieline.reports.html import render_html
from tieline.services import favours


@pytest.fixture
def four(session, add_person, log):
    """Four people in one industry and tier, each seen once on the same day, alone: four equal ties,
    no links between them (a star around you); and Eve, never contacted."""
    people = [
        add_person(name, tier=2, industry="Software", met_on=date(2026, 2, 3))
        for name in ("Ana", "Bo", "Cy", "Di")
    ]
    for person in people:
        log("coffee", [person], when=FIXED_NOW - timedelta(days=2))
    add_person("Eve", tier=5, industry="Software", met_on=date(2026, 2, 20))
    session.flush()
    return people


def report_of(session):
    return gather_report(session, owner_id=LOCAL_OWNER_ID, now=FIXED_NOW)


def test_a_star_has_constraint_one_over_n_and_effective_size_n(session, four) -> None:
    assert len({session.get(Tie, p.id).strength for p in four}) == 1  # four equal ties
    report = report_of(session)
    assert report.brokerage.alters == 4
    assert report.brokerage.constraint == pytest.approx(0.25)
    assert report.brokerage.effective_size == pytest.approx(4.0)
    assert report.brokerage.efficiency == pytest.approx(1.0)
    assert report.network.links == [] and report.brokerage.bridges == []
    page = render_html(report, data_dir=None)
    assert '<dd data-key="constraint">0.250</dd>' in page
    assert '<dd data-key="effective size">4.0</dd>' in page


def test_a_clique_matches_burts_formula(session, four) -> None:
    for i, a in enumerate(four):
        for b in four[i + 1 :]:
            session.add(
                Knows(
                    owner_id=LOCAL_OWNER_ID, person_id=min(a.id, b.id), other_id=max(a.id, b.id), strength=1.0
                )
            )
    session.flush()
    s = session.get(Tie, four[0].id).strength / 100.0  # your (equal) link to each of them
    # Each alter: 1/4 of your ties directly, plus through each of the 3 others (1/4 x 1/(s+3)).
    expected = 4 * (1 / 4 + 3 * (1 / 4) * (1 / (s + 3))) ** 2
    report = report_of(session)
    assert report.brokerage.constraint == pytest.approx(expected, abs=1e-4)
    assert report.brokerage.effective_size == pytest.approx(1.0, abs=1e-4)
    assert len(report.network.links) == 6
    assert f'<dd data-key="constraint">{expected:.3f}</dd>' in render_html(report, data_dir=None)


def test_one_industry_has_no_diversity(session, four) -> None:
    industry = next(d for d in report_of(session).diversity if d.dimension == "industry")
    assert industry.entropy == 0.0
    assert industry.largest_share == 1.0
    assert [(g.label, g.people) for g in industry.groups] == [("Software", 5)]


def test_counts_tiers_and_growth(session, four) -> None:
    report = report_of(session)
    c = report.counts
    assert (c.people, c.never_contacted, c.dormant, c.strong + c.weak, c.interactions) == (5, 1, 0, 4, 4)
    assert [(t.tier, t.people, t.cumulative, t.on_cadence) for t in report.tiers] == [
        (1, 0, 0, 0), (2, 4, 4, 4), (3, 0, 4, 0), (4, 0, 4, 0), (5, 1, 5, 0),
    ]  # fmt: skip
    assert [t.dunbar for t in report.tiers] == [5, 15, 50, 150, 500]
    months = {m.month: m for m in report.growth}
    assert months[date(2026, 2, 1)].new_people == 5
    assert months[date(2026, 3, 1)].interactions == 4
    assert sum(m.interactions for m in report.growth) == 4


def test_favours_and_thanks_owed(session, four) -> None:
    ana, bo = four[0], four[1]
    for person, direction in ((ana, "given"), (ana, "given"), (bo, "received")):
        favours.record_favour(session, owner_id=LOCAL_OWNER_ID, person=person, direction=direction,
                              kind="advice", when=FIXED_NOW - timedelta(days=1), now=FIXED_NOW)  # fmt: skip
    r = report_of(session).reciprocity
    assert (r.favours_given, r.favours_received, r.thanks_owed, r.thanked) == (2, 1, 1, 0)


def test_the_map_keeps_the_strongest_people_and_says_how_many_there_are(session, four) -> None:
    report = gather_report(session, owner_id=LOCAL_OWNER_ID, now=FIXED_NOW, map_size=3)
    assert len(report.network.nodes) == 3 and report.network.total == 5
    assert report.network.sampled
    page = render_html(report, data_dir=None)
    assert re.search(r"Showing the 3 strongest of your 5 people", page)
