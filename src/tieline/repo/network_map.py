"""Queries behind the network page's map: the people drawn (your strongest ties, or a few named
ones) and what their groups are labelled by (current organisations; tags come from repo.graph)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Membership, Organisation, Person, Tie
from tieline.repo.graph import columns_named

_membership = Membership.__table__
_organisation = Organisation.__table__
_person = Person.__table__
_tie = Tie.__table__
# SQLite caps bound parameters per statement; the map draws at most a few thousand people.
_CHUNK = 5000


class MapPersonRow(NamedTuple):
    """A live person as the map draws them: your stored tie strength 0-100 (0 without a tie)."""

    id: int
    display_name: str
    tier: int
    company: str | None
    industry: str | None
    strength: float


def _columns() -> tuple[sa.ColumnElement[object], ...]:
    strength = sa.func.coalesce(_tie.c.strength, 0.0).label("strength")
    return columns_named(
        MapPersonRow,
        _person.c.id,
        _person.c.display_name,
        _person.c.tier,
        _person.c.company,
        _person.c.industry,
        strength,
    )


def strongest(session: Session, *, owner_id: int, limit: int, tier: int | None = None) -> list[MapPersonRow]:
    """The `limit` live people (of `tier`, when given) with the strongest stored ties, strongest first."""
    stmt = (
        sa.select(*_columns())
        .join(_tie, _tie.c.person_id == _person.c.id)
        .where(_person.c.owner_id == owner_id, _person.c.archived.is_(False), _tie.c.strength > 0)
        .order_by(_tie.c.strength.desc(), _person.c.id)
        .limit(limit)
    )
    if tier is not None:
        stmt = stmt.where(_person.c.tier == tier)
    return list(map(MapPersonRow._make, session.execute(stmt)))


def live_people(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[MapPersonRow]:
    """The live people among `person_ids` (a tie or not), in no order."""
    rows: list[MapPersonRow] = []
    ids = list(person_ids)
    for start in range(0, len(ids), _CHUNK):
        stmt = (
            sa.select(*_columns())
            .outerjoin(_tie, _tie.c.person_id == _person.c.id)
            .where(
                _person.c.owner_id == owner_id,
                _person.c.archived.is_(False),
                _person.c.id.in_(ids[start : start + _CHUNK]),
            )
        )
        rows += map(MapPersonRow._make, session.execute(stmt))
    return rows


class Belonging(NamedTuple):
    """A person's current membership, as a group's label reads it."""

    person_id: int
    organisation_id: int
    name: str
    kind: str


def current_memberships(
    session: Session, *, owner_id: int, person_ids: Sequence[int], today: date
) -> list[Belonging]:
    """The current memberships (no end, or an end today or later) of these people only."""
    current = sa.or_(_membership.c.end_date.is_(None), _membership.c.end_date >= today)
    rows: list[Belonging] = []
    ids = list(person_ids)
    for start in range(0, len(ids), _CHUNK):
        stmt = (
            sa.select(
                *columns_named(
                    Belonging,
                    _membership.c.person_id,
                    _membership.c.organisation_id,
                    _organisation.c.name,
                    _organisation.c.kind,
                )
            )
            .join(_organisation, _organisation.c.id == _membership.c.organisation_id)
            # Written so no index on owner_id serves it: the person ids narrow the rows far more.
            .where((_membership.c.owner_id + 0) == owner_id, current)
            .where(_membership.c.person_id.in_(ids[start : start + _CHUNK]))
            .distinct()
        )
        rows += map(Belonging._make, session.execute(stmt))
    return rows
