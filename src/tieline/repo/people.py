"""Queries about people: lookup by id, name, email; filtered and sorted listings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from tieline.models import Membership, Person, PersonEmail, PersonTag
from tieline.repo.person_view import SUMMARY_COLUMNS, PersonSummary, summaries

SORTS = ("name", "last-contact", "created")


_DETAILS = (Person.emails, Person.phones, Person.links, Person.tags, Person.topics)


def with_details() -> list:  # type: ignore[type-arg]
    """Loader options that fetch a person's many-valued fields in a few batched queries."""
    return [selectinload(r) for r in _DETAILS]


def get(session: Session, *, owner_id: int, person_id: int, details: bool = True) -> Person | None:
    """The person with this id, if the owner has them."""
    stmt = sa.select(Person).where(Person.id == person_id, Person.owner_id == owner_id)
    if details:
        # One person: joining the five small collections in one query beats five more queries
        # (the rows multiply, but one person has only a few of each).
        stmt = stmt.options(*(joinedload(r) for r in _DETAILS))
    return session.scalars(stmt).unique().one_or_none()


_EXISTS = sa.select(Person.__table__.c.id).where(
    Person.__table__.c.id == sa.bindparam("person_id"),
    Person.__table__.c.owner_id == sa.bindparam("owner_id"),
)


def exists(session: Session, *, owner_id: int, person_id: int) -> bool:
    """Whether the owner has a person with this id."""
    return session.execute(_EXISTS, {"owner_id": owner_id, "person_id": person_id}).first() is not None


def get_many(
    session: Session, *, owner_id: int, person_ids: Sequence[int], details: bool = True
) -> list[Person]:
    """The people with these ids, in the order given; all details, or (for listings) tags and emails."""
    if not person_ids:
        return []
    options = with_details() if details else [selectinload(Person.tags), selectinload(Person.emails)]
    stmt = sa.select(Person).where(Person.owner_id == owner_id, Person.id.in_(person_ids)).options(*options)
    by_id = {p.id: p for p in session.scalars(stmt)}
    return [by_id[i] for i in person_ids if i in by_id]


@dataclass(frozen=True)
class NameMatch:
    """A person found by name, with what choosing among namesakes needs."""

    id: int
    display_name: str
    archived: bool


# Resolving a typed name runs this first, on every `show NAME`: built once, as plain Core.
_BY_SORT_NAME = sa.select(
    Person.__table__.c.id, Person.__table__.c.display_name, Person.__table__.c.archived
).where(
    Person.__table__.c.owner_id == sa.bindparam("owner_id"),
    Person.__table__.c.sort_name == sa.bindparam("sort_name"),
)


def find_by_sort_name(session: Session, *, owner_id: int, sort_name: str, limit: int = 20) -> list[NameMatch]:
    """People whose folded display name is exactly `sort_name`, live ones first."""
    # Sorted here, not in SQL: with an ORDER BY on `archived`, SQLite's planner (which has no
    # statistics) prefers the index that yields that order and walks every one of the owner's people.
    rows = session.execute(_BY_SORT_NAME, {"owner_id": owner_id, "sort_name": sort_name}).all()
    found = sorted((NameMatch(*row) for row in rows), key=lambda m: (m.archived, m.id))
    return found[:limit]


def find_by_name_prefix(session: Session, *, owner_id: int, prefix: str, limit: int = 20) -> list[NameMatch]:
    """People whose folded display name, or one of its words, starts with `prefix`."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (
        sa.select(Person.id, Person.display_name, Person.archived)
        .where(
            Person.owner_id == owner_id,
            sa.or_(
                Person.sort_name.like(escaped + "%", escape="\\"),
                Person.sort_name.like("% " + escaped + "%", escape="\\"),
            ),
        )
        .order_by(Person.archived, Person.sort_name, Person.id)
        .limit(limit)
    )
    return [NameMatch(*row) for row in session.execute(stmt)]


def all_names(session: Session, *, owner_id: int) -> list[tuple[int, str]]:
    """(id, folded name) of every person, for fuzzy matching."""
    stmt = sa.select(Person.id, Person.sort_name).where(Person.owner_id == owner_id)
    return [(row.id, row.sort_name) for row in session.execute(stmt)]


def every(session: Session, *, owner_id: int) -> list[Person]:
    """Every person of the owner, archived ones too, without their many-valued fields."""
    return list(session.scalars(sa.select(Person).where(Person.owner_id == owner_id)))


def plain_many(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[Person]:
    """The people with these ids (500 at most: one IN list), without their many-valued fields, in no order."""
    stmt = sa.select(Person).where(Person.owner_id == owner_id, Person.id.in_(person_ids))
    return list(session.scalars(stmt))


def find_by_email(session: Session, *, owner_id: int, address: str) -> list[Person]:
    """People with this email address (compared lower-cased)."""
    stmt = (
        sa.select(Person)
        .join(PersonEmail, PersonEmail.person_id == Person.id)
        .where(PersonEmail.owner_id == owner_id, PersonEmail.address == address.lower())
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class PersonFilter:
    """What `list` narrows people down by."""

    tier: int | None = None
    tag: str | None = None
    organisation_id: int | None = None
    include_archived: bool = False


def _filtered(stmt: sa.Select, *, owner_id: int, where: PersonFilter) -> sa.Select:  # type: ignore[type-arg]
    """Add the filter's conditions to a query over people."""
    stmt = stmt.where(Person.owner_id == owner_id)
    if not where.include_archived:
        stmt = stmt.where(Person.archived.is_(False))
    if where.tier is not None:
        stmt = stmt.where(Person.tier == where.tier)
    if where.tag is not None:
        tagged = sa.select(PersonTag.person_id).where(
            PersonTag.owner_id == owner_id, PersonTag.tag == where.tag
        )
        stmt = stmt.where(Person.id.in_(tagged))
    if where.organisation_id is not None:
        members = sa.select(Membership.person_id).where(
            Membership.owner_id == owner_id, Membership.organisation_id == where.organisation_id
        )
        stmt = stmt.where(Person.id.in_(members))
    return stmt


_ORDERS = {
    "name": (Person.sort_name, Person.id),
    # "Losing touch": never contacted first, then the longest silence.
    "last-contact": (Person.last_contact_at.is_not(None), Person.last_contact_at, Person.sort_name),
    "created": (Person.created_at.desc(), Person.id.desc()),
}


def count_matching(session: Session, *, owner_id: int, where: PersonFilter) -> int:
    """How many people `list_summaries` would return without a limit."""
    stmt = _filtered(sa.select(sa.func.count(Person.id)), owner_id=owner_id, where=where)
    return session.scalar(stmt) or 0


def count(session: Session, *, owner_id: int) -> int:
    """How many people (archived included) the owner has."""
    return session.scalar(sa.select(sa.func.count(Person.id)).where(Person.owner_id == owner_id)) or 0


def list_summaries(
    session: Session,
    *,
    owner_id: int,
    where: PersonFilter,
    sort: str = "name",
    limit: int | None = None,
    offset: int = 0,
) -> list[PersonSummary]:
    """People matching the filter, sorted by name, last contact (oldest first) or creation, as
    summaries (what a listing shows) read as plain rows: loading whole people (every column, the
    ORM's bookkeeping) cost several times the SQL."""
    stmt = _filtered(sa.select(*SUMMARY_COLUMNS), owner_id=owner_id, where=where)
    stmt = stmt.order_by(*_ORDERS[sort]).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return summaries(session, session.execute(stmt).all())
