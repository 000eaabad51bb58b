"""Meetings today: someone you know is in a meeting on your calendar today, so read their brief first.

The meetings come from synced calendars (CalDAV, ICS URLs: `repo.meetings`, the next days only,
replaced at each sync that reads them). One line per known attendee, not one per meeting: a brief is
about one person, so each line links one brief, and done or dismiss acts on one person. Strangers
invited are not lines (the discovered queue has them). A line is time-sensitive with the day as its
deadline, ranks above every other line that day (earlier meetings first), and is gone once the meeting
has started. Dismissing it does not quiet the person's other suggestions (items.DOES_NOT_QUIET).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from tieline.repo import meetings as meetings_repo
from tieline.repo.meetings import MeetingPersonRow
from tieline.services.agenda.items import AgendaContext, AgendaItem, end_of_day, first_name

KIND = "meeting"
# A meeting today outranks anything else that day: four times a follow-up's weight, above even a
# week-late reply (three times), plus up to one for how early in the day it starts.
WEIGHTS = 4.0


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per live person invited to a meeting that starts later on ctx.day (any time that day,
    for a day ahead)."""
    day_ends = end_of_day(ctx.day)
    day_starts = end_of_day(ctx.day - timedelta(days=1))
    after = max(ctx.now, day_starts) if ctx.is_today else day_starts
    rows = meetings_repo.people_met(ctx.session, owner_id=ctx.owner_id, after=after, until=day_ends)
    weight = float(ctx.prefs["agenda.weight.follow_up"]) * WEIGHTS
    known: dict[int, list[MeetingPersonRow]] = {}
    for row in rows:
        known.setdefault(row.meeting_id, []).append(row)
    items: list[AgendaItem] = []
    seen: set[str] = set()
    for row in rows:
        key = _key(row)
        if key in seen:  # the same meeting in two calendars, or a person under two of their addresses
            continue
        seen.add(key)
        starts = row.starts_at.astimezone()
        # Earlier meetings first among the day's: the fraction of the day still to go at its start.
        early = 1 - (starts - day_starts).total_seconds() / 86400
        others = [o.display_name for o in known[row.meeting_id] if o.person_id != row.person_id]
        items.append(
            AgendaItem(
                key=key,
                kind=KIND,
                title=f"Meeting with {row.display_name} at {starts:%H:%M}{_title(row)}: read the brief",
                reasons=_reasons(row, starts, others),
                priority=weight + max(0.0, min(early, 1.0)),
                person_id=row.person_id,
                person_name=row.display_name,
                ref_id=row.meeting_id,
                deadline=ctx.day,
                details=[f"starts {starts.isoformat(timespec='minutes')} (calendar event {row.uid})"],
                brief=True,
            )
        )
    return items


def _key(row: MeetingPersonRow) -> str:
    """Stable across syncs for the same occurrence (its UID and original start) and person."""
    digest = hashlib.sha1(f"{row.uid}/{row.recurrence_id}".encode()).hexdigest()[:16]
    return f"meeting:{digest}:{row.person_id}"


def _title(row: MeetingPersonRow) -> str:
    """ " (Design review)", the event's title when it has one."""
    return f" ({row.title})" if row.title else ""


def _reasons(row: MeetingPersonRow, starts: datetime, others: list[str]) -> list[str]:
    """When, and who else you know is there."""
    until = f" to {row.ends_at.astimezone():%H:%M}" if row.ends_at else ""
    reasons = [f"on your calendar from {starts:%H:%M}{until}, with {first_name(row)}"]
    if others:
        reasons.append("also there: " + ", ".join(others))
    return reasons
