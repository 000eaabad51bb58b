"""The person page's data, read with a few prebuilt Core queries into plain read-only objects.

The page is the most viewed thing in tieline. Loading it through the ORM cost several times the SQL
itself (identity map, instrumented collections, per-object events); these statements are built once,
run as plain rows, and give objects with the same attribute names as the models, so templates,
renderers and serialisers read either. Edits still go through the ORM models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    Membership,
    Organisation,
    Person,
    PersonEmail,
    PersonLink,
    PersonPhone,
    PersonTag,
    PersonTopic,
    Tie,
)

_person = Person.__table__
_tie = Tie.__table__
_membership = Membership.__table__
_organisation = Organisation.__table__


@dataclass(frozen=True)
class EmailItem:
    address: str
    label: str | None


@dataclass(frozen=True)
class PhoneItem:
    number: str
    label: str | None


@dataclass(frozen=True)
class LinkItem:
    url: str
    kind: str
    label: str | None


@dataclass(frozen=True)
class TagItem:
    tag: str


@dataclass(frozen=True)
class TopicItem:
    kind: str
    value: str


class PersonView:
    """A person as read for display: every column as an attribute, and the many-valued fields."""

    __slots__ = ("_row", "emails", "links", "phones", "tags", "topics")

    def __init__(
        self,
        row: Mapping[str, Any],
        *,
        emails: list[EmailItem],
        phones: list[PhoneItem],
        links: list[LinkItem],
        tags: list[TagItem],
        topics: list[TopicItem],
    ) -> None:
        self._row = row
        self.emails, self.phones, self.links, self.tags, self.topics = emails, phones, links, tags, topics

    def __getattr__(self, name: str) -> Any:
        try:
            return self._row[name]
        except KeyError:
            raise AttributeError(name) from None

    def topic_values(self, kind: str) -> list[str]:
        """The person's interests, expertise or needs, in the order they were given."""
        return [t.value for t in self.topics if t.kind == kind]


@dataclass(frozen=True)
class PersonSummary:
    """What a search result or listing shows of a person: name, role, tier, emails and tags."""

    id: int
    display_name: str
    title: str | None
    company: str | None
    tier: int
    archived: bool
    last_contact_at: datetime | None
    emails: list[EmailItem]
    tags: list[TagItem]


SUMMARY_COLUMNS = tuple(
    _person.c[name]
    for name in ("id", "display_name", "title", "company", "tier", "archived", "last_contact_at")
)
_SUMMARY_LISTS = sa.union_all(
    sa.select(
        PersonEmail.__table__.c.person_id,
        sa.literal_column("'email'").label("list"),
        PersonEmail.__table__.c.position,
        PersonEmail.__table__.c.address.label("value"),
        PersonEmail.__table__.c.label,
    ).where(PersonEmail.__table__.c.person_id.in_(sa.bindparam("ids", expanding=True))),
    sa.select(
        PersonTag.__table__.c.person_id,
        sa.literal_column("'tag'"),
        sa.cast(sa.null(), sa.Integer),
        PersonTag.__table__.c.tag,
        sa.null(),
    ).where(PersonTag.__table__.c.person_id.in_(sa.bindparam("ids", expanding=True))),
).order_by(sa.literal_column("list"), sa.literal_column("position"), sa.literal_column("value"))


def summaries(session: Session, rows: Sequence[Sequence[Any]]) -> list[PersonSummary]:
    """People from rows of SUMMARY_COLUMNS, in the same order, with their emails and tags (one query)."""
    if not rows:
        return []
    emails: dict[int, list[EmailItem]] = {}
    tags: dict[int, list[TagItem]] = {}
    for person_id, kind, _, value, label in session.execute(_SUMMARY_LISTS, {"ids": [r[0] for r in rows]}):
        if kind == "email":
            emails.setdefault(person_id, []).append(EmailItem(value, label))
        else:
            tags.setdefault(person_id, []).append(TagItem(value))
    return [PersonSummary(*row, emails=emails.get(row[0], []), tags=tags.get(row[0], [])) for row in rows]


@dataclass(frozen=True)
class OrganisationItem:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class MembershipItem:
    """A membership as the person page shows it, with its organisation."""

    id: int
    organisation_id: int
    person_id: int | None
    role: str | None
    start_date: date | None
    end_date: date | None
    organisation: OrganisationItem


@dataclass(frozen=True)
class PersonPage:
    """The rows behind a person's page; `tie` is None before any interaction was scored."""

    person: PersonView
    tie: SimpleNamespace | None  # the tie's columns as attributes
    memberships: list[MembershipItem]


_TIE_PREFIX = "tie_"
# The person with their tie (if any) beside them, in one row.
_PERSON = (
    sa.select(_person, *(c.label(_TIE_PREFIX + c.name) for c in _tie.c))
    .outerjoin(_tie, _tie.c.person_id == _person.c.id)
    .where(_person.c.owner_id == sa.bindparam("owner_id"), _person.c.id == sa.bindparam("person_id"))
)


