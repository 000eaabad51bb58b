"""The network graph: you ("me", node 0) at the centre, your live people, and "knows" links between
people, each with its evidence and a strength in [0, 1]. See docs/scores.md ("The network graph").

Evidence and what each piece is worth on its own (`GraphSettings` holds every number):

- an explicit knows row (source manual): its given strength, else `knows_default` (0.6);
- an introduction (a knows row of source introduction, or an introduction in state made):
  its given strength, else `introduction` (0.5);
- co-participation, n shared interactions, the last one d days ago:
  `co_max * (1 - e^(-n / co_scale)) * (0.5 + 0.5 * 2^(-d / co_half_life))`;
- an event both attended, with k attendees: `event * min(1, event_full / k)`, no link when
  k > `event_max` (a 2,000-person conference says little about who met whom);
- an organisation both are currently in, with k current members:
  `organisation * min(1, org_full / k)`, no link when k > `org_max` (a 50,000-person company
  counts for nothing; a 10-person team counts fully).

The pieces combine as independent chances that the two know each other (noisy-OR):
`strength = 1 - prod(1 - s_i)`; links weaker than `min_strength` are dropped. The owner's link
to each person is the stored tie strength / 100 (services/scoring.py).

Library: python-igraph, chosen on measurement (`python -m bench.graph`, docs/architecture.md): on
the `large` graph (29,536 people, 407,852 edges) igraph builds it in 56 ms against 1.4 s in
networkx and 1.0 s in rustworkx, computes your constraint in 16 ms (networkx's does not finish on
an ego of 30,000 alters; rustworkx has none) and Louvain communities in 1.8 s (networkx 37 s;
rustworkx has none). The graph itself is plain Python data (`Network`); only `to_igraph()` and
analytics/brokerage.py know the library.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tieline.repo import graph as graph_repo

if TYPE_CHECKING:
    import igraph

OWNER = 0  # the node id of "me"; person ids start at 1


@dataclass(frozen=True)
class GraphSettings:
    """What each kind of evidence is worth (see the module docstring)."""

    knows_default: float = 0.6
    introduction: float = 0.5
    co_max: float = 0.7
    co_scale: float = 3.0
    co_half_life: float = 365.0
    event: float = 0.3
    event_full: int = 10
    event_max: int = 100
    organisation: float = 0.5
    org_full: int = 10
    org_max: int = 50
    min_strength: float = 0.02


@dataclass(frozen=True)
class Node:
    """A live person as the graph sees them; `strength` is your stored tie strength (0-100)."""

    id: int
    name: str
    tier: int
    company: str | None = None
    industry: str | None = None
    department: str | None = None
    title: str | None = None
    location: str | None = None
    strength: float = 0.0
    contact_strength: float = 0.0
    last_contact_at: datetime | None = None


@dataclass
class Link:
    """Two people who (probably) know each other: a < b, a strength in [0, 1], and why."""

    a: int
    b: int
    strength: float
    evidence: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Network:
    """People (by id) and the knows links between them; the owner's links are the tie strengths."""

    people: dict[int, Node]
    links: dict[tuple[int, int], Link]

    def owner_weight(self, person_id: int) -> float:
        """Your link to the person: stored tie strength / 100."""
        node = self.people.get(person_id)
        return node.strength / 100.0 if node else 0.0

    @cached_property
    def adjacency(self) -> dict[int, dict[int, float]]:
        """person -> {neighbour: link strength}, people only (the owner is not in it)."""
        adj: dict[int, dict[int, float]] = {pid: {} for pid in self.people}
        for (a, b), link in self.links.items():
            adj[a][b] = link.strength
            adj[b][a] = link.strength
        return adj

    def link(self, a: int, b: int) -> Link | None:
        """The link between two people, if any."""
        return self.links.get((min(a, b), max(a, b)))

    def to_igraph(self, *, with_owner: bool = False) -> tuple[igraph.Graph, list[int]]:
        """The graph in igraph (edge attribute `weight` = strength) and the person id of each vertex;
        with the owner, vertex 0 is "me" linked to every person with a positive tie."""
        import igraph

        ids = ([OWNER] if with_owner else []) + list(self.people)
        index = {pid: i for i, pid in enumerate(ids)}
        edges = [(index[a], index[b]) for a, b in self.links]
        weights = [link.strength for link in self.links.values()]
        if with_owner:
            for pid, node in self.people.items():
                if node.strength > 0:
                    edges.append((0, index[pid]))
                    weights.append(node.strength / 100.0)
        graph = igraph.Graph(n=len(ids), edges=edges, directed=False)
        graph.es["weight"] = weights
        return graph, ids


def combine(strengths: Iterable[float]) -> float:
    """Independent pieces of evidence combined as a noisy-OR: 1 - prod(1 - s)."""
    missing = 1.0
    for s in strengths:
        missing *= 1.0 - min(1.0, max(0.0, s))
    return 1.0 - missing


def co_participation_strength(count: int, days_since: float, cfg: GraphSettings) -> float:
    """What n shared interactions, the last d days ago, say on their own."""
    recency = 0.5 + 0.5 * 2.0 ** (-max(0.0, days_since) / cfg.co_half_life)
    return cfg.co_max * (1.0 - math.exp(-count / cfg.co_scale)) * recency


def group_strength(size: int, *, weight: float, full: int, most: int) -> float:
    """What sharing a group of `size` (an event, an organisation) says; 0 past `most`."""
    if size < 2 or size > most:
        return 0.0
    return weight * min(1.0, full / size)


