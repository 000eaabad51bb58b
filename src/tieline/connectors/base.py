"""What every connector returns, and the failures a user can act on, each in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tieline.importers.records import InteractionRecord, SkippedRecord, UpcomingMeeting

# Why a sync failed, as a user can act on it; each kind has its sentence (SyncError.__str__).
FAILURES = {
    "auth": "wrong user name or password",
    "unreachable": "host unreachable",
    "certificate": "certificate invalid",
    "folder_gone": "folder gone",
    "timeout": "the server stopped answering",
    "protocol": "the server answered something unexpected",
    "not_found": "address not found",
    "mass_delete": "stopped before removing many cards",
}


class SyncError(Exception):
    """A sync that could not be done, by kind (FAILURES), with a detail that never holds a secret."""

    def __init__(self, kind: str, detail: str | None = None) -> None:
        assert kind in FAILURES, kind
        self.kind = kind
        self.detail = detail
        super().__init__(str(self))

    def __str__(self) -> str:
        return FAILURES[self.kind] + (f" ({self.detail})" if self.detail else "")


@dataclass
class FetchResult:
    """What one sync of one connection brought: records to store, what was skipped and why, and the
    cursors to keep once the records are committed (key -> state, e.g. a folder's UIDVALIDITY and
    last UID); a key missing from `cursors` keeps its old state."""

    interactions: list[InteractionRecord] = field(default_factory=list)
    skipped: list[SkippedRecord] = field(default_factory=list)
    cursors: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Counters worth showing on the Sync page ("folders": 2, "messages seen": 120...).
    counts: dict[str, int] = field(default_factory=dict)
    # Calendars: the meetings still to come in the calendar objects read, and which objects were read
    # ({calendar key: the hrefs read or found gone, or None: the calendar read whole}); the meetings
    # stored for those objects are replaced by these, the others' kept.
    upcoming: list[UpcomingMeeting] = field(default_factory=list)
    upcoming_read: dict[str, set[str] | None] = field(default_factory=dict)
