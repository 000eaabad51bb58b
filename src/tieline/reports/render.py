"""Turning the report's data into pictures: each chart as SVG (for the HTML page) or PNG (for pasting
elsewhere), drawn once by the same code either way."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from tieline.reports import charts, network_map, readings, style
from tieline.reports.data import ReportData


@dataclass(frozen=True)
class Chart:
    """One picture in the report: a file-safe slug, a title, how to draw it and how to read it."""

    slug: str
    title: str
    draw: Callable[[ReportData], Figure]
    read: Callable[[ReportData], str]


CHARTS = (
    Chart("network-map", "Your network", lambda d: network_map.draw(d.network), readings.network),
    Chart("tie-strength", "Tie strength", charts.strength_histogram, readings.strength),
    Chart("growth", "Growth over time", charts.growth, readings.growth),
    Chart("diversity", "Diversity", charts.diversity, readings.diversity),
    Chart("tiers", "Tiers against Dunbar's layers and cadence", charts.tiers, readings.tiers),
    Chart("reciprocity", "Reciprocity and gratitude", charts.reciprocity, readings.reciprocity),
)

# What precedes the <svg> element in matplotlib's output: the XML declaration, the DOCTYPE, comments.
_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.S)


def svg(chart: Chart, data: ReportData) -> str:
    """The chart as an inline <svg> element; matplotlib escapes every text it writes."""
    with style.drawing(chart.slug):
        figure = chart.draw(data)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "tieline"})
    text = _PROLOGUE.sub("", buffer.getvalue(), count=1)
    # The page sets the size: keep the aspect ratio from the viewBox, let the width follow the column.
    return re.sub(r'\A<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", text, count=1)


def png(chart: Chart, data: ReportData) -> bytes:
    """The chart as a PNG on a white background."""
    with style.drawing(chart.slug):
        figure = chart.draw(data)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=style.PNG_DPI, facecolor="white",
                       metadata={"Software": "tieline"})  # fmt: skip
    return buffer.getvalue()
