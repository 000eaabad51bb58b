"""Queries behind the network graph: the evidence that two people know each other, for everyone or
for a few people, and the facts common ground compares.

Every function takes `person_ids`: None means every live person of the owner (building the whole
graph), a list narrows the query to links touching those people (a path search, common ground).

Rows come back as named tuples declared beside their query; `columns_named` checks that a query
selects exactly its tuple's fields, in order, so a column moved in one place and not the other
fails on the first call instead of handing out a number from the wrong column.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    Event,
    EventAttendee,
    InteractionParticipant,
    Introduction,
    Knows,
    Membership,
    Organisation,
    Person,
    PersonTag,
    PersonTopic,
    Tie,
)

# Core tables, not the mapped classes: these queries return plain columns, and the ORM's row
# processing of them cost building the whole graph at `large` about 0.3 s of its 4 s.
_attendee = EventAttendee.__table__
_event = Event.__table__
_introduction = Introduction.__table__
_knows = Knows.__table__
_membership = Membership.__table__
_organisation = Organisation.__table__
_participant = InteractionParticipant.__table__
_person = Person.__table__
_tag = PersonTag.__table__
_tie = Tie.__table__
_topic = PersonTopic.__table__
# SQLite caps bound parameters per statement (32766 in recent versions); chunk long id lists.
_CHUNK = 5000


def _owned(column: sa.ColumnElement[int], owner_id: int) -> sa.ColumnElement[bool]:
    """`column = owner_id` written so no index can serve it: when a query also narrows by person or
    organisation ids, SQLite would otherwise pick the owner index and scan every row of the owner."""
    return (column + 0) == owner_id


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def columns_named(row: type[tuple[Any, ...]], *columns: Any) -> tuple[Any, ...]:
    """`columns`, checked to be named (by attribute or label) as `row`'s fields, in their order."""
    fields: tuple[str, ...] = row._fields  # type: ignore[attr-defined]
    keys = tuple(column.key for column in columns)
    if keys != fields:
        raise TypeError(f"{row.__name__} has the fields {fields}; its query selects {keys}")
    return columns


class LivePerson(NamedTuple):
    """A live person and their tie (the tie's fields None without one): the network graph's nodes,
    `tieline stats` and reconnect suggestions read these."""

    id: int
    display_name: str
    tier: int
    company: str | None
    industry: str | None
    department: str | None
    title: str | None
    location: str | None
    strength: float | None
    contact_strength: float | None
    last_contact_at: datetime | None
    created_at: datetime
    interactions: int | None
    initiated_by_me: int | None
    initiated_by_them: int | None
    favours_given: int | None
    favours_received: int | None
    cadence_days: int | None


def live_people(session: Session, *, owner_id: int) -> list[LivePerson]:
    """Every live (not archived) person with their tie, by id."""
    stmt = (
        sa.select(
            *columns_named(
                LivePerson,
                _person.c.id,
                _person.c.display_name,
                _person.c.tier,
                _person.c.company,
                _person.c.industry,
                _person.c.department,
                _person.c.title,
                _person.c.location,
                _tie.c.strength,
                _tie.c.contact_strength,
                _person.c.last_contact_at,
                _person.c.created_at,
                _tie.c.interactions,
                _tie.c.initiated_by_me,
                _tie.c.initiated_by_them,
                _tie.c.favours_given,
                _tie.c.favours_received,
                _person.c.cadence_days,
            )
        )
        .outerjoin(_tie, _tie.c.person_id == _person.c.id)
        .where(_person.c.owner_id == owner_id, _person.c.archived.is_(False))
        .order_by(_person.c.id)
    )
    return list(map(LivePerson._make, session.execute(stmt)))


def owner_strengths(session: Session, *, owner_id: int) -> dict[int, float]:
    """Stored tie strength (0-100) of every live person (0 without a tie)."""
    stmt = (
        sa.select(_person.c.id, sa.func.coalesce(_tie.c.strength, 0.0))
        .outerjoin(_tie, _tie.c.person_id == _person.c.id)
        .where(_person.c.owner_id == owner_id, _person.c.archived.is_(False))
    )
    return {int(pid): float(s) for pid, s in session.execute(stmt)}


def strengths_of(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, float]:
    """Stored tie strength (0-100) of these people, live ones only (0 without a tie)."""
    found: dict[int, float] = {}
    for chunk in _chunks(list(person_ids)):
        stmt = (
            sa.select(_person.c.id, sa.func.coalesce(_tie.c.strength, 0.0))
            .outerjoin(_tie, _tie.c.person_id == _person.c.id)
            .where(
                _owned(_person.c.owner_id, owner_id), _person.c.archived.is_(False), _person.c.id.in_(chunk)
            )
        )
        found.update({int(pid): float(s) for pid, s in session.execute(stmt)})
    return found


