"""Queries about the people on the agenda's lines: their last contact (a person quieted by a snooze or
a dismissal stays quiet until it changes), and something to talk about with the few people shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    AgendaState,
    Event,
    EventAttendee,
    Interaction,
    InteractionParticipant,
    Membership,
    Milestone,
    Organisation,
    Person,
)

# Core tables, not the mapped classes: a statement naming a mapped class configures every mapper
# (about 26 ms of `tieline today`'s start-up, tests/cli/test_startup.py), and these are plain reads.
_attendee = EventAttendee.__table__
_event = Event.__table__
_interaction = Interaction.__table__
_membership = Membership.__table__
_milestone = Milestone.__table__
_organisation = Organisation.__table__
_participant = InteractionParticipant.__table__
_person = Person.__table__
_state = AgendaState.__table__


def _owned(column: sa.ColumnElement[int], owner_id: int) -> sa.ColumnElement[bool]:
    """`column = owner_id` written so no index serves it: these queries narrow by person ids, and
    SQLite would otherwise walk every row of the owner by the owner index."""
    return (column + 0) == owner_id


def last_contacts(
    session: Session, *, owner_id: int, person_ids: Sequence[int]
) -> dict[int, datetime | None]:
    """person id -> their last contact (None: never) for these live people."""
    if not person_ids:
        return {}
    stmt = sa.select(_person.c.id, _person.c.last_contact_at).where(
        _owned(_person.c.owner_id, owner_id),
        _person.c.id.in_(list(person_ids)),
        _person.c.archived.is_(False),
    )
    return {row.id: row.last_contact_at for row in session.execute(stmt)}


class StateRow(NamedTuple):
    """What the owner did with an agenda key, and until when (None: for good)."""

    state: str
    until: date | None


def state_of(session: Session, *, owner_id: int, key: str) -> StateRow | None:
    """The stored state of one agenda key, if any."""
    row = session.execute(
        sa.select(_state.c.state, _state.c.until).where(
            _state.c.owner_id == owner_id, _state.c.item_key == key
        )
    ).first()
    return StateRow(row.state, row.until) if row else None


class TalkRow(NamedTuple):
    """One of a person's latest interactions with something written about it."""

    person_id: int
    kind: str
    occurred_at: datetime
    subject: str | None
    notes: str | None


# One person's latest written interactions: a walk back along (person, time), built once and run per
# person, so someone with thousands of interactions costs as little as someone with three.
_LATEST_TALKS = (
    sa.select(
        _participant.c.person_id,
        _interaction.c.kind,
        _participant.c.occurred_at,
        _interaction.c.subject,
        _interaction.c.notes,
    )
    .join(_interaction, _interaction.c.id == _participant.c.interaction_id)
    .where(
        _participant.c.person_id == sa.bindparam("person_id"),
        (_participant.c.owner_id + 0) == sa.bindparam("owner_id"),  # not by the owner index: see _owned
        sa.or_(
            sa.func.length(sa.func.coalesce(_interaction.c.notes, "")) > 0,
            sa.func.length(sa.func.coalesce(_interaction.c.subject, "")) > 0,
        ),
    )
    .order_by(_participant.c.occurred_at.desc(), _interaction.c.id.desc())
    .limit(sa.bindparam("per_person"))
)


def latest_talks(
    session: Session, *, owner_id: int, person_ids: Sequence[int], per_person: int
) -> list[TalkRow]:
    """Each person's `per_person` latest interactions that carry notes or a subject, newest first."""
    out: list[TalkRow] = []
    for person_id in sorted(set(person_ids)):
        params = {"person_id": person_id, "owner_id": owner_id, "per_person": per_person}
        out += [TalkRow._make(row) for row in session.execute(_LATEST_TALKS, params)]
    return out


class RoleRow(NamedTuple):
    """A role a person started lately: a company membership or a new-job / promotion milestone."""

    person_id: int
    started_on: date
    kind: str  # membership, new_job, promotion
    role: str | None
    organisation: str | None


def _roles_started() -> sa.Select:  # type: ignore[type-arg]
    """Company roles and new-job / promotion milestones of some people started between two days."""
    ids, since, until = sa.bindparam("ids", expanding=True), sa.bindparam("since"), sa.bindparam("until")
    memberships = (
        sa.select(
            _membership.c.person_id,
            _membership.c.start_date.label("started_on"),
            sa.literal("membership").label("kind"),
            _membership.c.role,
            _organisation.c.name.label("organisation"),
        )
        .join(_organisation, _organisation.c.id == _membership.c.organisation_id)
        .where(
            (_membership.c.owner_id + 0) == sa.bindparam("owner_id"),
            _membership.c.person_id.in_(ids),
            _organisation.c.kind == "company",
            _membership.c.start_date.between(since, until),
        )
    )
    milestones = sa.select(
        _milestone.c.person_id,
        _milestone.c.occurred_on.label("started_on"),
        _milestone.c.kind,
        _milestone.c.text.label("role"),
        sa.null().label("organisation"),
    ).where(
        (_milestone.c.owner_id + 0) == sa.bindparam("owner_id"),
        _milestone.c.person_id.in_(ids),
        _milestone.c.kind.in_(("new_job", "promotion")),
        _milestone.c.occurred_on.between(since, until),
    )
    union = sa.union_all(memberships, milestones).subquery()
    return sa.select(*union.c).order_by(union.c.started_on.desc(), union.c.kind)


_ROLES_STARTED = _roles_started()


def roles_started(
    session: Session, *, owner_id: int, person_ids: Sequence[int], since: date, until: date
) -> list[RoleRow]:
    """Company roles and new-job / promotion milestones these people started between two days, newest first."""
    if not person_ids:
        return []
    params = {"owner_id": owner_id, "ids": list(person_ids), "since": since, "until": until}
    return [RoleRow._make(row) for row in session.execute(_ROLES_STARTED, params)]


class EventMet(NamedTuple):
    """Where and when you met the person an event follow-up is for."""

    event: str
    met_at: datetime


def event_of_follow_up(session: Session, *, owner_id: int, follow_up_id: int) -> EventMet | None:
    """The event a follow-up was opened at (meeting someone there), if it was."""
    row = session.execute(
        sa.select(_event.c.name, _attendee.c.met_at)
        .join(_event, _event.c.id == _attendee.c.event_id)
        .where(
            _attendee.c.owner_id == owner_id,
            _attendee.c.follow_up_id == follow_up_id,
            _attendee.c.met_at.is_not(None),
        )
    ).first()
    return EventMet(row.name, row.met_at) if row else None
