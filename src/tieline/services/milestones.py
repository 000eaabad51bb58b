"""Milestones worth congratulating, and the dates of birthdays and work anniversaries.

Birthdays and work anniversaries are computed from the person's birthday and their company
memberships; other milestones (a new job, a promotion, an award...) are logged.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import MILESTONE_KINDS, Milestone, Person
from tieline.repo import milestones as milestones_repo

# Words people type for a kind, mapped to the stored kind.
KIND_ALIASES = {
    "job": "new_job",
    "anniversary": "work_anniversary",
    "promoted": "promotion",
    "prize": "award",
    "paper": "publication",
    "book": "publication",
}
# How each kind reads after "congratulate X on".
KIND_PHRASES = {
    "birthday": "their birthday",
    "work_anniversary": "their work anniversary",
    "new_job": "the new job",
    "promotion": "the promotion",
    "award": "the award",
    "publication": "the publication",
    "other": "their news",
}


@dataclass(frozen=True)
class Occasion:
    """Something to congratulate a person on, and the day it falls on."""

    kind: str  # "birthday", "work_anniversary", or a logged milestone's kind
    on: date
    text: str


def check_kind(kind: str) -> str:
    """A known milestone kind, accepting new-job, "new job" and a few common words."""
    normalised = kind.strip().lower().replace("-", "_").replace(" ", "_")
    normalised = KIND_ALIASES.get(normalised, normalised)
    if normalised not in MILESTONE_KINDS:
        known = ", ".join(k.replace("_", "-") for k in MILESTONE_KINDS)
        raise InvalidInput(f"unknown milestone kind {kind!r}: use one of {known}")
    return normalised


def add_milestone(
    session: Session, *, owner_id: int, person: Person, kind: str, occurred_on: date, text: str | None = None
) -> Milestone:
    """Log a milestone of a person (it is congratulated on the agenda for a week)."""
    milestone = Milestone(
        owner_id=owner_id,
        person_id=person.id,
        kind=check_kind(kind),
        occurred_on=occurred_on,
        text=text.strip() if text and text.strip() else None,
    )
    session.add(milestone)
    session.flush()
    return milestone


def listing(session: Session, *, owner_id: int, person: Person | None = None) -> list[tuple[Milestone, str]]:
    """Logged milestones, newest first, with the person's name."""
    return milestones_repo.listing(session, owner_id=owner_id, person_id=person.id if person else None)


def recorded_for(session: Session, *, owner_id: int, person_id: int) -> list[Milestone]:
    """One person's logged milestones, newest first."""
    return [m for m, _ in milestones_repo.listing(session, owner_id=owner_id, person_id=person_id)]


def company_roles(session: Session, *, owner_id: int, person_id: int) -> list[tuple[date, str]]:
    """(start date, company name) of a person's current, dated company roles: what `coming_up` counts
    work anniversaries from."""
    rows = milestones_repo.current_company_roles(session, owner_id=owner_id, person_id=person_id)
    return [(row.start_date, row.organisation_name) for row in rows]


def next_yearly(month: int, day: int, *, after: date) -> date:
    """The first day on or after `after` that a yearly occasion on (month, day) falls on."""
    on = yearly(after.year, month, day)
    return on if on >= after else yearly(after.year + 1, month, day)


def coming_up(
    *,
    day: date,
    birthday_month: int | None,
    birthday_day: int | None,
    birthday_year: int | None,
    company_roles: Sequence[tuple[date, str]],
) -> list[Occasion]:
    """A person's next birthday and next work anniversaries (from `day`, within a year), soonest
    first, from what the caller already read: (start date, company name) of each current role."""
    found: list[Occasion] = []
    if birthday_month and birthday_day:
        on = next_yearly(birthday_month, birthday_day, after=day)
        turns = f" (turns {on.year - birthday_year})" if birthday_year else ""
        found.append(Occasion("birthday", on, f"their birthday{turns}"))
    for start, company in company_roles:
        first = yearly(start.year + 1, start.month, start.day)
        on = next_yearly(start.month, start.day, after=max(day, first))
        if on - day <= timedelta(days=366):
            found.append(Occasion("work_anniversary", on, f"{years(on.year - start.year)} at {company}"))
    return sorted(found, key=lambda o: (o.on, o.kind))


def describe(kind: str, text: str | None) -> str:
    """How a milestone reads after "congratulate X on": "the new job: CTO at Beta"."""
    phrase = KIND_PHRASES.get(kind, "their news")
    return f"{phrase}: {text}" if text else phrase


def yearly(year: int, month: int, day: int) -> date:
    """The date a yearly occasion falls on in `year`; 29 February falls on the 28th in other years."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def month_days_on(days: list[date]) -> list[tuple[int, int]]:
    """The stored (month, day) pairs whose yearly occasion falls on one of `days`."""
    pairs = {(d.month, d.day) for d in days}
    pairs |= {(2, 29) for d in days if d.month == 2 and d.day == 28 and not calendar.isleap(d.year)}
    return sorted(pairs)


def days_late(month: int, day: int, *, on: date, within: int) -> tuple[date, int] | None:
    """(date, days late) of the latest yearly occasion from `within` days before `on` up to `on`."""
    for late in range(within + 1):
        candidate = on - timedelta(days=late)
        if yearly(candidate.year, month, day) == candidate:
            return candidate, late
    return None


def occasions(
    session: Session, *, owner_id: int, person: Person, day: date, back: int, ahead: int
) -> list[Occasion]:
    """A person's birthday, work anniversaries and logged milestones from `back` days before `day`
    to `ahead` days after, soonest first."""
    first, last = day - timedelta(days=back), day + timedelta(days=ahead)
    found: list[Occasion] = []
    if person.birthday_month and person.birthday_day:
        for year in sorted({first.year, last.year}):
            on = yearly(year, person.birthday_month, person.birthday_day)
            if first <= on <= last:
                turns = f" (turns {year - person.birthday_year})" if person.birthday_year else ""
                found.append(Occasion("birthday", on, f"their birthday{turns}"))
    for row in milestones_repo.current_company_roles(session, owner_id=owner_id, person_id=person.id):
        start = row.start_date
        for year in sorted({first.year, last.year}):
            on = yearly(year, start.month, start.day)
            if first <= on <= last and year - start.year >= 1:
                found.append(
                    Occasion("work_anniversary", on, f"{years(year - start.year)} at {row.organisation_name}")
                )
    for milestone in milestones_repo.of_person(
        session, owner_id=owner_id, person_id=person.id, first=first, last=last
    ):
        found.append(
            Occasion(milestone.kind, milestone.occurred_on, describe(milestone.kind, milestone.text))
        )
    return sorted(found, key=lambda o: (o.on, o.kind))


def years(n: int) -> str:
    """ "1 year", "5 years"."""
    return f"{n} year" if n == 1 else f"{n} years"


def freshness(late: int) -> float:
    """1.0 on the day, falling linearly to 0.5 a week late (and no lower)."""
    return 1.0 - 0.5 * min(max(late, 0), 7) / 7
