"""Times in iCalendar files, made unambiguous: Windows zone names, per-file VTIMEZONEs, all-day and floating.

icalendar caches a VTIMEZONE it does not know by TZID for the whole process, so the same custom
name in two files would get the first file's rules, and a Windows name ("W. Europe Standard Time")
resolves to the file's own one-year VTIMEZONE or to the IANA zone depending on what was parsed
before. Here each TZID is resolved again, per file and always the same way: a Windows name to its
IANA zone (full DST history), an IANA name to itself, anything else to this file's VTIMEZONE.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Component

try:
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
except ImportError:  # icalendar before 6.x kept the table at the top level
    from icalendar.windows_to_olson import WINDOWS_TO_OLSON  # type: ignore[no-redef]

_TIME_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE")
# An all-day meeting is placed at noon UTC, which is the same calendar day from UTC-11 to UTC+11.
ALL_DAY_TIME = time(12, 0)


class Zones:
    """TZID -> tzinfo for one file: Windows and IANA names first, then the file's own VTIMEZONEs."""

    def __init__(self, timezones: list[Component]) -> None:
        self._components = {str(c.get("TZID", "")).strip(): c for c in timezones if c.get("TZID")}
        self._resolved: dict[str, tzinfo | None] = {}

    def get(self, tzid: str) -> tzinfo | None:
        """The zone a TZID names, or None when neither a known name nor defined in the file."""
        key = tzid.strip()
        if key not in self._resolved:
            self._resolved[key] = self._resolve(key)
        return self._resolved[key]

    def _resolve(self, tzid: str) -> tzinfo | None:
        cleaned = tzid.strip('"').strip()
        candidates = [WINDOWS_TO_OLSON.get(cleaned), cleaned.strip("/")]
        if cleaned.startswith("/"):  # "/freeassociation.sourceforge.net/Europe/Berlin"
            parts = cleaned.strip("/").split("/")
            candidates += ["/".join(parts[i:]) for i in range(1, len(parts))]
        for name in candidates:
            if name:
                try:
                    return ZoneInfo(name)
                except (ZoneInfoNotFoundError, ValueError, OSError):
                    continue
        component = self._components.get(tzid)
        if component is not None:
            try:
                return component.to_tz(lookup_tzid=False)
            except Exception:  # a VTIMEZONE icalendar cannot turn into rules
                return None
        return None


def fix_times(event: Component, zones: Zones) -> None:
    """Re-resolve every TZID-qualified time of an event with `zones`, in place (wall time kept)."""
    for name in _TIME_PROPERTIES:
        value = event.get(name)
        if value is None:
            continue
        for prop in value if isinstance(value, list) else [value]:
            tzid = getattr(prop, "params", {}).get("TZID")
            if not tzid:
                continue
            zone = zones.get(str(tzid))
            if zone is None:
                continue
            if hasattr(prop, "dts"):  # RDATE / EXDATE lists
                for item in prop.dts:
                    item.dt = _rezone(item.dt, zone)
            elif hasattr(prop, "dt"):
                prop.dt = _rezone(prop.dt, zone)


def _rezone(value: Any, zone: tzinfo) -> Any:
    if isinstance(value, tuple):  # a PERIOD: (start, end or duration)
        return tuple(_rezone(v, zone) for v in value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone)
    return value


def to_utc(value: date | datetime, floating: tzinfo = UTC) -> datetime:
    """An aware UTC time: all-day dates at noon UTC, floating times read in `floating`."""
    if not isinstance(value, datetime):
        return datetime.combine(value, ALL_DAY_TIME, tzinfo=UTC)
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=floating)
    return value.astimezone(UTC)


def occurrence_key(value: date | datetime) -> str:
    """A stable text form of an occurrence's start for source ids: 20240517 or 20240517T083000Z."""
    if not isinstance(value, datetime):
        return value.strftime("%Y%m%d")
    return to_utc(value).strftime("%Y%m%dT%H%M%SZ")
