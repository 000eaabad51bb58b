"""iCalendar (.ics) -> one InteractionRecord (kind "meeting") per past occurrence of a meeting with people.

Who counts as a participant: the organizer and the attendees of the event itself (never those of a
VALARM, which are whom the reminder is mailed to), less the owner's own addresses, rooms and other
resources (CUTYPE), people who declined or delegated, non-participants, and pseudo-addresses
(no @, no-reply, Google resource and group calendars, `.invalid`). An event with nobody left, one
in the future, a cancelled one and one the owner declined are skipped with that reason.

Recurring events (RRULE, RDATE, EXDATE, moved occurrences) are expanded with recurring-ical-events,
but only over the last five years, and at most `MAX_OCCURRENCES` per series.

`parse` reads a file; `read` reads a calendar fetched from the network (connectors/calendars.py)
through the same rules, keeping only occurrences after a given time and telling when the next
occurrence after now starts (so a sync knows when a future meeting will have happened). Given a
`horizon`, `read` also lists the meetings with people still to come until then (`UpcomingMeeting`:
cancelled, declined, all-day and lonely ones left out, as they would be once past) and when the
first occurrence past the horizon starts (so a sync knows when that one comes within it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import recurring_ical_events
from icalendar import Calendar, Component

from tieline.importers import email_addresses
from tieline.importers.ical_time import Zones, fix_times, occurrence_key, to_utc
from tieline.importers.records import (
    InteractionRecord,
    MalformedFile,
    Origin,
    SkippedRecord,
    UpcomingMeeting,
)
from tieline.importers.text_files import read_head, read_text

SOURCE = "ics"
YEARS_BACK = 5
MAX_OCCURRENCES = 3000  # a daily meeting for eight years; beyond that a rule is noise, not meetings
MAX_UPCOMING = 200  # occurrences of one series before the horizon: more is a rule gone wrong
_NOT_PEOPLE = {"ROOM", "RESOURCE", "GROUP"}
_NOT_THERE = {"DECLINED", "DELEGATED"}


def sniff(path: Path) -> bool:
    """True when the file starts like an iCalendar file (BEGIN:VCALENDAR, or a bare BEGIN:VEVENT)."""
    head = read_head(path, 1024).lstrip().upper()
    return head.startswith(("BEGIN:VCALENDAR", "BEGIN:VEVENT"))


def parse(path: Path, *, options: object = None) -> Iterator[InteractionRecord | SkippedRecord]:
    """Each past meeting occurrence with other people; MalformedFile when the file is not a calendar."""
    run, groups = _prepare(str(path), read_text(path, errors="replace"), options, since=None)
    for group in groups:
        yield from run.series(group)


@dataclass
class Reading:
    """A calendar read from text: its records, and when its first occurrence after now starts."""

    records: list[InteractionRecord | SkippedRecord]
    next_start: datetime | None  # None: nothing left to happen (no future, uncancelled occurrence)
    # With a horizon: the meetings until then, and when the first occurrence after it starts.
    upcoming: list[UpcomingMeeting] = field(default_factory=list)
    past_horizon: datetime | None = None


def read(
    text: str,
    *,
    name: str,
    options: object = None,
    since: datetime | None = None,
    horizon: datetime | None = None,
) -> Reading:
    """The records of a calendar held in text, only occurrences after `since` when given (silently:
    older ones are outside what was asked, not problems), and with `horizon` the meetings still to
    come until then; MalformedFile when it is not a calendar."""
    run, groups = _prepare(name, text, options, since=since)
    run.horizon = horizon
    records = [record for group in groups for record in run.series(group)]
    return Reading(records, run.next_start, run.upcoming, run.past_horizon)


def _prepare(
    name: str, text: str, options: object, *, since: datetime | None
) -> tuple[_Run, list[list[Component]]]:
    """The run and the events grouped by UID, from a calendar's text."""
    starts = _begin_lines(name, text)
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError...
        raise MalformedFile(name, _bad_line(text), None, f"cannot read the calendar: {exc}") from exc
    events: list[Component] = []
    timezones: list[Component] = []
    for calendar in calendars:
        events.extend(calendar.walk("VEVENT"))
        timezones.extend(calendar.walk("VTIMEZONE"))
    lines = {id(event): line for event, line in zip(events, starts, strict=False)}
    return _Run(name, options, Zones(timezones), lines, since), _series(events)


