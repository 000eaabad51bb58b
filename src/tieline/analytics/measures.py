"""Pure network formulas, checked against hand-made graphs in tests/analytics/test_measures.py.

Graphs here are adjacency maps `{node: {neighbour: weight}}`, symmetric, without self-loops.

Burt (1992), on the ego network of `ego` (ego, its alters, and the ties among the alters):

- proportional tie `p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)` (symmetric here, so `a_ij / sum_k a_ik`);
- constraint `C_i = sum_j (p_ij + sum_{q != i, j} p_iq * p_qj)^2` over the alters j: 1/n for a star
  of n unconnected alters, about 0.766 for ego in a clique of five;
- effective size `n - sum_j sum_{q != i, j} p_iq * m_jq` with `m_jq = a_jq / max_k a_jk` (k over j's
  ties): n for a star, 1 for a clique of five (unweighted: n - 2t/n, t ties among the alters).

Only the ego network counts: ties of alters to people outside it play no part, as in Burt's
definition and networkx's `constraint(G, nodes=[ego])` on the ego graph.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

Adjacency = Mapping[Hashable, Mapping[Hashable, float]]


@dataclass(frozen=True)
class Brokerage:
    """Burt's measures of one ego network."""

    alters: int
    constraint: float
    effective_size: float

    @property
    def efficiency(self) -> float:
        """Effective size per alter (1 when no two alters are tied)."""
        return self.effective_size / self.alters if self.alters else 0.0


def _proportions(adj: Adjacency, node: Hashable, members: set[Hashable]) -> dict[Hashable, float]:
    ties = {k: w for k, w in adj.get(node, {}).items() if k in members and k != node and w > 0}
    total = sum(ties.values())
    return {k: w / total for k, w in ties.items()} if total > 0 else {}


def burt(adj: Adjacency, ego: Hashable) -> Brokerage:
    """Constraint and effective size of `ego` on its ego network (see the module docstring)."""
    alters = [k for k, w in adj.get(ego, {}).items() if k != ego and w > 0]
    if not alters:
        return Brokerage(0, 0.0, 0.0)
    members = set(alters) | {ego}
    p_ego = _proportions(adj, ego, members)
    p_alter = {j: _proportions(adj, j, members) for j in alters}
    constraint = 0.0
    redundancy = 0.0
    for j in alters:
        indirect = 0.0
        ties_j = {k: w for k, w in adj.get(j, {}).items() if k in members and k != j and w > 0}
        strongest_j = max(ties_j.values(), default=0.0)
        for q in p_alter[j]:
            if q == ego:
                continue
            # p_iq * p_qj: ego's share to q, times q's share to j.
            indirect += p_ego.get(q, 0.0) * p_alter[q].get(j, 0.0)
            if strongest_j > 0:
                redundancy += p_ego.get(q, 0.0) * ties_j[q] / strongest_j
        constraint += (p_ego[j] + indirect) ** 2
    return Brokerage(len(alters), constraint, len(alters) - redundancy)


@dataclass(frozen=True)
class Spread:
    """How a network spreads over the values of one attribute (industry, location...)."""

    known: int  # people with a value
    groups: int
    entropy: float  # Shannon entropy normalised to [0, 1] by log(groups); 0 with one group
    largest: str | None
    largest_share: float  # share of the largest group among people with a value
    counts: dict[str, int]


def spread(values: Iterable[str | None]) -> Spread:
    """Normalised Shannon entropy and the share of the largest group; None values are unknown."""
    counts = Counter(v for v in values if v)
    known = sum(counts.values())
    if not known:
        return Spread(0, 0, 0.0, None, 0.0, {})
    entropy = -sum((n / known) * math.log(n / known) for n in counts.values())
    normalised = entropy / math.log(len(counts)) if len(counts) > 1 else 0.0
    largest, top = counts.most_common(1)[0]
    return Spread(known, len(counts), round(normalised, 4), largest, round(top / known, 4), dict(counts))


def adamic_adar(adj: Adjacency, x: Hashable, y: Hashable) -> float:
    """Sum over common neighbours z of 1 / log(degree z) (degree 1 cannot occur for a shared one)."""
    nx, ny = adj.get(x, {}), adj.get(y, {})
    small, large = (nx, ny) if len(nx) <= len(ny) else (ny, nx)
    return sum(1.0 / math.log(len(adj[z])) for z in small if z in large and len(adj.get(z, {})) > 1)


def jaccard(a: set[Hashable], b: set[Hashable]) -> float:
    """|a & b| / |a | b| (0 when both are empty): how much two networks overlap."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def inverted_u(strength: float, *, peak: float = 0.35, width: float = 0.2) -> float:
    """A weight in (0, 1] peaking at a moderately weak tie (strength 0-1), after Rajkumar et al. 2022:
    job mobility came most from moderately weak ties, less from the weakest and the strongest."""
    return math.exp(-(((strength - peak) / width) ** 2) / 2.0)
