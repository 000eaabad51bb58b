"""Imports big enough to take the bulk paths, on SQLite and PostgreSQL: many search documents per
statement, one organisation per employer however many people share it, the collector restored."""

from __future__ import annotations

import csv
import gc
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tieline.config import Settings
from tieline.db import SQLITE_CACHE_KIB, Database, open_database
from tieline.importers.records import MalformedFile
from tieline.models import LOCAL_OWNER_ID, Interaction, Membership, Organisation, Person, Tie
from tieline.repo import search
from tieline.repo import settings as settings_repo
from tieline.services import imports
from tieline.services.importing import save

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
COMPANIES = ["Acme", "Northwind", "Contoso"]
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]


def write_connections(path: Path, rows: int) -> Path:
    """A Connections.csv of `rows` made-up people at three employers."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            given = "Zoë" if i == rows - 1 else f"Given{i}"
            url = f"https://www.linkedin.com/in/person-{i}"
            out.writerow([given, f"Family{i}", url, "", COMPANIES[i % 3], "Engineer", "16 Dec 2024"])
    return path


def run(db: Database, path: Path) -> imports.ImportReport:
    return imports.import_path(db, path, owner_id=LOCAL_OWNER_ID, now=NOW)


def test_every_person_of_a_big_import_is_found_by_search(db: Database, tmp_path: Path) -> None:
    report = run(db, write_connections(tmp_path / "Connections.csv", 2500))  # three statements' worth
    assert report.counts["people"]["added"] == 2500
    with db.sessions() as s:
        for query in ("given0 family0", "given1999", "family2498", "zoe"):
            hits = search.find_people(s, owner_id=LOCAL_OWNER_ID, query=query, limit=5)
            assert len(hits) == 1, query
        assert len(search.find_people(s, owner_id=LOCAL_OWNER_ID, query="engineer", limit=3000)) == 2500


def test_people_sharing_an_employer_share_one_organisation(db: Database, tmp_path: Path) -> None:
    run(db, write_connections(tmp_path / "Connections.csv", 30))
    more = tmp_path / "more" / "Connections.csv"
    more.parent.mkdir()
    with more.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        out.writerow(["New", "Person", "https://www.linkedin.com/in/new", "", "ACME", "Analyst", ""])
        out.writerow(["Other", "Person", "https://www.linkedin.com/in/other", "", "Initech", "", ""])
    run(db, more)
    with db.sessions() as s:
        organisations = dict(s.execute(sa.select(Organisation.name, Organisation.id)).all())
        assert sorted(organisations) == ["Acme", "Contoso", "Initech", "Northwind"]
        stmt = (
            sa.select(Person.display_name, Membership.organisation_id)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Person.display_name.in_(["Given0 Family0", "Given3 Family3", "New Person", "Other Person"])
            )
        )
        employers = dict(s.execute(stmt).all())
    assert employers == {
        "Given0 Family0": organisations["Acme"],
        "Given3 Family3": organisations["Acme"],
        "New Person": organisations["Acme"],  # "ACME" is the Acme the first import created
        "Other Person": organisations["Initech"],
    }


def test_an_import_leaves_the_garbage_collector_as_it_found_it(db: Database, tmp_path: Path) -> None:
    assert gc.isenabled()
    run(db, write_connections(tmp_path / "Connections.csv", 3))
    assert gc.isenabled()
    broken = tmp_path / "broken" / "Connections.csv"
    broken.parent.mkdir()
    broken.write_text("no header here\n", encoding="utf-8")
    with pytest.raises(MalformedFile):
        imports.import_path(db, broken, owner_id=LOCAL_OWNER_ID, now=NOW, fmt="linkedin")
    assert gc.isenabled()
    gc.disable()
    try:
        run(db, write_connections(tmp_path / "again.csv", 3))
        assert not gc.isenabled()
    finally:
        gc.enable()


def write_mailbox(path: Path, messages: int, people: int) -> Path:
    """An mbox of two-party messages between me and `people` made-up correspondents."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for i in range(messages):
            them = f"Pen Pal{i % people} <pal{i % people}@example.org>"
            sender, recipient = (them, "Me <me@example.com>") if i % 3 else ("Me <me@example.com>", them)
            out.write(f"From x Mon Jan  1 00:00:00 2024\nFrom: {sender}\nTo: {recipient}\n")
            out.write(f"Date: Mon, 1 Jan 2024 {i % 24:02d}:{i % 60:02d}:00 +0000\n")
            out.write(f"Message-ID: <{i}@mail.example>\nSubject: note {i}\n\nhello\n\n")
    return path


def test_a_mailbox_longer_than_a_batch_lands_whole_and_a_second_import_changes_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stored interactions are looked up a batch at a time: make the batches small, so the second
    # import meets the first one's messages in every batch, including the last, partial one.
    monkeypatch.setattr(save, "BATCH", 40)
    with db.transaction() as session:
        settings_repo.put(session, owner_id=LOCAL_OWNER_ID, key="me.emails", value=["me@example.com"])
    mailbox = write_mailbox(tmp_path / "mail.mbox", messages=250, people=7)
    first = imports.import_path(db, mailbox, owner_id=LOCAL_OWNER_ID, now=NOW, create_people=True)
    assert first.counts["interactions"]["added"] == 250
    assert first.counts["people"]["added"] == 7
    with db.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 250
        ties = session.scalars(sa.select(Tie.interactions)).all()
    assert sorted(ties) == sorted(len(range(p, 250, 7)) for p in range(7))
    again = imports.import_path(db, mailbox, owner_id=LOCAL_OWNER_ID, now=NOW, create_people=True)
    assert again.run_id is None and not again.changed
    assert again.counts["interactions"]["unchanged"] == 250
    with db.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 250


def test_an_import_gives_back_the_sqlite_page_cache_it_shrank(tmp_path: Path) -> None:
    # SQLite's own concern (PostgreSQL's memory is the server's), so on a SQLite file of its own.
    db = open_database(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'cache.db'}"))
    try:
        run(db, write_connections(tmp_path / "Connections.csv", 3))
        with db.engine.connect() as conn:  # the pooled connection the import used
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB
    finally:
        db.dispose()


def test_rescoring_an_import_reads_the_ties_once_per_chunk_not_once_per_new_person(
    db: Database, tmp_path: Path
) -> None:
    with db.transaction() as session:
        settings_repo.put(session, owner_id=LOCAL_OWNER_ID, key="me.emails", value=["me@example.com"])
    mailbox = write_mailbox(tmp_path / "mail.mbox", messages=120, people=60)
    tie_reads: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if re.match(r"\s*SELECT\b.*\bFROM tie\b", statement, re.S):
            tie_reads.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = imports.import_path(db, mailbox, owner_id=LOCAL_OWNER_ID, now=NOW, create_people=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert report.counts["people"]["added"] == 60
    assert len(tie_reads) == 1  # 60 new people: one chunk, one query
    with db.sessions() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Tie)) == 60
