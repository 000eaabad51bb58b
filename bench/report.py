"""Figures and the table that prints them: each measured value beside its floor and the ratio."""

from __future__ import annotations

import os
import statistics
import sys
from dataclasses import dataclass
from typing import NoReturn


@dataclass(frozen=True)
class Figure:
    """One measured value, the floor it is compared with, and the target it must meet."""

    name: str
    value: float
    floor: float
    unit: str
    target: str = ""
    verdict: str = ""  # "ok", or which part of the target was missed
    note: str = ""

    @property
    def ratio(self) -> float:
        """How many floors the value is (lower is better for times, higher for rates)."""
        return self.value / self.floor if self.floor else float("inf")


def median_ms(samples: list[float]) -> float:
    """The median of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000


def p95_ms(samples: list[float]) -> float:
    """The 95th percentile of samples in seconds, in milliseconds."""
    return statistics.quantiles(samples, n=20, method="inclusive")[-1] * 1000


def latency_figures(
    name: str, service: list[float], floor: list[float], *, target_ms: float, max_ratio: float | None
) -> list[Figure]:
    """Median and p95 of a latency, each beside the floor's; the targets apply to the median."""
    median, floor_median = median_ms(service), median_ms(floor)
    checks = [(f"{target_ms:g} ms", median < target_ms)]
    target = f"< {target_ms:g} ms"
    if max_ratio is not None:  # None: the issue sets no ratio for this figure
        checks.append((f"{max_ratio:g}x", median <= max_ratio * floor_median))
        target += f", <= {max_ratio:g}x floor"
    missed = [label for label, ok in checks if not ok]
    verdict = "MISS " + " and ".join(missed) if missed else "ok"
    return [
        Figure(f"{name} median", median, floor_median, "ms", target, verdict),
        Figure(f"{name} p95", p95_ms(service), p95_ms(floor), "ms"),
    ]


def render(figures: list[Figure], *, title: str) -> str:
    """A plain-text table: figure, value, floor, ratio, target, verdict."""
    rows = [("figure", "value", "floor", "ratio", "target", "")]
    for f in figures:
        rows.append(
            (
                f.name,
                _number(f.value, f.unit),
                _number(f.floor, f.unit),
                f"{f.ratio:.2f}x",
                f.target,
                f.verdict,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [title, ""]
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(w) if j in (0, 4) else cell.rjust(w) for j, (cell, w) in
                               enumerate(zip(row, widths, strict=True))).rstrip())  # fmt: skip
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [f"  {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join(lines)


def _number(value: float, unit: str) -> str:
    if unit == "rows/s":
        return f"{value:,.0f} rows/s"
    if unit == "s":
        return f"{value:.1f} s"
    return f"{value:.2f} {unit}"


def finish(figures: list[Figure], *, title: str, notes: list[str], seconds: float) -> NoReturn:
    """Print the figures, the notes on the run and the machine's load; exit 1 when a target is missed."""
    print(render(figures, title=title))
    print("\n".join(f"  {note}" for note in notes))
    one, five, _ = os.getloadavg()
    print(
        f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs; {seconds:.0f} s in all"
    )
    sys.exit(0 if all(f.verdict in ("", "ok") for f in figures) else 1)