class KnowsLink(NamedTuple):
    """An explicit knows row: two people, where it came from, its strength (None: the default)."""

    person_id: int
    other_id: int
    source: str
    strength: float | None
    note: str | None
    created_at: datetime


def knows_links(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None
) -> list[KnowsLink]:
    """Explicit knows rows (touching `person_ids`)."""
    stmt = sa.select(
        *columns_named(
            KnowsLink,
            _knows.c.person_id,
            _knows.c.other_id,
            _knows.c.source,
            _knows.c.strength,
            _knows.c.note,
            _knows.c.created_at,
        )
    ).where(_knows.c.owner_id == owner_id)
    if person_ids is None:
        return list(map(KnowsLink._make, session.execute(stmt)))
    found: dict[tuple[int, int, str], KnowsLink] = {}
    for chunk in _chunks(person_ids):
        for statement in (
            stmt.where(_knows.c.person_id.in_(chunk)),
            stmt.where(_knows.c.other_id.in_(chunk)),
        ):
            for link in map(KnowsLink._make, session.execute(statement)):
                found[(link.person_id, link.other_id, link.source)] = link
    return list(found.values())


class IntroductionMade(NamedTuple):
    """An introduction in state made: the two people and when."""

    person_a_id: int
    person_b_id: int
    made_at: datetime | None


def introductions_made(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None
) -> list[IntroductionMade]:
    """Introductions in state made (touching `person_ids`)."""
    stmt = sa.select(
        *columns_named(
            IntroductionMade,
            _introduction.c.person_a_id,
            _introduction.c.person_b_id,
            _introduction.c.made_at,
        )
    ).where(_introduction.c.owner_id == owner_id, _introduction.c.state == "made")
    if person_ids is None:
        return list(map(IntroductionMade._make, session.execute(stmt)))
    rows: list[IntroductionMade] = []
    for chunk in _chunks(person_ids):
        rows += map(
            IntroductionMade._make,
            session.execute(
                stmt.where(
                    sa.or_(_introduction.c.person_a_id.in_(chunk), _introduction.c.person_b_id.in_(chunk))
                )
            ),
        )
    return rows


def introduced_pairs(session: Session, *, owner_id: int) -> set[tuple[int, int]]:
    """Pairs (low id, high id) with an introduction in any state: already proposed, made or declined."""
    stmt = sa.select(_introduction.c.person_a_id, _introduction.c.person_b_id).where(
        _introduction.c.owner_id == owner_id
    )
    return {(min(a, b), max(a, b)) for a, b in session.execute(stmt)}


class SharedInteractions(NamedTuple):
    """Two people (a_id < b_id) who took part in the same interactions: how many, the last when."""

    a_id: int
    b_id: int
    count: int
    last_at: datetime


def co_participation(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None
) -> Iterator[SharedInteractions]:
    """Pairs in the same interaction (a pair touching `person_ids`), to be read once, as they come.

    Not a list: the whole graph's pairs are the largest result here (200,000 at `large`), and named
    tuples, unlike plain ones, stay tracked by the garbage collector; holding them all at once cost
    building the graph about 0.15 s of its 4 s."""
    a = _participant.alias("a")
    b = _participant.alias("b")
    group = (
        sa.select(_participant.c.interaction_id)
        .where(_participant.c.owner_id == owner_id)
        .group_by(_participant.c.interaction_id)
        .having(sa.func.count() > 1)
    )
    stmt = (
        sa.select(
            *columns_named(
                SharedInteractions,
                a.c.person_id.label("a_id"),
                b.c.person_id.label("b_id"),
                sa.func.count().label("count"),
                sa.func.max(a.c.occurred_at).label("last_at"),
            )
        )
        .join(b, sa.and_(b.c.interaction_id == a.c.interaction_id, b.c.person_id != a.c.person_id))
        .group_by(a.c.person_id, b.c.person_id)
    )
    if person_ids is None:
        rows = session.execute(stmt.where(a.c.interaction_id.in_(group), a.c.person_id < b.c.person_id))
        return map(SharedInteractions._make, rows)
    found: dict[tuple[int, int], SharedInteractions] = {}
    for chunk in _chunks(person_ids):
        # No owner_id filter here: person ids are the owner's already, and with one SQLite would
        # scan every participant through the owner index instead of seeking each person's rows.
        for x, y, n, last in session.execute(stmt.where(a.c.person_id.in_(chunk))):
            key = (min(x, y), max(x, y))
            found[key] = SharedInteractions(key[0], key[1], int(n), last)
    return iter(found.values())


