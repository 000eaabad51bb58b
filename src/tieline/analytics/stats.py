"""`tieline stats`: the network in numbers, as plain data for the CLI, the HTML report and the web.

- tiers against Dunbar's layers (5, 15, 50, 150, 500, 1500 cumulative), with who is on cadence;
- strong / weak / dormant: dormant = no contact for `dormant.days` (365); of the rest, strong =
  stored strength >= STRONG (50), weak = below it; people never contacted are counted apart;
- the tie strength distribution in ten bins of 10;
- diversity per industry, function (department, else the job title), organisation (current
  membership, else company) and location: normalised Shannon entropy and the largest group's share;
- brokerage: Burt's constraint and effective size of your ego network (you, every person with a
  positive tie, the links among them; measures.burt) and bridges (`brokerage.py`);
- clusters: communities of the people graph (igraph multilevel/Louvain), labelled by their most
  common organisation, else industry;
- growth and decay: new people and interactions per month (last 24 months), share on cadence;
- reciprocity and gratitude: favours given/received, thanks owed, who initiates;
- returns: people met and opportunities per event and organisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from tieline.analytics import brokerage as brokerage_mod
from tieline.analytics.brokerage import Bridge, Cluster, NetworkMap, network_map
from tieline.analytics.graph import Network, build_network
from tieline.analytics.measures import Brokerage, Spread, spread
from tieline.repo import graph as graph_repo
from tieline.repo import network_stats as stats_repo
from tieline.repo.graph import CurrentMembership
from tieline.services import preferences
from tieline.validate import TIER_NAMES

STRONG = 50.0  # stored strength (0-100) from which a live tie counts as strong
DUNBAR = {1: 5, 2: 15, 3: 50, 4: 150, 5: 500}  # cumulative layer size for each tier
DUNBAR_LAYERS = (5, 15, 50, 150, 500, 1500)
MONTHS = 24


@dataclass(frozen=True)
class TierCount:
    """One tier: people in it, cumulative people up to it, Dunbar's layer, and who is on cadence."""

    tier: int
    name: str
    people: int
    cumulative: int
    dunbar: int
    cadence_days: int | None
    on_cadence: int  # contacted within their cadence (0 without a cadence)

    @property
    def on_cadence_share(self) -> float | None:
        """Share of the tier contacted within its cadence; None for a tier without cadence or people."""
        if self.cadence_days is None or self.people == 0:
            return None
        return self.on_cadence / self.people


@dataclass(frozen=True)
class Bin:
    """Tie strengths in [low, high) (the last bin includes 100)."""

    low: float
    high: float
    people: int


@dataclass(frozen=True)
class Counts:
    """Everyone, by the state of the tie."""

    people: int
    strong: int
    weak: int
    dormant: int
    long_dormant: int
    never_contacted: int
    links: int
    interactions: int


@dataclass(frozen=True)
class Diversity:
    """How people (and strong ties alone) spread over one dimension."""

    dimension: str  # industry, function, organisation, location
    all: Spread
    strong: Spread
    unknown: int


@dataclass(frozen=True)
class Month:
    """One calendar month: people added (met) and interactions logged."""

    month: date
    new_people: int
    interactions: int


@dataclass(frozen=True)
class Reciprocity:
    """Favours and initiative in totals, thanks owed."""

    favours_given: int
    favours_received: int
    thanks_owed: int
    thanked: int
    initiated_by_me: int
    initiated_by_them: int


@dataclass(frozen=True)
class Returns:
    """What an event or organisation gave: people met, still-warm ties, opportunities (won)."""

    kind: str  # event, organisation
    name: str
    people: int
    lasting: int  # of them, ties not dormant and above weak
    opportunities: int
    won: int


@dataclass(frozen=True)
class NetworkStats:
    """Everything `tieline stats` shows, as of `day`."""

    day: date
    counts: Counts
    strong_threshold: float
    tiers: list[TierCount]
    dunbar_layers: tuple[int, ...]
    strengths: list[float]  # one stored strength per person (0-100), for histograms
    bins: list[Bin]
    diversity: list[Diversity]
    brokerage: Brokerage
    bridges: list[Bridge]
    clusters: list[Cluster]
    cluster_of: dict[int, int] = field(repr=False)  # person id -> cluster id
    growth: list[Month] = field(default_factory=list)
    on_cadence_share: float | None = None
    reciprocity: Reciprocity | None = None
    returns: list[Returns] = field(default_factory=list)


