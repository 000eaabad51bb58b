"""Queries behind imports: what a source already gave us, identity facts, runs and their changes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    Base,
    DistinctPair,
    ImportChange,
    ImportRun,
    InteractionParticipant,
    Organisation,
    Person,
    PersonEmail,
    PersonLink,
    PersonPhone,
    PersonSource,
    Tie,
)
from tieline.repo import bulk


def aliases(session: Session, *, owner_id: int, source: str) -> dict[str, tuple[int, int, str]]:
    """source id -> (alias id, person id, digest) for everything a source told us before."""
    stmt = sa.select(
        PersonSource.source_id, PersonSource.id, PersonSource.person_id, PersonSource.digest
    ).where(PersonSource.owner_id == owner_id, PersonSource.source == source)
    return {sid: (aid, pid, dig) for sid, aid, pid, dig in session.execute(stmt)}


def alias_fields(session: Session, alias_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """alias id -> the fields its source gave last time."""
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(alias_ids), 500):
        chunk = alias_ids[start : start + 500]
        stmt = sa.select(PersonSource.id, PersonSource.fields).where(PersonSource.id.in_(chunk))
        out.update({aid: json.loads(fields) for aid, fields in session.execute(stmt)})
    return out


def email_owners(session: Session, *, owner_id: int) -> dict[str, int]:
    """address -> the id of the (oldest) person with that email."""
    stmt = (
        sa.select(PersonEmail.address, PersonEmail.person_id)
        .where(PersonEmail.owner_id == owner_id)
        .order_by(PersonEmail.person_id.desc())
    )
    return {address: pid for address, pid in session.execute(stmt)}


def identity_rows(
    session: Session, *, owner_id: int
) -> tuple[
    list[tuple[int, str, str | None]], list[tuple[int, str]], list[tuple[int, str]], list[tuple[int, str]]
]:
    """(people (id, name, company), emails, links, phones (person id, value)) of every person."""
    people = session.execute(
        sa.select(Person.id, Person.display_name, Person.company).where(Person.owner_id == owner_id)
    )
    emails = session.execute(
        sa.select(PersonEmail.person_id, PersonEmail.address).where(PersonEmail.owner_id == owner_id)
    )
    links = session.execute(
        sa.select(PersonLink.person_id, PersonLink.url).where(
            PersonLink.owner_id == owner_id, PersonLink.url.ilike("%linkedin.com/%")
        )
    )
    phones = session.execute(
        sa.select(PersonPhone.person_id, PersonPhone.number).where(PersonPhone.owner_id == owner_id)
    )
    return (
        [(i, n, c) for i, n, c in people],
        [(p, a) for p, a in emails],
        [(p, u) for p, u in links],
        [(p, n) for p, n in phones],
    )


class DistinctKey(NamedTuple):
    """Two people marked as not the same, lower id first."""

    low_id: int
    high_id: int


def distinct_pairs(session: Session, *, owner_id: int) -> set[DistinctKey]:
    """Every pair of people marked as distinct (never proposed as duplicates again)."""
    stmt = sa.select(DistinctPair.low_id, DistinctPair.high_id).where(DistinctPair.owner_id == owner_id)
    return {DistinctKey(low, high) for low, high in session.execute(stmt)}


def by_source(
    session: Session,
    model: Any,
    *,
    owner_id: int,
    source: str,
    columns: Iterable[str],
    source_ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """source id -> row (id and `columns`) of a model's rows that came from a source: all of them,
    or only those with the given source ids (a batch of a long import)."""
    cols = [model.id, model.source_id, model.updated_at, *(getattr(model, c) for c in columns)]
    stmt = sa.select(*cols).where(model.owner_id == owner_id, model.source == source)
    if source_ids is None:
        return {row.source_id: row for row in session.execute(stmt)}
    found: dict[str, Any] = {}
    for start in range(0, len(source_ids), 1000):
        chunk = stmt.where(model.source_id.in_(source_ids[start : start + 1000]))
        found.update({row.source_id: row for row in session.execute(chunk)})
    return found


def organisations(session: Session, *, owner_id: int) -> dict[tuple[str, str], int]:
    """(kind, folded name) -> organisation id."""
    stmt = sa.select(Organisation.kind, Organisation.match_name, Organisation.id).where(
        Organisation.owner_id == owner_id
    )
    return {(k, m): i for k, m, i in session.execute(stmt)}


def last_contacts(session: Session, person_ids: Sequence[int]) -> dict[int, tuple[datetime | None, datetime]]:
    """person id -> (last contact time, last change time)."""
    out: dict[int, tuple[datetime | None, datetime]] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        stmt = sa.select(Person.id, Person.last_contact_at, Person.updated_at).where(Person.id.in_(chunk))
        out.update({pid: (last, updated) for pid, last, updated in session.execute(stmt)})
    return out


_SET_LAST_CONTACT = (
    sa.update(Person.__table__)
    .where(Person.__table__.c.id == sa.bindparam("pid"))
    .values(last_contact_at=sa.bindparam("when"), updated_at=sa.bindparam("now"))
)


def set_last_contacts(session: Session, *, contacts: Mapping[int, datetime], now: datetime) -> None:
    """Move each person's last contact time to the one given (person id -> time), in one executemany."""
    if contacts:
        params = [{"pid": pid, "when": when, "now": now} for pid, when in contacts.items()]
        session.connection().execute(_SET_LAST_CONTACT, params)


