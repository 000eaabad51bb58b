"""Queries behind the agenda: candidates for keep-in-touch and reactivation, and item states."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import AgendaListing, AgendaState, Membership, Milestone, Person, Tie
from tieline.models.base import UTCDateTime

# Columns of a person and their tie fetched together: the row serves as both in scoring.strength().
# Table columns, not mapped attributes: a statement of mapped attributes makes SQLAlchemy configure
# every mapper and build an ORM compile state on first use, a fifth of `tieline today`'s start-up.
# The agenda reads rows, never objects, so its queries are Core (tests/cli/test_startup.py checks).
_person = Person.__table__
_tie = Tie.__table__
_state = AgendaState.__table__
_listing = AgendaListing.__table__
_membership = Membership.__table__
_milestone = Milestone.__table__
PERSON_TIE_TABLES = _person.join(_tie, _tie.c.person_id == _person.c.id)
PERSON_TIE_OUTER = _person.outerjoin(_tie, _tie.c.person_id == _person.c.id)

PERSON_TIE_COLUMNS = tuple(
    [
        *(
            _person.c[name]
            for name in (
                "id",
                "display_name",
                "given_name",
                "tier",
                "cadence_days",
                "closeness",
                "met_on",
                "title",
                "company",
                "last_contact_at",
                "created_at",
            )
        ),
        *(
            _tie.c[name]
            for name in (
                "intensity",
                "intensity_at",
                "half_life_days",
                "first_contact_at",
                "interactions",
                "initiated_by_me",
                "initiated_by_them",
                "favours_given",
                "favours_received",
                "strength",
                "contact_strength",
            )
        ),
    ]
)


class OverdueRow(NamedTuple):
    """A live person who may be past their cadence, with the tie facts scoring.strength() reads.

    A plain tuple, not an SQLAlchemy Row: the agenda reads a dozen fields of each of thousands.
    """

    id: int
    display_name: str
    tier: int
    cadence_days: int | None
    closeness: int | None
    met_on: date | None
    last_contact_at: datetime | None
    created_at: datetime
    intensity: float | None
    intensity_at: datetime | None
    half_life_days: float | None
    first_contact_at: datetime | None
    interactions: int | None
    initiated_by_me: int | None
    initiated_by_them: int | None
    favours_given: int | None
    favours_received: int | None


# The same columns as PERSON_TIE_COLUMNS, only those OverdueRow names, in its order.
_PERSON_TIE_BY_NAME = {column.key: column for column in PERSON_TIE_COLUMNS}
OVERDUE_COLUMNS = tuple(_PERSON_TIE_BY_NAME[name] for name in OverdueRow._fields)


def overdue_people(
    session: Session, *, owner_id: int, tier_cutoffs: dict[int, datetime], end_of_day: datetime
) -> list[OverdueRow]:
    """Live people silent since before their tier's cutoff, or at least their own cadence by `end_of_day`.

    `tier_cutoffs` maps a tier to the latest last-contact time that makes it overdue; tiers
    without a cadence are left out. The own-cadence test runs in SQL with a second of slack, so
    the caller still counts whole days itself; it only spares fetching people not yet due.
    """
    last = silent_since()
    person = _person.c
    # One index range per tier (owner, tier, last contact) and one walk over the people with a
    # cadence of their own, instead of testing every person: a few hundred rows read, not 30,000.
    live = (person.owner_id == owner_id, person.archived.is_(False))
    parts = [
        sa.select(*OVERDUE_COLUMNS)
        .select_from(PERSON_TIE_OUTER)
        .where(*live, person.tier == tier, last <= cutoff, person.cadence_days.is_(None))
        for tier, cutoff in sorted(tier_cutoffs.items())
    ]
    parts.append(
        sa.select(*OVERDUE_COLUMNS)
        .select_from(PERSON_TIE_OUTER)
        .where(
            *live,
            person.cadence_days.is_not(None),
            _silent_days(session, last, end_of_day) >= person.cadence_days,
        )
    )
    return [OverdueRow._make(row) for row in session.execute(sa.union_all(*parts))]


def silent_since() -> sa.ColumnElement[Any]:
    """When a person's silence began: their last contact, else when they were added.

    Migration 0006 indexes exactly this expression (ix_person_owner_tier_silence): keep them in step.
    """
    return sa.func.coalesce(_person.c.last_contact_at, _person.c.created_at)


def _silent_days(session: Session, since: sa.ColumnElement[Any], until: datetime) -> sa.ColumnElement[Any]:
    """Days (fractional, plus a second of slack against rounding) from `since` to `until`, in SQL."""
    slack = 1 / 86400
    end = sa.bindparam("until", until, type_=UTCDateTime)
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.julianday(end) - sa.func.julianday(since) + slack
    # An interval never overflows where `until - cadence days` could, for an absurd cadence.
    return sa.extract("epoch", end - since) / 86400.0 + slack


def dormant_people(
    session: Session,
    *,
    owner_id: int,
    silent_since: datetime,
    min_interactions: int,
    min_strength: float,
    limit: int,
) -> list[Any]:
    """The `limit` strongest (as of their last contact) live ties silent since before `silent_since`."""
    person, tie = _person.c, _tie.c
    stmt = (
        sa.select(*PERSON_TIE_COLUMNS)
        .select_from(PERSON_TIE_TABLES)
        .where(
            person.owner_id == owner_id,
            person.archived.is_(False),
            person.last_contact_at <= silent_since,
            tie.contact_strength >= min_strength,
            sa.or_(tie.interactions >= min_interactions, person.closeness.is_not(None)),
        )
        .order_by(tie.contact_strength.desc(), person.id)
        .limit(limit)
    )
    return list(session.execute(stmt))


def role_changes_since(session: Session, *, owner_id: int, person_ids: list[int]) -> dict[int, date]:
    """person id -> the latest date they started a company role or logged a new-job/promotion milestone."""
    out: dict[int, date] = {}
    if not person_ids:
        return out
    person, membership, milestone = _person.c, _membership.c, _milestone.c
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        # The owner is checked on the person, not on the rows: SQLite would otherwise walk every
        # membership of the owner instead of looking up the few people by their index.
        people = sa.and_(person.owner_id == owner_id, person.id.in_(chunk))
        jobs = session.execute(
            sa.select(membership.person_id, sa.func.max(membership.start_date))
            .join(_person, person.id == membership.person_id)
            .where(people, membership.start_date.is_not(None))
            .group_by(membership.person_id)
        )
        milestones = session.execute(
            sa.select(milestone.person_id, sa.func.max(milestone.occurred_on))
            .join(_person, person.id == milestone.person_id)
            .where(people, milestone.kind.in_(("new_job", "promotion")))
            .group_by(milestone.person_id)
        )
        for person_id, when in [*jobs, *milestones]:
            if when is not None and (person_id not in out or when > out[person_id]):
                out[person_id] = when
    return out


def hidden_keys(session: Session, *, owner_id: int, day: date) -> set[str]:
    """Keys of items done or dismissed for good, or snoozed past `day`."""
    state = _state.c
    stmt = sa.select(state.item_key).where(
        state.owner_id == owner_id, sa.or_(state.until.is_(None), state.until > day)
    )
    return set(session.scalars(stmt))


def set_state(
    session: Session, *, owner_id: int, key: str, state: str, until: date | None, now: datetime
) -> None:
    """Record what the owner did with an item (replacing an earlier state of the same item)."""
    row = session.scalars(
        sa.select(AgendaState).where(AgendaState.owner_id == owner_id, AgendaState.item_key == key)
    ).first()
    if row is None:
        session.add(AgendaState(owner_id=owner_id, item_key=key, state=state, until=until, acted_at=now))
    else:
        row.state, row.until, row.acted_at = state, until, now
    session.flush()


def save_listing(session: Session, *, owner_id: int, keys: list[str], day: date) -> None:
    """Remember the numbered lines just shown."""
    session.execute(sa.delete(_listing).where(_listing.c.owner_id == owner_id))
    if keys:
        session.execute(
            sa.insert(_listing),
            [
                {"owner_id": owner_id, "number": n, "item_key": k, "shown_for": day}
                for n, k in enumerate(keys, 1)
            ],
        )


def listed_key(session: Session, *, owner_id: int, number: int) -> tuple[str, date] | None:
    """The item key and day of line `number` in the last listing shown."""
    row = session.execute(
        sa.select(AgendaListing.item_key, AgendaListing.shown_for).where(
            AgendaListing.owner_id == owner_id, AgendaListing.number == number
        )
    ).first()
    return (row[0], row[1]) if row else None
