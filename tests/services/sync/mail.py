"""Records as a connector brings them (its output type, not a server stand-in), for the storage tests."""

from __future__ import annotations

from datetime import datetime

from tieline.connectors.base import FetchResult
from tieline.importers.records import InteractionRecord, Origin, SkippedRecord

ME = "me@example.org"


def message(
    message_id: str, sender: str, when: datetime, *, name: str | None = None, to_me_alone: bool = True,
    subject: str = "hello", others: tuple[str, ...] = (),
) -> InteractionRecord:  # fmt: skip
    """A message from `sender` (to me, and to `others` when given), as the IMAP connector reads it."""
    emails = [sender, *others]
    return InteractionRecord(
        source="mbox", source_id=message_id, origin=Origin("imap:INBOX", 1), kind="email",
        occurred_at=when, initiated_by="them", subject=subject, emails=emails,
        names={sender: name} if name else {}, addressed_to_me_alone=to_me_alone and not others,
    )  # fmt: skip


def meeting(uid: str, attendees: list[str], when: datetime) -> InteractionRecord:
    """A past meeting, as the calendar connectors read one."""
    return InteractionRecord(
        source="ics", source_id=uid, origin=Origin("caldav:work", None), kind="meeting",
        occurred_at=when, subject="Planning", emails=attendees,
    )  # fmt: skip


def fetched(
    *records: InteractionRecord, cursors: dict[str, dict] | None = None, skipped: int = 0
) -> FetchResult:
    """What one fetch brought."""
    return FetchResult(
        interactions=list(records),
        skipped=[SkippedRecord(Origin("imap:INBOX", 90 + i), "mailing list") for i in range(skipped)],
        cursors=cursors or {},
        counts={"messages seen": len(records) + skipped},
    )
