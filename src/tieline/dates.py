"""Dates as people type them: today, yesterday, 2026-03-01, "3 days ago", "2 weeks ago"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

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


# Spoken durations and days ("almost four years", "every month", "on Sunday"): the agenda's reasons
# read as a friend would say them; the exact numbers stay in each line's details.
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_DAYS_PER = {"week": 7, "month": 365.25 / 12, "year": 365.25}


def count_words(n: int, unit: str) -> str:
    """ "a week", "three weeks", "12 days": small counts in words, a single one as "a"."""
    if n == 1:
        return f"{'an' if unit[0] in 'aeiou' else 'a'} {unit}"
    number = _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)
    return f"{number} {unit}s"


def how_long(days: int) -> str:
    """A span of whole days as people say it: "a day", "five days", "three weeks", "almost four years"."""
    if days < 1:
        return "less than a day"
    if days == 7:
        return "a week"
    if days < 14:
        return count_words(days, "day")
    unit = "week" if days < 30 else "month" if days < 335 else "year"
    value = days / _DAYS_PER[unit]
    n = max(1, round(value))
    if n - value >= 0.15:
        return f"almost {count_words(n, unit)}"
    if value - n >= 0.2:
        return f"over {count_words(n, unit)}"
    return count_words(n, unit)


def how_often(days: int) -> str:
    """A rhythm in days as people say it: "every day", "every week", "every three months", "every 45 days"."""
    if days == 1:
        return "every day"
    # 30, 31, 61, 90, 91, 182, 365, 366 days are all months or years as people count them.
    for unit in ("year", "month"):
        n = round(days / _DAYS_PER[unit])
        if n >= 1 and abs(days - n * _DAYS_PER[unit]) <= max(1, n / 2):
            return "every " + (unit if n == 1 else count_words(n, unit))
    if days % 7 == 0:
        n = days // 7
        return "every " + ("week" if n == 1 else count_words(n, "week"))
    return f"every {count_words(days, 'day')}"


def spoken_day(day: date, *, today: date) -> str:
    """A day relative to `today`: "today", "yesterday", "tomorrow", "on Sunday" (within a week),
    else "on 12 March" (this year) or "on 12 March 2024"."""
    offset = (day - today).days
    if offset == 0:
        return "today"
    if offset == -1:
        return "yesterday"
    if offset == 1:
        return "tomorrow"
    if -7 < offset < 7:
        return f"on {day:%A}"
    if day.year == today.year:
        return f"on {day.day} {day:%B}"
    return f"on {day.day} {day:%B} {day.year}"


Moment = TypeVar("Moment", date, datetime)


def months_before(when: Moment, months: int) -> Moment:
    """The same day (and time) `months` calendar months earlier: the month's last day when it is
    shorter (31 March less one month is 28 or 29 February)."""
    year, month = divmod(when.year * 12 + when.month - 1 - months, 12)
    for day in range(when.day, min(when.day, 28) - 1, -1):  # the day, else the month's last
        try:
            return when.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")
