"""The agenda as an iCalendar feed: one all-day reminder per item, on the first day it is due.

Each event's UID is the agenda item's key, so a calendar app that re-imports or subscribes to the
file updates reminders in place instead of duplicating them; an item acted on (done, dismissed) or
resolved drops out of the next export.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.services import preferences
from tieline.services.agenda.items import AgendaItem
from tieline.services.drafts import render_draft
from tieline.services.upcoming import upcoming

PRODID = "-//tieline//agenda reminders//EN"
CALENDAR_NAME = "tieline reminders"
UID_DOMAIN = "tieline"
DEFAULT_HORIZON_DAYS = 30
# A year ahead at most: each day of the span computes that day's agenda (services/upcoming.py), so ten
# years asked of the API kept a worker busy for over a minute.
MAX_HORIZON_DAYS = 366


def uid(item: AgendaItem) -> str:
    """The event UID of an agenda item: stable for as long as the item is the same item."""
    return f"{item.key}@{UID_DOMAIN}"


def calendar_for(
    session: Session,
    *,
    owner_id: int,
    day: date,
    now: datetime,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    data_dir: Path | None = None,
    include_drafts: bool = False,
) -> icalendar.Calendar:
    """The feed as a calendar object: items due over `horizon_days` days from `day`, each once."""
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"--days must be from 1 to {MAX_HORIZON_DAYS} (a year ahead), not {horizon_days}")
    prefs = preferences.load(session, owner_id=owner_id) if include_drafts else None
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = now.astimezone(UTC)
    for due in upcoming(session, owner_id=owner_id, day=day, days=horizon_days, now=now):
        for item in due.items:
            description = describe(item)
            if prefs is not None and item.draft:
                # Written as of the day it is due, so "it has been N weeks" is right on that day.
                draft = render_draft(
                    session, owner_id=owner_id, item=item, prefs=prefs, data_dir=data_dir, now=due.at
                )
                description += f"\n\nDraft:\nSubject: {draft.subject}\n\n{draft.body.rstrip()}"
            event = icalendar.Event()
            event.add("uid", uid(item))
            event.add("dtstamp", stamp)
            event.add("dtstart", due.day)
            event.add("dtend", due.day + timedelta(days=1))
            event.add("summary", item.title)
            event.add("description", description)
            event.add("categories", [item.kind])
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar


def build_calendar(
    session: Session,
    *,
    owner_id: int,
    day: date,
    now: datetime,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    data_dir: Path | None = None,
    include_drafts: bool = False,
) -> bytes:
    """The feed as .ics bytes (RFC 5545)."""
    calendar = calendar_for(
        session,
        owner_id=owner_id,
        day=day,
        now=now,
        horizon_days=horizon_days,
        data_dir=data_dir,
        include_drafts=include_drafts,
    )
    return bytes(calendar.to_ical())


def describe(item: AgendaItem) -> str:
    """An event description: why the item is there, and what else is due for the same person."""
    lines = list(item.reasons)
    if item.also:
        lines.append("also: " + "; ".join(item.also))
    return "\n".join(lines)
