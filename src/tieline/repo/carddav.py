"""Queries of the address book sync: each card's link to its person, the people to send, people
loaded with what a card carries, and the conflicts waiting for the user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tieline.models import CardConflict, CardLink, Person, PersonEmail, PersonLink, PersonPhone, PersonTag

CHUNK = 500


def links(session: Session, *, connection_id: int) -> list[CardLink]:
    """Every card link of a connection, oldest first (a merged person keeps their oldest card)."""
    stmt = sa.select(CardLink).where(CardLink.connection_id == connection_id).order_by(CardLink.id)
    return list(session.scalars(stmt))


def chosen(session: Session, *, owner_id: int, tier: int | None, tag: str | None) -> set[int]:
    """The ids of the live people a connection sends: all, those of tier `tier` or closer, or those tagged."""
    stmt = sa.select(Person.id).where(Person.owner_id == owner_id, Person.archived.is_(False))
    if tier is not None:
        stmt = stmt.where(Person.tier <= tier)
    if tag is not None:
        tagged = sa.select(PersonTag.person_id).where(PersonTag.owner_id == owner_id, PersonTag.tag == tag)
        stmt = stmt.where(Person.id.in_(tagged))
    return set(session.scalars(stmt))


def archived_ids(session: Session, *, owner_id: int) -> set[int]:
    """The owner's archived people (few, and one query however many are linked)."""
    stmt = sa.select(Person.id).where(Person.owner_id == owner_id, Person.archived.is_(True))
    return set(session.scalars(stmt))


def people(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, Person]:
    """id -> person with emails, phones and links loaded, CHUNK at a time."""
    found: dict[int, Person] = {}
    options = [selectinload(Person.emails), selectinload(Person.phones), selectinload(Person.links)]
    for start in range(0, len(person_ids), CHUNK):
        stmt = (
            sa.select(Person)
            .where(Person.owner_id == owner_id, Person.id.in_(person_ids[start : start + CHUNK]))
            .options(*options)
        )
        found.update((p.id, p) for p in session.scalars(stmt))
    return found


class Labelled(NamedTuple):
    """An email, phone or web address with its label, as a card carries it."""

    value: str
    label: str | None


@dataclass(slots=True)
class CardPerson:
    """What a card carries of a person, read plainly (no ORM objects): a sync compares thousands."""

    id: int
    owner_id: int
    source: str | None
    source_id: str | None
    display_name: str
    family_name: str | None
    given_name: str | None
    middle_name: str | None
    name_prefix: str | None
    name_suffix: str | None
    company: str | None
    department: str | None
    title: str | None
    birthday_year: int | None
    birthday_month: int | None
    birthday_day: int | None
    notes: str | None
    extra: dict[str, Any] | None
    emails: list[Labelled] = field(default_factory=list)
    phones: list[Labelled] = field(default_factory=list)
    links: list[Labelled] = field(default_factory=list)


_CARD_COLUMNS = [
    getattr(Person, f.name) for f in fields(CardPerson) if f.name not in ("emails", "phones", "links")
]
_CHILDREN = (
    ("emails", PersonEmail, PersonEmail.address),
    ("phones", PersonPhone, PersonPhone.number),
    ("links", PersonLink, PersonLink.url),
)


def card_people(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> dict[int, CardPerson]:
    """id -> what a card carries of each of these people: four queries over the owner's people,
    whatever their number."""
    wanted = set(person_ids)
    if not wanted:
        return {}
    # By position, inside the repository: the columns are the dataclass's fields, in order.
    found = {
        row[0]: CardPerson(*row)
        for row in session.execute(sa.select(*_CARD_COLUMNS).where(Person.owner_id == owner_id))
        if row[0] in wanted
    }
    for attribute, model, value in _CHILDREN:
        stmt = (
            sa.select(model.person_id, value.label("value"), model.label)
            .where(model.owner_id == owner_id)
            .order_by(model.person_id, model.position, model.id)
        )
        for row in session.execute(stmt):
            if row.person_id in found:
                getattr(found[row.person_id], attribute).append(Labelled(row.value, row.label))
    return found


class LinkRow(NamedTuple):
    """A card link as the sync compares it: no ORM object."""

    id: int
    person_id: int | None
    href: str
    uid: str
    etag: str | None
    base: dict[str, Any]


def link_rows(session: Session, *, connection_id: int) -> list[LinkRow]:
    """Every card link of a connection, oldest first, as plain rows."""
    stmt = (
        sa.select(CardLink.id, CardLink.person_id, CardLink.href, CardLink.uid, CardLink.etag, CardLink.base)
        .where(CardLink.connection_id == connection_id)
        .order_by(CardLink.id)
    )
    return [LinkRow(*row) for row in session.execute(stmt)]


def etags(session: Session, *, connection_id: int) -> dict[str, str]:
    """href -> ETag of the cards a connection has seen on its server (not those still being written)."""
    stmt = sa.select(CardLink.href, CardLink.etag).where(
        CardLink.connection_id == connection_id, CardLink.etag.is_not(None)
    )
    return {row.href: row.etag for row in session.execute(stmt)}


def conflicts(session: Session, *, owner_id: int) -> list[CardConflict]:
    """The unresolved conflicts found by address book syncs, newest first."""
    stmt = sa.select(CardConflict).where(
        CardConflict.owner_id == owner_id, CardConflict.resolved_at.is_(None)
    )
    return list(session.scalars(stmt.order_by(CardConflict.id.desc())))


def conflict(session: Session, *, owner_id: int, conflict_id: int) -> CardConflict | None:
    """One conflict by id."""
    stmt = sa.select(CardConflict).where(CardConflict.owner_id == owner_id, CardConflict.id == conflict_id)
    return session.scalars(stmt).one_or_none()


def open_conflict(session: Session, *, person_id: int, field: str) -> CardConflict | None:
    """The unresolved conflict on a person's field, if any."""
    stmt = sa.select(CardConflict).where(
        CardConflict.person_id == person_id, CardConflict.field == field, CardConflict.resolved_at.is_(None)
    )
    return session.scalars(stmt).first()
