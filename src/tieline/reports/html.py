"""The HTML report: one self-contained page (styles and SVG charts inline, no scripts, nothing
fetched), rendered through an autoescaping Jinja template a user may override in the data directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from tieline.reports.data import ReportData
from tieline.reports.render import CHARTS, svg
from tieline.templating import environment, render

TEMPLATE = "report.html.j2"


@dataclass(frozen=True)
class RenderedChart:
    """A chart ready for the page: its SVG (already escaped by matplotlib) and its reading."""

    slug: str
    title: str
    reading: str
    svg: Markup


def key_numbers(data: ReportData) -> list[tuple[str, str, str]]:
    """(label, value, what it means) for the figures printed above the charts."""
    b, c = data.brokerage, data.counts
    return [
        ("people", f"{c.people:,}", "everyone in your network (archived people left out)"),
        ("strong ties", f"{c.strong:,}", f"tie strength {data.strong_threshold:g} or more"),
        ("weak ties", f"{c.weak:,}", f"in touch, tie strength below {data.strong_threshold:g}"),
        ("dormant ties", f"{c.dormant:,}", "no contact for a year or more"),
        ("never contacted", f"{c.never_contacted:,}", "no interaction logged yet"),
        ("links", f"{c.links:,}", "pairs of your people who know each other"),
        ("interactions", f"{c.interactions:,}", "everything logged"),
        ("ego network", f"{b.alters:,}", "people with a positive tie: the network brokerage is measured on"),
        (
            "constraint",
            _number(b.constraint, 3),
            "Burt's constraint: near 1 when your contacts all know each other",
        ),
        (
            "effective size",
            _number(b.effective_size, 1),
            "Burt's effective size: contacts minus their redundancy",
        ),
        ("efficiency", _number(b.efficiency, 2), "effective size divided by the number of contacts"),
        ("clusters", f"{len(data.network.clusters):,}", "groups of people who know each other"),
        ("bridges", f"{len(b.bridges):,}", "people linking otherwise separate groups"),
    ]


def _number(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def render_html(data: ReportData, *, data_dir: Path | None) -> str:
    """The whole page as a string."""
    charts = [
        RenderedChart(chart.slug, chart.title, chart.read(data), Markup(svg(chart, data))) for chart in CHARTS
    ]
    env = environment(subdir="reports", data_dir=data_dir, autoescape=True)
    return render(env, TEMPLATE, {"report": data, "charts": charts, "numbers": key_numbers(data)})
