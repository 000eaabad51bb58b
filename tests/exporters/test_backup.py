"""The JSON backup (services.backup_restore, exporters.backup): exact round trips on and
across SQLite and PostgreSQL, and restores that refuse what they cannot do safely."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import BACKENDS, scratch_database
from tests.exporters.network import NOW, build_network
from tieline.config import Settings
from tieline.db import SCHEMA_HEAD, Database, open_database
from tieline.errors import InvalidInput
from tieline.exporters.backup import FORMAT, BackupReader, dumps_row
from tieline.models import LOCAL_OWNER_ID, Base, Organisation, Person, PersonSearch, Setting, Tie
from tieline.repo import search as search_repo
from tieline.services import backup_restore as backup_service
from tieline.services import people as people_service
from tieline.services.backup_restore import RestoreRefused


def backup_text(db: Database) -> str:
    out = io.StringIO()
    with db.transaction() as session:
        backup_service.write_backup(session, out)
    return out.getvalue()


def restore_text(db: Database, text: str, *, replace: bool = False) -> backup_service.Summary:
    with db.transaction() as session:
        reader = BackupReader(io.StringIO(text), path="backup.json")
        return backup_service.restore(session, reader, replace=replace)


def fill(db: Database) -> None:
    with db.transaction() as session:
        build_network(session)


@contextmanager
def new_database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A new, migrated database of the backend, besides the test's own."""
    with scratch_database(backend, tmp_path) as url:
        database = open_database(Settings(data_dir=tmp_path / "data", database_url=url))
        try:
            yield database
        finally:
            database.dispose()


def rows_of(text: str) -> dict[str, list[list[object]]]:
    return {t["name"]: t["rows"] for t in json.loads(text)["tables"]}


def test_the_network_fills_every_table_a_backup_holds(db: Database) -> None:
    fill(db)
    empty = [name for name, rows in rows_of(backup_text(db)).items() if not rows]
    assert empty == [], f"add rows of {empty} to tests/exporters/network.py so backups are tested on them"
    assert [t.name for t in backup_service.backed_up_tables()] == list(rows_of(backup_text(db)))


def test_backup_restore_backup_gives_the_same_bytes(db: Database, backend: str, tmp_path: Path) -> None:
    fill(db)
    first = backup_text(db)
    with new_database(backend, tmp_path) as other:
        summary = restore_text(other, first)
        second = backup_text(other)
    assert second == first
    assert summary.rows == sum(len(rows) for rows in rows_of(first).values())
    assert summary.schema_version == SCHEMA_HEAD


def test_a_backup_moves_between_backends_unchanged(db: Database, backend: str, tmp_path: Path) -> None:
    target = next(b for b in BACKENDS if b != backend)
    fill(db)
    first = backup_text(db)
    with new_database(target, tmp_path) as other:
        restore_text(other, first)
        assert backup_text(other) == first
        # ... and back again.
        empty_all(db)
        restore_text(db, backup_text(other))
    assert backup_text(db) == first


def empty_all(db: Database) -> None:
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def test_the_document_is_sorted_json_with_one_row_per_line(db: Database) -> None:
    fill(db)
    text = backup_text(db)
    document = json.loads(text)
    assert list(document) == ["format", "format_version", "schema_version", "tables"]
    assert document["format"] == FORMAT and document["schema_version"] == SCHEMA_HEAD
    assert all(t["columns"] == sorted(t["columns"]) for t in document["tables"])
    settings = document["tables"][[t["name"] for t in document["tables"]].index("setting")]
    assert [row[0] for row in settings["rows"]][:4] == ["agenda.daily_cap", "test.B", "test.Z", "test.a"]
    lines = text.splitlines(keepends=False)
    row_count = sum(len(t["rows"]) for t in document["tables"])
    assert (
        len(text.split("\n")) == 1 + 2 * len(document["tables"]) + row_count + 2
    )  # header, tables, rows, end
    assert "person_search" not in [t["name"] for t in document["tables"]]
    assert "Zoë" in text and "\u2028" in text and "\\u" not in text
    assert lines[0].startswith('{"format":"tieline-backup"')


def test_times_are_utc_iso_8601_and_floats_exact(db: Database) -> None:
    fill(db)
    text = backup_text(db)
    person = next(t for t in json.loads(text)["tables"] if t["name"] == "person")
    created = person["rows"][0][person["columns"].index("created_at")]
    assert created.endswith("+00:00") and "T" in created
    empty_all(db)
    restore_text(db, text)
    with db.sessions() as session:
        tie = session.get(Tie, 1)
        assert tie is not None
        assert (tie.intensity, tie.strength, tie.half_life_days) == (0.1 + 0.2, 1e-300, 123456789.12345679)
        ana = session.get(Person, 1)
        assert ana is not None and ana.extra is not None
        assert ana.extra["nested"]["float"] == 0.1 + 0.2
        # A person without extra fields keeps an SQL NULL, not the JSON text 'null'.
        assert session.scalar(sa.select(sa.func.count()).where(Person.extra.is_(None))) == 3
        assert session.get(Setting, (LOCAL_OWNER_ID, "test.a")).value is None  # type: ignore[union-attr]


def test_restore_rebuilds_search_and_moves_id_counters_past_the_restored_rows(
    db: Database, backend: str, tmp_path: Path
) -> None:
    fill(db)
    with new_database(backend, tmp_path) as other:
        restore_text(other, backup_text(db))
        with other.transaction() as session:
            assert session.scalar(sa.select(sa.func.count()).select_from(PersonSearch)) == 4
            hits = search_repo.find_people(session, owner_id=LOCAL_OWNER_ID, query="alvarez 王")
            assert [person.id for person, _ in hits] == [2]
            added = people_service.add_person(
                session, owner_id=LOCAL_OWNER_ID, name="New One", today=NOW.date()
            )
            assert added.id == 5


