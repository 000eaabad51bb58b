"""The report's data from the analytics: one graph built, the statistics over it, the map of the
strongest ties, put together as the `ReportData` the charts draw (the analytics' own dataclasses,
with diversity and brokerage in the shape the charts need)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.analytics import brokerage, stats
from tieline.analytics.graph import build_network
from tieline.analytics.measures import Spread
from tieline.reports import data

# People drawn on the map at most: beyond a few hundred, dots and names cover each other.
MAP_SIZE = 300


def gather_report(
    session: Session, *, owner_id: int, now: datetime, map_size: int = MAP_SIZE
) -> data.ReportData:
    """Everything the report shows, as of `now`."""
    network = build_network(session, owner_id=owner_id, now=now)
    numbers = stats.network_stats(session, owner_id=owner_id, now=now, network=network)
    return from_stats(numbers, stats.stats_map(network, numbers, limit=map_size))


def from_stats(numbers: stats.NetworkStats, picture: brokerage.NetworkMap) -> data.ReportData:
    """The analytics' numbers in the report's shape; only diversity and brokerage change shape."""
    b = numbers.brokerage
    measured = b.alters > 0
    return data.ReportData(
        day=numbers.day,
        counts=numbers.counts,
        strengths=list(numbers.strengths),
        strong_threshold=numbers.strong_threshold,
        tiers=list(numbers.tiers),
        diversity=[
            data.Diversity(
                dimension=d.dimension,
                groups=_groups(d.all),
                entropy=d.all.entropy,
                largest_share=d.all.largest_share,
                unknown=d.unknown,
                strong_groups=_groups(d.strong),
            )
            for d in numbers.diversity
        ],
        growth=list(numbers.growth),
        reciprocity=numbers.reciprocity or stats.Reciprocity(0, 0, 0, 0, 0, 0),
        brokerage=data.Brokerage(
            alters=b.alters,
            constraint=b.constraint if measured else None,
            effective_size=b.effective_size if measured else None,
            efficiency=b.efficiency if measured else None,
            bridges=[bridge.name for bridge in numbers.bridges],
        ),
        # Every cluster, not only those on the map: the report lists them all.
        network=replace(picture, clusters=list(numbers.clusters)),
        returns=list(numbers.returns),
    )


def _groups(spread: Spread) -> list[data.Group]:
    """Groups largest first, ties by label, so the same data draws the same chart."""
    return [
        data.Group(label, n) for label, n in sorted(spread.counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
