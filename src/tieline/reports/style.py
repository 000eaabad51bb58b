"""One look for every chart: colours, sizes and the matplotlib settings the figures are drawn with."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
from matplotlib import font_manager

INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#e4e7eb"
ACCENT = "#2f6fed"
SECOND = "#f29e4c"
STRONG = "#2f9e6f"
WEAK = "#9aa5b1"
WARN = "#d64545"
# Clusters on the map: distinguishable, and readable as node fills with a dark outline.
CLUSTER_COLOURS = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#86bcb6",
)  # fmt: skip
UNCLUSTERED = "#bab0ac"

WIDTH = 7.5  # inches: the report's column; charts are 750 px wide on the page at 100 dpi
PNG_DPI = 150  # sharp enough to paste into slides and documents


# Names in other scripts: matplotlib falls back glyph by glyph through these when they are installed
# (the SVG in the HTML page leaves it to the browser's fonts). Missing ones are skipped.
FALLBACK_FONTS = (
    "Noto Sans", "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans Devanagari", "Noto Sans Arabic",
    "Noto Sans Hebrew", "Noto Sans Thai", "Noto Sans Bengali", "Noto Sans Tamil", "Arial Unicode MS",
    "Microsoft YaHei", "Hiragino Sans", "Apple SD Gothic Neo", "Malgun Gothic", "Nirmala UI", "Segoe UI",
)  # fmt: skip


@functools.cache
def font_families() -> list[str]:
    """DejaVu Sans (shipped with matplotlib) and whichever fallback fonts this machine has."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(name for name in FALLBACK_FONTS if name in installed)]


def cluster_colour(cluster: int) -> str:
    """The fill of a cluster's nodes; people in no cluster are grey."""
    return UNCLUSTERED if cluster < 0 else CLUSTER_COLOURS[cluster % len(CLUSTER_COLOURS)]


def shorten(label: str, limit: int) -> str:
    """A long organisation or name cut to `limit` characters, an ellipsis marking the cut."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


@contextmanager
def drawing(name: str) -> Iterator[None]:
    """Settings for drawing one chart. Text stays text in the SVG (escaped by matplotlib, selectable,
    small); the hash salt gives each chart's clip paths their own ids inside one HTML page; no date
    in the metadata, so the same data gives the same file."""
    with (
        matplotlib.rc_context(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": f"tieline-{name}",
                "font.family": font_families(),
                "font.size": 9,
                "axes.edgecolor": MUTED,
                "axes.labelcolor": INK,
                "axes.titlesize": 10,
                "axes.titleweight": "bold",
                "axes.spines.top": False,
                "axes.spines.right": False,
                "axes.grid": True,
                "axes.grid.axis": "y",
                "grid.color": GRID,
                "axes.axisbelow": True,
                "xtick.color": MUTED,
                "ytick.color": MUTED,
                "text.color": INK,
                "text.usetex": False,
                "text.parse_math": False,  # a name with two dollar signs is a name, not a formula
            }
        ),
        warnings.catch_warnings(),
    ):
        # A glyph no installed font has is drawn as a box in a PNG; saying so per name is noise.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        yield
