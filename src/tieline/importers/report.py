"""The import report: what was added, updated, merged, unchanged and skipped, with where and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tieline.importers.records import Origin

KINDS = ("people", "interactions", "memberships", "favours", "milestones")
OUTCOMES = ("added", "updated", "merged", "unchanged")
MAX_LISTED = 1000  # skips and warnings stored with a run; the count is always exact


@dataclass(frozen=True)
class Note:
    """A skipped record or a value left out: the file, the line, and the reason."""

    origin: Origin
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class ImportReport:
    """Counts per kind of record and outcome, and every skip with its place and reason."""

    format: str
    path: str
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {kind: dict.fromkeys(OUTCOMES, 0) for kind in KINDS}
    )
    skipped: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    merges: list[tuple[str, int, tuple[str, ...]]] = field(default_factory=list)
    possible_duplicates: int = 0
    records: int = 0
    run_id: int | None = None
    dry_run: bool = False
    # (the path read, the name to show): an upload is read from where the server saved it, and its
    # notes name the file the user sent instead.
    shown_as: tuple[str, str] | None = None

    def _shown(self, origin: Origin) -> Origin:
        if self.shown_as is None or not origin.path.startswith(self.shown_as[0]):
            return origin
        read, shown = self.shown_as
        return Origin(shown + origin.path[len(read) :], origin.line)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        """Count `n` records of a kind with an outcome."""
        self.counts[kind][outcome] += n

    def skip(self, origin: Origin, reason: str) -> None:
        """A record that was not imported, and why."""
        self.skipped.append(Note(self._shown(origin), reason))

    def warn(self, origin: Origin, reason: str) -> None:
        """A value left out of a record that was otherwise imported."""
        self.warnings.append(Note(self._shown(origin), reason))

    def evidence(self, origin: Origin, person_id: int, reasons: tuple[str, ...]) -> None:
        """A record merged into an existing person, with the reasons."""
        self.merges.append((str(self._shown(origin)), person_id, reasons))

    def total(self, outcome: str) -> int:
        """The number of records of every kind with an outcome."""
        return sum(c[outcome] for c in self.counts.values())

    @property
    def changed(self) -> bool:
        """True when the import added, updated or merged anything."""
        return any(self.total(o) for o in ("added", "updated", "merged"))

    def to_dict(self, *, limit: int | None = None) -> dict[str, Any]:
        """The report as plain data (the `--json` shape, and what a run stores)."""
        return {
            "format": self.format,
            "path": self.path,
            "run_id": self.run_id,
            "dry_run": self.dry_run,
            "records": self.records,
            **{outcome: self.total(outcome) for outcome in OUTCOMES},
            "skipped": len(self.skipped),
            "counts": {kind: dict(c) for kind, c in self.counts.items() if any(c.values())},
            "possible_duplicates": self.possible_duplicates,
            "skips": [{"where": str(n.origin), "reason": n.reason} for n in self.skipped[:limit]],
            "warnings": [{"where": str(n.origin), "reason": n.reason} for n in self.warnings[:limit]],
            "merges": [{"where": w, "person_id": p, "reasons": list(r)} for w, p, r in self.merges[:limit]],
        }
