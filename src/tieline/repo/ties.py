"""Queries behind tie strength: the running tie rows, and the raw facts to rebuild them from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Favour, Interaction, InteractionParticipant, Person, Tie


def get(session: Session, *, person_id: int) -> Tie | None:
    """The person's tie row, if any interaction or favour created it."""
    return session.get(Tie, person_id)


def get_or_create(session: Session, *, person: Person, half_life: float) -> Tie:
    """The person's tie row, created empty when missing."""
    return session.get(Tie, person.id) or new(session, person=person, half_life=half_life)


def new(session: Session, *, person: Person, half_life: float) -> Tie:
    """An empty tie row for a person known to have none (added to the session, not yet flushed)."""
    tie = Tie(
        person_id=person.id,
        owner_id=person.owner_id,
        intensity=0.0,
        half_life_days=half_life,
        interactions=0,
        initiated_by_me=0,
        initiated_by_them=0,
        favours_given=0,
        favours_received=0,
        strength=0.0,
    )
    session.add(tie)
    return tie


def interactions_of(
    session: Session, *, owner_id: int, person_id: int
) -> list[tuple[str, datetime, str | None]]:
    """(kind, when, initiated_by) of every interaction of one person, oldest first."""
    stmt = (
        sa.select(Interaction.kind, Interaction.occurred_at, Interaction.initiated_by)
        .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
        .where(InteractionParticipant.person_id == person_id, InteractionParticipant.owner_id == owner_id)
        .order_by(Interaction.occurred_at)
    )
    return [(k, w, i) for k, w, i in session.execute(stmt)]


def favour_counts(session: Session, *, owner_id: int, person_id: int) -> tuple[int, int]:
    """(given, received) favour counts of one person."""
    stmt = (
        sa.select(Favour.direction, sa.func.count())
        .where(Favour.owner_id == owner_id, Favour.person_id == person_id)
        .group_by(Favour.direction)
    )
    counts = {direction: n for direction, n in session.execute(stmt)}
    return int(counts.get("given", 0)), int(counts.get("received", 0))


def all_favour_counts(session: Session, *, owner_id: int) -> dict[int, tuple[int, int]]:
    """person id -> (given, received) for everyone with a favour."""
    stmt = (
        sa.select(Favour.person_id, Favour.direction, sa.func.count())
        .where(Favour.owner_id == owner_id)
        .group_by(Favour.person_id, Favour.direction)
    )
    out: dict[int, list[int]] = {}
    for person_id, direction, n in session.execute(stmt):
        out.setdefault(person_id, [0, 0])[0 if direction == "given" else 1] = int(n)
    return {pid: (g, r) for pid, (g, r) in out.items()}


def stream_interactions(
    session: Session, *, owner_id: int
) -> Iterator[tuple[int, str, datetime, str | None]]:
    """(person id, kind, when, initiated_by) for every participation, by person then time."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    # A million timestamps: on SQLite read the stored text and parse it with fromisoformat, which is
    # several times faster than the generic DateTime result processor; PostgreSQL returns datetimes.
    when = (
        sa.type_coerce(InteractionParticipant.occurred_at, sa.String)
        if sqlite
        else InteractionParticipant.occurred_at
    )
    stmt = (
        sa.select(InteractionParticipant.person_id, Interaction.kind, when, Interaction.initiated_by)
        .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
        .where(InteractionParticipant.owner_id == owner_id)
        .order_by(InteractionParticipant.person_id, InteractionParticipant.occurred_at)
        .execution_options(yield_per=20000)
    )
    # Core, not the ORM: the ORM's per-row loading costs more than the query itself here.
    rows = session.connection().execute(stmt)
    parse = datetime.fromisoformat
    for person_id, kind, at, initiated_by in rows:
        moment = parse(at) if sqlite else at
        yield person_id, kind, moment.replace(tzinfo=UTC), initiated_by


def replace_all(session: Session, *, owner_id: int, rows: list[dict[str, Any]]) -> None:
    """Replace every tie row of the owner with `rows` (a full recompute)."""
    session.execute(sa.delete(Tie).where(Tie.owner_id == owner_id))
    for start in range(0, len(rows), 5000):
        session.execute(sa.insert(Tie), rows[start : start + 5000])
