"""The network page's map: your strongest ties, the links among them, the groups they form with a
label saying what each group shares, and the few people worth naming on the picture.

- People: your `limit` strongest ties (of one tier, when asked), plus the person searched for.
- Links: every link the graph knows between two of them (`graph.gather`: the same evidence and
  strength as the whole graph), without building the whole graph.
- Groups: `brokerage.clusters` over the people drawn, so a group is what the picture shows
  together (the report's clusters are those of the whole network).
- A group's label: what at least a third of its members share now (an organisation, a field, a
  tag), the one most particular to them (the most members, weighted by how much more common it
  is in the group than among everyone drawn); else the most particular of all; two groups with
  the same label are told apart by their hubs.
- Named on the picture (the rest show their name on hover or tap): each group's hub (the most and
  strongest links inside it), your closest ties, the bridges (`brokerage.bridges`: the highest
  betweenness in the drawn graph) and the person searched for.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.analytics import brokerage
from tieline.analytics.graph import GraphSettings, Network, Node, gather
from tieline.repo import graph as graph_repo
from tieline.repo import network_map as map_repo
from tieline.repo.network_map import MapPersonRow
from tieline.text import fold

CLOSEST = 5  # your strongest ties named on the map
BRIDGES = 5  # the strongest bridges named on the map
SHARE = 1 / 3  # a label needs this share of a group behind it
# What members of an organisation of each kind do, for a group's "why".
VERBS = {
    "company": "work at",
    "department": "work in",
    "team": "are in",
    "school": "study at",
    "alumni_network": "are alumni of",
    "association": "belong to",
    "community": "belong to",
}


@dataclass(frozen=True)
class MapPerson:
    """A person on the map: group id (-1: none), links drawn, and why they are named (empty: not)."""

    id: int
    name: str
    tier: int
    strength: float
    company: str | None
    group: int = -1
    links: int = 0
    roles: tuple[str, ...] = ()  # hub, closest, bridge, searched

    @property
    def named(self) -> bool:
        """Whether the map writes the name beside the dot."""
        return bool(self.roles)


@dataclass(frozen=True)
class MapGroup:
    """A group of people who know each other: its label, why it has that label, its size."""

    id: int
    label: str
    why: str
    size: int


@dataclass(frozen=True)
class PeopleMap:
    """The people drawn, the links among them (a, b, strength 0-1) and their groups; `focus` is the
    person searched for."""

    people: list[MapPerson]
    links: list[tuple[int, int, float]]
    groups: list[MapGroup] = field(default_factory=list)
    focus: int | None = None


def people_map(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    limit: int,
    tier: int | None = None,
    focus: int | None = None,
) -> PeopleMap:
    """Your `limit` strongest ties (of `tier`), and `focus` when it is a live person, as a map."""
    rows = map_repo.strongest(session, owner_id=owner_id, limit=limit, tier=tier)
    if focus is not None and all(r.id != focus for r in rows):
        rows += map_repo.live_people(session, owner_id=owner_id, person_ids=[focus])
    ids = [r.id for r in rows]
    if focus not in ids:
        focus = None
    nodes = {r.id: _node(r) for r in rows}
    # The evidence touching them, combined only for pairs of people drawn: at `large` the 1,000
    # strongest ties have 80,000 links to anyone and 9,000 among themselves.
    cfg = GraphSettings()
    evidence = gather(session, owner_id=owner_id, now=now, person_ids=ids, settings=cfg)
    net = Network(people=nodes, links=evidence.links(cfg, nodes))
    cluster_list, cluster_of = brokerage.clusters(net)
    bridges = brokerage.bridges(net, cluster_of, core=len(ids), limit=BRIDGES)
    members: dict[int, list[int]] = {c.id: [] for c in cluster_list}
    for pid, group in cluster_of.items():
        members[group].append(pid)
    hubs = {number: _hub(net, group) for number, group in members.items()}
    traits = _traits(session, owner_id=owner_id, now=now, ids=ids, rows=rows)
    groups = _labels(members, traits, {n: net.people[p].name for n, p in hubs.items()}, len(ids))
    roles = _roles(net, hubs.values(), bridges, focus)
    degree = Counter(p for pair in net.links for p in pair)
    drawn = [
        MapPerson(r.id, r.display_name, r.tier, r.strength, r.company, cluster_of.get(r.id, -1),
                  degree[r.id], tuple(roles.get(r.id, ())))
        for r in rows
    ]  # fmt: skip
    links = [(a, b, link.strength) for (a, b), link in net.links.items()]
    return PeopleMap(drawn, links, groups, focus)


def _node(row: MapPersonRow) -> Node:
    return Node(row.id, row.display_name, row.tier, row.company, row.industry, strength=row.strength)


def _hub(net: Network, group: list[int]) -> int:
    """The member with the most and strongest links inside the group."""
    inside = set(group)
    adj = net.adjacency
    return max(group, key=lambda p: (sum(s for q, s in adj[p].items() if q in inside), -p))


def _roles(
    net: Network, hubs: Iterable[int], bridges: Iterable[brokerage.Bridge], focus: int | None
) -> dict[int, list[str]]:
    """Who is named on the map, and why."""
    roles: dict[int, list[str]] = defaultdict(list)
    for hub in hubs:
        roles[hub].append("hub")
    for p in sorted(net.people, key=lambda p: (-net.people[p].strength, p))[:CLOSEST]:
        roles[p].append("closest")
    for bridge in bridges:
        roles[bridge.person_id].append("bridge")
    if focus is not None:
        roles[focus].append("searched")
    return roles


@dataclass(frozen=True)
class _Trait:
    """Something a person has that a group could share: an organisation, a field or a tag."""

    key: tuple[str, str]  # (sort, folded name): one trait however it is written
    label: str
    verb: str  # what members with it do: "work at", "work in", "are tagged"
    preference: int  # on a tie, an organisation says more than a field, a field more than a tag


def _traits(
    session: Session, *, owner_id: int, now: datetime, ids: Sequence[int], rows: Sequence[MapPersonRow]
) -> dict[int, set[_Trait]]:
    traits: dict[int, set[_Trait]] = defaultdict(set)
    for m in map_repo.current_memberships(session, owner_id=owner_id, person_ids=ids, today=now.date()):
        verb = VERBS.get(m.kind, "belong to")
        traits[m.person_id].add(_Trait(("organisation", fold(m.name)), m.name, verb, 3))
    for r in rows:
        if r.industry:
            traits[r.id].add(_Trait(("field", fold(r.industry)), r.industry, "work in", 2))
    for t in graph_repo.tags_of(session, owner_id=owner_id, person_ids=ids):
        traits[t.person_id].add(_Trait(("tag", fold(t.tag)), t.tag, "are tagged", 1))
    return traits


def _labels(
    members: dict[int, list[int]], traits: dict[int, set[_Trait]], hubs: dict[int, str], drawn: int
) -> list[MapGroup]:
    """Each group's label: of what a third or more of its members share, the trait most particular
    to them (compared with everyone drawn); else the most particular trait (its "why" names the
    two most particular); a label two groups would share says whose group each is."""
    everyone = Counter(t for found in traits.values() for t in found)
    groups = [_label(number, people, traits, everyone, drawn) for number, people in members.items()]
    repeated = Counter(g.label for g in groups)
    return [
        MapGroup(g.id, f"{g.label}, around {hubs[g.id]}", g.why, g.size) if repeated[g.label] > 1 else g
        for g in groups
    ]


def _label(
    number: int, people: list[int], traits: dict[int, set[_Trait]], everyone: Counter[_Trait], drawn: int
) -> MapGroup:
    size = len(people)
    counts = Counter(t for p in people for t in traits.get(p, ()))

    def particular(t: _Trait) -> float:
        """How much more common the trait is here than among everyone drawn (0: no more)."""
        return max(0.0, counts[t] * math.log((counts[t] / size) / (everyone[t] / drawn)))

    def why(t: _Trait) -> str:
        return f"{counts[t]} of {size} {t.verb} {t.label}"

    most = [t for t in counts if counts[t] >= max(2, SHARE * size)]
    if most:
        best = max(most, key=lambda t: (particular(t), counts[t], t.preference, t.label))
        return MapGroup(number, best.label, why(best), size)
    distinct = sorted(
        (t for t in counts if counts[t] >= max(2, size / 20) and particular(t) > 0),
        key=lambda t: (-particular(t), -counts[t], -t.preference, t.label),
    )[:2]
    if distinct:
        text = ", ".join(why(t) for t in distinct)
        return MapGroup(number, distinct[0].label, f"{text}: more than elsewhere on the map", size)
    return MapGroup(number, f"group {number + 1}", "nothing most of them share is on record", size)