class EventAttendance(NamedTuple):
    """One attendee of an event."""

    event_id: int
    name: str
    starts_on: date
    person_id: int


def event_attendance(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None, max_size: int | None = None
) -> list[EventAttendance]:
    """Attendees of events; with `person_ids`, only events any of them attended (with all their
    attendees), and of those only events of at most `max_size`."""
    stmt = (
        sa.select(
            *columns_named(
                EventAttendance,
                _attendee.c.event_id,
                _event.c.name,
                _event.c.starts_on,
                _attendee.c.person_id,
            )
        )
        .join(_event, _event.c.id == _attendee.c.event_id)
        .where(_attendee.c.owner_id == owner_id)
    )
    if person_ids is None:
        return list(map(EventAttendance._make, session.execute(stmt)))
    rows: list[EventAttendance] = []
    seen: set[tuple[int, int]] = set()
    for chunk in _chunks(person_ids):
        events = sa.select(_attendee.c.event_id).where(
            _owned(_attendee.c.owner_id, owner_id), _attendee.c.person_id.in_(chunk)
        )
        if max_size is not None:
            events = (
                sa.select(_attendee.c.event_id)
                .where(_attendee.c.event_id.in_(events))
                .group_by(_attendee.c.event_id)
                .having(sa.func.count() <= max_size)
            )
        for row in map(EventAttendance._make, session.execute(stmt.where(_attendee.c.event_id.in_(events)))):
            if (row.event_id, row.person_id) not in seen:
                seen.add((row.event_id, row.person_id))
                rows.append(row)
    return rows


class CurrentMembership(NamedTuple):
    """A live person's current membership of an organisation."""

    organisation_id: int
    name: str
    kind: str
    industry: str | None
    person_id: int


def current_memberships(
    session: Session,
    *,
    owner_id: int,
    today: date,
    person_ids: Sequence[int] | None = None,
    max_size: int | None = None,
) -> list[CurrentMembership]:
    """Current memberships of live people (no end date, or one today or later); with `person_ids`,
    every member of their organisations that have at most `max_size` current memberships."""
    current = sa.or_(_membership.c.end_date.is_(None), _membership.c.end_date >= today)
    stmt = (
        sa.select(
            *columns_named(
                CurrentMembership,
                _membership.c.organisation_id,
                _organisation.c.name,
                _organisation.c.kind,
                _organisation.c.industry,
                _membership.c.person_id,
            )
        )
        .join(_organisation, _organisation.c.id == _membership.c.organisation_id)
        .join(_person, _person.c.id == _membership.c.person_id)
    )
    if person_ids is None:
        return list(
            map(
                CurrentMembership._make,
                session.execute(
                    stmt.where(_membership.c.owner_id == owner_id, current, _person.c.archived.is_(False))
                ),
            )
        )
    stmt = stmt.where(_owned(_membership.c.owner_id, owner_id), current, _person.c.archived.is_(False))
    rows: list[CurrentMembership] = []
    seen: set[tuple[int, int]] = set()
    for chunk in _chunks(person_ids):
        orgs = sa.select(_membership.c.organisation_id).where(
            _owned(_membership.c.owner_id, owner_id), _membership.c.person_id.in_(chunk), current
        )
        if max_size is not None:
            orgs = (
                sa.select(_membership.c.organisation_id)
                .where(_membership.c.organisation_id.in_(orgs), current)
                .group_by(_membership.c.organisation_id)
                .having(sa.func.count() <= max_size)
            )
        for row in map(
            CurrentMembership._make, session.execute(stmt.where(_membership.c.organisation_id.in_(orgs)))
        ):
            if (row.organisation_id, row.person_id) not in seen:
                seen.add((row.organisation_id, row.person_id))
                rows.append(row)
    return rows


class EventAttended(NamedTuple):
    """An event a person attended, and whether they met someone there."""

    person_id: int
    event_id: int
    name: str
    starts_on: date
    met: bool


