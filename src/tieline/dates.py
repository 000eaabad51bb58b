"""Dates as people type them: today, yesterday, 2026-03-01, "3 days ago", "2 weeks ago"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from tieline.errors import InvalidInput

_AGO = re.compile(r"^(\d+)\s*(day|week|month|year)s?\s+ago$")
_IN = re.compile(r"^in\s+(\d+)\s*(day|week|month|year)s?$")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_date(text: str, *, today: date, field: str = "date") -> date:
    """A calendar date from what a person typed, relative forms counted from `today`."""
    try:
        return _parse_date(text, today=today, field=field)
    except OverflowError:
        raise InvalidInput(f"cannot read {field} {text!r}: that is beyond the calendar") from None


def _parse_date(text: str, *, today: date, field: str) -> date:
    value = text.strip().lower()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    if value == "tomorrow":
        return today + timedelta(days=1)
    if m := _AGO.match(value):
        return today - timedelta(days=int(m.group(1)) * _UNIT_DAYS[m.group(2)])
    if m := _IN.match(value):
        return today + timedelta(days=int(m.group(1)) * _UNIT_DAYS[m.group(2)])
    if value.startswith("last ") and value[5:] in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS.index(value[5:])) % 7 or 7
        return today - timedelta(days=back)
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidInput(
        f"cannot read {field} {text!r}: use YYYY-MM-DD, today, yesterday, 'last friday' or 'N days ago'"
    )


def parse_when(text: str, *, now: datetime, field: str = "date") -> datetime:
    """A moment from what a person typed; a plain date today means now, another day means noon."""
    value = text.strip()
    if "T" in value or (len(value) > 10 and value[:4].isdigit() and value[10:11] in (" ", "T")):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            try:
                if moment.tzinfo is None:
                    moment = moment.astimezone()  # the user's local time zone
                return moment.astimezone(UTC)
            except OverflowError:  # 0001-01-01T00:00+05:00 is before the first day there is
                raise InvalidInput(f"cannot read {field} {text!r}: that is beyond the calendar") from None
    local_now = now.astimezone()
    day = parse_date(value, today=local_now.date(), field=field)
    if day == local_now.date():
        return now.astimezone(UTC)
    return datetime.combine(day, time(12, 0)).astimezone().astimezone(UTC)
