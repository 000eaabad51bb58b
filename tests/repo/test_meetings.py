"""Meetings to come, as a sync stores them: the objects read are replaced, the others kept, and the
same meetings read again write nothing (so a sync with nothing new stays a sync that writes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tieline.importers.records import UpcomingMeeting
from tieline.models import LOCAL_OWNER_ID, Connection, Person
from tieline.repo import meetings as meetings_repo

OWNER = LOCAL_OWNER_ID


def meeting(href: str, start: datetime, *emails: str, title: str = "Review") -> UpcomingMeeting:
    """A meeting of the "/me/work/" calendar's object `href`."""
    return UpcomingMeeting(
        uid=f"{href}@example.org", recurrence_id=f"{start:%Y%m%dT%H%M%SZ}", starts_at=start,
        ends_at=start + timedelta(minutes=30), title=title, emails=list(emails),
        names={e: e.split("@")[0].title() for e in emails}, calendar="/me/work/", href=href,
    )  # fmt: skip


def connection(session: Session) -> int:
    """A calendar connection's id."""
    row = Connection(owner_id=OWNER, name="work", kind="caldav", settings={})
    session.add(row)
    session.flush()
    return row.id


def titles(session: Session, now: datetime) -> list[tuple[str | None, str]]:
    """(title, person) of each meeting in the next day, by start."""
    rows = meetings_repo.people_met(session, owner_id=OWNER, after=now, until=now + timedelta(days=1))
    return [(row.title, row.display_name) for row in rows]


def test_reading_objects_replaces_theirs_keeps_the_others_and_the_same_again_writes_nothing(
    session: Session, now: datetime, add_person: Callable[..., Person]
) -> None:
    add_person("Ana Lima", lists={"emails": ["ana@example.org"]})
    add_person("Bo Chen", lists={"emails": ["bo@example.org"]})
    cid = connection(session)
    a = meeting("/me/work/a.ics", now + timedelta(hours=2), "ana@example.org", "zoe@elsewhere.net")
    b = meeting("/me/work/b.ics", now + timedelta(hours=3), "bo@example.org", title="Lunch")
    whole = {"/me/work/": None}
    assert meetings_repo.replace(session, owner_id=OWNER, connection_id=cid, meetings=[a, b], read=whole)
    assert titles(session, now) == [("Review", "Ana Lima"), ("Lunch", "Bo Chen")]
    # Read again, unchanged: nothing to write.
    assert not meetings_repo.replace(session, owner_id=OWNER, connection_id=cid, meetings=[a, b], read=whole)
    # Nothing read (a sync token with no changes): nothing replaced.
    assert not meetings_repo.replace(
        session, owner_id=OWNER, connection_id=cid, meetings=[], read={"/me/work/": set()}
    )
    # Only a.ics read, and gone from the server: its meeting goes, b.ics's stays.
    assert meetings_repo.replace(
        session, owner_id=OWNER, connection_id=cid, meetings=[], read={"/me/work/": {"/me/work/a.ics"}}
    )
    assert titles(session, now) == [("Lunch", "Bo Chen")]
