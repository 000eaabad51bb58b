"""The shape of an agenda line and what every source of lines is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol

from sqlalchemy.orm import Session

from tieline.services.preferences import Preferences

# Kinds that all amount to "get in touch with this person": one line per person among them.
CONTACT_KINDS = ("thanks", "congratulate", "keep_in_touch", "reactivate", "mentoring")


@dataclass(frozen=True)
class AgendaContext:
    """The day the agenda is for, the moment scores are taken at, and the owner's settings."""

    session: Session
    owner_id: int
    day: date
    now: datetime
    prefs: Preferences


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

    def build(self) -> AgendaItem:
        """The item, with the titles of the lines merged into it."""
        item = self.make()
        if self.also is not None:
            item.also = [other.make().title for other in self.also]
        return item

    @classmethod
    def of(cls, item: AgendaItem) -> Line:
        """The line of an item already built."""
        return cls(item.key, item.kind, item.priority, item.person_id, lambda: item)


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
