"""How single values are written in every JSON shape: ISO 8601 times and dates, and birthdays."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tieline.models import Person
    from tieline.repo.person_view import PersonView


def iso(value: date | datetime | None) -> str | None:
    """An ISO 8601 date or time (times with their offset), or None."""
    return value.isoformat() if value is not None else None


def birthday_text(person: Person | PersonView) -> str | None:
    """YYYY-MM-DD, or --MM-DD when the year is unknown (the vCard convention)."""
    if person.birthday_month is None or person.birthday_day is None:
        return None
    year = f"{person.birthday_year:04d}" if person.birthday_year else "-"
    return f"{year}-{person.birthday_month:02d}-{person.birthday_day:02d}"