def test_restore_refuses_a_database_with_data_and_changes_nothing(db: Database, snapshot) -> None:  # type: ignore[no-untyped-def]
    fill(db)
    text = backup_text(db)
    before = snapshot()
    with pytest.raises(RestoreRefused, match=r"already holds data: .*person \(4 rows\).*--replace"):
        restore_text(db, text)
    assert snapshot() == before


def test_restore_with_replace_puts_the_backup_in_place_of_the_data(db: Database) -> None:
    fill(db)
    text = backup_text(db)
    with db.transaction() as session:
        people_service.delete_person(session, session.get(Person, 1))  # type: ignore[arg-type]
        session.add(Setting(owner_id=LOCAL_OWNER_ID, key="test.extra", value=1))
    assert backup_text(db) != text
    restore_text(db, text, replace=True)
    assert backup_text(db) == text


def test_a_failed_restore_leaves_the_database_as_it_was(db: Database, snapshot) -> None:  # type: ignore[no-untyped-def]
    fill(db)
    text = backup_text(db)
    before = snapshot()
    lines = text.split("\n")
    # A person pointing at no owner fails only once rows are being inserted.
    bad = next(i for i, line in enumerate(lines) if line.startswith("[") and '"Old Contact"' in line)
    lines[bad] = lines[bad].replace(',1,"old contact"', ',42,"old contact"')
    broken = "\n".join(lines)
    assert broken != text
    with pytest.raises(InvalidInput, match=r"table 'person' does not fit the database"):
        restore_text(db, broken, replace=True)
    assert snapshot() == before


def test_restore_refuses_a_backup_of_a_newer_schema(db: Database) -> None:
    text = backup_text(db).replace(f'"schema_version":"{SCHEMA_HEAD}"', '"schema_version":"9999_future"', 1)
    with pytest.raises(RestoreRefused, match=r"newer tieline .*9999_future.*upgrade tieline"):
        restore_text(db, text)


def test_restore_accepts_a_reformatted_document(db: Database) -> None:
    fill(db)
    text = backup_text(db)
    empty_all(db)
    restore_text(db, json.dumps(json.loads(text), indent=4, ensure_ascii=True))
    assert backup_text(db) == text


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: "", "not a tieline backup"),
        (lambda t: '{"hello": "world"}', "not a tieline backup"),
        (lambda t: t.replace('"format":"tieline-backup"', '"format":"other"', 1), "not a tieline backup"),
        (lambda t: t.replace('"format_version":1', '"format_version":7', 1), "newer than this tieline reads"),
        (lambda t: "\n".join(t.split("\n")[:7]), r"backup\.json:\d+: the backup ends inside a table"),
        (lambda t: "\n".join(t.split("\n")[:8]), r"backup\.json:\d+: the backup ends before its last table"),
        (lambda t: t.replace('"me"]', '"me"', 1), r"backup\.json:3: not a tieline backup line"),
        (lambda t: t.replace('"me"]', '"me",2]', 1), r"backup\.json:3: a row must be a list of 3 values"),
        (lambda t: t.replace('"name":"owner"', '"name":"nonsense"', 1), r"backup\.json:2: unknown table"),
        (
            lambda t: t.replace('["created_at","id","name"]', '["created","id","name"]', 1),
            "does not know: created",
        ),
        (lambda t: t.replace("+00:00", "x", 1), r"backup\.json:3: cannot read a value"),
        (lambda t: t + "trailing", "unexpected text after the end"),
    ],
)
def test_restore_names_the_file_and_line_of_a_broken_backup(db: Database, mangle, message: str) -> None:  # type: ignore[no-untyped-def]
    text = mangle(backup_text(db))
    with pytest.raises(InvalidInput, match=message):
        restore_text(db, text)


def test_backup_streams_rows_to_the_stream(db: Database) -> None:
    """Many rows are written a line at a time, not assembled into one string first."""
    fill(db)
    writes: list[str] = []

    class Recorder(io.StringIO):
        def write(self, s: str) -> int:
            writes.append(s)
            return super().write(s)

    with db.transaction() as session:
        backup_service.write_backup(session, Recorder())
    assert max(len(w) for w in writes) < 2_000


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(st.lists(json_values, max_size=6))
def test_a_row_is_written_as_the_json_module_writes_it(row: list[object]) -> None:
    expected = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert dumps_row(row) == expected
    assert json.loads(dumps_row(row)) == row


def test_a_backup_missing_a_column_restores_it_with_its_default(db: Database) -> None:
    """A backup from an older schema lacks the columns added since: they take their defaults."""
    fill(db)
    document = json.loads(backup_text(db))
    for table in document["tables"]:
        if table["name"] in ("organisation", "person"):
            dropped = table["columns"].index("kind" if table["name"] == "organisation" else "tier")
            table["columns"].pop(dropped)
            for row in table["rows"]:
                row.pop(dropped)
    empty_all(db)
    restore_text(db, json.dumps(document))
    with db.sessions() as session:
        assert set(session.scalars(sa.select(Person.tier))) == {4}
        team = session.scalars(sa.select(Organisation).where(Organisation.name == "Platform team")).one()
        parent = session.scalars(sa.select(Organisation).where(Organisation.name == "Acme Holding")).one()
        assert (team.kind, team.parent_id) == ("company", parent.id)
        assert team.updated_at == datetime.fromisoformat(
            value_of(document, "organisation", team.id, "updated_at")
        )


def value_of(document: dict[str, Any], table: str, row_id: int, column: str) -> Any:
    found = next(t for t in document["tables"] if t["name"] == table)
    row = next(r for r in found["rows"] if r[found["columns"].index("id")] == row_id)
    return row[found["columns"].index(column)]
