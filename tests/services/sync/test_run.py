"""Storing what a sync fetched (SQLite and PostgreSQL): interactions logged with their reply-owed
flag, last contact and strength moved, strangers queued and never created, cursors kept with the
records, nothing written when nothing is new, undo, and a failure that writes only the status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.services.sync.mail import ME, fetched, meeting, message
from tieline.db import Database
from tieline.models import (
    LOCAL_OWNER_ID,
    Connection,
    Discovered,
    FollowUp,
    Interaction,
    Person,
    SyncCursor,
    Tie,
)
from tieline.services import imports, preferences
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.sync import connections
from tieline.services.sync.run import retry_after, store_result, sync_connection

OWNER = LOCAL_OWNER_ID
Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]
INBOX = {"INBOX": {"uidvalidity": 7, "last_uid": 2}}


@pytest.fixture
def world(db: Database, now: datetime, tmp_path: Path) -> Path:
    """Ana (known by her address), my own address, and a mail connection named work; the data folder."""
    with db.transaction() as session:
        preferences.set_value(session, owner_id=OWNER, key="me.emails", value=[ME])
        people_service.add_person(
            session, owner_id=OWNER, name="Ana Lima", changes=PersonChanges(add={"emails": ["ana@acme.com"]}),
            today=now.date(), now=now - timedelta(days=400),
        )  # fmt: skip
        settings = connections.imap_settings(
            host="imap.example.org", port=993, tls="ssl", user="me", folders=None, months=12,
            ca_file=None, password_command=None,
        )  # fmt: skip
        connections.add_connection(
            session, owner_id=OWNER, kind="imap", name="work", settings=settings, secret="pw",
            data_dir=tmp_path, now=now,
        )  # fmt: skip
    return tmp_path


def _store(db: Database, now: datetime, *records, cursors=None, skipped: int = 0):  # type: ignore[no-untyped-def]
    result = fetched(*records, cursors=cursors, skipped=skipped)
    return store_result(db, owner_id=OWNER, name="work", kind="imap", result=result, now=now)


def test_a_sync_logs_messages_moves_last_contact_and_queues_strangers(
    db: Database, world: Path, now: datetime
) -> None:
    when = now - timedelta(days=1)
    done = _store(
        db, now,
        message("m1@acme", "ana@acme.com", when, name="Ana Lima"),
        message("m2@else", "bo@else.org", now - timedelta(days=3), name="Bo Chen"),
        message("m3@else", "bo@else.org", now - timedelta(days=2), to_me_alone=False, others=("ana@acme.com",)),
        cursors=INBOX, skipped=2,
    )  # fmt: skip
    assert done.ok and done.wrote and done.run_id is not None and done.discovered == 1
    with db.sessions() as s:
        ana = s.scalars(sa.select(Person).where(Person.display_name == "Ana Lima")).one()
        assert ana.last_contact_at == when
        assert s.get(Tie, ana.id).strength > 0  # type: ignore[union-attr]
        logged = {i.source_id: i for i in s.scalars(sa.select(Interaction))}
        # Bo's message to me alone matched nobody: not stored, Bo not created, but queued.
        assert sorted(logged) == ["m1@acme", "m3@else"]
        assert logged["m1@acme"].to_me_alone is True and logged["m3@else"].to_me_alone is False
        assert s.scalars(sa.select(Person.display_name)).all() == ["Ana Lima"]
        bo = s.scalars(sa.select(Discovered)).one()
        assert (bo.email, bo.name, bo.messages, bo.meetings, bo.state, bo.source) == (
            "bo@else.org", "Bo Chen", 2, 0, "new", "work",
        )  # fmt: skip
        assert (bo.first_seen_at, bo.last_seen_at) == (now - timedelta(days=3), now - timedelta(days=2))
        cursor = s.scalars(sa.select(SyncCursor)).one()
        assert (cursor.key, cursor.state) == ("INBOX", INBOX["INBOX"])
        work = s.scalars(sa.select(Connection)).one()
        assert (work.last_run_at, work.last_ok_at, work.last_error, work.failures) == (now, now, None, 0)
        assert work.last_counts == {"messages seen": 5, "added": 2, "skipped": 3, "discovered": 1}
        run = imports.runs(s, owner_id=OWNER)[0]
        assert (run.format, run.path) == ("imap", "connection work")


def test_a_meeting_with_a_stranger_counts_as_a_meeting(db: Database, world: Path, now: datetime) -> None:
    _store(db, now, meeting("ev1", ["ana@acme.com", "cy@zeta.io", ME], now - timedelta(hours=5)))
    with db.sessions() as s:
        cy = s.scalars(sa.select(Discovered)).one()
        assert (cy.email, cy.messages, cy.meetings) == ("cy@zeta.io", 0, 1)
        assert s.scalars(sa.select(Interaction.kind)).all() == ["meeting"]


def test_a_second_sync_with_nothing_new_writes_nothing(
    db: Database, world: Path, now: datetime, snapshot: Snapshot
) -> None:
    first = message("m1@acme", "ana@acme.com", now - timedelta(days=1))
    _store(db, now, first, message("m2@else", "bo@else.org", now), cursors=INBOX)
    before = snapshot()
    again = _store(db, now + timedelta(hours=1), cursors=INBOX)
    assert again.ok and not again.wrote and again.run_id is None
    assert snapshot() == before
    # The same message seen again (through an mbox import, or a re-read folder) is one interaction.
    _store(db, now + timedelta(hours=2), first, cursors=INBOX)
    with db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Interaction)) == 1


def test_new_cursors_alone_are_kept(db: Database, world: Path, now: datetime) -> None:
    _store(db, now, cursors=INBOX)
    _store(
        db,
        now,
        cursors={"INBOX": {"uidvalidity": 7, "last_uid": 9}, "Sent": {"uidvalidity": 1, "last_uid": 3}},
    )
    with db.sessions() as s:
        states = {c.key: c.state for c in s.scalars(sa.select(SyncCursor))}
    assert states == {"INBOX": {"uidvalidity": 7, "last_uid": 9}, "Sent": {"uidvalidity": 1, "last_uid": 3}}


def test_import_undo_takes_a_sync_run_back(db: Database, world: Path, now: datetime) -> None:
    done = _store(db, now, message("m1@acme", "ana@acme.com", now - timedelta(days=1)), cursors=INBOX)
    assert done.run_id is not None
    with db.transaction() as s:
        imports.undo_run(s, owner_id=OWNER, run_id=done.run_id, now=now)
    with db.sessions() as s:
        assert s.scalars(sa.select(Interaction)).all() == []
        assert s.scalars(sa.select(Person.last_contact_at)).one() is None


def test_a_failure_writes_only_the_status_and_backs_off(
    db: Database, world: Path, now: datetime, snapshot: Snapshot
) -> None:
    with db.transaction() as s:
        connections.get_connection(s, owner_id=OWNER, name="work").settings = {
            **connections.get_connection(s, owner_id=OWNER, name="work").settings,
            "password_command": "sh -c 'echo hunter2-leaked; exit 3'",
        }
    before = snapshot()
    done = sync_connection(db, owner_id=OWNER, name="work", data_dir=world, now=now)
    assert not done.ok and done.error == "the password command failed (exit 3)"
    assert "hunter2" not in done.error
    after = snapshot()
    assert {t for t in before if before[t] != after[t]} == {"connection"}
    with db.sessions() as s:
        work = s.scalars(sa.select(Connection)).one()
        assert (work.last_error, work.failures, work.last_ok_at) == (done.error, 1, None)
        assert work.next_run_at == now + timedelta(minutes=5)
        assert connections.due_connections(s, owner_id=OWNER, now=now) == []
        assert connections.due_connections(s, owner_id=OWNER, now=now + timedelta(minutes=5)) == ["work"]
    sync_connection(db, owner_id=OWNER, name="work", data_dir=world, now=now + timedelta(minutes=5))
    with db.sessions() as s:
        work = s.scalars(sa.select(Connection)).one()
        assert (work.failures, work.next_run_at) == (2, now + timedelta(minutes=15))
    # A success afterwards clears the error, even one that brought nothing.
    _store(db, now + timedelta(hours=1))
    with db.sessions() as s:
        work = s.scalars(sa.select(Connection)).one()
        assert (work.last_error, work.failures, work.next_run_at) == (None, 0, None)


def test_back_off_doubles_from_five_minutes_to_at_most_six_hours() -> None:
    assert [retry_after(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (5, 10, 20)]
    assert retry_after(7) == timedelta(hours=5, minutes=20)
    assert retry_after(8) == retry_after(50) == timedelta(hours=6)


def test_a_missing_secret_is_a_failure_in_words(db: Database, world: Path, now: datetime) -> None:
    done = sync_connection(db, owner_id=OWNER, name="work", data_dir=world / "elsewhere", now=now)
    assert (done.ok, done.error) == (False, "the password is not stored on this computer (connect it again)")


def _add_bo(db: Database, now: datetime) -> None:
    """Bo Chen, known by his address for a month, never met."""
    with db.transaction() as session:
        people_service.add_person(
            session, owner_id=OWNER, name="Bo Chen", changes=PersonChanges(add={"emails": ["bo@else.org"]}),
            today=now.date(), now=now - timedelta(days=30),
        )  # fmt: skip


def test_a_first_meeting_synced_in_time_opens_the_48_hour_follow_up_once(
    db: Database, world: Path, now: datetime
) -> None:
    _add_bo(db, now)
    ana_before = message("m0@acme", "ana@acme.com", now - timedelta(days=20))
    _store(db, now, ana_before)
    # Yesterday's meeting: the first contact with Bo, not with Ana. Last spring's: too late for advice.
    met = now - timedelta(hours=20)
    _store(
        db, now, meeting("ev1", ["ana@acme.com", "bo@else.org", ME], met),
        meeting("ev0", ["cy@zeta.io", ME], now - timedelta(days=300)),
    )  # fmt: skip
    _store(db, now + timedelta(hours=1), meeting("ev1", ["ana@acme.com", "bo@else.org", ME], met))
    with db.sessions() as s:
        follow = s.scalars(sa.select(FollowUp)).all()
        assert [(f.text, f.due_on, f.status) for f in follow] == [
            ("Follow up with Bo Chen after Planning", (met + timedelta(hours=48)).date(), "open")
        ]


def test_undoing_the_sync_of_a_first_meeting_closes_its_follow_up_too(
    db: Database, world: Path, now: datetime
) -> None:
    _add_bo(db, now)
    done = _store(db, now, meeting("ev1", ["bo@else.org", ME], now - timedelta(hours=3)))
    with db.sessions() as s:
        assert [f.text for f in s.scalars(sa.select(FollowUp))] == ["Follow up with Bo Chen after Planning"]
    assert done.run_id is not None
    with db.transaction() as s:
        imports.undo_run(s, owner_id=OWNER, run_id=done.run_id, now=now)
    with db.sessions() as s:
        assert s.scalars(sa.select(FollowUp)).all() == []
        assert s.scalars(sa.select(Interaction)).all() == []
