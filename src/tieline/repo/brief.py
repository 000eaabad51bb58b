"""Queries of the meeting brief that no other subject had: the resources not yet passed to a person."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Resource, ResourceShare

_resource = Resource.__table__
_share = ResourceShare.__table__


class ResourceItem(NamedTuple):
    """A resource as the brief offers it."""

    id: int
    url: str
    title: str | None
    kind: str
    topics: list[str]


# Built once: the owner's resources not shared with the person yet, newest first.
_NOT_SHARED = (
    sa.select(*(_resource.c[name] for name in ResourceItem._fields))
    .where(
        _resource.c.owner_id == sa.bindparam("owner_id"),
        ~sa.exists().where(
            _share.c.resource_id == _resource.c.id, _share.c.person_id == sa.bindparam("person_id")
        ),
    )
    .order_by(_resource.c.created_at.desc(), _resource.c.id.desc())
)


def resources_not_shared(session: Session, *, owner_id: int, person_id: int) -> list[ResourceItem]:
    """The owner's resources the person was not given yet, newest first."""
    rows = session.execute(_NOT_SHARED, {"owner_id": owner_id, "person_id": person_id})
    return [ResourceItem(r.id, r.url, r.title, r.kind, list(r.topics or [])) for r in rows]