def stats_map(net: Network, stats: NetworkStats, *, limit: int = 300) -> NetworkMap:
    """The network map of `net` with the clusters and bridges `stats` already found."""
    return network_map(
        net, limit=limit, cluster_list=stats.clusters, cluster_of=stats.cluster_of, bridge_list=stats.bridges
    )


def function_of(department: str | None, title: str | None) -> str | None:
    """A person's function: their department, else their job title's last word ("Data Engineer" ->
    "engineer"), folded so "Sales" and "sales" are one group."""
    if department:
        return department.strip().lower()
    if title:
        words = title.replace(",", " ").split()
        return words[-1].lower() if words else None
    return None


def network_stats(
    session: Session, *, owner_id: int, now: datetime, network: Network | None = None
) -> NetworkStats:
    """The whole set of numbers; pass `network` (build_network) to reuse a graph already built."""
    prefs = preferences.load(session, owner_id=owner_id)
    net = network or build_network(session, owner_id=owner_id, now=now)
    today = now.date()
    dormant_days, long_days = int(prefs["dormant.days"]), int(prefs["dormant.long_days"])
    rows = graph_repo.live_people(session, owner_id=owner_id)
    strong = weak = dormant = long_dormant = never = 0
    per_tier: Counter[int] = Counter()
    on_cadence: Counter[int] = Counter()
    initiated_me = initiated_them = interactions = 0
    state: dict[int, str] = {}
    for person in rows:
        pid, tier, strength_value = int(person.id), int(person.tier), float(person.strength or 0.0)
        last = person.last_contact_at
        per_tier[tier] += 1
        interactions += int(person.interactions or 0)
        initiated_me += int(person.initiated_by_me or 0)
        initiated_them += int(person.initiated_by_them or 0)
        days = (now - last).days if last else None
        cadence = person.cadence_days or prefs.cadence_for_tier(tier)
        if cadence and days is not None and days <= cadence:
            on_cadence[tier] += 1
        if days is None:
            never += 1
            state[pid] = "never"
        elif days > dormant_days:
            dormant += 1
            long_dormant += days > long_days
            state[pid] = "dormant"
        elif strength_value >= STRONG:
            strong += 1
            state[pid] = "strong"
        else:
            weak += 1
            state[pid] = "weak"
    tiers, cumulative = [], 0
    for tier in range(1, 6):
        cumulative += per_tier[tier]
        tiers.append(
            TierCount(
                tier,
                TIER_NAMES[tier],
                per_tier[tier],
                cumulative,
                DUNBAR[tier],
                prefs.cadence_for_tier(tier),
                on_cadence[tier],
            )
        )
    with_cadence = sum(t.people for t in tiers if t.cadence_days)
    strengths = [float(person.strength or 0.0) for person in rows]
    counts_per_bin = Counter(min(9, int(s // 10)) for s in strengths)
    bins = [Bin(lo, lo + 10.0, counts_per_bin[lo // 10]) for lo in range(0, 100, 10)]
    # Diversity and returns both read who is in which organisation now: one query for the two.
    memberships = graph_repo.current_memberships(session, owner_id=owner_id, today=today)
    diversity = _diversity(net=net, memberships=memberships, state=state)
    ego = brokerage_mod.ego_brokerage(net)
    clusters, cluster_of = brokerage_mod.clusters(net)
    bridges = brokerage_mod.bridges(net, cluster_of)
    return NetworkStats(
        day=today,
        counts=Counts(len(rows), strong, weak, dormant, long_dormant, never, len(net.links), interactions),
        strong_threshold=STRONG,
        tiers=tiers,
        dunbar_layers=DUNBAR_LAYERS,
        strengths=strengths,
        bins=bins,
        diversity=diversity,
        brokerage=ego,
        bridges=bridges,
        clusters=clusters,
        cluster_of=cluster_of,
        growth=_growth(session, owner_id=owner_id, now=now),
        on_cadence_share=(sum(on_cadence.values()) / with_cadence) if with_cadence else None,
        reciprocity=_reciprocity(session, owner_id=owner_id, me=initiated_me, them=initiated_them),
        returns=_returns(session, owner_id=owner_id, state=state, memberships=memberships),
    )


def _diversity(
    *, net: Network, memberships: Sequence[CurrentMembership], state: dict[int, str]
) -> list[Diversity]:
    org_of: dict[int, str] = {}
    for membership in memberships:
        if membership.kind == "company" or membership.person_id not in org_of:
            org_of[membership.person_id] = membership.name
    values: dict[str, dict[int, str | None]] = {
        "industry": {},
        "function": {},
        "organisation": {},
        "location": {},
    }
    for pid, node in net.people.items():
        values["industry"][pid] = node.industry
        values["function"][pid] = function_of(node.department, node.title)
        values["organisation"][pid] = org_of.get(pid) or node.company
        values["location"][pid] = node.location
    out = []
    for dimension, by_person in values.items():
        everyone = spread(by_person.values())
        strong = spread(v for pid, v in by_person.items() if state.get(pid) == "strong")
        out.append(Diversity(dimension, everyone, strong, len(by_person) - everyone.known))
    return out


def _month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def _growth(session: Session, *, owner_id: int, now: datetime) -> list[Month]:
    first = _month_start(now.date())
    months = [first]
    for _ in range(MONTHS - 1):
        months.append(_month_start(months[-1] - timedelta(days=1)))
    months.reverse()
    since = datetime(months[0].year, months[0].month, 1, tzinfo=UTC)
    per_month = stats_repo.interactions_per_month(session, owner_id=owner_id, since=since)
    new: Counter[date] = Counter()
    for person in stats_repo.monthly_new_people(session, owner_id=owner_id):
        met_on, created_at = person.met_on, person.created_at
        day = met_on if met_on is not None else (created_at.date() if created_at else None)
        if day is not None:
            new[_month_start(day)] += 1
    return [Month(m, new[m], per_month.get(m.strftime("%Y-%m"), 0)) for m in months]


def _reciprocity(session: Session, *, owner_id: int, me: int, them: int) -> Reciprocity:
    given = received = owed = thanked = 0
    for total in stats_repo.favour_totals(session, owner_id=owner_id):
        count, unthanked = int(total.count), int(total.unthanked)
        if total.direction == "given":
            given = count
        else:
            received, owed, thanked = count, unthanked, count - unthanked
    return Reciprocity(given, received, owed, thanked, me, them)


def _returns(
    session: Session, *, owner_id: int, state: dict[int, str], memberships: Sequence[CurrentMembership]
) -> list[Returns]:
    # Counted per (kind, name): ("event", "PyCon 2025"), ("organisation", "Acme").
    opportunities: Counter[tuple[str, str]] = Counter()
    won: Counter[tuple[str, str]] = Counter()
    for source in stats_repo.opportunities_by_source(session, owner_id=owner_id):
        for kind, name in (("event", source.event_name), ("organisation", source.organisation_name)):
            if name:
                opportunities[(kind, name)] += int(source.count)
                won[(kind, name)] += int(source.count) if source.stage == "won" else 0
    met: Counter[tuple[str, str]] = Counter()
    lasting: Counter[tuple[str, str]] = Counter()
    for attendee in stats_repo.event_people(session, owner_id=owner_id):
        if attendee.met:
            met[("event", attendee.name)] += 1
            lasting[("event", attendee.name)] += state.get(attendee.person_id) in ("strong", "weak")
    for membership in memberships:
        if membership.kind != "company":
            continue
        met[("organisation", membership.name)] += 1
        lasting[("organisation", membership.name)] += state.get(membership.person_id) in ("strong", "weak")
    keys = {(kind, name) for kind, name in met if kind == "event" or opportunities[(kind, name)]}
    keys |= set(opportunities)
    out = []
    for kind, name in keys:
        key = (kind, name)
        out.append(Returns(kind, name, met[key], lasting[key], opportunities[key], won[key]))
    out.sort(key=lambda r: (-r.opportunities, -r.lasting, -r.people, r.kind, r.name))
    return out
