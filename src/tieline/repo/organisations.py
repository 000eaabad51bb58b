"""Queries about organisations and memberships."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from tieline.models import Membership, Organisation, Person, Tie


def find_by_name(
    session: Session, *, owner_id: int, match_name: str, kind: str | None = None
) -> list[Organisation]:
    """Organisations whose folded name is `match_name`, of one kind or any."""
    stmt = sa.select(Organisation).where(
        Organisation.owner_id == owner_id, Organisation.match_name == match_name
    )
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind)
    return list(session.scalars(stmt.order_by(Organisation.id)))


def find_by_name_prefix(
    session: Session, *, owner_id: int, prefix: str, limit: int = 20
) -> list[Organisation]:
    """Organisations whose folded name starts with `prefix`."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = (
        sa.select(Organisation)
        .where(Organisation.owner_id == owner_id, Organisation.match_name.like(escaped + "%", escape="\\"))
        .order_by(Organisation.match_name, Organisation.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def get(session: Session, *, owner_id: int, organisation_id: int) -> Organisation | None:
    """The organisation with this id, if the owner has it."""
    stmt = sa.select(Organisation).where(
        Organisation.id == organisation_id, Organisation.owner_id == owner_id
    )
    return session.scalars(stmt).first()


def list_with_counts(
    session: Session, *, owner_id: int, kind: str | None = None
) -> list[tuple[Organisation, int]]:
    """Every organisation with the number of people who are, or were, members."""
    members = (
        sa.select(Membership.organisation_id, sa.func.count(sa.distinct(Membership.person_id)).label("n"))
        .where(Membership.owner_id == owner_id)
        .group_by(Membership.organisation_id)
        .subquery()
    )
    stmt = (
        sa.select(Organisation, sa.func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.organisation_id == Organisation.id)
        .where(Organisation.owner_id == owner_id)
        .order_by(Organisation.match_name, Organisation.id)
    )
    if kind is not None:
        stmt = stmt.where(Organisation.kind == kind)
    return [(org, int(n)) for org, n in session.execute(stmt)]


def memberships_of_organisation(
    session: Session, *, owner_id: int, organisation_id: int
) -> list[tuple[Membership, Person | None]]:
    """Memberships in an organisation with their people (None for the owner), current first."""
    stmt = (
        sa.select(Membership, Person)
        .outerjoin(Person, Person.id == Membership.person_id)
        .where(Membership.owner_id == owner_id, Membership.organisation_id == organisation_id)
        .order_by(Membership.end_date.is_not(None), Person.sort_name, Membership.id)
    )
    return [(m, p) for m, p in session.execute(stmt)]


def memberships_of_person(session: Session, *, owner_id: int, person_id: int) -> list[Membership]:
    """A person's memberships with their organisations, current first, newest first."""
    stmt = (
        sa.select(Membership)
        .where(Membership.owner_id == owner_id, Membership.person_id == person_id)
        .options(joinedload(Membership.organisation))
        .order_by(
            Membership.end_date.is_not(None), Membership.start_date.desc().nulls_last(), Membership.id.desc()
        )
    )
    return list(session.scalars(stmt))


def current_membership(
    session: Session, *, owner_id: int, person_id: int, organisation_id: int
) -> Membership | None:
    """The person's open (no end date) membership in the organisation, if any."""
    stmt = sa.select(Membership).where(
        Membership.owner_id == owner_id,
        Membership.person_id == person_id,
        Membership.organisation_id == organisation_id,
        Membership.end_date.is_(None),
    )
    return session.scalars(stmt).first()


def open_memberships(session: Session, *, owner_id: int, person_id: int) -> list[Membership]:
    """The person's memberships that have not ended (no end date), in any organisation."""
    stmt = sa.select(Membership).where(
        Membership.owner_id == owner_id,
        Membership.person_id == person_id,
        Membership.end_date.is_(None),
    )
    return list(session.scalars(stmt))


def names(session: Session, *, owner_id: int, limit: int) -> list[sa.Row]:  # type: ignore[type-arg]
    """(id, name, kind) of organisations by name, for choosing one in a filter."""
    stmt = (
        sa.select(Organisation.id, Organisation.name, Organisation.kind)
        .where(Organisation.owner_id == owner_id)
        .order_by(Organisation.match_name, Organisation.id)
        .limit(limit)
    )
    return list(session.execute(stmt))


def members_of_tree(
    session: Session, *, owner_id: int, organisation_id: int
) -> list[tuple[Membership, Organisation, Person, Tie | None]]:
    """People's memberships in an organisation and every organisation under it (departments, teams).

    Archived people are left out; each row carries the person's tie (None before any interaction).
    """
    tree = (
        sa.select(Organisation.id)
        .where(Organisation.id == organisation_id, Organisation.owner_id == owner_id)
        .cte("tree", recursive=True)
    )
    child = aliased(Organisation)
    # UNION (not UNION ALL) stops at rows already seen, so a parent loop cannot recurse forever.
    tree = tree.union(sa.select(child.id).where(child.parent_id == tree.c.id, child.owner_id == owner_id))
    stmt = (
        sa.select(Membership, Organisation, Person, Tie)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .join(Person, Person.id == Membership.person_id)
        .outerjoin(Tie, Tie.person_id == Person.id)
        .where(
            Membership.owner_id == owner_id,
            Membership.organisation_id.in_(sa.select(tree.c.id)),
            Person.archived.is_(False),
        )
        .order_by(Person.sort_name, Person.id, Membership.start_date.desc().nulls_last(), Membership.id)
    )
    return [(m, o, p, t) for m, o, p, t in session.execute(stmt)]


class PairMembership(NamedTuple):
    """One membership of a pair's, as common ground reads it."""

    id: int
    person_id: int | None
    organisation_id: int
    role: str | None
    start_date: date | None
    end_date: date | None


class OrganisationLine(NamedTuple):
    """An organisation and its parent, as common ground walks a line up to the company."""

    id: int
    parent_id: int | None
    name: str
    kind: str
    match_name: str


# Common ground is on every person page and `tieline show`: these read table columns, not mapped
# classes, so no mapper is configured for it (about 26 ms of a command's start-up).
_membership = Membership.__table__
_organisation = Organisation.__table__


def memberships_of_pair(
    session: Session, *, owner_id: int, person_id: int, other_id: int | None = None
) -> list[PairMembership]:
    """The memberships of a person and of another (the owner's own, person_id NULL, when None)."""
    m = _membership.c
    other = m.person_id.is_(None) if other_id is None else m.person_id == other_id
    # `owner_id + 0`: not the owner's index (SQLite took it and read every membership of the owner,
    # 14 ms at `large`), so both sides of the OR are looked up in the person_id index.
    stmt = (
        sa.select(m.id, m.person_id, m.organisation_id, m.role, m.start_date, m.end_date)
        .where((m.owner_id + 0) == owner_id, sa.or_(other, m.person_id == person_id))
        .order_by(m.start_date.desc().nulls_last(), m.id)
    )
    return [PairMembership._make(row) for row in session.execute(stmt)]


def with_ancestors(
    session: Session, *, owner_id: int, organisation_ids: Sequence[int]
) -> dict[int, OrganisationLine]:
    """id -> organisation for these organisations and every parent above them."""
    if not organisation_ids:
        return {}
    o = _organisation.c
    up = (
        sa.select(o.id, o.parent_id)
        .where(o.owner_id == owner_id, o.id.in_(list(organisation_ids)))
        .cte("up", recursive=True)
    )
    parent = _organisation.alias("parent")
    up = up.union(
        sa.select(parent.c.id, parent.c.parent_id).where(
            parent.c.id == up.c.parent_id, parent.c.owner_id == owner_id
        )
    )
    stmt = sa.select(o.id, o.parent_id, o.name, o.kind, o.match_name).where(o.id.in_(sa.select(up.c.id)))
    return {row.id: OrganisationLine._make(row) for row in session.execute(stmt)}


@dataclass(frozen=True)
class OrganisationCounts:
    """An organisation with how many live people are members now and whether you are."""

    organisation: Organisation
    current: int
    mine: bool


def _listing_where(
    *, owner_id: int, kind: str | None, name_part: str | None, parent_id: int | None
) -> list[sa.ColumnElement[bool]]:
    where = [Organisation.owner_id == owner_id]
    if kind is not None:
        where.append(Organisation.kind == kind)
    if name_part:
        where.append(Organisation.match_name.contains(name_part, autoescape=True))
    if parent_id is not None:
        where.append(Organisation.parent_id == parent_id)
    return where


def listing(
    session: Session,
    *,
    owner_id: int,
    today: date,
    kind: str | None = None,
    name_part: str | None = None,
    parent_id: int | None = None,
    limit: int | None = None,
) -> list[OrganisationCounts]:
    """Organisations by name, of one kind, whose folded name contains `name_part`, or under a parent,
    each with its current members (no end date, or one today or later; archived people left out)."""
    current = sa.or_(Membership.end_date.is_(None), Membership.end_date >= today)
    counts = (
        sa.select(
            Membership.organisation_id,
            sa.func.count(sa.distinct(Membership.person_id))
            .filter(current, Person.archived.is_(False))
            .label("current"),
            sa.func.count().filter(current, Membership.person_id.is_(None)).label("mine"),
        )
        .outerjoin(Person, Person.id == Membership.person_id)
        .where(Membership.owner_id == owner_id)
        .group_by(Membership.organisation_id)
        .subquery()
    )
    where = _listing_where(owner_id=owner_id, kind=kind, name_part=name_part, parent_id=parent_id)
    stmt = (
        sa.select(Organisation, sa.func.coalesce(counts.c.current, 0), sa.func.coalesce(counts.c.mine, 0))
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .where(*where)
        .order_by(Organisation.match_name, Organisation.id)
        .limit(limit)
    )
    return [OrganisationCounts(org, int(n), int(mine) > 0) for org, n, mine in session.execute(stmt)]


def count_matching(
    session: Session, *, owner_id: int, kind: str | None = None, name_part: str | None = None
) -> int:
    """How many organisations `listing` would give without a limit."""
    where = _listing_where(owner_id=owner_id, kind=kind, name_part=name_part, parent_id=None)
    return int(session.scalar(sa.select(sa.func.count()).select_from(Organisation).where(*where)) or 0)
