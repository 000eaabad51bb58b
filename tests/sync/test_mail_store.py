"""A mail sync stores batches while the rest is still fetched (services/sync/run.py `_sync_mail`),
against a real Dovecot: the writing transaction opens only near the end of the fetch, so other
writers are not kept waiting on a slow server, and a fetch failing after it opened leaves nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker

from tests.connectors.test_imap import mail
from tests.sync.servers import Dovecot
from tieline.connectors import imap_wire
from tieline.db import Database, create_engine_for
from tieline.errors import Busy
from tieline.models import LOCAL_OWNER_ID, Interaction, Person
from tieline.services import people as people_service
from tieline.services import preferences
from tieline.services.people import PersonChanges
from tieline.services.sync import connections, run

ME = "me@example.org"
ANA = "ana@example.com"


@pytest.fixture
def mailbox(db: Database, dovecot: Dovecot, now: datetime, tmp_path: Path) -> tuple[str, Path]:
    """Six messages from Ana (known by her address) in a Dovecot mailbox connected as "mail"; the
    mailbox's user and the data folder."""
    user, password = dovecot.new_user()
    for n in range(6):
        dovecot.deliver(user, mail(ANA, ME, when=now - timedelta(hours=n + 1), subject=f"m{n}"), when=now)
    with db.transaction() as session:
        preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="me.emails", value=[ME])
        people_service.add_person(
            session, owner_id=LOCAL_OWNER_ID, name="Ana Lima", changes=PersonChanges(add={"emails": [ANA]}),
            today=now.date(), now=now - timedelta(days=30),
        )  # fmt: skip
        settings = connections.imap_settings(
            host=dovecot.host, port=dovecot.tls_port, tls="ssl", user=user, folders=None, months=12,
            ca_file=dovecot.ca_file, password_command=None,
        )  # fmt: skip
        connections.add_connection(
            session, owner_id=LOCAL_OWNER_ID, kind="imap", name="mail", settings=settings, secret=password,
            data_dir=tmp_path, now=now,
        )  # fmt: skip
    return user, tmp_path


def _sync(db: Database, folder: Path, now: datetime, progress: Callable[[int, int], None] | None = None):  # type: ignore[no-untyped-def]
    return run.sync_connection(
        db, owner_id=LOCAL_OWNER_ID, name="mail", data_dir=folder, now=now, progress=progress
    )


def _subjects(db: Database) -> list[str]:
    with db.sessions() as session:
        return sorted(session.scalars(sa.select(Interaction.subject)))


def _other_writer(db: Database) -> Callable[[], None]:
    """Another program writing to the same database, which waits at most 0.2 s for a lock."""
    url = db.engine.url.render_as_string(hide_password=False)
    engine = create_engine_for(url, lock_timeout_ms=200)
    other = Database(engine=engine, sessions=sessionmaker(engine))

    def write() -> None:
        with other.transaction(writes=True) as session:
            session.execute(sa.update(Person).values(notes="written meanwhile"))

    return write


def test_other_writers_wait_only_once_the_store_begins(
    db: Database, mailbox: tuple[str, Path], now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, folder = mailbox
    write = _other_writer(db)
    monkeypatch.setattr(run, "MAIL_BATCH", 2)
    outcomes: list[str] = []

    def try_writing(done: int, total: int) -> None:
        if done == 4:
            try:
                write()
                outcomes.append("written")
            except Busy:
                outcomes.append("busy")

    # Storing would take longer than the rest of the fetch: it begins after the first batch, and
    # from then on SQLite's one write lock is the sync's (PostgreSQL locks rows, not the database).
    monkeypatch.setattr(run, "STORE_SECONDS_PER_RECORD", 1e9)
    assert _sync(db, folder, now, try_writing).ok
    assert outcomes == (["busy"] if db.dialect == "sqlite" else ["written"])
    assert _subjects(db) == [f"m{n}" for n in range(6)]


def test_while_a_slow_fetch_goes_on_other_writers_are_not_kept_waiting(
    db: Database, mailbox: tuple[str, Path], now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, folder = mailbox
    write = _other_writer(db)
    monkeypatch.setattr(run, "MAIL_BATCH", 2)
    monkeypatch.setattr(run, "STORE_SECONDS_PER_RECORD", 0.0)  # storing is quick: it begins at the end
    wrote: list[int] = []

    def try_writing(done: int, total: int) -> None:
        if 0 < done < total:
            write()  # would raise Busy if the sync held the write lock
            wrote.append(done)

    assert _sync(db, folder, now, try_writing).ok
    assert wrote == [2, 4]
    assert _subjects(db) == [f"m{n}" for n in range(6)]


def test_a_fetch_failing_after_the_store_began_leaves_nothing_and_the_next_sync_gets_all_once(
    db: Database, dovecot: Dovecot, mailbox: tuple[str, Path], now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    user, folder = mailbox
    monkeypatch.setattr(run, "MAIL_BATCH", 2)
    monkeypatch.setattr(imap_wire, "AHEAD", 1)  # so the cut lands before the last batch is fetched
    monkeypatch.setattr(run, "STORE_SECONDS_PER_RECORD", 1e9)  # the store begins after the first batch

    def cut(done: int, total: int) -> None:
        if done == 2:
            dovecot.kick(user)

    failed = _sync(db, folder, now, cut)
    assert not failed.ok and failed.error and "stopped answering" in failed.error
    assert _subjects(db) == []
    again = _sync(db, folder, now)
    assert again.ok and again.added == 6
    assert _subjects(db) == [f"m{n}" for n in range(6)]
