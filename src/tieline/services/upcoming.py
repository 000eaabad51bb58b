"""The agenda over a span of days: each item once, on the first day it is due (digest, calendar feed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from tieline.services.agenda.build import collect_all, context
from tieline.services.agenda.items import AgendaItem


@dataclass(frozen=True)
class DueDay:
    """A day and the items that become due on it, best first (on the first day: all that are due)."""

    day: date
    items: list[AgendaItem]
    at: datetime  # the moment the day's scores were taken at (now for today, else noon that day)


def upcoming(session: Session, *, owner_id: int, day: date, days: int, now: datetime) -> list[DueDay]:
    """For each of `days` days from `day`, the items first due that day; overdue ones fall on `day`.

    An item is identified by its key, so one that stays due all week is listed once, on its first day.
    Items done, dismissed or snoozed are left out on the days they are hidden.
    """
    seen: set[str] = set()
    out = []
    for offset in range(days):
        current = day + timedelta(days=offset)
        ctx = context(session, owner_id=owner_id, day=current, now=now)
        fresh = [item for item in collect_all(ctx) if item.key not in seen]
        seen.update(item.key for item in fresh)
        out.append(DueDay(day=current, items=fresh, at=ctx.now))
    return out
