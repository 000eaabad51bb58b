"""Address books synced both ways against real CardDAV servers (Radicale, Xandikos), on SQLite and
PostgreSQL: cards in, people out, field-by-field merges, conflicts, deletes, faults, and a second
sync that writes nothing on either side."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.sync.phone import Phone, card, new_uid
from tests.sync.servers import Radicale, Xandikos
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.sync import connections
from tieline.services.sync.carddav import carddav_settings, find_address_book
from tieline.services.sync.run import SyncOutcome, sync_connection

OWNER = LOCAL_OWNER_ID
Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]


def connect(db: Database, phone: Phone, data_dir: Path, now: datetime, **options: object) -> None:
    """A connection named `book` to the phone's address book, as `tieline connect carddav` makes it."""
    url = phone.book_url if phone.user is None else phone.book_url.rsplit("/", 3)[0] + "/"
    book = find_address_book(url=url, user=phone.user or "", secret=phone.password, name=None, ca_file=None)
    settings = carddav_settings(
        url=url, user=phone.user or "", book=book, send=str(options.get("send", "all")),
        notes=bool(options.get("notes", False)), ca_file=None, password_command=None,
    )  # fmt: skip
    with db.transaction() as session:
        connections.add_connection(
            session, owner_id=OWNER, kind="carddav", name="book", settings=settings,
            secret=phone.password, data_dir=data_dir, now=now,
        )  # fmt: skip


def sync(db: Database, data_dir: Path, now: datetime, **options: bool) -> SyncOutcome:
    """One `tieline sync book`; it must work."""
    done = sync_connection(db, owner_id=OWNER, name="book", data_dir=data_dir, now=now, **options)
    assert done.ok, done.error
    return done


def add(db: Database, now: datetime, name: str, *emails: str, tier: int | None = None) -> int:
    """A person made in tieline."""
    changes = {"emails": list(emails)} if emails else {}
    with db.transaction() as session:
        person = people_service.add_person(
            session, owner_id=OWNER, name=name, changes=PersonChanges(add=changes),
            today=now.date(), now=now - timedelta(days=30),
        )  # fmt: skip
        if tier is not None:
            person.tier = tier
        return person.id


def people(db: Database) -> dict[str, Person]:
    """display name -> person, every one (archived too), with emails and phones loaded."""
    with db.transaction() as session:
        found = session.query(Person).all()
        for p in found:
            _ = (list(p.emails), list(p.phones))
        session.expunge_all()
    return {p.display_name: p for p in found}


@pytest.fixture
def phone(radicale: Radicale) -> Phone:
    """A fresh Radicale user with one address book."""
    return Phone.on_radicale(radicale)


def test_first_sync_brings_the_phones_cards_in_and_sends_tielines_people_out(
    db: Database, phone: Phone, tmp_path: Path, now: datetime, snapshot: Snapshot
) -> None:
    ana_uid = new_uid()
    phone.put(ana_uid, card(ana_uid, "Ana Lima", email="ana@example.org", phone="+44 20 7946 0001"))
    bo_uid = new_uid()
    phone.put(bo_uid, card(bo_uid, "Bo Chen", email="bo@example.org"))
    add(db, now, "Ana Lima", "ana@example.org")  # the same Ana: matched by her email
    add(db, now, "Cy Dube", "cy@example.org")
    connect(db, phone, tmp_path, now)

    first = sync(db, tmp_path, now)

    assert first.wrote and first.run_id is not None
    found = people(db)
    assert sorted(found) == ["Ana Lima", "Bo Chen", "Cy Dube"]
    assert [p.number for p in found["Ana Lima"].phones] == ["+44 20 7946 0001"]
    cards = phone.cards()
    assert len(cards) == 3
    [cy] = [text for text in cards.values() if "Cy Dube" in text]
    assert "EMAIL:cy@example.org" in cy.replace(";TYPE=", ":") or "cy@example.org" in cy
    assert cy.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")

    etags, rows = phone.etags(), snapshot()
    second = sync(db, tmp_path, now + timedelta(hours=1))
    assert not second.wrote
    assert phone.etags() == etags  # no PUT, no DELETE
    assert snapshot() == rows  # no row written
