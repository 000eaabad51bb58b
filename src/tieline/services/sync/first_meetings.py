"""A meeting synced from a calendar with someone you had never been in touch with opens the follow-up
the event flow opens (services/events.py): a note within `event.follow_up_hours` (48) is remembered.

Only meetings still inside that window when they are synced: a first sync reads a year back, and a
follow-up for a meeting of last spring would be noise, not advice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tieline.importers.records import InteractionRecord
from tieline.models import FollowUp
from tieline.repo import imports as imports_repo
from tieline.repo import sync as sync_repo
from tieline.services import followups as followups_service
from tieline.services import people as people_service
from tieline.services import preferences
from tieline.services.events import follow_up_due


def open_follow_ups(
    session: Session, *, owner_id: int, records: list[InteractionRecord], now: datetime, run_id: int | None
) -> int:
    """Open a follow-up for each person first met in one of these meetings, if still in time; how many.
    They belong to the sync's import run (`run_id`), so undoing the run closes them with it."""
    hours = int(preferences.load(session, owner_id=owner_id)["event.follow_up_hours"])
    since = now - timedelta(hours=hours)
    recent: dict[str, list[str]] = {}
    for record in records:
        if record.kind == "meeting" and since <= record.occurred_at <= now:
            recent.setdefault(record.source, []).append(record.source_id)
    opened: list[int] = []
    for source, source_ids in recent.items():
        met = sync_repo.first_meetings(session, owner_id=owner_id, source=source, source_ids=source_ids)
        # What each person already has, read once for the batch: a follow-up is opened once only.
        had = sync_repo.followup_texts(session, owner_id=owner_id, person_ids=[row.person_id for row in met])
        for row in met:
            text = f"Follow up with {row.display_name} after {row.subject or 'your first meeting'}"
            if (row.person_id, text) in had:
                continue
            had.add((row.person_id, text))
            person = people_service.get_person(
                session, owner_id=owner_id, person_id=row.person_id, details=False
            )
            followup = followups_service.add_followup(
                session,
                owner_id=owner_id,
                person=person,
                text=text,
                due_on=follow_up_due(row.occurred_at, hours=hours),
            )
            opened.append(followup.id)
    if opened and run_id is not None:
        change = imports_repo.Change(FollowUp.__tablename__, "insert", {"keys": opened})
        imports_repo.add_changes(session, run_id=run_id, changes=[change])
    return len(opened)
