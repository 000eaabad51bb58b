"""Building the day's agenda: collect from every source, hide what was acted on, merge, rank, cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from types import ModuleType

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.repo import agenda as agenda_repo
from tieline.services import preferences
from tieline.services.agenda import keep_in_touch
from tieline.services.agenda.items import CONTACT_KINDS, AgendaContext, AgendaItem, Line
from tieline.services.agenda.sources import SOURCES

FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)


@dataclass(frozen=True)
class AgendaView:
    """The lines shown for a day, and how many more were waiting below the cap."""

    day: date
    items: list[AgendaItem]
    total: int


def context(session: Session, *, owner_id: int, day: date, now: datetime) -> AgendaContext:
    """The context for `day`: scores are taken now when it is today, else at noon that day."""
    if not FIRST_DAY <= day <= LAST_DAY:
        # Local-time arithmetic a day either side of these overflows Python's calendar.
        raise InvalidInput(f"no agenda for {day.isoformat()}: choose a day between year 2 and 9998")
    moment = now if day == now.astimezone().date() else datetime.combine(day, time(12, 0)).astimezone()
    return AgendaContext(
        session=session,
        owner_id=owner_id,
        day=day,
        now=moment,
        prefs=preferences.load(session, owner_id=owner_id),
    )


def collect_all(ctx: AgendaContext, *, include_hidden: bool = False) -> list[AgendaItem]:
    """Every item due on ctx.day, best first, one contact line per person."""
    return [line.build() for line in ranked_lines(ctx, include_hidden=include_hidden)]


def ranked_lines(ctx: AgendaContext, *, include_hidden: bool = False) -> list[Line]:
    """The lines of `collect_all`, unbuilt: the agenda counts them all but builds only those shown."""
    hidden = (
        set() if include_hidden else agenda_repo.hidden_keys(ctx.session, owner_id=ctx.owner_id, day=ctx.day)
    )
    lines = [line for source in SOURCES for line in lines_of(source, ctx) if line.key not in hidden]
    return rank(merge_contacts(lines))


def lines_of(source: ModuleType, ctx: AgendaContext) -> list[Line]:
    """A source's lines: unbuilt when it can price them without building, else its built items."""
    unbuilt = getattr(source, "lines", None)
    if unbuilt is not None:
        return unbuilt(ctx)
    return [Line.of(item) for item in source.collect(ctx)]


def merge_contacts(lines: list[Line]) -> list[Line]:
    """Keep one "get in touch" line per person (the most pressing); the others become its `also`."""
    best: dict[int, Line] = {}
    others: dict[int, list[Line]] = {}
    rest = []
    for line in lines:
        if line.kind not in CONTACT_KINDS or line.person_id is None:
            rest.append(line)
            continue
        current = best.get(line.person_id)
        if current is None or (line.priority, line.key) > (current.priority, current.key):
            if current is not None:
                others.setdefault(line.person_id, []).append(current)
            best[line.person_id] = line
        else:
            others.setdefault(line.person_id, []).append(line)
    for person_id, line in best.items():
        line.also = sorted(others.get(person_id, []), key=lambda o: -o.priority)
    return [*best.values(), *rest]


def rank(lines: list[Line]) -> list[Line]:
    """Highest priority first; the key breaks ties so the order never wobbles between runs."""
    return sorted(lines, key=lambda i: (-i.priority, i.key))


def agenda_for(
    session: Session,
    *,
    owner_id: int,
    day: date,
    now: datetime,
    limit: int | None = None,
    remember: bool = True,
) -> AgendaView:
    """The agenda for `day`, capped at `limit` (default: the daily cap setting)."""
    ctx = context(session, owner_id=owner_id, day=day, now=now)
    lines = ranked_lines(ctx)
    cap = limit if limit is not None else int(ctx.prefs["agenda.daily_cap"])
    shown = [line.build() for line in lines[:cap]]
    if remember:
        agenda_repo.save_listing(session, owner_id=owner_id, keys=[i.key for i in shown], day=day)
    return AgendaView(day=day, items=shown, total=len(lines))


def losing_touch(ctx: AgendaContext) -> list[AgendaItem]:
    """Everyone overdue, however many, most overdue x strongest first (ignores the daily cap)."""
    return [
        line.build() for line in rank([i for i in keep_in_touch.lines(ctx) if i.kind == keep_in_touch.KIND])
    ]
