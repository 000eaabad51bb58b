"""Brokerage and structure over the whole network: your ego network's constraint and effective size,
communities, the bridges between them, and the map of your strongest ties for pictures.

- Ego network: you, every person with a positive tie (weight = strength / 100), and the links
  among them (weight = link strength); measures.burt does the arithmetic.
- Clusters: igraph's multilevel (Louvain) communities of the people graph, weighted by link
  strength, seeded so the same data gives the same clusters; clusters under 3 people are not
  reported. Label: the most common organisation when it holds at least a third of the cluster,
  else the most common industry, else "cluster N".
- Bridges: among your CORE strongest ties, the people with the highest betweenness in the graph of
  links among them (distance = -log strength, so strong links are short), with whether removing
  them disconnects part of that graph (a cut vertex) and how many clusters their links reach.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field

from tieline.analytics.graph import OWNER, Network
from tieline.analytics.measures import Brokerage, burt

CORE = 1000
MIN_CLUSTER = 3
BRIDGES = 10


def ego_adjacency(net: Network) -> dict[int, dict[int, float]]:
    """The adjacency of your ego network, you as node 0 (OWNER)."""
    adj: dict[int, dict[int, float]] = {pid: dict(n) for pid, n in net.adjacency.items()}
    adj[OWNER] = {}
    for pid, node in net.people.items():
        if node.strength > 0:
            adj[OWNER][pid] = node.strength / 100.0
            adj[pid][OWNER] = node.strength / 100.0
    return adj


def ego_brokerage(net: Network) -> Brokerage:
    """Burt's constraint and effective size of your ego network."""
    return burt(ego_adjacency(net), OWNER)


def clusters(net: Network, *, seed: int = 42) -> tuple[list[Cluster], dict[int, int]]:
    """Communities (largest first, ids 0, 1, ...) and each clustered person's cluster id."""
    if not net.links:
        return [], {}
    graph, ids = net.to_igraph()
    random.seed(seed)  # igraph draws from Python's random module
    import igraph

    igraph.set_random_number_generator(random)
    parts = graph.community_multilevel(weights="weight")
    groups = sorted((g for g in parts if len(g) >= MIN_CLUSTER), key=lambda g: (-len(g), min(g)))
    orgs = _organisation_of(net)
    out: list[Cluster] = []
    cluster_of: dict[int, int] = {}
    for number, group in enumerate(groups):
        members = [ids[v] for v in group]
        for pid in members:
            cluster_of[pid] = number
        top = sorted(members, key=lambda p: (-net.people[p].strength, p))[:5]
        out.append(
            Cluster(
                number,
                _label(net, members, orgs, number),
                len(members),
                [(p, net.people[p].name) for p in top],
            )
        )
    return out, cluster_of


@dataclass(frozen=True)
class Cluster:
    """A community: an id, a label from common organisations or industries, size and top members."""

    id: int
    label: str
    size: int
    top: list[tuple[int, str]] = field(default_factory=list)


def _organisation_of(net: Network) -> dict[int, str]:
    return {pid: node.company for pid, node in net.people.items() if node.company}


def _label(net: Network, members: list[int], orgs: dict[int, str], number: int) -> str:
    companies = Counter(orgs[p] for p in members if p in orgs)
    if companies:
        name, count = companies.most_common(1)[0]
        if count * 3 >= len(members):
            return name
    industries = Counter(net.people[p].industry for p in members if net.people[p].industry)
    if industries:
        return str(industries.most_common(1)[0][0])
    return f"cluster {number + 1}"


@dataclass(frozen=True)
class Bridge:
    """A person who links otherwise separate parts of your network."""

    person_id: int
    name: str
    betweenness: float  # normalised, 0-1, in the graph of your CORE strongest ties
    clusters: int  # distinct clusters their links reach
    cut_vertex: bool  # removing them disconnects part of that graph


def bridges(
    net: Network, cluster_of: dict[int, int], *, core: int = CORE, limit: int = BRIDGES
) -> list[Bridge]:
    """The people with the highest betweenness among your `core` strongest ties."""
    import igraph

    chosen = sorted(net.people, key=lambda p: (-net.people[p].strength, p))[:core]
    index = {pid: i for i, pid in enumerate(chosen)}
    edges, distances = [], []
    for (a, b), link in net.links.items():
        if a in index and b in index:
            edges.append((index[a], index[b]))
            distances.append(-math.log(max(link.strength, 1e-6)) + 1e-9)
    if not edges:
        return []
    graph = igraph.Graph(n=len(chosen), edges=edges)
    scores = graph.betweenness(weights=distances)
    n = len(chosen)
    scale = (n - 1) * (n - 2) / 2 if n > 2 else 1.0
    cuts = set(graph.articulation_points())
    adj = net.adjacency
    ranked = sorted(range(n), key=lambda v: (-scores[v], chosen[v]))[:limit]
    out = []
    for v in ranked:
        if scores[v] <= 0:
            break
        pid = chosen[v]
        reached = {cluster_of[q] for q in adj[pid] if q in cluster_of}
        out.append(Bridge(pid, net.people[pid].name, round(scores[v] / scale, 4), len(reached), v in cuts))
    return out


@dataclass(frozen=True)
class MapNode:
    """A person on the map: tie strength 0-100, cluster id (-1 none), whether a bridge."""

    id: int
    name: str
    strength: float
    tier: int
    cluster: int = -1
    bridge: bool = False


@dataclass(frozen=True)
class NetworkMap:
    """The people drawn (your strongest ties) and the links among them; `total` is everyone."""

    nodes: list[MapNode]
    links: list[tuple[int, int, float]]
    total: int
    clusters: list[Cluster] = field(default_factory=list)

    @property
    def sampled(self) -> bool:
        """True when only the strongest part of the network is drawn."""
        return self.total > len(self.nodes)


def network_map(
    net: Network,
    *,
    limit: int = 300,
    cluster_list: list[Cluster] | None = None,
    cluster_of: dict[int, int] | None = None,
    bridge_list: list[Bridge] | None = None,
) -> NetworkMap:
    """Your `limit` strongest ties with their clusters and bridges, for the network map; pass what
    `network_stats` computed to avoid computing it twice."""
    if cluster_list is None or cluster_of is None:
        cluster_list, cluster_of = clusters(net)
    if bridge_list is None:
        bridge_list = bridges(net, cluster_of)
    bridge_ids = {b.person_id for b in bridge_list}
    chosen = sorted(net.people, key=lambda p: (-net.people[p].strength, p))[:limit]
    # Bridges are always on the map, even beyond the strongest `limit`.
    chosen += [b for b in bridge_ids if b not in set(chosen)]
    keep = set(chosen)
    nodes = [
        MapNode(
            p,
            net.people[p].name,
            net.people[p].strength,
            net.people[p].tier,
            cluster_of.get(p, -1),
            p in bridge_ids,
        )
        for p in chosen
    ]
    links = [(a, b, link.strength) for (a, b), link in net.links.items() if a in keep and b in keep]
    shown = {n.cluster for n in nodes}
    return NetworkMap(nodes, links, len(net.people), [c for c in cluster_list if c.id in shown])
