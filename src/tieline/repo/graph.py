"""Queries behind the network graph: the evidence that two people know each other, for everyone or
for a few people, and the facts common ground compares.

Every function takes `person_ids`: None means every live person of the owner (building the whole
graph), a list narrows the query to links touching those people (a path search, common ground).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tieline.models import (
    Event,
    EventAttendee,
    Favour,
    Interaction,
    InteractionParticipant,
    Introduction,
    Knows,
    Membership,
    Opportunity,
    Organisation,
    Person,
    PersonTag,
    PersonTopic,
    Tie,
)

Row = sa.Row  # type: ignore[type-arg]
# SQLite caps bound parameters per statement (32766 in recent versions); chunk long id lists.
_CHUNK = 5000


def _owned(column: sa.ColumnElement[int], owner_id: int) -> sa.ColumnElement[bool]:
    """`column = owner_id` written so no index can serve it: when a query also narrows by person or
    organisation ids, SQLite would otherwise pick the owner index and scan every row of the owner."""
    return (column + 0) == owner_id


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def live_people(session: Session, *, owner_id: int) -> list[Row]:
    """(id, name, tier, company, industry, department, title, location, strength, contact_strength,
    last_contact_at, created_at, interactions, initiated_by_me, initiated_by_them, favours_given,
    favours_received, cadence_days) of every live (not archived) person; tie columns are null
    without a tie."""
    stmt = (
        sa.select(
            Person.id,
            Person.display_name,
            Person.tier,
            Person.company,
            Person.industry,
            Person.department,
            Person.title,
            Person.location,
            Tie.strength,
            Tie.contact_strength,
            Person.last_contact_at,
            Person.created_at,
            Tie.interactions,
            Tie.initiated_by_me,
            Tie.initiated_by_them,
            Tie.favours_given,
            Tie.favours_received,
            Person.cadence_days,
        )
        .outerjoin(Tie, Tie.person_id == Person.id)
        .where(Person.owner_id == owner_id, Person.archived.is_(False))
        .order_by(Person.id)
    )
    return list(session.execute(stmt))


def owner_strengths(session: Session, *, owner_id: int) -> dict[int, float]:
    """Stored tie strength (0-100) of every live person (0 without a tie)."""
    stmt = (
        sa.select(Person.id, sa.func.coalesce(Tie.strength, 0.0))
        .outerjoin(Tie, Tie.person_id == Person.id)
        .where(Person.owner_id == owner_id, Person.archived.is_(False))
    )
    return {int(pid): float(s) for pid, s in session.execute(stmt)}


def strengths_of(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, float]:
    """Stored tie strength (0-100) of these people, live ones only (0 without a tie)."""
    found: dict[int, float] = {}
    for chunk in _chunks(list(person_ids)):
        stmt = (
            sa.select(Person.id, sa.func.coalesce(Tie.strength, 0.0))
            .outerjoin(Tie, Tie.person_id == Person.id)
            .where(_owned(Person.owner_id, owner_id), Person.archived.is_(False), Person.id.in_(chunk))
        )
        found.update({int(pid): float(s) for pid, s in session.execute(stmt)})
    return found


def knows_links(session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None) -> list[Row]:
    """(person_id, other_id, source, strength, note, created_at) of explicit knows rows."""
    stmt = sa.select(
        Knows.person_id, Knows.other_id, Knows.source, Knows.strength, Knows.note, Knows.created_at
    ).where(Knows.owner_id == owner_id)
    if person_ids is None:
        return list(session.execute(stmt))
    rows: list[Row] = []
    for chunk in _chunks(person_ids):
        rows += session.execute(stmt.where(Knows.person_id.in_(chunk)))
        rows += session.execute(stmt.where(Knows.other_id.in_(chunk)))
    return list({(r[0], r[1], r[2]): r for r in rows}.values())


def introductions_made(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None
) -> list[Row]:
    """(person_a_id, person_b_id, made_at) of introductions in state made."""
    stmt = sa.select(Introduction.person_a_id, Introduction.person_b_id, Introduction.made_at).where(
        Introduction.owner_id == owner_id, Introduction.state == "made"
    )
    if person_ids is None:
        return list(session.execute(stmt))
    rows: list[Row] = []
    for chunk in _chunks(person_ids):
        rows += session.execute(
            stmt.where(sa.or_(Introduction.person_a_id.in_(chunk), Introduction.person_b_id.in_(chunk)))
        )
    return rows


def introduced_pairs(session: Session, *, owner_id: int) -> set[tuple[int, int]]:
    """Pairs (low id, high id) with an introduction in any state: already proposed, made or declined."""
    stmt = sa.select(Introduction.person_a_id, Introduction.person_b_id).where(
        Introduction.owner_id == owner_id
    )
    return {(min(a, b), max(a, b)) for a, b in session.execute(stmt)}


def co_participation(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None
) -> list[tuple[int, int, int, datetime]]:
    """(a, b, shared interactions, last shared at) with a < b, for pairs in the same interaction."""
    a = aliased(InteractionParticipant)
    b = aliased(InteractionParticipant)
    group = (
        sa.select(InteractionParticipant.interaction_id)
        .where(InteractionParticipant.owner_id == owner_id)
        .group_by(InteractionParticipant.interaction_id)
        .having(sa.func.count() > 1)
    )
    stmt = (
        sa.select(a.person_id, b.person_id, sa.func.count(), sa.func.max(a.occurred_at))
        .join(b, sa.and_(b.interaction_id == a.interaction_id, b.person_id != a.person_id))
        .group_by(a.person_id, b.person_id)
    )
    found: dict[tuple[int, int], tuple[int, int, int, datetime]] = {}
    if person_ids is None:
        rows = session.execute(stmt.where(a.interaction_id.in_(group), a.person_id < b.person_id))
        return [(int(x), int(y), int(n), last) for x, y, n, last in rows]
    for chunk in _chunks(person_ids):
        # No owner_id filter here: person ids are the owner's already, and with one SQLite would
        # scan every participant through the owner index instead of seeking each person's rows.
        for x, y, n, last in session.execute(stmt.where(a.person_id.in_(chunk))):
            key = (min(x, y), max(x, y))
            found[key] = (key[0], key[1], int(n), last)
    return list(found.values())


def event_attendance(
    session: Session, *, owner_id: int, person_ids: Sequence[int] | None = None, max_size: int | None = None
) -> list[Row]:
    """(event_id, name, starts_on, person_id) of attendees; with `person_ids`, only events any of
    them attended (with all their attendees), and of those only events of at most `max_size`."""
    stmt = (
        sa.select(EventAttendee.event_id, Event.name, Event.starts_on, EventAttendee.person_id)
        .join(Event, Event.id == EventAttendee.event_id)
        .where(EventAttendee.owner_id == owner_id)
    )
    if person_ids is None:
        return list(session.execute(stmt))
    rows: list[Row] = []
    seen: set[int] = set()
    for chunk in _chunks(person_ids):
        events = sa.select(EventAttendee.event_id).where(
            _owned(EventAttendee.owner_id, owner_id), EventAttendee.person_id.in_(chunk)
        )
        if max_size is not None:
            events = (
                sa.select(EventAttendee.event_id)
                .where(EventAttendee.event_id.in_(events))
                .group_by(EventAttendee.event_id)
                .having(sa.func.count() <= max_size)
            )
        for row in session.execute(stmt.where(EventAttendee.event_id.in_(events))):
            if (row[0], row[3]) not in seen:
                seen.add((row[0], row[3]))
                rows.append(row)
    return rows


def current_memberships(
    session: Session,
    *,
    owner_id: int,
    today: date,
    person_ids: Sequence[int] | None = None,
    max_size: int | None = None,
) -> list[Row]:
    """(organisation_id, name, kind, industry, person_id) of current memberships of live people
    (no end date, or one today or later); with `person_ids`, every member of their organisations
    that have at most `max_size` current memberships."""
    current = sa.or_(Membership.end_date.is_(None), Membership.end_date >= today)
    stmt = (
        sa.select(
            Membership.organisation_id,
            Organisation.name,
            Organisation.kind,
            Organisation.industry,
            Membership.person_id,
        )
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(Person, Person.id == Membership.person_id)
    )
    if person_ids is None:
        return list(
            session.execute(stmt.where(Membership.owner_id == owner_id, current, Person.archived.is_(False)))
        )
    stmt = stmt.where(_owned(Membership.owner_id, owner_id), current, Person.archived.is_(False))
    rows: list[Row] = []
    seen: set[tuple[int, int]] = set()
    for chunk in _chunks(person_ids):
        orgs = sa.select(Membership.organisation_id).where(
            _owned(Membership.owner_id, owner_id), Membership.person_id.in_(chunk), current
        )
        if max_size is not None:
            orgs = (
                sa.select(Membership.organisation_id)
                .where(Membership.organisation_id.in_(orgs), current)
                .group_by(Membership.organisation_id)
                .having(sa.func.count() <= max_size)
            )
        for row in session.execute(stmt.where(Membership.organisation_id.in_(orgs))):
            if (row[0], row[4]) not in seen:
                seen.add((row[0], row[4]))
                rows.append(row)
    return rows


def events_of(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[Row]:
    """(person_id, event_id, name, starts_on, met) of events these people attended."""
    stmt = (
        sa.select(EventAttendee.person_id, Event.id, Event.name, Event.starts_on, EventAttendee.met)
        .join(Event, Event.id == EventAttendee.event_id)
        .where(_owned(EventAttendee.owner_id, owner_id), EventAttendee.person_id.in_(list(person_ids)))
    )
    return list(session.execute(stmt))


def topics_of(
    session: Session, *, owner_id: int, person_ids: Sequence[int], kinds: Sequence[str] | None = None
) -> list[Row]:
    """(person_id, kind, value) of these people's interests, expertise and needs."""
    stmt = sa.select(PersonTopic.person_id, PersonTopic.kind, PersonTopic.value).where(
        _owned(PersonTopic.owner_id, owner_id), PersonTopic.person_id.in_(list(person_ids))
    )
    if kinds is not None:
        stmt = stmt.where(PersonTopic.kind.in_(list(kinds)))
    return list(session.execute(stmt.order_by(PersonTopic.person_id, PersonTopic.position)))