_ADD_PARTICIPANTS = sa.insert(InteractionParticipant.__table__)


def add_participants(session: Session, *, rows: list[dict[str, Any]]) -> None:
    """Store interaction_participant rows (every column given), in one executemany."""
    session.execute(_ADD_PARTICIPANTS, rows)


def ties(session: Session, person_ids: Sequence[int]) -> dict[int, Tie]:
    """person id -> tie row of those people who have one, loaded into the session at once."""
    out: dict[int, Tie] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        stmt = sa.select(Tie).where(Tie.person_id.in_(chunk))
        out.update({tie.person_id: tie for tie in session.scalars(stmt)})
    return out


def runs(session: Session, *, owner_id: int, limit: int = 50) -> list[ImportRun]:
    """The latest import runs, newest first."""
    stmt = (
        sa.select(ImportRun).where(ImportRun.owner_id == owner_id).order_by(ImportRun.id.desc()).limit(limit)
    )
    return list(session.scalars(stmt))


def get_run(session: Session, *, owner_id: int, run_id: int) -> ImportRun | None:
    """One run of the owner."""
    stmt = sa.select(ImportRun).where(ImportRun.owner_id == owner_id, ImportRun.id == run_id)
    return session.scalars(stmt).first()


def later_active_run(session: Session, *, owner_id: int, run_id: int) -> ImportRun | None:
    """A run after this one that has not been undone, if any."""
    stmt = sa.select(ImportRun).where(
        ImportRun.owner_id == owner_id, ImportRun.id > run_id, ImportRun.undone_at.is_(None)
    )
    return session.scalars(stmt.order_by(ImportRun.id)).first()


def changes(session: Session, *, run_id: int) -> list[ImportChange]:
    """A run's change log, in the order it was written."""
    stmt = sa.select(ImportChange).where(ImportChange.run_id == run_id).order_by(ImportChange.id)
    return list(session.scalars(stmt))


class Change(NamedTuple):
    """One entry of a run's change log: rows a table gained ("insert") or rows as they were ("update")."""

    table_name: str
    action: str
    data: dict[str, Any]


def add_changes(session: Session, *, run_id: int, changes: Iterable[Change]) -> None:
    """Store change log entries of a run, all in one statement."""
    entries = [{"run_id": run_id, **change._asdict()} for change in changes]
    if entries:
        session.execute(sa.insert(ImportChange), entries)


def interaction_columns() -> tuple[str, ...]:
    """The interaction columns an import compares and may update."""
    return ("kind", "occurred_at", "initiated_by", "subject", "notes", "channel")


def allocate_ids(session: Session, table_name: str, n: int) -> list[int]:
    """`n` fresh ids for a table, so rows can be written with one executemany instead of a
    RETURNING round trip each: PostgreSQL draws them from the table's sequence; SQLite continues
    after the largest id (inserted at once, in the same transaction)."""
    if n <= 0:
        return []
    tbl = Base.metadata.tables[table_name]
    if session.get_bind().dialect.name == "postgresql":
        sequence = session.scalar(sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table_name})
        stmt = sa.text("SELECT nextval(:s) FROM generate_series(1, :n)")
        return [int(i) for i in session.scalars(stmt, {"s": sequence, "n": n})]
    start = (session.scalar(sa.select(sa.func.max(tbl.c.id))) or 0) + 1
    return list(range(start, start + n))


def insert_rows(session: Session, table_name: str, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows (given fresh ids) with one executemany; returns their ids in order."""
    if not rows:
        return []
    ids = allocate_ids(session, table_name, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    bulk.insert_many(session, table_name, rows)
    return ids
