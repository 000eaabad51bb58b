"""Backing the whole database up to one JSON document, and restoring it exactly.

A backup holds every table of `Base.metadata` (new tables are included without code changes)
except the derived ones, which a restore rebuilds:

- `person_search` (and, on SQLite, the FTS5 index its triggers keep) is rebuilt from the people;
- `tie` is derived from interactions and favours too, but is kept: rebuilding it decays every
  score to the moment of the restore, so the restored database would not back up to the same file.

Backup, restore into an empty database and backup again gives a byte-identical file, on SQLite,
on PostgreSQL and from one to the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple, TextIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.db import SCHEMA_HEAD, alembic_config
from tieline.errors import InvalidInput, TielineError
from tieline.exporters.backup import (
    BackupReader,
    BackupWriter,
    TableData,
    decoder_for,
    null_for,
    row_encoder,
    selected,
    stored_type,
)
from tieline.models import Base, Person, PersonSearch
from tieline.repo.people import with_details
from tieline.repo.search import document_for

# The owner row is seeded by the migrations, so a new database already has it.
SEEDED_TABLES = frozenset({"owner"})
READ_BATCH = 2_000
INSERT_BATCH = 5_000


class ColumnReader(NamedTuple):
    """A backup column: its name, how a value is decoded, and what a null becomes."""

    name: str
    decode: Callable[[Any], Any] | None
    null: Any


class RestoreRefused(TielineError):
    """A restore that would lose data or cannot be understood by this version of tieline."""

    http_status = 409


@dataclass
class Summary:
    """Rows per table written or restored."""

    schema_version: str
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """Rows over all tables."""
        return sum(self.tables.values())


def _rebuild_search(session: Session) -> None:
    last = 0
    while True:
        stmt = sa.select(Person).where(Person.id > last).order_by(Person.id).limit(1_000)
        people = session.scalars(stmt.options(*with_details())).all()
        if not people:
            return
        docs = [{"person_id": p.id, "owner_id": p.owner_id, **document_for(p)} for p in people]
        session.execute(sa.insert(PersonSearch.__table__), docs)
        last = people[-1].id
        session.expunge_all()


# Tables left out of a backup, each with what rebuilds it after a restore.
DERIVED_TABLES: dict[str, Callable[[Session], None]] = {"person_search": _rebuild_search}


def backed_up_tables() -> list[sa.Table]:
    """The tables a backup holds, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in DERIVED_TABLES]


# --- backup ---------------------------------------------------------------------------------------


def write_backup(session: Session, out: TextIO) -> Summary:
    """Write every table to `out` as one JSON document, streamed row by row.

    Call it first thing in a new transaction: it asks for a snapshot that must come before any read.
    """
    _begin_snapshot(session)
    summary = Summary(schema_version=SCHEMA_HEAD)
    writer = BackupWriter(out, schema_version=SCHEMA_HEAD)
    dialect = session.get_bind().dialect.name
    for table in backed_up_tables():
        columns = sorted(table.columns, key=lambda c: c.name)
        stmt = sa.select(*(selected(c) for c in columns)).order_by(*_primary_key_order(table, dialect))
        result = session.execute(stmt, execution_options={"yield_per": READ_BATCH})
        encode = row_encoder(columns)
        rows = (encode(row) for part in result.partitions() for row in part)
        summary.tables[table.name] = writer.table(table.name, [c.name for c in columns], rows)
    writer.close()
    return summary