class _Run:
    """What one parse needs everywhere: the file, the owner, now, zones and event line numbers."""

    def __init__(
        self, path: str, options: object, zones: Zones, lines: dict[int, int], since: datetime | None = None
    ) -> None:
        self.path = path
        self.own = email_addresses.own_addresses(options)
        now = getattr(options, "now", None) or datetime.now(UTC)
        self.now = now if now.tzinfo else now.replace(tzinfo=UTC)
        self.floating: tzinfo = getattr(options, "timezone", None) or UTC
        self.zones = zones
        self.lines = lines
        self.seen: dict[str, int | None] = {}
        self.since = since
        self.next_start: datetime | None = None
        self.horizon: datetime | None = None
        self.upcoming: list[UpcomingMeeting] = []
        self.past_horizon: datetime | None = None
        self.ahead_seen: set[tuple[str, str]] = set()

    def later(self, when: datetime) -> None:
        """Remember an occurrence still to come: the earliest one is when to read the calendar again."""
        if self.next_start is None or when < self.next_start:
            self.next_start = when

    def ahead(self, event: Component, when: datetime) -> bool:
        """Note an occurrence still to come (a meeting with people before the horizon); False once
        past the horizon, where a series stops being read."""
        if self.horizon is None:
            return False
        if when > self.horizon:
            if self.past_horizon is None or when < self.past_horizon:
                self.past_horizon = when
            return False
        start = event["DTSTART"].dt
        if str(event.get("STATUS", "")).upper() == "CANCELLED" or not isinstance(start, datetime):
            return True  # an all-day event has no hour to meet at
        emails, names, declined, _ = self.participants(event)
        recurrence = event.get("RECURRENCE-ID")
        key = (_uid(event), occurrence_key(recurrence.dt if recurrence is not None else start))
        if declined or not emails or key in self.ahead_seen:
            return True
        self.ahead_seen.add(key)
        summary = str(event.get("SUMMARY", "")).strip() or None
        self.upcoming.append(
            UpcomingMeeting(
                uid=key[0], recurrence_id=key[1], starts_at=when, ends_at=self.end(event, when),
                title=summary, emails=emails, names=names,
            )
        )  # fmt: skip
        return True

    def end(self, event: Component, when: datetime) -> datetime | None:
        """When an occurrence ends: its DTEND, else its start plus DURATION, else unknown."""
        end = event.get("DTEND")
        if end is not None and isinstance(getattr(end, "dt", None), datetime):
            return to_utc(end.dt, self.floating)
        duration = event.get("DURATION")
        if duration is not None and isinstance(getattr(duration, "dt", None), timedelta):
            return when + duration.dt
        return None

    def origin(self, event: Component) -> Origin:
        return Origin(self.path, self.lines.get(id(event)))

    def series(self, group: list[Component]) -> Iterator[InteractionRecord | SkippedRecord]:
        """Records for one UID: a single event, or every past occurrence of a recurring one."""
        usable: list[Component] = []
        for event in group:
            problem = self.problem(event)
            if problem:
                yield SkippedRecord(self.origin(event), problem)
                continue
            fix_times(event, self.zones)
            usable.append(event)
        masters = [e for e in usable if "RECURRENCE-ID" not in e]
        overrides = [e for e in usable if "RECURRENCE-ID" in e]
        if not masters:  # invitations to single occurrences of a series the file does not hold
            for event in overrides:
                yield from self.occurrence(event, event)
            return
        for index, master in enumerate(masters):
            if "RRULE" in master or "RDATE" in master:
                yield from self.expand(master, overrides if index == 0 else [])
            else:
                yield from self.occurrence(master, master, single=True)
                if index == 0:
                    for event in overrides:
                        yield from self.occurrence(event, master)

    def problem(self, event: Component) -> str | None:
        """Why an event cannot be read at all, or None."""
        errors = getattr(event, "errors", None)
        start = event.get("DTSTART")
        if start is None:
            return "event has no start time (DTSTART)"
        if errors:
            return "cannot read " + "; ".join(f"{prop}: {why}" for prop, why in errors)
        if not isinstance(getattr(start, "dt", None), date):
            return "cannot read the start time (DTSTART)"
        recurrence = event.get("RECURRENCE-ID")  # twice in one event, it is a list with no time
        if recurrence is not None and not isinstance(getattr(recurrence, "dt", None), date):
            return "cannot read which occurrence the event moves (RECURRENCE-ID)"
        return None

    def expand(
        self, master: Component, overrides: list[Component]
    ) -> Iterator[InteractionRecord | SkippedRecord]:
        """Every past occurrence of a recurring event within the last YEARS_BACK years."""
        window_start = self.now - timedelta(days=365 * YEARS_BACK + YEARS_BACK // 4)
        if self.since is not None:  # a sync asks for its own window: nothing outside it is a problem
            window_start = max(window_start, self.since)
        elif to_utc(master["DTSTART"].dt, self.floating) < window_start:
            yield SkippedRecord(
                self.origin(master),
                f"recurring event: occurrences before {window_start:%Y-%m-%d} are not counted "
                f"(only the last {YEARS_BACK} years of a series are expanded)",
            )
        calendar = Calendar()
        for event in [master, *overrides]:
            calendar.add_component(event)
        count = coming = 0
        try:
            for event in recurring_ical_events.of(calendar).after(window_start):
                start = event.get("DTSTART").dt
                if to_utc(start, self.floating) > self.now:
                    # Even a cancelled one: the occurrences after it may not be.
                    self.later(to_utc(start, self.floating))
                    coming += 1
                    if coming > MAX_UPCOMING or not self.ahead(event, to_utc(start, self.floating)):
                        break
                    continue
                count += 1
                if count > MAX_OCCURRENCES:
                    yield SkippedRecord(
                        self.origin(master), f"recurring event: stopped after {MAX_OCCURRENCES} occurrences"
                    )
                    break
                yield from self.occurrence(event, master)
        except Exception as exc:  # a rule the library cannot expand is one bad record
            yield SkippedRecord(self.origin(master), f"cannot expand the recurrence rule: {exc}")

    def occurrence(
        self, event: Component, master: Component, *, single: bool = False
    ) -> Iterator[InteractionRecord | SkippedRecord]:
        """The record for one occurrence, or the reason it is not a meeting with people."""
        origin = self.origin(master)
        start = event["DTSTART"].dt
        when = to_utc(start, self.floating)
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            if single:
                yield SkippedRecord(origin, "event was cancelled")
            return
        if when > self.now:
            self.later(when)
            self.ahead(event, when)
            if single:
                yield SkippedRecord(origin, "event is in the future")
            return
        if self.since is not None and when <= self.since:
            return
        emails, names, declined, organiser_is_me = self.participants(event)
        if declined:
            yield SkippedRecord(origin, f"you declined the event on {when:%Y-%m-%d}")
            return
        if not emails:
            if single:
                yield SkippedRecord(origin, "event has no attendees other than you")
            return
        recurrence = event.get("RECURRENCE-ID")
        key = occurrence_key(recurrence.dt if recurrence is not None else start)
        source_id = f"{_uid(event)}/{key}"
        if source_id in self.seen:
            yield SkippedRecord(origin, f"same event and time as the event at line {self.seen[source_id]}")
            return
        self.seen[source_id] = origin.line
        summary = str(event.get("SUMMARY", "")).strip() or None
        organiser = "me" if organiser_is_me else ("them" if event.get("ORGANIZER") is not None else None)
        yield InteractionRecord(
            source=SOURCE,
            source_id=source_id,
            origin=origin,
            kind="meeting",
            occurred_at=when,
            initiated_by=organiser,
            subject=summary,
            emails=emails,
            names=names,
        )

    def participants(self, event: Component) -> tuple[list[str], dict[str, str], bool, bool]:
        """(other people's emails, their names, the owner declined, the owner organised it)."""
        emails: list[str] = []
        names: dict[str, str] = {}
        declined = organiser_is_me = False
        people: list[tuple[Any, bool]] = [(a, False) for a in _as_list(event.get("ATTENDEE"))]
        organizer = event.get("ORGANIZER")
        if organizer is not None:
            people.insert(0, (organizer, True))
        for person, is_organizer in people:
            address = email_addresses.normalise(str(person))
            params = getattr(person, "params", {})
            status = str(params.get("PARTSTAT", "")).upper()
            if address is None:
                continue
            if address in self.own:
                declined = declined or status == "DECLINED"
                organiser_is_me = organiser_is_me or is_organizer
                continue
            if (
                email_addresses.is_robot(address)
                or str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE
                or status in _NOT_THERE
                or str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT"
            ):
                continue
            if address not in emails:
                emails.append(address)
            name = " ".join(str(params.get("CN", "")).split())
            if name and name.lower() != address and address not in names:
                names[address] = name
        return emails, names, declined, organiser_is_me


def _series(events: list[Component]) -> list[list[Component]]:
    """Events grouped by UID, in file order; an event without UID is a series of its own."""
    groups: dict[str, list[Component]] = {}
    for index, event in enumerate(events):
        uid = str(event.get("UID", "")).strip() or f"#{index}"
        groups.setdefault(uid, []).append(event)
    return list(groups.values())


def _uid(event: Component) -> str:
    uid = str(event.get("UID", "")).strip()
    if uid:
        return uid
    digest = hashlib.sha1(event.to_ical()).hexdigest()
    return f"sha1:{digest}"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _begin_lines(path: str, text: str) -> list[int]:
    """Line numbers of each BEGIN:VEVENT, in file order; MalformedFile when BEGIN/END do not pair up."""
    starts: list[int] = []
    open_blocks: list[tuple[str, int]] = []
    first = None
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.strip().upper()
        if first is None and marker:
            first = marker
            if marker not in ("BEGIN:VCALENDAR", "BEGIN:VEVENT"):
                raise MalformedFile(
                    path, number, None, "not an iCalendar file: it does not start with BEGIN:VCALENDAR"
                )
        if marker.startswith("BEGIN:"):
            open_blocks.append((marker[6:].strip(), number))
            if marker == "BEGIN:VEVENT":
                starts.append(number)
        elif marker.startswith("END:"):
            name = marker[4:].strip()
            if not open_blocks or open_blocks[-1][0] != name:
                expected = f"END:{open_blocks[-1][0]}" if open_blocks else "nothing"
                raise MalformedFile(path, number, None, f"END:{name} where {expected} was expected")
            open_blocks.pop()
    if first is None:
        raise MalformedFile(path, 1, None, "the file is empty")
    if open_blocks:
        name, number = open_blocks[-1]
        raise MalformedFile(path, number, None, f"BEGIN:{name} is never closed (the file may be truncated)")
    return starts


def _bad_line(text: str) -> int | None:
    """The first line that is neither a folded continuation nor NAME[;PARAMS]:VALUE (for error messages)."""
    depth = number = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line[0] in " \t":
            continue
        head = line.split(":", 1)
        if len(head) < 2 or not head[0].split(";", 1)[0].replace("-", "").isalnum():
            return number
        marker = line.strip().upper()
        if marker.startswith("BEGIN:"):
            depth += 1
        elif marker.startswith("END:"):
            depth -= 1
            if depth < 0:
                return number
    return number if depth > 0 else None
