"""A made-up ReportData with every chart filled, for rendering tests that need no database."""

from __future__ import annotations

import random
from datetime import date

from tieline.analytics.brokerage import Cluster, MapNode, NetworkMap
from tieline.analytics.stats import Counts, Month, Reciprocity, Returns, TierCount
from tieline.reports.data import Brokerage, Diversity, Group, ReportData

HOSTILE = "<script>alert(1)</script>"


def sample_report(*, people: int = 120, name_of_first: str = "Ana Lima") -> ReportData:
    """A network of `people` in four clusters, a few bridges, two years of growth."""
    rng = random.Random(3)
    nodes = [
        MapNode(id=i, name=name_of_first if i == 1 else f"Person {i}", strength=rng.uniform(5, 95),
                tier=i % 5 + 1, cluster=i % 4, bridge=i % 17 == 0)
        for i in range(1, people + 1)
    ]  # fmt: skip
    links = [(a, b, rng.uniform(0.1, 1.0)) for a in range(1, people + 1) for b in range(a + 1, people + 1)
             if (a % 4 == b % 4 and rng.random() < 0.08) or rng.random() < 0.002]  # fmt: skip
    clusters = [
        Cluster(c, label, people // 4) for c, label in enumerate(("Acme", "Globex", name_of_first, "Initech"))
    ]
    months = [
        Month(date(2024 + (m // 12), m % 12 + 1, 1), rng.randint(0, 12), rng.randint(20, 90))
        for m in range(24)
    ]
    return ReportData(
        day=date(2026, 3, 10),
        counts=Counts(
            people=people,
            strong=20,
            weak=70,
            dormant=15,
            long_dormant=5,
            interactions=1234,
            never_contacted=15,
            links=len(links),
        ),
        strengths=[n.strength for n in nodes],
        strong_threshold=50,
        tiers=[
            TierCount(1, "inner", 4, 4, 5, 7, 3),
            TierCount(2, "close", 12, 16, 15, 30, 6),
            TierCount(3, "active", 40, 56, 50, 90, 30),
            TierCount(4, "network", 50, 106, 150, 365, 41),
            TierCount(5, "acquaintance", 14, 120, 500, None, 0),
        ],
        diversity=[
            Diversity(
                "industry",
                [Group("Software", 60), Group(name_of_first, 30), Group("Finance", 10)],
                0.82,
                0.6,
                strong_groups=[Group("Software", 15), Group("Finance", 5)],
            ),
            Diversity("function", [Group("engineering", 50), Group("sales", 20)], 0.86, 0.71),
            Diversity("organisation", [Group(f"Org {i}", 20 - i) for i in range(12)], 0.97, 0.11),
            Diversity("location", [], 0.0, 0.0, unknown=people),
        ],
        growth=months,
        reciprocity=Reciprocity(12, 9, 2, 7, initiated_by_me=300, initiated_by_them=200),
        brokerage=Brokerage(people, 0.062, 88.5, 0.74, [n.name for n in nodes if n.bridge]),
        network=NetworkMap(nodes=nodes, links=links, total=people * 3, clusters=clusters),
        returns=[
            Returns("event", "PyCon " + name_of_first, 12, 4, 2, 1),
            Returns("organisation", "Acme", 30, 20, 0, 0),
        ],
    )
