"""Bulk loading: millions of generated rows in one transaction, fast on both dialects.

Rows arrive as `Batch`es of plain tuples with ids already assigned (`next_ids` says where to
start), so parents and children need no round trip. SQLite takes them through one executemany per
batch, with the big tables' secondary indexes built once at the end; PostgreSQL through COPY.
Values are converted as `repo.bulk` (and SQLAlchemy) would store them, so rows written here and
rows written through the models compare equal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from tieline.models import Base, Organisation
from tieline.models.base import UTCDateTime
from tieline.repo import search
from tieline.repo.bulk import _converter as column_converter


@dataclass(frozen=True)
class Batch:
    """Rows for one table, every tuple in the order of `columns`."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


Encoder = Callable[[tuple[Any, ...]], tuple[Any, ...]]


def next_ids(session: Session, tables: Iterable[str]) -> dict[str, int]:
    """The first unused id of each table (one past the largest, whoever owns it)."""
    conn = session.connection()
    out = {}
    for name in tables:
        table = Base.metadata.tables[name]
        out[name] = int(conn.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))) or 0) + 1
    return out


def organisation_ids(session: Session, *, owner_id: int) -> dict[tuple[str, str], int]:
    """(kind, match_name) -> id of the owner's organisations, so a load can reuse them."""
    stmt = sa.select(Organisation.kind, Organisation.match_name, Organisation.id).where(
        Organisation.owner_id == owner_id
    )
    return {(kind, match_name): id_ for kind, match_name, id_ in session.execute(stmt)}


def delete_owner_data(session: Session, *, owner_id: int) -> dict[str, int]:
    """Delete every row the owner has, children first; returns rows deleted per table."""
    conn = session.connection()
    present = set(sa.inspect(conn).get_table_names())
    deleted = {}
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == "owner" or "owner_id" not in table.c or table.name not in present:
            continue
        deleted[table.name] = conn.execute(table.delete().where(table.c.owner_id == owner_id)).rowcount
    session.expire_all()
    return deleted


def insert(
    session: Session,
    batches: Iterable[Batch],
    *,
    defer: Collection[str] = (),
    on_batch: Callable[[Batch], None] | None = None,
) -> dict[str, int]:
    """Insert every batch in order (parents before children); returns rows written per table.

    On SQLite the secondary indexes of the `defer` tables are dropped for the load and built again
    after it, in the same transaction: sorting once beats a million scattered B-tree inserts. The
    search table's triggers are deferred likewise and the full-text index rebuilt once at the end.
    """
    conn = session.connection()
    dialect = conn.dialect.name
    counts: dict[str, int] = {}
    encoders: dict[tuple[str, tuple[str, ...]], Encoder] = {}
    write = _write_sqlite if dialect == "sqlite" else _write_postgres
    with _loading(conn), _deferred(session, defer if dialect == "sqlite" else ()):
        for batch in batches:
            key = (batch.table, batch.columns)
            if key not in encoders:
                encoders[key] = _encoder(batch.table, batch.columns, dialect)
            write(conn, batch, encoders[key])
            counts[batch.table] = counts.get(batch.table, 0) + len(batch.rows)
            if on_batch is not None:
                on_batch(batch)
    if dialect == "postgresql":
        _after_postgres_load(conn, list(counts))
    return counts


# Tables whose triggers maintain something that a rebuild can redo in one go after a bulk load.
_REBUILDS: dict[str, Callable[[Session], None]] = {"person_search": search.rebuild_index}


@contextmanager
def _deferred(session: Session, tables: Collection[str]) -> Iterator[None]:
    """Drop the tables' secondary indexes (and rebuildable triggers), then create them again.

    SQLite's DDL is transactional: if the load fails, the rollback puts them back as they were.
    """
    conn = session.connection()
    saved: list[str] = []
    for table in tables:
        kinds = ("index", "trigger") if table in _REBUILDS else ("index",)
        marks = ", ".join("?" for _ in kinds)
        rows = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master "
            f"WHERE tbl_name = ? AND sql IS NOT NULL AND type IN ({marks}) ORDER BY type, name",
            (table, *kinds),
        ).all()
        for kind, name, sql in rows:
            conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
            saved.append(sql)
    yield
    for sql in saved:
        conn.exec_driver_sql(sql)
    for table in tables:
        if table in _REBUILDS:
            _REBUILDS[table](session)
    if saved:
        # The pool's other connections read the schema before these DROPs and CREATEs. SQLite
        # reloads it at their next statement, but a row deleted from `said_search` there, whose
        # trigger feeds the FTS5 table, fails once with "no such table: said_search" (SQLite 3.40).
        # So the idle ones are closed once this commits: none that predates the change is used again.
        event.listen(session, "after_commit", _close_idle_connections, once=True)


