"""Writing a report to disk: the HTML page to one file, or one PNG per chart into a directory.
A file appears whole or not at all, readable by its owner only; a path that cannot be written is a
one-line user error."""

from __future__ import annotations

from pathlib import Path

from tieline.errors import InvalidInput
from tieline.private_files import replaced_privately
from tieline.reports.data import ReportData
from tieline.reports.html import render_html
from tieline.reports.render import CHARTS, png


def write_html(path: Path, report: ReportData, *, data_dir: Path | None) -> Path:
    """Render the page and write it to `path` (replacing a previous report)."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory: give a file name for the HTML report")
    _replace(path, render_html(report, data_dir=data_dir).encode("utf-8"))
    return path


def write_pngs(directory: Path, report: ReportData) -> list[Path]:
    """One PNG per chart, named after it (network-map.png, tie-strength.png ...), into `directory`."""
    if directory.exists() and not directory.is_dir():
        raise InvalidInput(f"{directory} is a file: give a directory for the PNG charts")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"cannot create {directory}: {exc.strerror or exc}") from None
    written = []
    for chart in CHARTS:
        target = directory / f"{chart.slug}.png"
        _replace(target, png(chart, report))
        written.append(target)
    return written


def _replace(target: Path, content: bytes) -> None:
    try:
        with replaced_privately(target, "wb") as out:
            out.write(content)
    except OSError as exc:
        raise InvalidInput(f"cannot write {target}: {exc.strerror or exc}") from None
