"""The network map: you at the centre, the people drawn around you, clusters coloured, bridges larger
and outlined. The layout is a small force-directed one (Fruchterman-Reingold) computed here with
numpy: a few hundred nodes take a few milliseconds, and the picture does not depend on which graph
library the analytics use."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from tieline.analytics.brokerage import MapNode, NetworkMap
from tieline.reports import style

ITERATIONS = 120
LABELLED = 14  # the strongest people get their name on the map (bridges always do)
LEGEND_CLUSTERS = 8


def layout(network: NetworkMap, *, seed: int = 7) -> dict[int, tuple[float, float]]:
    """Positions within the unit circle for every node; the same network gives the same picture.
    People linked to others settle by force inside radius 0.85; people linked only to you sit on
    the rim, grouped by cluster, so they neither crowd the middle nor stretch the picture."""
    linked_ids = {a for a, b, _ in network.links} | {b for a, b, _ in network.links}
    linked = [node for node in network.nodes if node.id in linked_ids]
    alone = sorted(
        (node for node in network.nodes if node.id not in linked_ids),
        key=lambda n: (n.cluster, -n.strength, n.id),
    )
    positions = _force(linked, network.links, seed=seed)
    for i, node in enumerate(alone):
        angle = 2 * math.pi * i / len(alone) + 0.3
        positions[node.id] = (math.cos(angle), math.sin(angle))
    return positions


def _force(
    nodes: list[MapNode], links: list[tuple[int, int, float]], *, seed: int
) -> dict[int, tuple[float, float]]:
    """Fruchterman-Reingold with a gentle pull to the centre, scaled so most people sit within 0.75."""
    n = len(nodes)
    if n == 0:
        return {}
    rng = np.random.default_rng(seed)
    index = {node.id: i for i, node in enumerate(nodes)}
    # Start each cluster in its own sector, so communities begin apart and settle as groups.
    clusters = sorted({node.cluster for node in nodes})
    sector = {c: 2 * math.pi * i / len(clusters) for i, c in enumerate(clusters)}
    angles = np.array([sector[node.cluster] for node in nodes]) + rng.normal(0, 0.3, n)
    radii = 0.3 + rng.uniform(0, 0.4, n)
    pos = np.column_stack((radii * np.cos(angles), radii * np.sin(angles)))
    weights = np.zeros((n, n))
    for a, b, w in links:
        if a in index and b in index:
            weights[index[a], index[b]] = weights[index[b], index[a]] = max(w, 0.05)
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    for _ in range(ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        # Repulsion k²/d between everyone, attraction w·d²/k along links, a weak pull to the centre.
        force = (k * k / distance**2 - weights * distance / k)[:, :, None] * delta
        move = force.sum(axis=1) - 0.05 * pos
        length = np.maximum(np.linalg.norm(move, axis=1, keepdims=True), 1e-9)
        pos += move / length * np.minimum(length, temperature)
        temperature *= 0.97
    pos -= pos.mean(axis=0)
    radius = np.linalg.norm(pos, axis=1, keepdims=True)
    scale = float(np.percentile(radius, 90)) or 1.0
    pos = pos / scale * 0.75
    radius = np.maximum(np.linalg.norm(pos, axis=1, keepdims=True), 1e-9)
    # Stragglers come in to the edge of the cloud; the centre is left to you.
    pos = pos / radius * np.clip(radius, 0.14, 0.85)
    return {node.id: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def draw(network: NetworkMap) -> Figure:
    """The map as a figure: spokes from you, links between people, nodes sized by tie strength."""
    fig = Figure(figsize=(style.WIDTH, style.WIDTH + 0.8), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(-1.08, 1.08)
    ax.set_ylim(-1.08, 1.08)
    positions = layout(network)
    if positions:
        spokes = [[(0.0, 0.0), positions[node.id]] for node in network.nodes]
        ax.add_collection(LineCollection(spokes, colors=style.GRID, linewidths=0.4, alpha=0.6, zorder=1))
        links = [
            ([positions[a], positions[b]], w)
            for a, b, w in network.links
            if a in positions and b in positions
        ]
        if links:
            ax.add_collection(
                LineCollection([seg for seg, _ in links], colors=style.MUTED,
                               linewidths=[0.3 + 1.2 * w for _, w in links], alpha=0.3, zorder=2)
            )  # fmt: skip
        plain = [node for node in network.nodes if not node.bridge]
        bridges = [node for node in network.nodes if node.bridge]
        for group, outline, scale in ((plain, "white", 1.0), (bridges, style.INK, 2.2)):
            if group:
                ax.scatter(
                    [positions[n.id][0] for n in group],
                    [positions[n.id][1] for n in group],
                    s=[scale * (12 + 1.6 * n.strength) for n in group],
                    c=[style.cluster_colour(n.cluster) for n in group],
                    edgecolors=outline,
                    linewidths=1.6 if outline == style.INK else 0.5,
                    zorder=4 if outline == style.INK else 3,
                )
        strongest = sorted(network.nodes, key=lambda n: -n.strength)[:LABELLED]
        for node in {n.id: n for n in (*strongest, *bridges)}.values():
            x, y = positions[node.id]
            ax.annotate(node.name, (x, y), xytext=(5, 4), textcoords="offset points", fontsize=7,
                        color=style.INK, zorder=5,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})  # fmt: skip
    ax.scatter([0], [0], s=420, c=style.INK, marker="o", zorder=6)
    ax.annotate(
        "you", (0, 0), ha="center", va="center", color="white", fontsize=7, fontweight="bold", zorder=7
    )
    _legend(fig, network)
    return fig


def _legend(fig: Figure, network: NetworkMap) -> None:
    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor=style.cluster_colour(c.id),
               markeredgecolor="white", markersize=8, label=f"{style.shorten(c.label, 30)} ({c.size})")
        for c in network.clusters[:LEGEND_CLUSTERS]
    ]  # fmt: skip
    if any(node.bridge for node in network.nodes):
        handles.append(
            Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=style.INK,
                   markeredgewidth=1.6, markersize=11, label="bridge between groups")
        )  # fmt: skip
    if handles:
        fig.legend(handles=handles, loc="outside lower center", fontsize=7, frameon=False, ncols=3)
