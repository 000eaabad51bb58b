"""Queries about upcoming meetings from synced calendars: replacing those of the calendar objects a
sync read, and the live people met in those starting within a span of time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Person, PersonEmail, UpcomingAttendee, UpcomingMeeting

# Core tables, not the mapped classes: `tieline today` reads them, and a statement naming a mapped
# class configures every mapper (tests/cli/test_startup.py).
_meeting = UpcomingMeeting.__table__
_attendee = UpcomingAttendee.__table__
_email = PersonEmail.__table__
_person = Person.__table__
DELETE_BATCH = 500  # objects per DELETE: one statement's parameters stay few on both engines


class Meeting(Protocol):
    """What a connector says of a meeting to come (importers.records.UpcomingMeeting)."""

    calendar: str
    href: str
    uid: str
    recurrence_id: str
    starts_at: datetime
    ends_at: datetime | None
    title: str | None
    emails: list[str]
    names: dict[str, str]


class MeetingPersonRow(NamedTuple):
    """A meeting to come and one live person invited to it (matched by one of their addresses)."""

    meeting_id: int
    uid: str
    recurrence_id: str
    starts_at: datetime
    ends_at: datetime | None
    title: str | None
    person_id: int
    display_name: str
    given_name: str | None


def replace(
    session: Session,
    *,
    owner_id: int,
    connection_id: int,
    meetings: list[Meeting],
    read: Mapping[str, set[str] | None],
) -> bool:
    """Replace the stored meetings of the calendar objects read ({calendar: hrefs, or None for all of
    it}) by `meetings`; False, writing nothing, when they are the same as stored."""
    if not read:
        return False
    scope = _in_scope(read)
    stored = _stored(session, connection_id=connection_id, scope=scope)
    if Counter(stored.values()) == Counter(map(_key, meetings)):
        return False
    ids = list(stored)
    for first in range(0, len(ids), DELETE_BATCH):
        session.execute(sa.delete(_meeting).where(_meeting.c.id.in_(ids[first : first + DELETE_BATCH])))
    for meeting in meetings:
        row = UpcomingMeeting(
            owner_id=owner_id,
            connection_id=connection_id,
            calendar=meeting.calendar,
            href=meeting.href,
            uid=meeting.uid,
            recurrence_id=meeting.recurrence_id,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            title=meeting.title,
        )
        session.add(row)
        session.flush()
        session.add_all(
            UpcomingAttendee(owner_id=owner_id, meeting_id=row.id, email=email, name=name)
            for email, name in _people(meeting)
        )
    session.flush()
    return True


def _people(meeting: Meeting) -> tuple[tuple[str, str | None], ...]:
    """(address, name) of each attendee, in the invitation's order."""
    return tuple((email, meeting.names.get(email)) for email in meeting.emails)


def _key(meeting: Meeting) -> tuple[object, ...]:
    """A meeting as compared with what is stored: every column and its attendees in order."""
    return (
        meeting.calendar, meeting.href, meeting.uid, meeting.recurrence_id, meeting.starts_at,
        meeting.ends_at, meeting.title, _people(meeting),
    )  # fmt: skip


def _in_scope(read: Mapping[str, set[str] | None]) -> sa.ColumnElement[bool]:
    """The stored rows of the objects read."""
    clauses = []
    for calendar, hrefs in read.items():
        if hrefs is None:
            clauses.append(_meeting.c.calendar == calendar)
        elif hrefs:
            clauses.append(sa.and_(_meeting.c.calendar == calendar, _meeting.c.href.in_(sorted(hrefs))))
    return sa.or_(sa.false(), *clauses)


def _stored(
    session: Session, *, connection_id: int, scope: sa.ColumnElement[bool]
) -> dict[int, tuple[object, ...]]:
    """id -> the comparable form of each stored meeting in scope, its attendees included."""
    meetings = session.execute(
        sa.select(
            _meeting.c.id,
            _meeting.c.calendar,
            _meeting.c.href,
            _meeting.c.uid,
            _meeting.c.recurrence_id,
            _meeting.c.starts_at,
            _meeting.c.ends_at,
            _meeting.c.title,
        ).where(_meeting.c.connection_id == connection_id, scope)
    ).all()
    if not meetings:
        return {}
    people: dict[int, list[tuple[str, str | None]]] = {}
    ids = [m.id for m in meetings]
    for first in range(0, len(ids), DELETE_BATCH):
        rows = session.execute(
            sa.select(_attendee.c.meeting_id, _attendee.c.email, _attendee.c.name)
            .where(_attendee.c.meeting_id.in_(ids[first : first + DELETE_BATCH]))
            .order_by(_attendee.c.meeting_id, _attendee.c.id)
        )
        for row in rows:
            people.setdefault(row.meeting_id, []).append((row.email, row.name))
    return {
        m.id: (
            m.calendar,
            m.href,
            m.uid,
            m.recurrence_id,
            m.starts_at,
            m.ends_at,
            m.title,
            tuple(people.get(m.id, ())),
        )
        for m in meetings
    }


_WITH_PEOPLE = (
    sa.select(
        _meeting.c.id.label("meeting_id"),
        _meeting.c.uid,
        _meeting.c.recurrence_id,
        _meeting.c.starts_at,
        _meeting.c.ends_at,
        _meeting.c.title,
        _person.c.id.label("person_id"),
        _person.c.display_name,
        _person.c.given_name,
    )
    .select_from(_meeting)
    .join(_attendee, _attendee.c.meeting_id == _meeting.c.id)
    # Both folded: an attendee's address as the importer folds it, a person's as stored (lower-cased).
    .join(
        _email,
        sa.and_(_email.c.owner_id == _meeting.c.owner_id, _email.c.address == _attendee.c.email),
    )
    .join(_person, _person.c.id == _email.c.person_id)
    .where(
        _meeting.c.owner_id == sa.bindparam("owner_id"),
        _meeting.c.starts_at > sa.bindparam("after"),
        _meeting.c.starts_at <= sa.bindparam("until"),
        _person.c.archived.is_(False),
    )
    .distinct()
    .order_by(_meeting.c.starts_at, _meeting.c.id, _person.c.id)
)


def people_met(
    session: Session, *, owner_id: int, after: datetime, until: datetime
) -> list[MeetingPersonRow]:
    """Each meeting starting after `after` and by `until`, once per live person invited to it."""
    rows = session.execute(_WITH_PEOPLE, {"owner_id": owner_id, "after": after, "until": until})
    return [MeetingPersonRow(**row._mapping) for row in rows]


def forget(session: Session, *, connection_id: int) -> None:
    """Delete a connection's meetings to come (their attendees cascade)."""
    session.execute(sa.delete(_meeting).where(_meeting.c.connection_id == connection_id))