def events_of(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[EventAttended]:
    """Events these people attended."""
    stmt = (
        sa.select(
            *columns_named(
                EventAttended,
                _attendee.c.person_id,
                _event.c.id.label("event_id"),
                _event.c.name,
                _event.c.starts_on,
                _attendee.c.met,
            )
        )
        .join(_event, _event.c.id == _attendee.c.event_id)
        .where(_owned(_attendee.c.owner_id, owner_id), _attendee.c.person_id.in_(list(person_ids)))
    )
    return list(map(EventAttended._make, session.execute(stmt)))


class Topic(NamedTuple):
    """One of a person's interests, expertise or needs."""

    person_id: int
    kind: str
    value: str


def topics_of(
    session: Session, *, owner_id: int, person_ids: Sequence[int], kinds: Sequence[str] | None = None
) -> list[Topic]:
    """These people's interests, expertise and needs (of `kinds`), in each person's order."""
    stmt = sa.select(*columns_named(Topic, _topic.c.person_id, _topic.c.kind, _topic.c.value)).where(
        _owned(_topic.c.owner_id, owner_id), _topic.c.person_id.in_(list(person_ids))
    )
    if kinds is not None:
        stmt = stmt.where(_topic.c.kind.in_(list(kinds)))
    return list(map(Topic._make, session.execute(stmt.order_by(_topic.c.person_id, _topic.c.position))))


def all_topics(session: Session, *, owner_id: int, kinds: Sequence[str]) -> list[Topic]:
    """Every live person's topics of these kinds."""
    stmt = (
        sa.select(*columns_named(Topic, _topic.c.person_id, _topic.c.kind, _topic.c.value))
        .join(_person, _person.c.id == _topic.c.person_id)
        .where(_topic.c.owner_id == owner_id, _topic.c.kind.in_(list(kinds)), _person.c.archived.is_(False))
    )
    return list(map(Topic._make, session.execute(stmt)))


class Tag(NamedTuple):
    """A tag on a person."""

    person_id: int
    tag: str


def tags_of(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[Tag]:
    """The tags of these people."""
    stmt = sa.select(*columns_named(Tag, _tag.c.person_id, _tag.c.tag)).where(
        _owned(_tag.c.owner_id, owner_id), _tag.c.person_id.in_(list(person_ids))
    )
    return list(map(Tag._make, session.execute(stmt)))


class PersonFacts(NamedTuple):
    """A person's name and the facts common ground compares; archived people too."""

    id: int
    display_name: str
    company: str | None
    industry: str | None
    title: str | None
    location: str | None
    archived: bool


def people_by_ids(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[PersonFacts]:
    """These people (archived ones too), in no order."""
    rows: list[PersonFacts] = []
    for chunk in _chunks(list(person_ids)):
        stmt = sa.select(
            *columns_named(
                PersonFacts,
                _person.c.id,
                _person.c.display_name,
                _person.c.company,
                _person.c.industry,
                _person.c.title,
                _person.c.location,
                _person.c.archived,
            )
        ).where(_person.c.owner_id == owner_id, _person.c.id.in_(chunk))
        rows += map(PersonFacts._make, session.execute(stmt))
    return rows


def names_by_id(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, str]:
    """The display names of these people (archived ones too), by id."""
    found: dict[int, str] = {}
    for chunk in _chunks(list(person_ids)):
        stmt = sa.select(_person.c.id, _person.c.display_name).where(
            _person.c.owner_id == owner_id, _person.c.id.in_(chunk)
        )
        found.update({int(pid): name for pid, name in session.execute(stmt)})
    return found


def members_of(session: Session, *, owner_id: int, organisation_id: int, today: date) -> list[int]:
    """Live people currently in the organisation."""
    current = sa.or_(_membership.c.end_date.is_(None), _membership.c.end_date >= today)
    stmt = (
        sa.select(_membership.c.person_id)
        .distinct()
        .join(_person, _person.c.id == _membership.c.person_id)
        .where(
            _owned(_membership.c.owner_id, owner_id),
            _membership.c.organisation_id == organisation_id,
            current,
            _person.c.archived.is_(False),
        )
    )
    return [int(p) for p in session.scalars(stmt)]


def former_members_of(session: Session, *, owner_id: int, organisation_id: int, today: date) -> list[int]:
    """Live people who were in the organisation and are no longer."""
    stmt = (
        sa.select(_membership.c.person_id)
        .distinct()
        .join(_person, _person.c.id == _membership.c.person_id)
        .where(
            _owned(_membership.c.owner_id, owner_id),
            _membership.c.organisation_id == organisation_id,
            _membership.c.end_date < today,
            _person.c.archived.is_(False),
        )
    )
    return [int(p) for p in session.scalars(stmt)]