def all_topics(session: Session, *, owner_id: int, kinds: Sequence[str]) -> list[Row]:
    """(person_id, kind, value) of every live person's topics of these kinds."""
    stmt = (
        sa.select(PersonTopic.person_id, PersonTopic.kind, PersonTopic.value)
        .join(Person, Person.id == PersonTopic.person_id)
        .where(
            PersonTopic.owner_id == owner_id, PersonTopic.kind.in_(list(kinds)), Person.archived.is_(False)
        )
    )
    return list(session.execute(stmt))


def tags_of(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[Row]:
    """(person_id, tag) of these people."""
    stmt = sa.select(PersonTag.person_id, PersonTag.tag).where(
        _owned(PersonTag.owner_id, owner_id), PersonTag.person_id.in_(list(person_ids))
    )
    return list(session.execute(stmt))


def people_by_ids(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[Row]:
    """(id, name, company, industry, school-free facts) of these people: id, display_name, company,
    industry, title, location, archived."""
    rows: list[Row] = []
    for chunk in _chunks(list(person_ids)):
        stmt = sa.select(
            Person.id,
            Person.display_name,
            Person.company,
            Person.industry,
            Person.title,
            Person.location,
            Person.archived,
        ).where(Person.owner_id == owner_id, Person.id.in_(chunk))
        rows += session.execute(stmt)
    return rows


def members_of(session: Session, *, owner_id: int, organisation_id: int, today: date) -> list[int]:
    """Live people currently in the organisation."""
    current = sa.or_(Membership.end_date.is_(None), Membership.end_date >= today)
    stmt = (
        sa.select(Membership.person_id)
        .distinct()
        .join(Person, Person.id == Membership.person_id)
        .where(
            _owned(Membership.owner_id, owner_id),
            Membership.organisation_id == organisation_id,
            current,
            Person.archived.is_(False),
        )
    )
    return [int(p) for p in session.scalars(stmt)]


def former_members_of(session: Session, *, owner_id: int, organisation_id: int, today: date) -> list[int]:
    """Live people who were in the organisation and are no longer."""
    stmt = (
        sa.select(Membership.person_id)
        .distinct()
        .join(Person, Person.id == Membership.person_id)
        .where(
            _owned(Membership.owner_id, owner_id),
            Membership.organisation_id == organisation_id,
            Membership.end_date < today,
            Person.archived.is_(False),
        )
    )
    return [int(p) for p in session.scalars(stmt)]


def monthly_new_people(session: Session, *, owner_id: int) -> list[tuple[datetime | date | None, datetime]]:
    """(met_on, created_at) of live people, to count new people per month."""
    stmt = sa.select(Person.met_on, Person.created_at).where(
        Person.owner_id == owner_id, Person.archived.is_(False)
    )
    return [(m, c) for m, c in session.execute(stmt)]


def interactions_per_month(session: Session, *, owner_id: int, since: datetime) -> dict[str, int]:
    """Interactions per calendar month ("2026-03") since `since` (UTC months)."""
    if session.get_bind().dialect.name == "postgresql":
        month = sa.func.to_char(Interaction.occurred_at, "YYYY-MM")
    else:
        month = sa.func.substr(Interaction.occurred_at, 1, 7)
    stmt = (
        sa.select(month, sa.func.count())
        .where(Interaction.owner_id == owner_id, Interaction.occurred_at >= since)
        .group_by(month)
    )
    return {str(m): int(n) for m, n in session.execute(stmt)}


def favour_totals(session: Session, *, owner_id: int) -> list[Row]:
    """(direction, count, unthanked) of favours."""
    stmt = (
        sa.select(Favour.direction, sa.func.count(), sa.func.count().filter(Favour.thanked_at.is_(None)))
        .where(Favour.owner_id == owner_id)
        .group_by(Favour.direction)
    )
    return list(session.execute(stmt))


def opportunities_by_source(session: Session, *, owner_id: int) -> list[Row]:
    """(event name, organisation name, stage, count) of opportunities grouped by where they came from."""
    stmt = (
        sa.select(Event.name, Organisation.name, Opportunity.stage, sa.func.count())
        .select_from(Opportunity)
        .outerjoin(Event, Event.id == Opportunity.event_id)
        .outerjoin(Organisation, Organisation.id == Opportunity.organisation_id)
        .where(Opportunity.owner_id == owner_id)
        .group_by(Event.name, Organisation.name, Opportunity.stage)
    )
    return list(session.execute(stmt))


def event_people(session: Session, *, owner_id: int) -> list[Row]:
    """(event_id, name, person_id, met) of every attendee of every event."""
    stmt = (
        sa.select(Event.id, Event.name, EventAttendee.person_id, EventAttendee.met)
        .join(EventAttendee, EventAttendee.event_id == Event.id)
        .where(Event.owner_id == owner_id)
    )
    return list(session.execute(stmt))
