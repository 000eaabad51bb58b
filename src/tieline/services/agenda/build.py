"""Building the day's agenda: rank every line (ranking.py), build the few shown, give each something to
talk about, and when nothing is due, what is coming in the next days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from tieline.repo import agenda as agenda_repo
from tieline.services.agenda import keep_in_touch, talking_points
from tieline.services.agenda.items import OWED_KINDS, AgendaContext, AgendaItem, Line
from tieline.services.agenda.ranking import (
    FIRST_DAY,
    LAST_DAY,
    context,
    lines_of,
    merge_contacts,
    mix,
    rank,
    ranked_lines,
)

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "AgendaView",
    "ComingDay",
    "agenda_for",
    "collect_all",
    "coming_days",
    "context",
    "last_chance",
    "lines_of",
    "losing_touch",
    "merge_contacts",
    "mix",
    "rank",
    "ranked_lines",
]

# An empty day looks this many days ahead, so the agenda never says "nothing due" when something is coming.
COMING_DAYS = 7


@dataclass(frozen=True)
class ComingDay:
    """A day ahead and the lines first due on it, best first (at most the daily cap), of `total`."""

    day: date
    items: list[AgendaItem]
    total: int


@dataclass(frozen=True)
class AgendaView:
    """The lines shown for a day, how many were waiting in all, and, when none is due, the days ahead."""

    day: date
    items: list[AgendaItem]
    total: int
    coming: list[ComingDay] = field(default_factory=list)


def collect_all(ctx: AgendaContext, *, include_hidden: bool = False) -> list[AgendaItem]:
    """Every item due on ctx.day, best first, one contact line per person."""
    return [line.build() for line in ranked_lines(ctx, include_hidden=include_hidden)]


def agenda_for(
    session: Session,
    *,
    owner_id: int,
    day: date,
    now: datetime,
    limit: int | None = None,
    remember: bool = True,
) -> AgendaView:
    """The agenda for `day`, capped at `limit` (default: the daily cap setting).

    Only the lines shown are built and given something to talk about; an empty day lists the
    lines first due in the next COMING_DAYS days instead.
    """
    ctx = context(session, owner_id=owner_id, day=day, now=now)
    cap = limit if limit is not None else int(ctx.prefs["agenda.daily_cap"])
    lines = ranked_lines(ctx, window=cap)
    shown = [line.build() for line in [*lines[:cap], *last_chance(lines[cap:], day=day)]]
    talking_points.add(ctx, shown)
    if remember:
        agenda_repo.save_listing(session, owner_id=owner_id, keys=[i.key for i in shown], day=day)
    coming = [] if shown else coming_days(session, owner_id=owner_id, day=day, now=now)
    return AgendaView(day=day, items=shown, total=len(lines), coming=coming)


def last_chance(waiting: list[Line], *, day: date) -> list[Line]:
    """Lines below the cap that are shown anyway: what you owe someone on its last day.

    The cap holds back what can wait. A follow-up whose window closes before tomorrow's agenda, a
    promise or thanks due today, would lose its value by waiting, so it is shown past the cap (six
    people met at one event are six notes the next day). Anything already late waits its turn.
    """
    return [line for line in waiting if line.kind in OWED_KINDS and line.deadline == day]


def coming_days(
    session: Session, *, owner_id: int, day: date, now: datetime, days: int = COMING_DAYS
) -> list[ComingDay]:
    """The days after `day` that have lines, each with those first due then (a line once, on its first day)."""
    seen: set[str] = set()
    out = []
    prefs = None
    for offset in range(1, days + 1):
        current = day + timedelta(days=offset)
        if current > LAST_DAY:
            break
        ctx = context(session, owner_id=owner_id, day=current, now=now, prefs=prefs)
        prefs = ctx.prefs  # loaded once for the run of days
        cap = int(ctx.prefs["agenda.daily_cap"])
        fresh = [line for line in ranked_lines(ctx) if line.key not in seen]
        seen.update(line.key for line in fresh)
        if fresh:
            out.append(ComingDay(day=current, items=[line.build() for line in fresh[:cap]], total=len(fresh)))
    return out


def losing_touch(ctx: AgendaContext) -> list[AgendaItem]:
    """Everyone overdue, however many, most overdue x strongest first (ignores the daily cap)."""
    return [
        line.build() for line in rank([i for i in keep_in_touch.lines(ctx) if i.kind == keep_in_touch.KIND])
    ]
