"""The shape of an agenda line and what every source of lines is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol

from sqlalchemy.orm import Session

from tieline.dates import spoken_day
from tieline.services.preferences import Preferences

# Kinds that all amount to "get in touch with this person": one line per person among them.
CONTACT_KINDS = ("reply", "thanks", "congratulate", "keep_in_touch", "reactivate", "mentoring")
# Suggestions about a person that carry no date: snoozing or dismissing any line about that person
# quiets these too, for as long (see ranking.quiet_people). Dated lines (a birthday, a promise due,
# thanks owed) still show.
QUIETED_KINDS = ("keep_in_touch", "review_tier", "reactivate", "give_first", "mentoring")
# What you owe someone: a follow-up or promise, thanks, a reply, an opportunity's deadline. The mix at
# the top of the agenda never pushes these down for variety (ranking.mix).
OWED_KINDS = ("follow_up", "thanks", "reply", "opportunity_due")
# Acting on these does not quiet the person: an introduction or an opportunity is about the pair or
# the deal, dismissing a tier review means "keep them in their tier", not "not them", and dismissing
# a meeting's "read the brief" means "no need", not "not them".
DOES_NOT_QUIET = ("introduction", "opportunity_due", "opportunity_stale", "review_tier", "meeting")


@dataclass(frozen=True)
class AgendaContext:
    """The day the agenda is for, the moment scores are taken at, and the owner's settings."""

    session: Session
    owner_id: int
    day: date
    now: datetime
    prefs: Preferences
    # Whether `day` is today: then `now` is the real time, else noon that day (ranking.context).
    is_today: bool = True


@dataclass
class AgendaItem:
    """One suggested action, with the reasons it is there and how urgent it is."""

    key: str  # stable across runs; done / snoozed / dismissed states are stored against it
    kind: str
    title: str
    reasons: list[str]
    priority: float
    person_id: int | None = None
    person_name: str | None = None
    due_on: date | None = None
    ref_id: int | None = None
    draft: str | None = None  # name of the draft template for this action
    also: list[str] = field(default_factory=list)
    # The last day the line keeps its value (a birthday, a follow-up's "by" date, thanks due): such a
    # line is time-sensitive and ranks above every line without one, which can wait a day.
    deadline: date | None = None
    details: list[str] = field(default_factory=list)  # the numbers behind the line (scores, ratios)
    context: str | None = None  # one thing to talk about, filled in for the lines shown
    # The line offers the person's meeting brief: each edge links it (`tieline brief`, the Prepare
    # page, the API's path).
    brief: bool = False


@dataclass(slots=True)
class Line:
    """An agenda line before it is built: enough to hide, merge, rank and count it.

    The day's agenda ranks every line but shows a handful, so a source with thousands of lines
    (keep in touch) prices each one and leaves the titles and reasons to `make`.
    """

    key: str
    kind: str
    priority: float
    person_id: int | None
    make: Callable[[], AgendaItem]
    also: list[Line] | None = None  # set on a person's chosen contact line by the merge
    deadline: date | None = None  # as AgendaItem.deadline: set, the line is time-sensitive

    def build(self) -> AgendaItem:
        """The item, with the titles of the lines merged into it."""
        item = self.make()
        if self.also is not None:
            item.also = [other.make().title for other in self.also]
        return item

    @classmethod
    def of(cls, item: AgendaItem) -> Line:
        """The line of an item already built."""
        return cls(item.key, item.kind, item.priority, item.person_id, lambda: item, deadline=item.deadline)

    @property
    def time_sensitive(self) -> bool:
        """Whether the line loses its value if it waits."""
        return self.deadline is not None


class Source(Protocol):
    """A module that contributes agenda items (see services/agenda/sources.py).

    It may also have `lines(ctx) -> list[Line]`, the same lines unbuilt, when building is costly.
    """

    KIND: str

    def collect(self, ctx: AgendaContext) -> list[AgendaItem]: ...


def days_between(earlier: datetime | date, day: date) -> int:
    """Whole calendar days (in the user's local zone) from a time or a date up to `day`."""
    if isinstance(earlier, datetime):
        # Calendar days back from the end of `day`: the same as comparing local dates, without
        # converting every timestamp to the local zone (the agenda does this for thousands).
        return int((end_of_day(day) - earlier).total_seconds() // 86400)
    return (day - earlier).days


@lru_cache(maxsize=64)
def end_of_day(day: date) -> datetime:
    """The last microsecond of `day` in the user's local zone."""
    return datetime.combine(day + timedelta(days=1), time(0, 0)).astimezone() - timedelta(microseconds=1)


def first_name(row: object) -> str:
    """The name to greet someone by."""
    given = getattr(row, "given_name", None)
    return given or str(getattr(row, "display_name", "")).split(" ")[0]


def late_priority(weight: float, late: int, cap: int) -> float:
    """What you owe someone, pressing more each day late: a third of `weight` a day, up to `cap` days."""
    return weight * (1 + min(max(late, 0), cap) / 3)


def due_details(kind: str, *, received: date, due: date, due_days: int, late: int) -> str:
    """The numbers behind a line owed since `received` (its setting is `<kind>.due_days`)."""
    return (
        f"received {received.isoformat()}, {kind} due {due.isoformat()} (`{kind}.due_days` {due_days}), "
        f"{late} days past due"
    )


def by_day(due: date, day: date) -> str:
    """ "today", "by tomorrow", "by Friday", "by 20 March", or "was due Friday" once late."""
    if due == day:
        return "today"
    if due < day:
        return f"was due {spoken_day(due, today=day).removeprefix('on ')}"
    return f"by {spoken_day(due, today=day).removeprefix('on ')}"
