"""The report's data from the analytics: one graph built, the statistics over it, the map of the
strongest ties, turned into the plain `ReportData` the charts draw (an adapter, so the pictures
do not change shape when the analytics grow)."""

from __future__ import annotations

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
    picture = brokerage.network_map(
        network,
        limit=map_size,
        cluster_list=numbers.clusters,
        cluster_of=numbers.cluster_of,
        bridge_list=numbers.bridges,
    )
    return from_stats(numbers, picture)


def from_stats(numbers: stats.NetworkStats, picture: brokerage.NetworkMap) -> data.ReportData:
    """The analytics' dataclasses as the report's own."""
    c, b = numbers.counts, numbers.brokerage
    measured = b.alters > 0
    r = numbers.reciprocity or stats.Reciprocity(0, 0, 0, 0, 0, 0)
    return data.ReportData(
        day=numbers.day,
        counts=data.Counts(
            people=c.people,
            strong=c.strong,
            weak=c.weak,
            dormant=c.dormant,
            interactions=c.interactions,
            never_contacted=c.never_contacted,
            links=c.links,
        ),
        strengths=list(numbers.strengths),
        strong_threshold=numbers.strong_threshold,
        tiers=[
            data.TierRow(t.tier, t.name, t.people, t.cumulative, t.dunbar, t.cadence_days, t.on_cadence)
            for t in numbers.tiers
        ],
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
        growth=[data.Month(m.month, m.new_people, m.interactions) for m in numbers.growth],
        reciprocity=data.Reciprocity(
            r.favours_given,
            r.favours_received,
            r.thanks_owed,
            r.thanked,
            r.initiated_by_me,
            r.initiated_by_them,
        ),
        brokerage=data.Brokerage(
            alters=b.alters,
            constraint=b.constraint if measured else None,
            effective_size=b.effective_size if measured else None,
            efficiency=b.efficiency if measured else None,
            bridges=[bridge.name for bridge in numbers.bridges],
        ),
        network=data.NetworkMap(
            nodes=[data.Node(n.id, n.name, n.strength, n.cluster, n.bridge) for n in picture.nodes],
            links=list(picture.links),
            total=picture.total,
            clusters=[data.Cluster(cl.id, cl.label, cl.size) for cl in numbers.clusters],
        ),
        returns=[
            data.Returns(x.kind, x.name, x.people, x.lasting, x.opportunities, x.won) for x in numbers.returns
        ],
    )


def _groups(spread: Spread) -> list[data.Group]:
    """Groups largest first, ties by label, so the same data draws the same chart."""
    return [
        data.Group(label, n) for label, n in sorted(spread.counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