# The many-valued fields and the memberships come back together, in one round trip, as rows of
# (list, position, three texts, two numbers, two dates): each list fills what it needs and pads the
# rest with typed NULLs (PostgreSQL wants every branch of a UNION to agree on types).
_TEXTS, _NUMBERS, _DATES = 3, 2, 2


def _row(
    list_name: str,
    position: Any,
    texts: Sequence[Any],
    numbers: Sequence[Any] = (),
    dates: Sequence[Any] = (),
) -> list[Any]:
    def pad(values: Sequence[Any], size: int, kind: type[sa.types.TypeEngine[Any]]) -> list[Any]:
        return [*values, *(sa.cast(sa.null(), kind) for _ in range(size - len(values)))]

    return [
        sa.literal_column(f"'{list_name}'").label("list"),
        position.label("position"),
        *(v.label(f"t{i}") for i, v in enumerate(pad(texts, _TEXTS, sa.String))),
        *(v.label(f"n{i}") for i, v in enumerate(pad(numbers, _NUMBERS, sa.Integer))),
        *(v.label(f"d{i}") for i, v in enumerate(pad(dates, _DATES, sa.Date))),
    ]


def _list(table: sa.Table, *columns: str) -> sa.Select[Any]:
    """One many-valued field: its position if it has one, and up to three text values."""
    position = table.c.position if "position" in table.c else sa.cast(sa.null(), sa.Integer)
    return sa.select(*_row(table.name, position, [table.c[c] for c in columns])).where(
        table.c.person_id == sa.bindparam("person_id")
    )


_memberships = sa.select(
    *_row(
        "membership",
        sa.cast(sa.null(), sa.Integer),
        [_membership.c.role, _organisation.c.name, _organisation.c.kind],
        [_membership.c.id, _membership.c.organisation_id],
        [_membership.c.start_date, _membership.c.end_date],
    )
).where(
    _organisation.c.id == _membership.c.organisation_id,
    _membership.c.owner_id == sa.bindparam("owner_id"),
    _membership.c.person_id == sa.bindparam("person_id"),
)
# Lists in the order their ORM relationships use (tags by tag, in the database's collation; the
# rest by position); memberships are ordered in Python (current first, latest start first).
_LISTS = sa.union_all(
    _list(PersonEmail.__table__, "address", "label"),
    _list(PersonPhone.__table__, "number", "label"),
    _list(PersonLink.__table__, "url", "kind", "label"),
    _list(PersonTag.__table__, "tag"),
    _list(PersonTopic.__table__, "kind", "value"),
    _memberships,
).order_by(sa.literal_column("list"), sa.literal_column("position"), sa.literal_column("t0"))
# The person's columns, then the tie's, in _PERSON's rows.
_PERSON_NAMES = tuple(c.name for c in _person.c)
_PERSON_WIDTH = len(_PERSON_NAMES)
_TIE_NAMES = tuple(c.name for c in _tie.c)


def person_page(session: Session, *, owner_id: int, person_id: int) -> PersonPage | None:
    """The person, their tie and memberships, if the owner has this person (two queries)."""
    params = {"owner_id": owner_id, "person_id": person_id}
    row = session.execute(_PERSON, params).one_or_none()
    if row is None:
        return None
    person = dict(zip(_PERSON_NAMES, row[:_PERSON_WIDTH], strict=True))
    tie_values = dict(zip(_TIE_NAMES, row[_PERSON_WIDTH:], strict=True))
    tie = SimpleNamespace(**tie_values) if tie_values["person_id"] is not None else None
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for name, _, *values in session.execute(_LISTS, params).all():
        grouped.setdefault(name, []).append(tuple(values))
    memberships = [
        MembershipItem(mid, org_id, person_id, role, start, end, OrganisationItem(org_id, name, kind))
        for role, name, kind, mid, org_id, start, end in grouped.pop("membership", [])
    ]
    memberships.sort(key=_current_first)
    return PersonPage(person=_view(person, grouped), tie=tie, memberships=memberships)


def _current_first(m: MembershipItem) -> tuple[bool, bool, int, int]:
    """Current memberships first; within each, the latest start first (no start last), then newest."""
    start = -m.start_date.toordinal() if m.start_date else 0
    return (m.end_date is not None, m.start_date is None, start, -m.id)


def _view(row: Mapping[str, Any], grouped: dict[str, list[tuple[Any, ...]]]) -> PersonView:
    def of(table: sa.Table) -> list[tuple[Any, ...]]:
        return grouped.get(table.name, [])

    return PersonView(
        row,
        emails=[EmailItem(a, label) for a, label, *_ in of(PersonEmail.__table__)],
        phones=[PhoneItem(n, label) for n, label, *_ in of(PersonPhone.__table__)],
        links=[LinkItem(url, kind, label) for url, kind, label, *_ in of(PersonLink.__table__)],
        tags=[TagItem(t) for t, *_ in of(PersonTag.__table__)],
        topics=[TopicItem(kind, value) for kind, value, *_ in of(PersonTopic.__table__)],
    )
