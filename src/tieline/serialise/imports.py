"""The shape of an import run, with its totals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models import ImportRun

RUN_COUNTS = ("records", "added", "updated", "merged", "unchanged", "skipped")


class RunCountsOut(TypedDict):
    """What an import did, record by record."""

    records: int
    added: int
    updated: int
    merged: int
    unchanged: int
    skipped: int


class ImportRunOut(TypedDict):
    """An import run: its format, file, times (undone_at once undone) and totals."""

    id: int
    format: str
    path: str
    started_at: str
    finished_at: str | None
    undone_at: str | None
    counts: RunCountsOut


def import_run(run: ImportRun) -> ImportRunOut:
    """An import run, with its totals."""
    counts: RunCountsOut = {k: run.counts.get(k, 0) for k in RUN_COUNTS}  # type: ignore[assignment]
    return {
        "id": run.id,
        "format": run.format,
        "path": run.path,
        "started_at": run.started_at.isoformat(),
        "finished_at": iso(run.finished_at),
        "undone_at": iso(run.undone_at),
        "counts": counts,
    }
