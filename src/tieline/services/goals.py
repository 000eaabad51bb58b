"""Networking goals, measured from the data rather than ticked by hand.

- meet_people: people first met in the window (their met-on date, else the day they were added),
  optionally in an industry or with a tag;
- attend_events: events in the window (every event recorded is one you went to);
- reconnect_dormant: people whose first contact in the window came after a silence longer than
  `dormant.days` (the agenda's definition of a dormant tie);
- make_introductions: introductions made in the window;
- tier_on_cadence: the share of a tier not overdue today, the target a percentage.

A goal with `per_days` is a rate ("2 events a month"): it is judged on the current period (periods
run from the goal's first day) and, overall, on the window so far. Pace compares the value with the
target times the elapsed share of the window (or period): within half an item of it is on pace.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tieline.dates import parse_date
from tieline.errors import InvalidInput, NotFound
from tieline.models import GOAL_KINDS, Goal
from tieline.models.base import MAX_ID
from tieline.repo import goals as goals_repo
from tieline.services import preferences
from tieline.services.preferences import Preferences
from tieline.validate import TIER_NAMES

# How many of what counted a goal shows.
RECENT = 5
PERIODS = {"week": 7, "month": 30, "quarter": 91, "year": 365}
# A rate goal without an end date runs for a year.
DEFAULT_SPAN_DAYS = 365
PEOPLE_SCOPED = ("meet_people", "reconnect_dormant")
UNITS = {
    "meet_people": "people",
    "attend_events": "events",
    "reconnect_dormant": "dormant ties",
    "make_introductions": "introductions",
    "tier_on_cadence": "%",
}


@dataclass(frozen=True)
class Counted:
    """One thing that counts towards a goal (a person met, an event, an introduction...)."""

    id: int
    name: str
    on: date


@dataclass(frozen=True)
class Measure:
    """A goal's value over a span, and what it expected by now."""

    first_day: date
    last_day: date
    value: int
    target: int
    expected: float
    pace: str


@dataclass
class Progress:
    """A goal with its progress: the current span (the whole window, or this period for a rate)."""

    goal: Goal
    description: str
    current: Measure
    overall: Measure | None  # the whole window so far, for rate goals
    days_left: int
    counted: list[Counted] = field(default_factory=list)


def check_kind(kind: str) -> str:
    """A known goal kind (meet-people and meet_people alike)."""
    value = kind.strip().lower().replace("-", "_")
    if value not in GOAL_KINDS:
        raise InvalidInput(f"unknown goal kind {kind!r}: use one of {', '.join(GOAL_KINDS)}")
    return value


def period_days(per: str) -> int:
    """Days in a period named week, month, quarter or year."""
    value = per.strip().lower()
    if value not in PERIODS:
        raise InvalidInput(f"--per takes week, month, quarter or year, not {per!r}")
    return PERIODS[value]