class _Evidence:
    """Pieces of evidence per pair, strengths and details, before they are combined."""

    def __init__(self) -> None:
        self.pieces: dict[tuple[int, int], list[tuple[float, str, str]]] = defaultdict(list)

    def add(self, a: int, b: int, strength: float, kind: str, detail: str) -> None:
        if a == b or strength <= 0.0:
            return
        self.pieces[(a, b) if a < b else (b, a)].append((strength, kind, detail))

    def links(self, cfg: GraphSettings, people: dict[int, Any] | None) -> dict[tuple[int, int], Link]:
        out: dict[tuple[int, int], Link] = {}
        for (a, b), pieces in self.pieces.items():
            if people is not None and (a not in people or b not in people):
                continue
            pieces.sort(key=lambda p: -p[0])
            strength = combine(p[0] for p in pieces)
            if strength >= cfg.min_strength:
                out[(a, b)] = Link(a, b, round(strength, 4), [(kind, detail) for _, kind, detail in pieces])
        return out


def gather(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    person_ids: Sequence[int] | None = None,
    settings: GraphSettings | None = None,
) -> _Evidence:
    """Every piece of evidence of links touching `person_ids` (None: every link)."""
    cfg = settings or GraphSettings()
    evidence = _Evidence()
    for knows in graph_repo.knows_links(session, owner_id=owner_id, person_ids=person_ids):
        note = f": {knows.note}" if knows.note else ""
        if knows.source == "introduction":
            value = knows.strength if knows.strength is not None else cfg.introduction
            evidence.add(knows.person_id, knows.other_id, value, "introduction", "introduced" + note)
        else:
            value = knows.strength if knows.strength is not None else cfg.knows_default
            evidence.add(
                knows.person_id,
                knows.other_id,
                value,
                "knows",
                f"you said they know each other ({value:.2f})" + note,
            )
    for a, b, made_at in graph_repo.introductions_made(session, owner_id=owner_id, person_ids=person_ids):
        when = f" on {made_at.date().isoformat()}" if made_at else ""
        evidence.add(a, b, cfg.introduction, "introduction", f"you introduced them{when}")
    for a, b, count, last in graph_repo.co_participation(session, owner_id=owner_id, person_ids=person_ids):
        days = (now - last).total_seconds() / 86400.0 if last else 3650.0
        evidence.add(
            a,
            b,
            co_participation_strength(count, days, cfg),
            "interaction",
            f"{count} shared interaction{'s' if count != 1 else ''}, last {last.date().isoformat()}",
        )
    events: dict[int, tuple[str, date, list[int]]] = {}
    focused = person_ids is not None
    for event_id, name, starts_on, pid in graph_repo.event_attendance(
        session, owner_id=owner_id, person_ids=person_ids, max_size=cfg.event_max if focused else None
    ):
        events.setdefault(event_id, (name, starts_on, []))[2].append(pid)
    for name, starts_on, members in events.values():
        value = group_strength(len(members), weight=cfg.event, full=cfg.event_full, most=cfg.event_max)
        _pairs(
            evidence,
            members,
            person_ids,
            value,
            "event",
            f"both at {name} ({starts_on.isoformat()}, {len(members)} attendees)",
        )
    orgs: dict[int, tuple[str, list[int]]] = {}
    for membership in graph_repo.current_memberships(
        session,
        owner_id=owner_id,
        today=now.date(),
        person_ids=person_ids,
        max_size=cfg.org_max if focused else None,
    ):
        orgs.setdefault(membership.organisation_id, (membership.name, []))[1].append(membership.person_id)
    for name, members in orgs.values():
        value = group_strength(len(members), weight=cfg.organisation, full=cfg.org_full, most=cfg.org_max)
        _pairs(
            evidence,
            members,
            person_ids,
            value,
            "organisation",
            f"both at {name} ({len(members)} current members)",
        )
    return evidence


def _pairs(
    evidence: _Evidence, members: list[int], focus: Sequence[int] | None, value: float, kind: str, detail: str
) -> None:
    if value <= 0.0:
        return
    members = sorted(set(members))
    if focus is None:
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                evidence.add(a, b, value, kind, detail)
        return
    wanted = set(focus)
    for a in members:
        if a in wanted:
            for b in members:
                evidence.add(a, b, value, kind, detail)


def build_network(
    session: Session, *, owner_id: int, now: datetime, settings: GraphSettings | None = None
) -> Network:
    """The whole graph: every live person and every link between two of them."""
    cfg = settings or GraphSettings()
    people = {
        int(person.id): Node(
            id=int(person.id),
            name=person.display_name,
            tier=int(person.tier),
            company=person.company,
            industry=person.industry,
            department=person.department,
            title=person.title,
            location=person.location,
            strength=float(person.strength or 0.0),
            contact_strength=float(person.contact_strength or 0.0),
            last_contact_at=person.last_contact_at,
        )
        for person in graph_repo.live_people(session, owner_id=owner_id)
    }
    evidence = gather(session, owner_id=owner_id, now=now, settings=cfg)
    return Network(people=people, links=evidence.links(cfg, people))


def links_around(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    person_ids: Sequence[int],
    settings: GraphSettings | None = None,
) -> dict[tuple[int, int], Link]:
    """Every link touching `person_ids` (to anyone, archived people included), without building the
    whole graph: the same evidence and formula as `build_network`, for a path search or common ground."""
    cfg = settings or GraphSettings()
    if not person_ids:
        return {}
    return gather(session, owner_id=owner_id, now=now, person_ids=person_ids, settings=cfg).links(cfg, None)
