"""The report's charts, one function each: ReportData in, a matplotlib Figure out (no pyplot, so no
global figure state and no GUI backend). `render.py` turns a figure into SVG or PNG."""

from __future__ import annotations

from datetime import timedelta

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from tieline.reports import style
from tieline.reports.data import Diversity, ReportData

# Diversity panels show the largest groups and fold the rest into "other".
TOP_GROUPS = 7


def strength_histogram(data: ReportData) -> Figure:
    """How many people have each tie strength, in bins of 5, the strong band in green."""
    fig = Figure(figsize=(style.WIDTH, 3.0), layout="constrained")
    ax = fig.add_subplot()
    edges = list(range(0, 105, 5))
    counts = [0] * (len(edges) - 1)
    for s in data.strengths:
        counts[min(int(max(s, 0.0) // 5), len(counts) - 1)] += 1
    colours = [style.STRONG if lo >= data.strong_threshold else style.ACCENT for lo in edges[:-1]]
    ax.bar(edges[:-1], counts, width=5, align="edge", color=colours, edgecolor="white", linewidth=0.5)
    ax.axvline(data.strong_threshold, color=style.INK, linewidth=0.8, linestyle="--")
    ax.annotate(f"strong from {data.strong_threshold:g}", (data.strong_threshold, 1),
                xycoords=("data", "axes fraction"), xytext=(3, -10), textcoords="offset points",
                fontsize=8, color=style.INK)  # fmt: skip
    ax.set_xlim(0, 100)
    ax.set_xlabel("tie strength (0 to 100)")
    ax.set_ylabel("people")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def growth(data: ReportData) -> Figure:
    """New people per month (bars) above interactions per month (line), on one time axis."""
    fig = Figure(figsize=(style.WIDTH, 4.0), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    months = [m.month for m in data.growth]
    middles = [m + timedelta(days=14) for m in months]
    top.bar(months, [m.new_people for m in data.growth], width=26, align="edge", color=style.ACCENT)
    top.set_ylabel("new people")
    top.yaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.plot(middles, [m.interactions for m in data.growth], color=style.SECOND, linewidth=1.8, marker=".")
    bottom.fill_between(middles, [m.interactions for m in data.growth], color=style.SECOND, alpha=0.15)
    bottom.set_ylabel("interactions")
    bottom.yaxis.set_major_locator(MaxNLocator(integer=True))
    bottom.set_ylim(bottom=0)
    fig.autofmt_xdate()
    return fig


def diversity(data: ReportData) -> Figure:
    """One panel per dimension: the share of people in each of the largest groups."""
    panels = data.diversity
    fig = Figure(figsize=(style.WIDTH, 1.2 + 1.7 * ((len(panels) + 1) // 2)), layout="constrained")
    axes = fig.subplots((len(panels) + 1) // 2, 2, squeeze=False).ravel()
    for ax, panel in zip(axes, panels, strict=False):
        _diversity_panel(ax, panel)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    return fig


def _diversity_panel(ax: object, panel: Diversity) -> None:
    known = sum(g.people for g in panel.groups)
    shown = panel.groups[:TOP_GROUPS]
    labels = [style.shorten(g.label, 28) for g in shown]
    shares = [g.people / known if known else 0.0 for g in shown]
    if len(panel.groups) > TOP_GROUPS:
        labels.append(f"{len(panel.groups) - TOP_GROUPS} others")
        shares.append(sum(g.people for g in panel.groups[TOP_GROUPS:]) / known)
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, shares, color=style.ACCENT, height=0.7)  # type: ignore[attr-defined]
    ax.set_yticks(positions, labels=labels, fontsize=8)  # type: ignore[attr-defined]
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))  # type: ignore[attr-defined]
    ax.grid(axis="x", color=style.GRID)  # type: ignore[attr-defined]
    ax.grid(axis="y", visible=False)  # type: ignore[attr-defined]
    ax.set_xlim(0, 1)  # type: ignore[attr-defined]
    ax.set_title(f"{panel.dimension} (entropy {panel.entropy:.2f})", loc="left", fontsize=9)  # type: ignore[attr-defined]
    if not labels:
        ax.text(0.5, 0.5, "no values recorded", ha="center", va="center", color=style.MUTED,  # type: ignore[attr-defined]
                transform=ax.transAxes)  # type: ignore[attr-defined]  # fmt: skip


def tiers(data: ReportData) -> Figure:
    """Everyone up to each tier beside Dunbar's (cumulative) layer, and the share of each tier on cadence."""
    fig = Figure(figsize=(style.WIDTH, 3.2), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(3, 2))
    names = [f"{t.tier}\n{t.name}" for t in data.tiers]
    x = list(range(len(data.tiers)))
    left.bar([i - 0.2 for i in x], [t.cumulative for t in data.tiers], width=0.4, color=style.ACCENT,
             label="your people, up to this tier")  # fmt: skip
    left.bar(
        [i + 0.2 for i in x],
        [t.dunbar for t in data.tiers],
        width=0.4,
        color=style.WEAK,
        label="Dunbar's layer",
    )
    left.set_yscale("symlog", linthresh=10)
    # Plain numbers: the default log labels are mathtext, which the report turns off for user text.
    left.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    left.set_ylim(bottom=0)
    left.set_xticks(x, labels=names, fontsize=8)
    left.set_ylabel("people")
    left.legend(frameon=False, fontsize=8, loc="upper left")
    left.set_title("people per layer", loc="left", fontsize=9)
    cadenced = [
        (i, t.on_cadence_share) for i, t in zip(x, data.tiers, strict=True) if t.on_cadence_share is not None
    ]
    right.bar([i for i, _ in cadenced], [s for _, s in cadenced],
              color=[style.STRONG if s >= 0.5 else style.WARN for _, s in cadenced], width=0.6)  # fmt: skip
    for i, s in cadenced:
        right.annotate(f"{s:.0%}", (i, s), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    for i, t in zip(x, data.tiers, strict=True):
        if t.on_cadence_share is None:
            note = "no cadence" if t.cadence_days is None else "nobody"
            right.annotate(note, (i, 0.02), ha="center", rotation=90, fontsize=7, color=style.MUTED)
    right.set_xticks(x, labels=[str(t.tier) for t in data.tiers], fontsize=8)
    right.set_xlabel("tier")
    right.set_xlim(-0.6, len(x) - 0.4)
    right.set_ylim(0, 1.1)
    right.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    right.set_title("on cadence", loc="left", fontsize=9)
    return fig


def reciprocity(data: ReportData) -> Figure:
    """Favours given and received, thanks sent and owed; who starts the conversations."""
    r = data.reciprocity
    fig = Figure(figsize=(style.WIDTH, 3.0), layout="constrained")
    left, right = fig.subplots(1, 2, width_ratios=(3, 2))
    labels = ["given", "received", "thanked", "thanks owed"]
    values = [r.favours_given, r.favours_received, r.thanked, r.thanks_owed]
    left.bar(labels, values, color=[style.ACCENT, style.SECOND, style.STRONG, style.WARN], width=0.6)
    for i, v in enumerate(values):
        left.annotate(f"{v:,}", (i, v), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    left.tick_params(axis="x", labelsize=8)
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_ylim(0, max(1, *values) * 1.15)
    left.set_title("favours and thanks", loc="left", fontsize=9)
    started = [r.initiated_by_me, r.initiated_by_them]
    right.bar(["you", "they"], started, color=[style.ACCENT, style.SECOND], width=0.6)
    for i, v in enumerate(started):
        right.annotate(f"{v:,}", (i, v), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8)
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_ylim(0, max(1, *started) * 1.15)
    right.set_title("who starts the conversation", loc="left", fontsize=9)
    return fig