def period_bounds(word: str, today: date) -> tuple[date, date] | None:
    """First and last day of the calendar week, month, quarter or year containing today."""
    value = word.strip().lower()
    if value == "week":
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=6)
    if value == "month":
        return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if value == "quarter":
        first_month = 3 * ((today.month - 1) // 3) + 1
        last_month = first_month + 2
        return (
            date(today.year, first_month, 1),
            date(today.year, last_month, calendar.monthrange(today.year, last_month)[1]),
        )
    if value == "year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    return None


def day_from_text(text: str, *, today: date, field: str, end: bool) -> date:
    """A goal's first (or last) day as typed: a date, or week / month / quarter / year for the start
    (with `end`, the end) of the current one."""
    bounds = period_bounds(text, today)
    if bounds is not None:
        return bounds[1] if end else bounds[0]
    return parse_date(text, today=today, field=field)


def add_goal(
    session: Session,
    *,
    owner_id: int,
    kind: str,
    target: int,
    starts_on: date,
    ends_on: date | None = None,
    per: str | None = None,
    industry: str | None = None,
    tag: str | None = None,
    tier: int | None = None,
    label: str | None = None,
) -> Goal:
    """Set a goal; checks that the scope fits the kind and the window makes sense."""
    kind = check_kind(kind)
    if target <= 0:
        raise InvalidInput("--target must be more than 0")
    if kind == "tier_on_cadence":
        if target > 100:
            raise InvalidInput("a tier_on_cadence target is a percentage: at most 100")
        if per:
            raise InvalidInput("tier_on_cadence is judged on today's share; --per does not apply")
    elif tier is not None:
        raise InvalidInput("--tier only applies to tier_on_cadence")
    if (industry or tag) and kind not in PEOPLE_SCOPED:
        raise InvalidInput(f"--industry and --tag only apply to {' and '.join(PEOPLE_SCOPED)}")
    if tier is not None and tier not in TIER_NAMES:
        raise InvalidInput("--tier must be 1 to 5")
    per_days = period_days(per) if per else None
    if ends_on is None:
        if per_days is None and kind != "tier_on_cadence":
            raise InvalidInput("say by when (--by DATE) or how often (--per month)")
        ends_on = starts_on + timedelta(days=DEFAULT_SPAN_DAYS - 1)
    if ends_on < starts_on:
        raise InvalidInput(
            f"the goal ends ({ends_on.isoformat()}) before it starts ({starts_on.isoformat()})"
        )
    scope: dict[str, Any] = {}
    if industry and industry.strip():
        scope["industry"] = industry.strip()
    if tag and tag.strip():
        scope["tag"] = tag.strip()
    if kind == "tier_on_cadence":
        scope["tier"] = tier or 1
    goal = Goal(
        owner_id=owner_id,
        kind=kind,
        target=target,
        per_days=per_days,
        starts_on=starts_on,
        ends_on=ends_on,
        scope=scope or None,
        label=label.strip() if label and label.strip() else None,
    )
    session.add(goal)
    session.flush()
    return goal


def get(session: Session, *, owner_id: int, goal_id: int) -> Goal:
    """The goal with this id, or NotFound."""
    found = goals_repo.get(session, owner_id=owner_id, goal_id=goal_id) if 0 < goal_id <= MAX_ID else None
    if found is None:
        raise NotFound(f"no goal with id {goal_id}")
    return found


def remove_goal(session: Session, goal: Goal) -> None:
    """Delete a goal (nothing it measured is touched)."""
    session.delete(goal)
    session.flush()


def describe(goal: Goal) -> str:
    """The goal in words: "meet 5 new people in data science by 2027-03-31"."""
    scope = goal.scope or {}
    narrowed = "".join(
        [
            f" in {scope['industry']}" if scope.get("industry") else "",
            f" tagged {scope['tag']}" if scope.get("tag") else "",
        ]
    )
    one = goal.target == 1  # "attend 1 event", not "attend 1 events"
    what = {
        "meet_people": f"meet {goal.target} new {'person' if one else 'people'}{narrowed}",
        "attend_events": f"attend {goal.target} event{'' if one else 's'}",
        "reconnect_dormant": f"reconnect with {goal.target} dormant tie{'' if one else 's'}{narrowed}",
        "make_introductions": f"make {goal.target} introduction{'' if one else 's'}",
        "tier_on_cadence": f"keep {goal.target}% of tier {scope.get('tier', 1)} on cadence",
    }[goal.kind]
    if goal.per_days:
        names = {days: name for name, days in PERIODS.items()}
        what += f" a {names[goal.per_days]}" if goal.per_days in names else f" every {goal.per_days} days"
        return f"{what} until {goal.ends_on.isoformat()}"
    if goal.kind == "tier_on_cadence":
        return what
    return f"{what} by {goal.ends_on.isoformat()}"


def all_progress(session: Session, *, owner_id: int, today: date) -> list[Progress]:
    """Every goal with its progress as of today."""
    prefs = preferences.load(session, owner_id=owner_id)
    return [
        progress(session, goal, today=today, prefs=prefs)
        for goal in goals_repo.listing(session, owner_id=owner_id)
    ]


def progress(session: Session, goal: Goal, *, today: date, prefs: Preferences) -> Progress:
    """A goal's progress as of today: the current span, the whole window for rates, what counts."""
    days_left = max(0, (goal.ends_on - today).days)
    if goal.kind == "tier_on_cadence":
        measure, counted = _tier_on_cadence(session, goal, today=today, prefs=prefs)
        return Progress(goal, describe(goal), measure, None, days_left, counted)
    if goal.per_days:
        first, last = _current_period(goal, today)
        value, counted = _count(session, goal, first, last, prefs, today)
        current = _measure(first, last, value, goal.target, today)
        so_far = min(today, goal.ends_on)
        total, _ = _count(session, goal, goal.starts_on, goal.ends_on, prefs, today)
        elapsed = max(0, (so_far - goal.starts_on).days + 1)
        overall_target = goal.target * elapsed / goal.per_days
        overall = Measure(
            goal.starts_on, goal.ends_on, total, round(overall_target),
            round(overall_target, 2), _pace(total, overall_target, None, today, goal.starts_on, goal.ends_on),
        )  # fmt: skip
        return Progress(goal, describe(goal), current, overall, days_left, counted)
    value, counted = _count(session, goal, goal.starts_on, goal.ends_on, prefs, today)
    return Progress(
        goal, describe(goal), _measure(goal.starts_on, goal.ends_on, value, goal.target, today), None, days_left,
        counted,
    )  # fmt: skip


def _current_period(goal: Goal, today: date) -> tuple[date, date]:
    """The period of a rate goal containing today (the first before it starts, the last after it ends)."""
    assert goal.per_days
    day = min(max(today, goal.starts_on), goal.ends_on)
    index = (day - goal.starts_on).days // goal.per_days
    first = goal.starts_on + timedelta(days=index * goal.per_days)
    return first, min(first + timedelta(days=goal.per_days - 1), goal.ends_on)


def _measure(first: date, last: date, value: int, target: int, today: date) -> Measure:
    span = (last - first).days + 1
    elapsed = min(max((today - first).days + 1, 0), span)
    expected = target * elapsed / span
    return Measure(
        first, last, value, target, round(expected, 2), _pace(value, expected, target, today, first, last)
    )


def _pace(value: float, expected: float, target: int | None, today: date, first: date, last: date) -> str:
    """done / not started / missed / ahead / on pace / behind."""
    if target is not None and value >= target:
        return "done"
    if today < first:
        return "not started"
    if today > last and target is not None:
        return "missed"
    if value > expected + 0.5:
        return "ahead"
    if value < expected - 0.5:
        return "behind"
    return "on pace"


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """The local days first..last as a half-open span of aware times."""
    return (
        datetime.combine(first, time.min).astimezone(),
        datetime.combine(last + timedelta(days=1), time.min).astimezone(),
    )


def _count(
    session: Session, goal: Goal, first: date, last: date, prefs: Preferences, today: date
) -> tuple[int, list[Counted]]:
    """How much of a goal's kind happened between first and last (inclusive), and the latest of it;
    an event counts once its day has come (one planned for later is not attended yet)."""
    owner_id, scope = goal.owner_id, goal.scope or {}
    since, until = day_bounds(first, last)
    if goal.kind == "meet_people":
        rows = goals_repo.people_met(
            session, owner_id=owner_id, first_day=first, last_day=last, since=since, until=until,
            industry=scope.get("industry"), tag=scope.get("tag"),
        )  # fmt: skip
        counted = [Counted(pid, name, met_on or _day(created)) for pid, name, met_on, created in rows]
        counted.sort(key=lambda c: (c.on, c.id), reverse=True)
        return len(rows), counted[:RECENT]
    if goal.kind == "attend_events":
        n, events = goals_repo.events_attended(
            session, owner_id=owner_id, first_day=first, last_day=min(last, today)
        )
        return n, [Counted(eid, name, on) for eid, name, on in events]
    if goal.kind == "make_introductions":
        n, intros = goals_repo.introductions_made(session, owner_id=owner_id, since=since, until=until)
        return n, [Counted(iid, name, _day(at)) for iid, name, at in intros]
    assert goal.kind == "reconnect_dormant"
    dormant = timedelta(days=int(prefs["dormant.days"]))
    # Silent for longer than the threshold before a contact in the window means the contact before
    # it came earlier than the window's end minus the threshold.
    rows = goals_repo.contacts_after_silence(
        session, owner_id=owner_id, since=since, until=until, silent_before=until - dormant,
        industry=scope.get("industry"), tag=scope.get("tag"),
    )  # fmt: skip
    woken = [(pid, name, at) for pid, name, at, previous in rows if at - previous > dormant]
    woken.sort(key=lambda r: (r[2], r[0]), reverse=True)
    return len(woken), [Counted(pid, name, _day(at)) for pid, name, at in woken[:RECENT]]


def _tier_on_cadence(
    session: Session, goal: Goal, *, today: date, prefs: Preferences
) -> tuple[Measure, list[Counted]]:
    """The share of a tier not overdue today (as the agenda counts overdue), and who is overdue."""
    tier = int((goal.scope or {}).get("tier", 1))
    cadence = prefs.cadence_for_tier(tier)
    end_of_day = datetime.combine(today, time.max).astimezone()
    cutoff = end_of_day - timedelta(days=cadence) if cadence else None
    total, late, rows = goals_repo.tier_cadence(session, owner_id=goal.owner_id, tier=tier, cutoff=cutoff)
    late_rows = [
        row for row in rows if (end_of_day - row.last).days >= (row.cadence_days or cadence or 0) > 0
    ]
    overdue = late + sum(1 for row in late_rows if row.cadence_days)
    share = 100 if total == 0 else int(100 * (total - overdue) / total)
    counted = [Counted(row.id, row.display_name, _day(row.last)) for row in late_rows[:RECENT]]
    counted.sort(key=lambda c: (c.on, c.id))
    pace = "on pace" if share >= goal.target else "behind"
    if today < goal.starts_on:
        pace = "not started"
    measure = Measure(goal.starts_on, goal.ends_on, share, goal.target, float(goal.target), pace)
    return measure, counted[:RECENT]


def _day(value: date | datetime) -> date:
    return value.astimezone().date() if isinstance(value, datetime) else value
