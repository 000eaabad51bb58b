"""Queries behind congratulations: birthdays and work anniversaries on given days, recent milestones.

Rows that feed the agenda carry a person's and their tie's columns together (as in repo/agenda.py),
so each one serves as both in `scoring.strength(row, row, ...)`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from tieline.models import Membership, Milestone, Organisation, Person, Tie
from tieline.repo.agenda import PERSON_TIE_COLUMNS

MonthDays = list[tuple[int, int]]


class month_day(sa.sql.functions.GenericFunction[int]):
    """A date's month and day as one number (March 10 is 310), written so an index can hold it.

    Migration 0006 indexes exactly this expression on membership.start_date for each dialect
    (ix_membership_start_month_day): keep the two in step.
    """

    type = sa.Integer()
    inherit_cache = True


@compiles(month_day, "sqlite")
def _month_day_sqlite(element: month_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(strftime('%m%d', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(month_day, "postgresql")
def _month_day_postgresql(element: month_day, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return (
        f"(CAST(EXTRACT(MONTH FROM {column}) AS INTEGER) * 100 + CAST(EXTRACT(DAY FROM {column}) AS INTEGER))"
    )


def birthdays_on(session: Session, *, owner_id: int, month_days: MonthDays) -> list[Any]:
    """Live people whose birthday (month, day) may be one of `month_days` (a superset: check the day)."""
    person = Person.__table__.c
    tie = Tie.__table__.c
    if not month_days:
        return []
    stmt = (
        sa.select(*PERSON_TIE_COLUMNS, person.birthday_year, person.birthday_month, person.birthday_day)
        .outerjoin(Tie.__table__, tie.person_id == person.id)
        .where(
            person.owner_id == owner_id,
            person.archived.is_(False),
            # Months and days apart, so the (owner, month, day) index answers; a pair across a
            # month end lets in a few others, which the caller's day check drops.
            person.birthday_month.in_(sorted({m for m, _ in month_days})),
            person.birthday_day.in_(sorted({d for _, d in month_days})),
        )
    )
    return list(session.execute(stmt))


def occurred_between(session: Session, *, owner_id: int, first: date, last: date) -> list[Any]:
    """Milestones of live people dated from `first` to `last` (inclusive), with person and tie."""
    milestone = Milestone.__table__.c
    person = Person.__table__.c
    tie = Tie.__table__.c
    stmt = (
        sa.select(
            *PERSON_TIE_COLUMNS,
            milestone.id.label("milestone_id"),
            milestone.kind.label("milestone_kind"),
            milestone.occurred_on,
            milestone.text.label("milestone_text"),
        )
        .select_from(Milestone.__table__)
        .join(Person.__table__, person.id == milestone.person_id)
        .outerjoin(Tie.__table__, tie.person_id == person.id)
        .where(
            milestone.owner_id == owner_id,
            milestone.occurred_on.between(first, last),
            person.archived.is_(False),
        )
    )
    return list(session.execute(stmt))


def anniversaries_on(
    session: Session, *, owner_id: int, month_days: MonthDays, started_by: date
) -> list[Any]:
    """Current company memberships of live people that started on one of `month_days`, by `started_by`."""
    membership = Membership.__table__.c
    person = Person.__table__.c
    organisation = Organisation.__table__.c
    tie = Tie.__table__.c
    if not month_days:
        return []
    start = membership.start_date
    stmt = (
        sa.select(
            *PERSON_TIE_COLUMNS,
            membership.id.label("membership_id"),
            membership.start_date,
            membership.role,
            organisation.name.label("organisation_name"),
        )
        .select_from(Membership.__table__)
        .join(Person.__table__, person.id == membership.person_id)
        .join(Organisation.__table__, organisation.id == membership.organisation_id)
        .outerjoin(Tie.__table__, tie.person_id == person.id)
        .where(
            membership.owner_id == owner_id,
            membership.person_id.is_not(None),
            membership.end_date.is_(None),
            start.is_not(None),
            start <= started_by,
            organisation.kind == "company",
            person.archived.is_(False),
            month_day(start).in_(sorted({m * 100 + d for m, d in month_days})),
        )
    )
    return list(session.execute(stmt))


def of_person(session: Session, *, owner_id: int, person_id: int, first: date, last: date) -> list[Milestone]:
    """One person's milestones dated from `first` to `last`, oldest first."""
    stmt = (
        sa.select(Milestone)
        .where(
            Milestone.owner_id == owner_id,
            Milestone.person_id == person_id,
            Milestone.occurred_on.between(first, last),
        )
        .order_by(Milestone.occurred_on, Milestone.id)
    )
    return list(session.scalars(stmt))


def current_company_roles(session: Session, *, owner_id: int, person_id: int) -> list[Any]:
    """(membership_id, start_date, organisation_name) of a person's current, dated company roles."""
    stmt = (
        sa.select(
            Membership.id.label("membership_id"),
            Membership.start_date,
            Organisation.name.label("organisation_name"),
        )
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(
            Membership.owner_id == owner_id,
            Membership.person_id == person_id,
            Membership.end_date.is_(None),
            Membership.start_date.is_not(None),
            Organisation.kind == "company",
        )
    )
    return list(session.execute(stmt))


def listing(session: Session, *, owner_id: int, person_id: int | None = None) -> list[tuple[Milestone, str]]:
    """(milestone, person's name), newest first; one person's only when `person_id` is given."""
    stmt = (
        sa.select(Milestone, Person.display_name)
        .join(Person, Person.id == Milestone.person_id)
        .where(Milestone.owner_id == owner_id)
        .order_by(Milestone.occurred_on.desc(), Milestone.id.desc())
    )
    if person_id is not None:
        stmt = stmt.where(Milestone.person_id == person_id)
    return [(m, name) for m, name in session.execute(stmt)]
