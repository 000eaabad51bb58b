"""Figures of the network analytics (issue 6) at `large`, each beside a floor measured in the same run,
and the measurement that chose the graph library.

A temporary copy of the cached `large` network (never the cache itself) gets 100,000 generated
"knows" links (seeded); then:

1. networkx vs igraph vs rustworkx on the same in-memory edge list (people, links, and "me" tied to
   everyone): build, Burt's constraint of "me", communities, one weighted shortest path;
2. tieline: building the graph from the database (floor: igraph from the edge list in memory),
   the full `tieline stats`, `common A B`, `suggest intros`, `path PERSON` and `path COMPANY`.

python -m bench.graph [--seed 42] [--runs 15] [--skip-networkx-communities]
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import dataset
from bench.report import Figure, render
from tieline.analytics import common, intros, paths
from tieline.analytics.brokerage import ego_adjacency
from tieline.analytics.graph import OWNER, Network, build_network
from tieline.analytics.measures import burt
from tieline.analytics.stats import network_stats
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Knows
from tieline.repo import graph as graph_repo

# The floor of `common A B`: the two people's memberships with their organisations, one indexed query.
COMMON_FLOOR = sa.text(
    "SELECT m.person_id, m.organisation_id, o.name, o.kind, m.role, m.start_date, m.end_date "
    "FROM membership m JOIN organisation o ON o.id = m.organisation_id WHERE m.person_id IN (:a, :b)"
)
KNOWS_LINKS = 100_000
# networkx's constraint recomputes each tie's share from scratch (cubic in the ego's alters): on the
# whole ego network it does not finish, so every library is also compared on your CORE strongest ties.
CORE = 200


def copy_network(source: Path, directory: Path) -> Path:
    """A private copy of the cached network (and its WAL, if any) to add links to."""
    target = directory / "large.db"
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


def add_knows(db: Database, *, seed: int, count: int = KNOWS_LINKS) -> int:
    """Insert `count` distinct knows links between random live people (seeded), in one transaction."""
    rng = random.Random(seed)
    with db.transaction() as session:
        ids = sorted(graph_repo.owner_strengths(session, owner_id=LOCAL_OWNER_ID))
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < count:
            a, b = rng.sample(ids, 2)
            pairs.add((min(a, b), max(a, b)))
        rows = [
            {
                "owner_id": LOCAL_OWNER_ID,
                "person_id": a,
                "other_id": b,
                "source": "manual",
                "strength": round(rng.uniform(0.1, 1.0), 2) if rng.random() < 0.7 else None,
            }
            for a, b in sorted(pairs)
        ]
        session.execute(sa.insert(Knows), rows)
    return len(rows)


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call took, and its result."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def edge_list(net: Network) -> tuple[list[int], list[tuple[int, int]], list[float]]:
    """Vertex ids (me first), edges as vertex indexes, and weights: the graph in plain memory."""
    ids = [OWNER, *net.people]
    index = {pid: i for i, pid in enumerate(ids)}
    edges = [(index[a], index[b]) for a, b in net.links]
    weights = [link.strength for link in net.links.values()]
    for pid, node in net.people.items():
        if node.strength > 0:
            edges.append((0, index[pid]))
            weights.append(node.strength / 100.0)
    return ids, edges, weights


def compare_libraries(
    net: Network, *, skip_nx_communities: bool
) -> Iterator[tuple[str, str, float | None, str]]:
    """(library, step, seconds or None, note) for each library and step, on the same edges, as measured."""
    import igraph
    import networkx as nx
    import rustworkx as rx

    ids, edges, weights = edge_list(net)
    n = len(ids)
    distances = [-math.log(max(w, 1e-6)) + 0.0 for w in weights]  # + 0.0: no -0.0 for rustworkx
    target = n - 1  # the last person: deterministic
    core = sorted(range(1, n), key=lambda v: -net.people[ids[v]].strength)[:CORE]
    core_set = {0, *core}

    seconds, g = timed(lambda: _igraph(igraph, n, edges, weights, distances))
    yield ("igraph", "build", seconds, f"{n:,} vertices, {len(edges):,} edges")
    seconds, c = timed(lambda: g.constraint([0], weights="weight")[0])
    yield ("igraph", "constraint of me (whole ego network)", seconds, f"{c:.6f}")
    sub = g.induced_subgraph(sorted(core_set))
    seconds, c = timed(lambda: sub.constraint([0], weights="weight")[0])
    yield ("igraph", f"constraint of me ({CORE} strongest)", seconds, f"{c:.6f}")
    random.seed(1)
    igraph.set_random_number_generator(random)
    people_graph = g.induced_subgraph(range(1, n))
    seconds, parts = timed(lambda: people_graph.community_multilevel(weights="weight"))
    yield ("igraph", "communities (multilevel/Louvain)", seconds, f"{len(parts):,} communities")
    seconds, p = timed(lambda: g.get_shortest_paths(0, target, weights="distance", output="vpath")[0])
    yield ("igraph", "shortest path (Dijkstra, -log strength)", seconds, f"{len(p)} vertices")

    def nx_build() -> Any:
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(
            (a, b, {"weight": w, "distance": d})
            for (a, b), w, d in zip(edges, weights, distances, strict=True)
        )
        return graph

    seconds, G = timed(nx_build)
    yield ("networkx", "build", seconds, "")
    yield (
        (
            "networkx",
            "constraint of me (whole ego network)",
            None,
            f"not run: cubic in the alters, {n - 1:,}^3 steps in Python",
        )
    )
    ego = G.subgraph(core_set)
    seconds, c = timed(lambda: nx.constraint(ego, [0], weight="weight")[0])
    yield ("networkx", f"constraint of me ({CORE} strongest)", seconds, f"{c:.6f}")
    if skip_nx_communities:
        yield ("networkx", "communities (Louvain)", None, "skipped (--skip-networkx-communities)")
    else:
        people = G.subgraph(range(1, n))
        seconds, parts = timed(lambda: nx.community.louvain_communities(people, weight="weight", seed=1))
        yield ("networkx", "communities (Louvain)", seconds, f"{len(parts):,} communities")
    seconds, p = timed(lambda: nx.dijkstra_path(G, 0, target, weight="distance"))
    yield ("networkx", "shortest path (Dijkstra, -log strength)", seconds, f"{len(p)} vertices")

    def rx_build() -> Any:
        graph = rx.PyGraph(multigraph=False)
        graph.add_nodes_from(range(n))
        graph.add_edges_from([(a, b, d) for (a, b), d in zip(edges, distances, strict=True)])
        return graph

    seconds, R = timed(rx_build)
    yield ("rustworkx", "build", seconds, "")
    adj = {pid: dict(nbrs) for pid, nbrs in ego_adjacency(net).items()}
    core_ids = {ids[v] for v in core_set}
    core_adj = {k: {q: w for q, w in v.items() if q in core_ids} for k, v in adj.items() if k in core_ids}
    seconds, b = timed(lambda: burt(adj, OWNER).constraint)
    yield (
        (
            "rustworkx",
            "constraint of me (whole ego network)",
            seconds,
            f"{b:.6f}; none built in: tieline's measures.burt in Python",
        )
    )
    seconds, b = timed(lambda: burt(core_adj, OWNER).constraint)
    yield ("rustworkx", f"constraint of me ({CORE} strongest)", seconds, f"{b:.6f} (measures.burt)")
    yield ("rustworkx", "communities", None, "none built in")
    seconds, p = timed(lambda: rx.dijkstra_shortest_paths(R, 0, target, weight_fn=float)[target])
    yield ("rustworkx", "shortest path (Dijkstra, -log strength)", seconds, f"{len(p)} vertices")


def _igraph(
    igraph: Any, n: int, edges: list[tuple[int, int]], weights: list[float], distances: list[float]
) -> Any:
    graph = igraph.Graph(n=n, edges=edges)
    graph.es["weight"] = weights
    graph.es["distance"] = distances
    return graph


def latency(runs: list[float], floor: list[float], name: str, target_ms: float, note: str = "") -> Figure:
    """The median of a latency beside the floor's median, checked against a target."""
    value, base = statistics.median(runs) * 1000, statistics.median(floor) * 1000
    return Figure(
        f"{name} median",
        value,
        base,
        "ms",
        f"< {target_ms:g} ms",
        "ok" if value < target_ms else f"MISS {target_ms:g} ms",
        note,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-networkx-communities", action="store_true")
    args = parser.parse_args()
    cache, _generation, _ = dataset.ensure(args.seed)
    with tempfile.TemporaryDirectory(prefix="tieline-graph-bench-") as directory:
        db = dataset.open_at(f"sqlite:///{copy_network(cache, Path(directory))}")
        try:
            print(f"added {add_knows(db, seed=args.seed):,} knows links to a copy of {cache.name}")
            run(db, args)
        finally:
            db.dispose()


def run(db: Database, args: argparse.Namespace) -> None:
    now = dataset.NOW
    rng = random.Random(args.seed)
    figures: list[Figure] = []
    with db.sessions() as session:
        build_s, net = timed(lambda: build_network(session, owner_id=LOCAL_OWNER_ID, now=now))
        _ids, edges, weights = edge_list(net)
        import igraph

        floor_s, _ = timed(lambda: _igraph(igraph, len(net.people) + 1, edges, weights, weights))
        figures.append(
            Figure(
                "build the graph from the database",
                build_s,
                floor_s,
                "s",
                "",
                "",
                f"{len(net.people):,} people, {len(net.links):,} links; floor: igraph "
                "from the same edge list in memory",
            )
        )
        stats_s, _ = timed(lambda: network_stats(session, owner_id=LOCAL_OWNER_ID, now=now, network=net))
        figures.append(
            Figure(
                "tieline stats (graph built)",
                stats_s,
                build_s,
                "s",
                "",
                "",
                "floor: building the graph it reads",
            )
        )
        everyone = sorted(net.people)
        pairs = [tuple(rng.sample(everyone, 2)) for _ in range(args.runs)]
        common_runs = [
            timed(lambda a=a, b=b: common.common_ground(session, owner_id=LOCAL_OWNER_ID, a=a, b=b, now=now))[
                0
            ]
            for a, b in pairs
        ]
        floor_runs = [
            timed(lambda a=a, b=b: session.execute(COMMON_FLOOR, {"a": a, "b": b}).all())[0] for a, b in pairs
        ]
        figures.append(
            latency(
                common_runs,
                floor_runs,
                "common A B",
                100,
                "floor: the two people's memberships, one indexed query",
            )
        )
        intro_runs = [
            timed(lambda: intros.suggest_intros(session, owner_id=LOCAL_OWNER_ID, now=now))[0]
            for _ in range(3)
        ]
        topic_runs = [
            timed(
                lambda: graph_repo.all_topics(session, owner_id=LOCAL_OWNER_ID, kinds=("need", "expertise"))
            )[0]
            for _ in range(3)
        ]
        figures.append(
            latency(intro_runs, topic_runs, "suggest intros", 5000, "floor: reading every need and expertise")
        )
        graph, ids = net.to_igraph(with_owner=True)
        graph.es["distance"] = [-math.log(max(w, 1e-6)) for w in graph.es["weight"]]
        index = {pid: i for i, pid in enumerate(ids)}
        targets = rng.sample(everyone, args.runs)
        path_runs = [
            timed(
                lambda t=t: paths.find_path(
                    session, owner_id=LOCAL_OWNER_ID, now=now, target="x", person_ids=[t]
                )
            )[0]
            for t in targets
        ]
        dijkstra = [
            timed(lambda t=t: graph.get_shortest_paths(0, index[t], weights="distance"))[0] for t in targets
        ]
        figures.append(
            latency(
                path_runs,
                dijkstra,
                "path PERSON",
                500,
                "floor: igraph Dijkstra on the whole graph already in memory",
            )
        )
        orgs = [
            int(r[0])
            for r in graph_repo.current_memberships(session, owner_id=LOCAL_OWNER_ID, today=now.date())
        ]
        org_targets = rng.sample(sorted(set(orgs)), args.runs)
        org_runs, org_floor = [], []
        for org in org_targets:
            members = graph_repo.members_of(
                session, owner_id=LOCAL_OWNER_ID, organisation_id=org, today=now.date()
            )
            org_runs.append(
                timed(
                    lambda m=members: paths.find_path(
                        session, owner_id=LOCAL_OWNER_ID, now=now, target="x", person_ids=m
                    )
                )[0]
            )
            org_floor.append(
                timed(
                    lambda m=members: graph.get_shortest_paths(
                        0, [index[p] for p in m if p in index], weights="distance"
                    )
                )[0]
            )
        figures.append(
            latency(
                org_runs,
                org_floor,
                "path COMPANY",
                500,
                "floor: igraph Dijkstra to every member, graph in memory",
            )
        )
    print(render(figures, title="Network analytics at large (SQLite)"))
    print()
    print("Graph libraries on the same edge list")
    for library, step, seconds, note in compare_libraries(
        net, skip_nx_communities=args.skip_networkx_communities
    ):
        shown = f"{seconds * 1000:10.1f} ms" if seconds is not None else "         n/a"
        print(f"  {library:<10} {step:<42} {shown}  {note}", flush=True)


if __name__ == "__main__":
    main()
