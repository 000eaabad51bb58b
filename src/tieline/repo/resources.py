"""Queries about resources worth passing on: lookups, who had them, and people whose words match."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Person, PersonTag, PersonTopic, Resource, ResourceShare, Tie
from tieline.repo.search import PG_DOCUMENT

# Names and handles never make a person a match for a topic: only work, topics and notes.
_SQLITE_CANDIDATES = sa.text(
    "SELECT rowid AS person_id FROM person_fts WHERE person_fts MATCH :match "
    "ORDER BY bm25(person_fts, 0.0, 0.0, 2.0, 4.0, 1.0) LIMIT :limit"
)
_PG_CANDIDATES = sa.text(
    f"SELECT s.person_id FROM person_search s, to_tsquery('simple', :match) q "
    f"WHERE ({PG_DOCUMENT}) @@ q AND s.owner_id = :owner_id "
    f"ORDER BY ts_rank(({PG_DOCUMENT}), q) DESC LIMIT :limit"
)


def get_by_url(session: Session, *, owner_id: int, url: str) -> Resource | None:
    """The resource with this address, if the owner has it."""
    stmt = sa.select(Resource).where(Resource.owner_id == owner_id, Resource.url == url)
    return session.scalars(stmt).one_or_none()


def listing(session: Session, *, owner_id: int) -> list[Resource]:
    """Every resource, newest first."""
    stmt = (
        sa.select(Resource)
        .where(Resource.owner_id == owner_id)
        .order_by(Resource.created_at.desc(), Resource.id.desc())
    )
    return list(session.scalars(stmt))


def shares_of(
    session: Session, *, owner_id: int, resource_ids: Sequence[int]
) -> dict[int, list[tuple[ResourceShare, str]]]:
    """resource id -> its shares with the person's name, in the order they were made."""
    out: dict[int, list[tuple[ResourceShare, str]]] = {rid: [] for rid in resource_ids}
    if not resource_ids:
        return out
    stmt = (
        sa.select(ResourceShare, Person.display_name)
        .join(Person, Person.id == ResourceShare.person_id)
        .where(ResourceShare.owner_id == owner_id, ResourceShare.resource_id.in_(list(resource_ids)))
        .order_by(ResourceShare.shared_at, ResourceShare.id)
    )
    for share, name in session.execute(stmt):
        out[share.resource_id].append((share, name))
    return out


def shared_person_ids(session: Session, *, owner_id: int, resource_id: int) -> set[int]:
    """The people a resource was already passed to."""
    stmt = sa.select(ResourceShare.person_id).where(
        ResourceShare.owner_id == owner_id, ResourceShare.resource_id == resource_id
    )
    return set(session.scalars(stmt))


def candidates(session: Session, *, owner_id: int, words: Sequence[str], limit: int) -> list[int]:
    """People whose work, topics or notes contain any of `words` (each as a prefix), best first."""
    if not words:
        return []
    if session.get_bind().dialect.name == "sqlite":
        match = "{work topics notes} : (" + " OR ".join(f'"{w}"*' for w in words) + ")"
        stmt = _SQLITE_CANDIDATES.bindparams(match=match, limit=limit)
    else:
        match = " | ".join(f"'{w}':*" for w in words)
        stmt = _PG_CANDIDATES.bindparams(match=match, owner_id=owner_id, limit=limit)
    return [int(pid) for pid in session.scalars(stmt)]


def profiles(session: Session, *, owner_id: int, person_ids: Sequence[int]) -> list[Any]:
    """id, display_name, title, industry, notes and stored tie strength of the live people among `person_ids`."""
    if not person_ids:
        return []
    stmt = (
        sa.select(
            Person.id,
            Person.display_name,
            Person.title,
            Person.industry,
            Person.notes,
            sa.func.coalesce(Tie.strength, 0.0).label("strength"),
        )
        .outerjoin(Tie, Tie.person_id == Person.id)
        .where(Person.owner_id == owner_id, Person.archived.is_(False), Person.id.in_(list(person_ids)))
    )
    return list(session.execute(stmt))


def topics_and_tags(
    session: Session, *, owner_id: int, person_ids: Sequence[int]
) -> dict[int, list[tuple[str, str]]]:
    """person id -> (kind, value) of their interests, expertise and needs, and ("tag", tag) of their tags."""
    out: dict[int, list[tuple[str, str]]] = {}
    if not person_ids:
        return out
    ids = list(person_ids)
    topics = sa.select(PersonTopic.person_id, PersonTopic.kind, PersonTopic.value).where(
        PersonTopic.owner_id == owner_id, PersonTopic.person_id.in_(ids)
    )
    tags = sa.select(PersonTag.person_id, sa.literal("tag"), PersonTag.tag).where(
        PersonTag.owner_id == owner_id, PersonTag.person_id.in_(ids)
    )
    for person_id, kind, value in session.execute(topics.union_all(tags)):
        out.setdefault(person_id, []).append((kind, value))
    return out
