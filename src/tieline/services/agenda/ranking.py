"""The agenda's judgement: hide what was acted on, quiet a person snoozed or dismissed, keep one
"get in touch" line per person, rank time-sensitive lines above timeless ones, and mix kinds at the top.

The rules, in order (docs/scores.md explains them to users):
1. A line done, dismissed or still snoozed is hidden. Snoozing or dismissing a line about someone
   quiets their undated suggestions (QUIETED_KINDS) for as long, until their last contact changes.
2. A person's "get in touch" lines merge into the most pressing one, a time-sensitive one first.
3. Time-sensitive lines (those with a deadline) rank above every timeless line: among them the
   nearest deadline first (anything already late counts as today), then priority; timeless lines
   by priority. The key breaks ties, so the order never wobbles between runs.
4. Mixing: in the lines shown, at most `agenda.most_of_one_kind` lines of one kind while a line of
   another kind waits, the next kind taking the place in rank order; what you owe someone
   (OWED_KINDS: a follow-up or promise, a reply, thanks, an opportunity's deadline) is never pushed down.
5. Past the cap, what you owe someone on its last day is shown anyway (build.last_chance).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from types import ModuleType

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.repo import agenda as agenda_repo
from tieline.repo import agenda_people as agenda_people_repo
from tieline.services import preferences
from tieline.services.agenda.items import CONTACT_KINDS, OWED_KINDS, QUIETED_KINDS, AgendaContext, Line
from tieline.services.agenda.sources import SOURCES
from tieline.services.preferences import Preferences

FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)
PERSON_KEY = "person:"


def context(
    session: Session, *, owner_id: int, day: date, now: datetime, prefs: Preferences | None = None
) -> AgendaContext:
    """The context for `day`: scores are taken now when it is today, else at noon that day.

    `prefs`, when given, are the owner's settings already loaded (for a run of days).
    """
    if not FIRST_DAY <= day <= LAST_DAY:
        # Local-time arithmetic a day either side of these overflows Python's calendar.
        raise InvalidInput(f"no agenda for {day.isoformat()}: choose a day between year 2 and 9998")
    is_today = day == now.astimezone().date()
    moment = now if is_today else datetime.combine(day, time(12, 0)).astimezone()
    return AgendaContext(
        session=session,
        owner_id=owner_id,
        day=day,
        now=moment,
        prefs=prefs if prefs is not None else preferences.load(session, owner_id=owner_id),
        is_today=is_today,
    )


def ranked_lines(
    ctx: AgendaContext, *, include_hidden: bool = False, window: int | None = None
) -> list[Line]:
    """Every line due on ctx.day, unbuilt, best first, the top `window` (default: the daily cap) mixed."""
    lines = [line for source in SOURCES for line in lines_of(source, ctx)]
    if not include_hidden:
        lines = visible(ctx, lines)
    shown = window if window is not None else int(ctx.prefs["agenda.daily_cap"])
    per_kind = int(ctx.prefs["agenda.most_of_one_kind"])
    return mix(rank(merge_contacts(lines), day=ctx.day), window=shown, per_kind=per_kind)


def lines_of(source: ModuleType, ctx: AgendaContext) -> list[Line]:
    """A source's lines: unbuilt when it can price them without building, else its built items."""
    unbuilt = getattr(source, "lines", None)
    if unbuilt is not None:
        return unbuilt(ctx)
    return [Line.of(item) for item in source.collect(ctx)]


def visible(ctx: AgendaContext, lines: list[Line]) -> list[Line]:
    """The lines not done, dismissed or snoozed, without the undated ones of a quieted person."""
    hidden = agenda_repo.hidden_keys(ctx.session, owner_id=ctx.owner_id, day=ctx.day)
    quiet = quiet_people(ctx, hidden)
    return [
        line
        for line in lines
        if line.key not in hidden and not (line.person_id in quiet and line.kind in QUIETED_KINDS)
    ]


def person_key(person_id: int, last_contact_at: datetime | None) -> str:
    """The state key that quiets a person until their last contact changes."""
    stamp = last_contact_at.astimezone().date().isoformat() if last_contact_at else "never"
    return f"{PERSON_KEY}{person_id}:{stamp}"


def quiet_people(ctx: AgendaContext, hidden: set[str]) -> set[int]:
    """People whose undated suggestions a snooze or dismissal still quiets on ctx.day."""
    stamped = [key for key in hidden if key.startswith(PERSON_KEY)]
    if not stamped:
        return set()
    ids = {int(key.split(":")[1]) for key in stamped}
    contacts = agenda_people_repo.last_contacts(ctx.session, owner_id=ctx.owner_id, person_ids=sorted(ids))
    # A contact logged since makes a new situation: the person's suggestions may come back.
    return {pid for pid, last in contacts.items() if person_key(pid, last) in hidden}


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
        if current is None or _pressing(line) > _pressing(current):
            if current is not None:
                others.setdefault(line.person_id, []).append(current)
            best[line.person_id] = line
        else:
            others.setdefault(line.person_id, []).append(line)
    for person_id, line in best.items():
        line.also = sorted(others.get(person_id, []), key=lambda o: -o.priority)
    return [*best.values(), *rest]


def _pressing(line: Line) -> tuple[bool, float, str]:
    """How a person's contact lines compare: a time-sensitive one first, then by priority."""
    return (line.deadline is not None, line.priority, line.key)


def rank(lines: list[Line], *, day: date | None = None) -> list[Line]:
    """Time-sensitive lines first (nearest deadline, a late one counting as `day`), then by priority.

    The key breaks ties so the order never wobbles between runs.
    """

    def order(line: Line) -> tuple[int, date, float, str]:
        if line.deadline is None:
            return (1, LAST_DAY, -line.priority, line.key)
        deadline = max(line.deadline, day) if day is not None else line.deadline
        return (0, deadline, -line.priority, line.key)

    return sorted(lines, key=order)


def mix(lines: list[Line], *, window: int, per_kind: int) -> list[Line]:
    """The ranked lines with the top `window` places shared among kinds (rule 4 above).

    Greedy, place by place: the first `k` places are the same whatever the window beyond `k`, so
    the agenda with a cap of 3 is the first three lines of the agenda with a cap of 5.
    """
    waiting = list(lines)
    top: list[Line] = []
    counts: Counter[str] = Counter()
    while waiting and len(top) < window:
        # The first line, in rank order, whose kind still has room (or is owed); else the head.
        pick = next(
            (i for i, line in enumerate(waiting) if line.kind in OWED_KINDS or counts[line.kind] < per_kind),
            0,
        )
        chosen = waiting.pop(pick)
        counts[chosen.kind] += 1
        top.append(chosen)
    return top + waiting
