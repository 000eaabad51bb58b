"""Conflicts an address book sync found (a field changed on both sides since the last sync):
listed with tieline's value (kept) and the server's, and resolved either way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import CardConflict
from tieline.repo import carddav as carddav_repo
from tieline.repo import sync as sync_repo
from tieline.services.importing.changelog import ChangeLog
from tieline.services.sync import card_fields


@dataclass(frozen=True)
class ConflictView:
    """A field changed on both sides: tieline's value (kept) and the server's."""

    id: int
    connection: str
    person_id: int
    person: str
    field: str
    tieline_value: Any
    server_value: Any
    found_at: datetime


def conflicts(session: Session, *, owner_id: int) -> list[ConflictView]:
    """The unresolved conflicts, newest first."""
    return _views(session, owner_id, carddav_repo.conflicts(session, owner_id=owner_id))


def _views(session: Session, owner_id: int, found: list[CardConflict]) -> list[ConflictView]:
    names = {c.id: c.name for c in sync_repo.connections(session, owner_id=owner_id)}
    people = carddav_repo.people(session, owner_id=owner_id, person_ids=sorted({c.person_id for c in found}))
    return [
        ConflictView(
            id=c.id,
            connection=names.get(c.connection_id, ""),
            person_id=c.person_id,
            person=people[c.person_id].display_name if c.person_id in people else "",
            field=c.field,
            tieline_value=c.tieline_value,
            server_value=c.server_value,
            found_at=c.found_at,
        )
        for c in found
    ]


KEEP = ("tieline", "server")


def resolve(session: Session, *, owner_id: int, conflict_id: int, keep: str, now: datetime) -> ConflictView:
    """Settle a conflict: keep tieline's value (the server already has it), or take the server's
    (the next sync sends it back to the server, so both agree)."""
    if keep not in KEEP:
        raise InvalidInput(f"--keep {keep!r}: use tieline or server")
    conflict = carddav_repo.conflict(session, owner_id=owner_id, conflict_id=conflict_id)
    if conflict is None:
        raise NotFound(f"no conflict {conflict_id} (see tieline sync conflicts)")
    if conflict.resolved_at is not None:
        raise InvalidInput(f"conflict {conflict_id} was resolved already (kept {conflict.kept})")
    [shown] = _views(session, owner_id, [conflict])  # as listed, before it is settled
    if keep == "server":
        person = carddav_repo.people(session, owner_id=owner_id, person_ids=[conflict.person_id])[
            conflict.person_id
        ]
        fields = card_fields.of_person(person, notes=True)
        fields[conflict.field] = conflict.server_value
        card_fields.write(session, person, fields, [conflict.field], log=ChangeLog(), now=now)
    conflict.resolved_at, conflict.kept = now, keep
    session.flush()
    return shown
