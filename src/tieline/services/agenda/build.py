"""Building the day's agenda: collect from every source, hide what was acted on, merge, rank, cap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.repo import agenda as agenda_repo
from tieline.services import preferences
from tieline.services.agenda import keep_in_touch
from tieline.services.agenda.items import CONTACT_KINDS, AgendaContext, AgendaItem
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
    hidden = (
        set() if include_hidden else agenda_repo.hidden_keys(ctx.session, owner_id=ctx.owner_id, day=ctx.day)
    )
    items = [item for source in SOURCES for item in source.collect(ctx) if item.key not in hidden]
    return rank(merge_contacts(items))


def merge_contacts(items: list[AgendaItem]) -> list[AgendaItem]:
    """Keep one "get in touch" line per person (the most pressing); the others become its `also`."""
    best: dict[int, AgendaItem] = {}
    others: dict[int, list[AgendaItem]] = {}
    rest = []
    for item in items:
        if item.kind not in CONTACT_KINDS or item.person_id is None:
            rest.append(item)
            continue
        current = best.get(item.person_id)
        if current is None or (item.priority, item.key) > (current.priority, current.key):
            if current is not None:
                others.setdefault(item.person_id, []).append(current)
            best[item.person_id] = item
        else:
            others.setdefault(item.person_id, []).append(item)
    for person_id, item in best.items():
        item.also = [o.title for o in sorted(others.get(person_id, []), key=lambda o: -o.priority)]
    return [*best.values(), *rest]


def rank(items: list[AgendaItem]) -> list[AgendaItem]:
    """Highest priority first; the key breaks ties so the order never wobbles between runs."""
    return sorted(items, key=lambda i: (-i.priority, i.key))


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
    items = collect_all(ctx)
    cap = limit if limit is not None else int(ctx.prefs["agenda.daily_cap"])
    shown = items[:cap]
    if remember:
        agenda_repo.save_listing(session, owner_id=owner_id, keys=[i.key for i in shown], day=day)
    return AgendaView(day=day, items=shown, total=len(items))


def losing_touch(ctx: AgendaContext) -> list[AgendaItem]:
    """Everyone overdue, however many, most overdue x strongest first (ignores the daily cap)."""
    return rank([i for i in keep_in_touch.collect(ctx) if i.kind == keep_in_touch.KIND])