def _begin_snapshot(session: Session) -> None:
    """Read every table from one snapshot, so a write by another process cannot tear the backup."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif bind.dialect.name == "sqlite":
        # pysqlite opens no transaction for a SELECT: each would see its own snapshot.
        connection = session.connection()
        if not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN")


def _primary_key_order(table: sa.Table, dialect: str) -> list[sa.ColumnElement[Any]]:
    """Order by primary key, comparing text by code point on every backend (PostgreSQL's default
    collation would sort 'B' and 'a' differently from SQLite)."""
    keys = list(table.primary_key.columns) or list(table.columns)
    if dialect != "postgresql":
        return list(keys)
    return [sa.collate(c, "C") if isinstance(c.type, sa.String) else c for c in keys]


# --- restore --------------------------------------------------------------------------------------


def restore(session: Session, reader: BackupReader, *, replace: bool = False) -> Summary:
    """Load a backup into the database, in the caller's transaction: whole or not at all.

    Refuses a database that holds data unless `replace`, and a backup of a newer schema.
    """
    _check_schema(session, reader.header.schema_version, path=reader.path)
    occupied = _occupied_tables(session)
    if occupied and not replace:
        held = ", ".join(
            f"{name} ({count} row{'s' if count != 1 else ''})" for name, count in occupied.items()
        )
        raise RestoreRefused(
            f"the database already holds data: {held}. Restore into an empty database, "
            "or pass --replace to delete everything in it first"
        )
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())
    summary = Summary(schema_version=reader.header.schema_version)
    for data in reader.tables():
        table = Base.metadata.tables.get(data.name)
        if table is None:
            raise InvalidInput(f"{reader.path}:{data.line}: unknown table {data.name!r}")
        if data.name in DERIVED_TABLES:
            continue  # rebuilt below; the reader skips its rows
        summary.tables[data.name] = _insert_table(session, table, data, path=reader.path)
    session.flush()
    for rebuild in DERIVED_TABLES.values():
        rebuild(session)
    if session.get_bind().dialect.name == "postgresql":
        _reset_sequences(session)
    return summary


def _check_schema(session: Session, version: str, *, path: str) -> None:
    if version == SCHEMA_HEAD:
        return
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(session.get_bind()))
    if version not in {r.revision for r in script.walk_revisions()}:
        raise RestoreRefused(
            f"{path} was written by a newer tieline (schema {version}); this one knows schemas up to "
            f"{SCHEMA_HEAD}: upgrade tieline to restore it"
        )


def _occupied_tables(session: Session) -> dict[str, int]:
    """Tables holding rows, apart from what a new database starts with."""
    occupied = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SEEDED_TABLES or table.name in DERIVED_TABLES:
            continue
        if session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            occupied[table.name] = session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
    return occupied


def _insert_table(session: Session, table: sa.Table, data: TableData, *, path: str) -> int:
    unknown = [c for c in data.columns if c not in table.columns]
    if unknown:
        raise InvalidInput(
            f"{path}:{data.line}: table {data.name!r} has columns this tieline does not know: "
            + ", ".join(unknown)
        )
    insert = _Inserter(session, table, data.columns)
    # A row may point at a later row of its own table (an organisation's parent): such columns are
    # inserted empty and filled in once every row is there.
    linked = [
        i
        for i, c in enumerate(data.columns)
        if any(fk.column.table is table for fk in table.columns[c].foreign_keys)
    ]
    keys = [c.name for c in table.primary_key.columns]
    # The update that fills them in must not stamp `updated_at` with the time of the restore.
    restamped = [c.name for c in table.columns if c.onupdate is not None and c.name in data.columns]
    readers = [
        ColumnReader(c, decoder_for(table.columns[c], stored=insert.direct), null_for(table.columns[c]))
        for c in data.columns
    ]
    links: list[dict[str, Any]] = []
    count = 0
    rows = ((line, _decode(row, readers, path=path, line=line)) for line, row in data.rows)
    while batch := list(islice(rows, INSERT_BATCH)):
        for _, values in batch:
            if any(values[i] is not None for i in linked):
                named = dict(zip(data.columns, values, strict=True))
                links.append({f"k_{k}": named[k] for k in keys} | {c: named[c] for c in restamped})
                links[-1].update({data.columns[i]: values[i] for i in linked})
                for i in linked:
                    values[i] = None
        insert([values for _, values in batch], lines=(batch[0][0], batch[-1][0]), path=path)
        count += len(batch)
    if links:
        filled = [data.columns[i] for i in linked] + restamped
        where = sa.and_(*(table.columns[k] == sa.bindparam(f"k_{k}") for k in keys))
        types = {c: stored_type(table.columns[c]) if insert.direct else table.columns[c].type for c in filled}
        stmt = table.update().where(where).values({c: sa.bindparam(c, type_=types[c]) for c in filled})
        for start in range(0, len(links), INSERT_BATCH):
            _execute(session, stmt, links[start : start + INSERT_BATCH], path=path, table=data.name)
    return count


class _Inserter:
    """Inserts a table's decoded rows, a batch at a time.

    When the backup has every column of the table, rows go straight to the driver, converted by
    the same SQLAlchemy type processors an ORM insert would use but without its per-row parameter
    handling (most of a large restore's time otherwise): one executemany per batch, or on
    PostgreSQL a COPY, several times faster again. An older backup missing columns goes through
    SQLAlchemy's insert, which fills in their defaults.
    """

    def __init__(self, session: Session, table: sa.Table, columns: list[str]) -> None:
        self.session, self.table, self.columns = session, table, columns
        self.connection = session.connection()
        dialect = self.connection.dialect
        self.direct = all(c.name in columns for c in table.columns)
        self.sql, self.order, self.copy = "", None, ""
        if self.direct and dialect.name == "postgresql":
            quote = dialect.identifier_preparer.quote
            self.copy = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        elif self.direct:
            compiled = table.insert().compile(dialect=dialect, column_keys=columns)
            self.sql = compiled.string
            if compiled.positional:
                position = {name: i for i, name in enumerate(columns)}
                self.order = [position[name] for name in compiled.positiontup or ()]
        self.processors = [
            (i, p)
            for i, c in enumerate(columns)
            if (p := stored_type(table.columns[c]).dialect_impl(dialect).bind_processor(dialect)) is not None
        ]

    def __call__(self, rows: list[list[Any]], *, lines: tuple[int, int], path: str) -> None:
        if not self.direct:
            params = [dict(zip(self.columns, row, strict=True)) for row in rows]
            _execute(self.session, self.table.insert(), params, path=path, table=self.table.name)
            return
        try:
            for row in rows:
                for i, process in self.processors:
                    row[i] = process(row[i])
        except (ValueError, TypeError) as exc:
            where = f"{path}:{lines[0]}-{lines[1]}" if lines[0] else path
            raise InvalidInput(f"{where}: cannot store a value of table {self.table.name!r}: {exc}") from None
        if self.copy:
            self._copy(rows, path=path)
            return
        if self.order is not None:
            params: list[Any] = [tuple(row[i] for i in self.order) for row in rows]
        else:
            params = [dict(zip(self.columns, row, strict=True)) for row in rows]
        try:
            self.connection.exec_driver_sql(self.sql, params)
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise InvalidInput(
                f"{path}: table {self.table.name!r} does not fit the database: {reason}"
            ) from None

    def _copy(self, rows: list[list[Any]], *, path: str) -> None:
        import psycopg

        driver = self.connection.connection.driver_connection
        try:
            with driver.cursor() as cursor, cursor.copy(self.copy) as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0]
            raise InvalidInput(
                f"{path}: table {self.table.name!r} does not fit the database: {reason}"
            ) from None


def _decode(row: list[Any], readers: list[ColumnReader], *, path: str, line: int) -> list[Any]:
    try:
        return [
            null if value is None else value if decode is None else decode(value)
            for (_, decode, null), value in zip(readers, row, strict=True)
        ]
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"{path}:{line}: cannot read a value: {exc}") from None


def _execute(session: Session, stmt: Any, params: list[dict[str, Any]], *, path: str, table: str) -> None:
    try:
        session.execute(stmt, params)
    except sa.exc.StatementError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise InvalidInput(f"{path}: table {table!r} does not fit the database: {reason}") from None


def _reset_sequences(session: Session) -> None:
    """After explicit ids, move each id sequence past the largest id so new rows do not collide."""
    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, sa.Integer):
            continue
        sequence = session.scalar(
            sa.text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": keys[0].name}
        )
        if sequence:
            top = session.scalar(sa.select(sa.func.max(keys[0])))
            session.execute(sa.text("SELECT setval(:s, :n, false)"), {"s": sequence, "n": (top or 0) + 1})
