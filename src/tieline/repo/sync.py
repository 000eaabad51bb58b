"""Queries about sync: connections by name, the cursors each sync leaves, addresses known to belong
to someone, and the discovered queue of correspondents who match nobody."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    Connection,
    Discovered,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Person,
    PersonEmail,
    SyncCursor,
)


def connection(session: Session, *, owner_id: int, name: str) -> Connection | None:
    """The owner's connection of that name, if any."""
    stmt = sa.select(Connection).where(Connection.owner_id == owner_id, Connection.name == name)
    return session.scalars(stmt).one_or_none()


def connections(session: Session, *, owner_id: int) -> list[Connection]:
    """Every connection of the owner, by name."""
    stmt = sa.select(Connection).where(Connection.owner_id == owner_id).order_by(Connection.name)
    return list(session.scalars(stmt))


def due_names(session: Session, *, owner_id: int, now: datetime) -> list[str]:
    """Names of the connections whose next run is not in the future (a failed one waits its back-off)."""
    stmt = (
        sa.select(Connection.name)
        .where(
            Connection.owner_id == owner_id,
            sa.or_(Connection.next_run_at.is_(None), Connection.next_run_at <= now),
        )
        .order_by(Connection.name)
    )
    return list(session.scalars(stmt))


class DueConnection(NamedTuple):
    owner_id: int
    name: str


def due_everywhere(session: Session, *, now: datetime) -> list[DueConnection]:
    """Every owner's connections whose next run is not in the future (server mode has many owners),
    by owner then name."""
    stmt = (
        sa.select(Connection.owner_id, Connection.name)
        .where(sa.or_(Connection.next_run_at.is_(None), Connection.next_run_at <= now))
        .order_by(Connection.owner_id, Connection.name)
    )
    return [DueConnection(row.owner_id, row.name) for row in session.execute(stmt)]


def cursors(session: Session, *, connection_id: int) -> dict[str, dict[str, Any]]:
    """key (a folder, a calendar) -> the state its last sync left."""
    stmt = sa.select(SyncCursor.key, SyncCursor.state).where(SyncCursor.connection_id == connection_id)
    return {row.key: dict(row.state) for row in session.execute(stmt)}


def save_cursors(
    session: Session,
    *,
    owner_id: int,
    connection_id: int,
    states: dict[str, dict[str, Any]],
    now: datetime,
) -> int:
    """Store the cursors that changed; how many were written."""
    stored = {
        c.key: c
        for c in session.scalars(sa.select(SyncCursor).where(SyncCursor.connection_id == connection_id))
    }
    written = 0
    for key, state in states.items():
        current = stored.get(key)
        if current is not None and current.state == state:
            continue
        if current is None:
            session.add(
                SyncCursor(
                    owner_id=owner_id, connection_id=connection_id, key=key, state=state, updated_at=now
                )
            )
        else:
            current.state, current.updated_at = dict(state), now
        written += 1
    session.flush()
    return written


def known_addresses(session: Session, *, owner_id: int, addresses: Iterable[str]) -> set[str]:
    """Those of `addresses` (folded) that belong to a person."""
    wanted = sorted(set(addresses))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stmt = sa.select(PersonEmail.address).where(
            PersonEmail.owner_id == owner_id, PersonEmail.address.in_(chunk)
        )
        found.update(session.scalars(stmt))
    return found


def discovered(session: Session, *, owner_id: int, emails: Iterable[str]) -> dict[str, Discovered]:
    """email -> the queued entry, for those of `emails` in the queue (ignored ones included)."""
    wanted = sorted(set(emails))
    out: dict[str, Discovered] = {}
    for start in range(0, len(wanted), 500):
        stmt = sa.select(Discovered).where(
            Discovered.owner_id == owner_id, Discovered.email.in_(wanted[start : start + 500])
        )
        out.update({d.email: d for d in session.scalars(stmt)})
    return out


def discovered_listing(
    session: Session, *, owner_id: int, include_ignored: bool = False, limit: int | None = None
) -> list[Discovered]:
    """The queue, most recently seen first (the first `limit` of it, if given)."""
    stmt = sa.select(Discovered).where(Discovered.owner_id == owner_id)
    if not include_ignored:
        stmt = stmt.where(Discovered.state == "new")
    stmt = stmt.order_by(Discovered.last_seen_at.desc(), Discovered.email).limit(limit)
    return list(session.scalars(stmt))


def discovered_count(session: Session, *, owner_id: int) -> int:
    """How many entries wait in the queue (ignored ones not counted): one query, no rows loaded."""
    stmt = sa.select(sa.func.count()).where(Discovered.owner_id == owner_id, Discovered.state == "new")
    return session.scalar(stmt) or 0


def forget_discovered(session: Session, *, owner_id: int, emails: Iterable[str]) -> None:
    """Take addresses out of the queue (they belong to someone now)."""
    wanted = sorted(set(emails))
    if wanted:
        session.execute(
            sa.delete(Discovered).where(Discovered.owner_id == owner_id, Discovered.email.in_(wanted))
        )


def delete_cursors(session: Session, *, connection_id: int) -> None:
    """Forget where a connection's syncs left off."""
    session.execute(sa.delete(SyncCursor).where(SyncCursor.connection_id == connection_id))


class FirstMeeting(NamedTuple):
    """A synced meeting that was the first contact ever with one of the people in it."""

    person_id: int
    display_name: str
    occurred_at: datetime
    subject: str | None


def first_meetings(
    session: Session, *, owner_id: int, source: str, source_ids: list[str]
) -> list[FirstMeeting]:
    """Of these interactions (by source id), each live participant with no interaction before it."""
    if not source_ids:
        return []
    interaction, part, person = Interaction.__table__.c, InteractionParticipant.__table__, Person.__table__.c
    earlier = part.alias("earlier")
    stmt = (
        sa.select(person.id, person.display_name, interaction.occurred_at, interaction.subject)
        .select_from(Interaction.__table__)
        .join(part, part.c.interaction_id == interaction.id)
        .join(Person.__table__, person.id == part.c.person_id)
        .where(
            interaction.owner_id == owner_id,
            interaction.source == source,
            interaction.source_id.in_(source_ids),
            person.archived.is_(False),
            ~sa.exists().where(
                earlier.c.person_id == part.c.person_id, earlier.c.occurred_at < interaction.occurred_at
            ),
        )
        .order_by(interaction.occurred_at, person.id)
    )
    return [FirstMeeting._make(row) for row in session.execute(stmt)]


def followup_texts(session: Session, *, owner_id: int, person_ids: list[int]) -> set[tuple[int, str]]:
    """(person id, text) of every follow-up these people have, open or done: one query for a batch."""
    if not person_ids:
        return set()
    follow = FollowUp.__table__.c
    stmt = sa.select(follow.person_id, follow.text).where(
        follow.owner_id == owner_id, follow.person_id.in_(sorted(set(person_ids)))
    )
    return {(person_id, text) for person_id, text in session.execute(stmt)}
