"""Backing the whole database up to one JSON document, and restoring it exactly.

A backup holds every table of `Base.metadata` (new tables are included without code changes)
except the derived ones, which a restore rebuilds:

- `person_search` (and, on SQLite, the FTS5 index its triggers keep) is rebuilt from the people;
- `said_search` (the same, for what was said) from interactions, events, introductions, opportunities;
- `tie` is derived from interactions and favours too, but is kept: rebuilding it decays every
  score to the moment of the restore, so the restored database would not back up to the same file.

Backup, restore into an empty database and backup again gives a byte-identical file, on SQLite,
on PostgreSQL and from one to the other. The document's format is `exporters.backup`; the reads,
the fast loads (COPY on PostgreSQL) and the id sequences are `repo.tables` and `repo.backup_load`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple, TextIO

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.db import SCHEMA_HEAD, alembic_config, begin_snapshot
from tieline.errors import InvalidInput, TielineError
from tieline.exporters.backup import (
    BackupReader,
    BackupWriter,
    TableData,
    decoder_for,
    null_for,
    row_encoder,
)
from tieline.models import Base
from tieline.repo import backup_load, tables
from tieline.repo import said as said_repo
from tieline.repo import search as search_repo

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


# Tables left out of a backup, each with what rebuilds it after a restore.
DERIVED_TABLES: dict[str, Callable[[Session], None]] = {
    "person_search": search_repo.rebuild_documents,
    "said_search": said_repo.rebuild,
}


# Server mode's tables, left out of a backup: a backup is the network, never a credential (accounts'
# password hashes, tokens' hashes, login sessions) nor what a running server keeps for itself (failed
# sign-ins, idempotency keys, the agenda cache, job claims, web imports' progress). A server is backed up
# whole with pg_dump (docs/deploy.md); `tieline backup` moves a network. Teams (issue 19) too: a team
# is between accounts, not part of one network (restored into another database its members would be
# other owners, or none), its `hash_key` is a secret of the team, and a member's shared entries are
# computed again from their network whenever it changes (services/team_shares.py); introduction
# requests and the audit are between two members.
SERVER_TABLES = frozenset(
    {
        "account",
        "login_session",
        "login_failure",
        "api_token",
        "request_key",
        "agenda_cache",
        "job_claim",
        "import_job",
        "team",
        "team_member",
        "team_invite",
        "team_share_rule",
        "team_share",
        "team_share_key",
        "intro_request",
        "team_audit",
    }
)


def backed_up_tables() -> list[sa.Table]:
    """The tables a backup holds, parents before children."""
    return [
        t for t in Base.metadata.sorted_tables if t.name not in DERIVED_TABLES and t.name not in SERVER_TABLES
    ]


# --- backup ---------------------------------------------------------------------------------------


def write_backup(session: Session, out: TextIO) -> Summary:
    """Write every table to `out` as one JSON document, streamed row by row.

    Call it first thing in a new transaction: it asks for a snapshot that must come before any read.
    """
    begin_snapshot(session)
    summary = Summary(schema_version=SCHEMA_HEAD)
    writer = BackupWriter(out, schema_version=SCHEMA_HEAD)
    for table in backed_up_tables():
        columns = sorted(table.columns, key=lambda c: c.name)
        batches = tables.read_batches(session, table, columns, batch=READ_BATCH)
        encode = row_encoder(columns)
        rows = (encode(row) for part in batches for row in part)
        summary.tables[table.name] = writer.table(table.name, [c.name for c in columns], rows)
    writer.close()
    return summary


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
    tables.delete_all(session, reversed(Base.metadata.sorted_tables))
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
    backup_load.reset_id_sequences(session, Base.metadata.sorted_tables)
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
    skipped = SEEDED_TABLES | DERIVED_TABLES.keys()
    return tables.occupied(session, [t for t in Base.metadata.sorted_tables if t.name not in skipped])


def _insert_table(session: Session, table: sa.Table, data: TableData, *, path: str) -> int:
    unknown = [c for c in data.columns if c not in table.columns]
    if unknown:
        raise InvalidInput(
            f"{path}:{data.line}: table {data.name!r} has columns this tieline does not know: "
            + ", ".join(unknown)
        )
    loader = backup_load.TableLoader(session, table, data.columns)
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
        ColumnReader(c, decoder_for(table.columns[c], stored=loader.direct), null_for(table.columns[c]))
        for c in data.columns
    ]
    links: list[dict[str, Any]] = []
    count = 0
    rows = ((line, _decode(row, readers, path=path, line=line)) for line, row in data.rows)
    while batch := list(islice(rows, INSERT_BATCH)):
        for _, values in batch:
            if any(values[i] is not None for i in linked):
                named = dict(zip(data.columns, values, strict=True))
                links.append({k: named[k] for k in keys} | {c: named[c] for c in restamped})
                links[-1].update({data.columns[i]: values[i] for i in linked})
                for i in linked:
                    values[i] = None
        lines = (batch[0][0], batch[-1][0])
        with _refusals(data.name, path=path, lines=lines):
            loader.insert([values for _, values in batch])
        count += len(batch)
    if links:
        filled = [data.columns[i] for i in linked] + restamped
        for start in range(0, len(links), INSERT_BATCH):
            with _refusals(data.name, path=path):
                loader.fill_in(filled, links[start : start + INSERT_BATCH])
    return count


@contextmanager
def _refusals(table: str, *, path: str, lines: tuple[int, int] = (0, 0)) -> Iterator[None]:
    """What the loader could not store, as an error naming the file (and its lines) and the table."""
    try:
        yield
    except backup_load.Unstorable as exc:
        where = f"{path}:{lines[0]}-{lines[1]}" if lines[0] else path
        raise InvalidInput(f"{where}: cannot store a value of table {table!r}: {exc}") from None
    except backup_load.Refused as exc:
        raise InvalidInput(f"{path}: table {table!r} does not fit the database: {exc}") from None


def _decode(row: list[Any], readers: list[ColumnReader], *, path: str, line: int) -> list[Any]:
    try:
        return [
            null if value is None else value if decode is None else decode(value)
            for (_, decode, null), value in zip(readers, row, strict=True)
        ]
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"{path}:{line}: cannot read a value: {exc}") from None
