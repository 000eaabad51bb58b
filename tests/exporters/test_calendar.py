"""The iCalendar feed of agenda reminders (tieline.exporters.calendar)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta

import icalendar
import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.exporters.calendar import build_calendar
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import agenda as agenda_repo
from tieline.services import interactions as interactions_service
from tieline.services import preferences
from tieline.services.upcoming import upcoming

AddPerson = Callable[..., Person]
OWNER = LOCAL_OWNER_ID


def contact(session: Session, person: Person, *, now: datetime, days_ago: int) -> None:
    interactions_service.log_interaction(
        session, owner_id=OWNER, kind="coffee", people=[person], when=now - timedelta(days=days_ago), now=now
    )


@pytest.fixture
def network(session: Session, add_person: AddPerson, now: datetime) -> dict[str, Person]:
    """Overdue Ana, Bo due in 3 days, Cy (tier 1) due in 4 days and again later, Di due in 50 days."""
    people = {
        "ana": add_person("Ana Lima", tier=2, lists={"emails": ["ana@acme.example"]}),
        "bo": add_person("Bo Chen", tier=2),
        "cy": add_person("Cy Dee", tier=1),
        "di": add_person("Di Eve", tier=3),
    }
    contact(session, people["ana"], now=now, days_ago=45)
    contact(session, people["bo"], now=now, days_ago=27)
    contact(session, people["cy"], now=now, days_ago=3)
    contact(session, people["di"], now=now, days_ago=40)
    return people


def events(data: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return list(calendar.walk("VEVENT"))


def test_each_due_line_is_one_all_day_event_on_its_first_due_day(
    session: Session, network: dict[str, Person], now: datetime
) -> None:
    today = now.date()
    found = events(build_calendar(session, owner_id=OWNER, day=today, now=now))

    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids))
    expected = {
        item.key: due.day
        for due in upcoming(session, owner_id=OWNER, day=today, days=30, now=now)
        for item in due.items
    }
    assert {
        u.removesuffix("@tieline"): e.decoded("DTSTART") for u, e in zip(uids, found, strict=True)
    } == expected
    by_uid = {str(e["UID"]): e for e in found}
    ana = by_uid[f"keep:{network['ana'].id}:2026-01-24@tieline"]
    assert ana.decoded("DTSTART") == today  # overdue: on the first day
    assert ana.decoded("DTEND") == today + timedelta(days=1)
    assert isinstance(ana.decoded("DTSTART"), date) and not isinstance(ana.decoded("DTSTART"), datetime)
    assert str(ana["SUMMARY"]) == "Get in touch with Ana Lima"
    assert "you usually talk every month; it has been over a month" in str(ana["DESCRIPTION"])
    assert by_uid[f"keep:{network['bo'].id}:2026-02-11@tieline"].decoded("DTSTART") == today + timedelta(
        days=3
    )
    assert f"keep:{network['di'].id}:2026-01-29@tieline" not in by_uid  # due after the 30 days
    kinds = Counter(str(e["CATEGORIES"].cats[0]) for e in found)
    assert kinds["keep_in_touch"] == 3


def test_uids_are_stable_across_exports(session: Session, network: dict[str, Person], now: datetime) -> None:
    first = events(build_calendar(session, owner_id=OWNER, day=now.date(), now=now))
    later = now + timedelta(hours=3)
    second = events(build_calendar(session, owner_id=OWNER, day=later.date(), now=later))
    assert [str(e["UID"]) for e in first] == [str(e["UID"]) for e in second]
    assert [e.decoded("DTSTART") for e in first] == [e.decoded("DTSTART") for e in second]


def test_lines_acted_on_leave_the_feed(session: Session, network: dict[str, Person], now: datetime) -> None:
    key = f"keep:{network['ana'].id}:2026-01-24"
    agenda_repo.set_state(session, owner_id=OWNER, key=key, state="done", until=None, now=now)
    uids = [str(e["UID"]) for e in events(build_calendar(session, owner_id=OWNER, day=now.date(), now=now))]
    assert f"{key}@tieline" not in uids


def test_the_horizon_limits_the_days_covered(
    session: Session, network: dict[str, Person], now: datetime
) -> None:
    one_day = events(build_calendar(session, owner_id=OWNER, day=now.date(), now=now, horizon_days=1))
    assert [str(e["SUMMARY"]) for e in one_day] == ["Get in touch with Ana Lima"]
    for days in (0, 367):
        with pytest.raises(InvalidInput, match=rf"from 1 to 366 \(a year ahead\), not {days}"):
            build_calendar(session, owner_id=OWNER, day=now.date(), now=now, horizon_days=days)


def test_drafts_go_in_the_description_when_asked(
    session: Session, network: dict[str, Person], now: datetime
) -> None:
    preferences.set_value(session, owner_id=OWNER, key="me.name", value="Sam")
    found = events(
        build_calendar(session, owner_id=OWNER, day=now.date(), now=now, horizon_days=1, include_drafts=True)
    )
    description = str(found[0]["DESCRIPTION"])
    assert "\n\nDraft:\nSubject: Catching up\n\nHi Ana,\n" in description
    assert description.endswith("Best,\nSam")


def test_an_empty_network_is_a_valid_empty_calendar(session: Session, now: datetime) -> None:
    data = build_calendar(session, owner_id=OWNER, day=now.date(), now=now)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["PRODID"]).startswith("-//tieline//")
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.walk("VEVENT") == []