def _close_idle_connections(session: Session) -> None:
    session.get_bind().pool.dispose()


@contextmanager
def _loading(conn: Connection) -> Iterator[None]:
    """On SQLite, set the connection up for a big load, and back as it was afterwards.

    - CHECK constraints are not evaluated: SQLite 3.40 builds a temporary table for every `x IN
      (...)` check of every row, which made them most of the load time. Callers insert rows they
      have validated; `PRAGMA integrity_check` still reports any row that breaks a check.
    - A wider page cache, so the indexes being built stay in memory.
    (synchronous stays as it is: it cannot change inside a transaction, and in WAL mode one big
    transaction syncs only at checkpoints anyway.)
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    cache_size = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    conn.exec_driver_sql("PRAGMA ignore_check_constraints=ON")
    conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MiB
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={cache_size}")
        conn.exec_driver_sql("PRAGMA ignore_check_constraints=OFF")


def _write_sqlite(conn: Connection, batch: Batch, encode: Encoder) -> None:
    marks = ", ".join("?" for _ in batch.columns)
    sql = f"INSERT INTO {batch.table} ({', '.join(batch.columns)}) VALUES ({marks})"
    conn.exec_driver_sql(sql, [encode(row) for row in batch.rows])


def _write_postgres(conn: Connection, batch: Batch, encode: Encoder) -> None:
    raw = conn.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cur, cur.copy(f"COPY {batch.table} ({', '.join(batch.columns)}) FROM STDIN") as copy:
        for row in batch.rows:
            copy.write_row(encode(row))


def _after_postgres_load(conn: Connection, tables: list[str]) -> None:
    """Move each id sequence past the ids written, and refresh the planner's statistics."""
    for name in tables:
        if "id" in Base.metadata.tables[name].c:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
            )
        conn.exec_driver_sql(f"ANALYZE {name}")


def _encoder(table: str, columns: tuple[str, ...], dialect: str) -> Encoder:
    """A function turning a row of Python values into what the driver stores for these columns."""
    tbl = Base.metadata.tables[table]
    active = []
    shortcuts: dict[Callable[[Any], Any], Callable[[Any], Any]] = {}  # one per converter, for the memo
    for i, name in enumerate(columns):
        convert = column_converter(tbl.c[name], dialect)
        if convert is not None and isinstance(tbl.c[name].type, UTCDateTime):
            convert = shortcuts.setdefault(convert, _utc_shortcut(convert, dialect))
        if convert is not None:
            active.append((i, convert))
    if not active:
        return lambda row: row
    last_value = last_convert = last_out = None

    def encode(row: tuple[Any, ...]) -> tuple[Any, ...]:
        nonlocal last_value, last_convert, last_out
        out = list(row)
        for i, convert in active:
            value = out[i]
            if value is None:
                continue
            # An interaction repeats one timestamp in three columns and in its participants' rows;
            # converting it again costs more than noticing it is the same object.
            if value is not last_value or convert is not last_convert:
                last_value, last_convert, last_out = value, convert, convert(value)
            out[i] = last_out
        return tuple(out)

    return encode


def _utc_shortcut(convert: Callable[[Any], Any], dialect: str) -> Callable[[Any], Any]:
    """`convert` for timestamps, skipping the costly `astimezone` when the value is already in UTC."""

    def fast(value: datetime) -> Any:
        if value.tzinfo is not UTC:
            return convert(value)
        naive = value.replace(tzinfo=None)
        return naive.isoformat(" ", "microseconds") if dialect == "sqlite" else naive

    return fast
