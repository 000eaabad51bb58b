"""Address books synced both ways against real CardDAV servers (Radicale, Xandikos), on SQLite and
PostgreSQL: cards in, people out, field-by-field merges, conflicts, deletes, faults, and a second
sync that writes nothing on either side."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.sync.phone import FIXTURES, Phone, card, new_uid
from tests.sync.servers import Radicale, Xandikos
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.sync import connections
from tieline.services.sync.carddav_setup import carddav_settings, find_address_book
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
    assert re.search(r"^EMAIL[;:][^\r\n]*?:?cy@example\.org\r$", cy, re.M), (
        cy
    )  # an EMAIL line, not just the text
    assert cy.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")

    etags, rows = phone.etags(), snapshot()
    second = sync(db, tmp_path, now + timedelta(hours=1))
    assert not second.wrote
    assert phone.etags() == etags  # no PUT, no DELETE
    assert snapshot() == rows  # no row written


# Cards as phones export them: each must come in as a person, and the phone's card must be left
# as it is (nothing written back when nothing changed). The Android export's fifth card has a
# photo cut short: the server itself refuses it, so a phone could not have stored it there.
EXPORTS = {
    "ez-vcard_John_Doe_IPHONE.vcf": [],
    "ez-vcard_John_Doe_ANDROID.vcf": [4],
    "ez-vcard_John_Doe_MS_OUTLOOK.vcf": [],
    "ez-vcard_John_Doe_GMAIL.vcf": [],
    "ez-vcard_John_Doe_MAC_ADDRESS_BOOK.vcf": [],
    "ez-vcard_John_Doe_EVOLUTION.vcf": [],
}


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures not present")
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_a_phones_cards_sync_in_and_are_left_as_the_phone_wrote_them(
    db: Database, phone: Phone, tmp_path: Path, now: datetime, snapshot: Snapshot, export: str
) -> None:
    taken, refused = phone.put_fixture(export)
    assert refused == EXPORTS[export]
    etags = phone.etags()
    connect(db, phone, tmp_path, now)

    first = sync(db, tmp_path, now)

    assert first.counts["cards read"] == len(taken) and first.skipped == 0
    found = people(db)
    held = {e.address for p in found.values() for e in p.emails}
    for body in taken:
        lines = body.replace("\r\n ", "").splitlines()
        emails = {
            m.lower()
            for line in lines
            if "EMAIL" in line.split(":", 1)[0].upper()
            for m in re.findall(r"[\w.+-]+@[\w.-]+", line)
        }
        assert emails <= held
    assert phone.etags() == etags  # the phone's cards as they were: nothing written back
    rows = snapshot()
    assert not sync(db, tmp_path, now + timedelta(hours=1)).wrote
    assert snapshot() == rows and phone.etags() == etags


def test_a_malformed_card_on_the_server_is_skipped_with_a_line_and_the_others_come_in(
    db: Database, phone: Phone, radicale: Radicale, tmp_path: Path, now: datetime
) -> None:
    ana = new_uid()
    phone.put(ana, card(ana, "Ana Lima", email="ana@example.org"))
    # Written into the server's own storage, as a broken client or a restore might leave it: a
    # card naming nobody (no name, email, phone or organisation).
    folder = radicale.users_file.parent / "collections" / "collection-root" / phone.user / "contacts"  # type: ignore[operator]
    (folder / "broken.vcf").write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:broken-1\r\nFN:\r\nN:;;;;\r\nNOTE:x\r\nEND:VCARD\r\n"
    )
    connect(db, phone, tmp_path, now)

    done = sync(db, tmp_path, now)

    assert sorted(people(db)) == ["Ana Lima"]
    assert done.skipped == 1
    [line] = done.lines
    assert line.endswith("broken.vcf: card has no name, organisation, email or phone number"), line


def edit(db: Database, now: datetime, person_id: int, **fields: object) -> None:
    """An edit made in tieline (`tieline edit`)."""
    with db.transaction() as session:
        person = people_service.get_person(session, owner_id=OWNER, person_id=person_id)
        people_service.edit_person(
            session, person, PersonChanges(set=dict(fields)), today=now.date(), now=now
        )


def test_an_edit_on_each_side_meets_field_by_field_and_then_nothing_moves(
    db: Database, phone: Phone, tmp_path: Path, now: datetime, snapshot: Snapshot
) -> None:
    ana = add(db, now, "Ana Lima", "ana@example.org")
    add(db, now, "Bo Chen", "bo@example.org")
    connect(db, phone, tmp_path, now)
    sync(db, tmp_path, now)
    href, _ = phone.find("Ana Lima")
    phone.edit(href, "END:VCARD", "TEL;TYPE=CELL:+44 7700 900123\r\nEND:VCARD")  # the phone adds a number
    edit(db, now, ana, title="Chief Engineer", company="Acme")  # tieline: her job

    done = sync(db, tmp_path, now + timedelta(minutes=5))

    assert done.counts["updated"] == 1 and done.counts["sent"] == 1 and "retried" not in done.counts
    person = people(db)["Ana Lima"]
    assert [p.number for p in person.phones] == ["+44 7700 900123"]
    _, text = phone.find("Ana Lima")
    assert "TITLE:Chief Engineer" in text and "ORG:Acme" in text and "+44 7700 900123" in text
    etags, rows = phone.etags(), snapshot()
    assert not sync(db, tmp_path, now + timedelta(minutes=10)).wrote
    assert phone.etags() == etags and snapshot() == rows


def test_the_same_field_changed_on_both_sides_is_a_conflict_resolved_either_way(
    db: Database, phone: Phone, tmp_path: Path, now: datetime
) -> None:
    from tieline.services.sync import conflicts

    ana = add(db, now, "Ana Lima", "ana@example.org")
    bo = add(db, now, "Bo Chen", "bo@example.org")
    connect(db, phone, tmp_path, now)
    sync(db, tmp_path, now)
    ana_href, _ = phone.find("Ana Lima")
    bo_href, _ = phone.find("Bo Chen")
    phone.edit(ana_href, "END:VCARD", "TITLE:Phone Title\r\nEND:VCARD")
    phone.edit(bo_href, "END:VCARD", "TITLE:Bo On Phone\r\nEND:VCARD")
    edit(db, now, ana, title="Tieline Title")
    edit(db, now, bo, title="Bo In Tieline")

    done = sync(db, tmp_path, now + timedelta(minutes=5))

    assert done.counts["conflicts"] == 2
    found = people(db)
    assert (found["Ana Lima"].title, found["Bo Chen"].title) == (
        "Tieline Title",
        "Bo In Tieline",
    )  # tieline's kept
    assert "TITLE:Tieline Title" in phone.find("Ana Lima")[1]  # and sent
    with db.transaction() as session:
        listed = {c.person: c for c in conflicts.conflicts(session, owner_id=OWNER)}
    assert listed["Ana Lima"].field == "org"
    assert listed["Ana Lima"].server_value == [None, None, "Phone Title"]
    assert listed["Ana Lima"].tieline_value == [None, None, "Tieline Title"]
    with db.transaction() as session:
        conflicts.resolve(session, owner_id=OWNER, conflict_id=listed["Ana Lima"].id, keep="server", now=now)
        conflicts.resolve(session, owner_id=OWNER, conflict_id=listed["Bo Chen"].id, keep="tieline", now=now)
        assert conflicts.conflicts(session, owner_id=OWNER) == []

    sync(db, tmp_path, now + timedelta(minutes=10))

    found = people(db)
    assert (found["Ana Lima"].title, found["Bo Chen"].title) == ("Phone Title", "Bo In Tieline")
    assert "TITLE:Phone Title" in phone.find("Ana Lima")[1]
    assert "TITLE:Bo In Tieline" in phone.find("Bo Chen")[1]
    assert not sync(db, tmp_path, now + timedelta(minutes=15)).wrote


def test_an_address_added_on_each_side_ends_on_both_and_is_no_conflict(
    db: Database, phone: Phone, tmp_path: Path, now: datetime
) -> None:
    ana = add(db, now, "Ana Lima", "ana@example.org")
    connect(db, phone, tmp_path, now)
    sync(db, tmp_path, now)
    href, _ = phone.find("Ana Lima")
    phone.edit(href, "END:VCARD", "EMAIL;TYPE=HOME:ana@phone.example\r\nEND:VCARD")
    with db.transaction() as session:
        person = people_service.get_person(session, owner_id=OWNER, person_id=ana)
        people_service.edit_person(
            session, person, PersonChanges(add={"emails": ["ana@tieline.example"]}), today=now.date(), now=now
        )

    done = sync(db, tmp_path, now + timedelta(minutes=5))

    assert "conflicts" not in done.counts  # non-zero counts only
    emails = {e.address for e in people(db)["Ana Lima"].emails}
    assert emails == {"ana@example.org", "ana@phone.example", "ana@tieline.example"}
    card = phone.find("Ana Lima")[1].lower()
    assert "ana@phone.example" in card and "ana@tieline.example" in card
    assert not sync(db, tmp_path, now + timedelta(minutes=10)).wrote


def test_deletes_archive_on_one_side_and_remove_on_the_other_and_a_merge_leaves_one_card(
    db: Database, phone: Phone, tmp_path: Path, now: datetime
) -> None:
    from tieline.services import merge as merge_service

    ids = {
        name: add(db, now, name, f"{name.split()[0].lower()}@example.org")
        for name in ("Ana Lima", "Bo Chen", "Cy Dube")
    }
    for n in range(27):  # 30 cards: three removed is 10%, not more
        add(db, now, f"Person {n:02d}", f"p{n}@example.org")
    ana2 = add(db, now, "Ana M. Lima", "ana.lima@work.example")
    connect(db, phone, tmp_path, now)
    sync(db, tmp_path, now)
    assert len(phone.etags()) == 31
    ana_uid = next(t for t in phone.cards().values() if "FN:Ana Lima" in t).split("UID:")[1].split("\r\n")[0]
    phone.delete(phone.find("Bo Chen")[0])  # deleted on the phone
    with db.transaction() as session:
        people_service.archive_person(
            people_service.get_person(session, owner_id=OWNER, person_id=ids["Cy Dube"])
        )
        merge_service.merge(
            session, kept=people_service.get_person(session, owner_id=OWNER, person_id=ids["Ana Lima"]),
            merged=people_service.get_person(session, owner_id=OWNER, person_id=ana2), now=now,
        )  # fmt: skip

    done = sync(db, tmp_path, now + timedelta(minutes=5))

    assert done.counts["archived"] == 1 and done.counts["removed on server"] == 2  # Cy, Ana M.
    found = people(db)
    assert found["Bo Chen"].archived  # kept, with its history, archived
    cards = phone.cards().values()
    assert len(cards) == 28
    assert not any("Cy Dube" in t or "Bo Chen" in t for t in cards)
    [ana] = [t for t in cards if "Ana" in t]  # the merged pair is one card, under the kept UID
    assert f"UID:{ana_uid}" in ana and "ana.lima@work.example" in ana and "ana@example.org" in ana
    assert not sync(db, tmp_path, now + timedelta(minutes=10)).wrote


def test_a_mass_delete_stops_the_sync_and_asks_first(
    db: Database, phone: Phone, tmp_path: Path, now: datetime, snapshot: Snapshot
) -> None:
    for n in range(10):
        add(db, now, f"Person {n:02d}", f"p{n}@example.org")
    connect(db, phone, tmp_path, now)
    sync(db, tmp_path, now)
    for href in list(phone.etags())[:3]:  # 3 of 10 cards: more than the 10% allowed
        phone.delete(href)
    rows = snapshot()

    stopped = sync_connection(
        db, owner_id=OWNER, name="book", data_dir=tmp_path, now=now + timedelta(minutes=5)
    )

    assert not stopped.ok
    assert (
        stopped.error is not None
        and "3 of 10 cards would be removed or archived, more than 10%" in stopped.error
    )
    assert "--allow-mass-delete" in stopped.error
    after = snapshot()
    assert {k: v for k, v in after.items() if k != "connection"} == {
        k: v for k, v in rows.items() if k != "connection"
    }

    done = sync(db, tmp_path, now + timedelta(minutes=10), allow_mass_delete=True)
    assert done.counts["archived"] == 3
    assert sum(p.archived for p in people(db).values()) == 3


def test_a_card_changed_on_the_phone_after_tieline_read_the_book_is_answered_412_and_merged(
    db: Database, phone: Phone, tmp_path: Path, now: datetime, snapshot: Snapshot
) -> None:
    from tieline.connectors.carddav import AddressBook, DavClient
    from tieline.models import SyncCursor

    ana = add(db, now, "Ana Lima", "ana@example.org")
    connect(db, phone, tmp_path, now)
    sync(db, tmp_path, now)
    edit(db, now, ana, title="Engineer")  # tieline's change...
    href, _ = phone.find("Ana Lima")
    phone.edit(href, "END:VCARD", "TEL;TYPE=CELL:+44 7700 900456\r\nEND:VCARD")  # ...and the phone's
    # The race, made certain: tieline's listing is taken after the phone's edit (its token moves
    # past it) while its ETag is from before, so its write is refused with 412.
    with db.transaction() as session:
        cursor = session.query(SyncCursor).one()
        with DavClient(phone.book_url, phone.user, phone.password) as client:
            book = AddressBook(url=phone.book_url, name="", sync_collection=True)
            cursor.state = client.changes(book, dict(cursor.state), {"x": "y"}).cursor

    done = sync(db, tmp_path, now + timedelta(minutes=5))

    assert done.counts["retried"] == 1
    assert [p.number for p in people(db)["Ana Lima"].phones] == ["+44 7700 900456"]
    _, text = phone.find("Ana Lima")
    assert "TITLE:Engineer" in text and "+44 7700 900456" in text
    etags, rows = phone.etags(), snapshot()
    assert not sync(db, tmp_path, now + timedelta(minutes=10)).wrote
    assert phone.etags() == etags and snapshot() == rows


def test_a_connection_dropped_halfway_is_finished_by_the_next_sync_without_duplicates(
    db: Database, radicale: Radicale, tmp_path: Path, now: datetime
) -> None:
    from tests.sync.servers import dropping_proxy

    phone = Phone.on_radicale(radicale)
    for n in range(20):
        add(db, now, f"Person {n:02d}", f"p{n}@example.org")
    with dropping_proxy(radicale.url) as proxy:
        via = Phone(phone.book_url.replace(radicale.url, proxy.url), phone.user, phone.password)
        connect(db, via, tmp_path, now)
        proxy.drop_after = 7  # the 8th card is written, its answer lost; nothing after it gets through

        cut = sync_connection(db, owner_id=OWNER, name="book", data_dir=tmp_path, now=now)

        assert not cut.ok and cut.error is not None and cut.error.startswith("the server stopped answering")
        assert len(phone.etags()) == 8
        proxy.drop_after = None
        sync(db, tmp_path, now + timedelta(minutes=5))

        cards = phone.cards().values()
        assert len(cards) == 20  # every person once: nothing duplicated, nothing lost
        assert sorted(t.split("FN:")[1].split("\r\n")[0] for t in cards) == [
            f"Person {n:02d}" for n in range(20)
        ]
        assert len(people(db)) == 20
        assert not sync(db, tmp_path, now + timedelta(minutes=10)).wrote


def test_a_second_server_xandikos_syncs_both_ways_and_then_writes_nothing(
    db: Database, xandikos: Xandikos, tmp_path: Path, now: datetime, snapshot: Snapshot
) -> None:
    phone = Phone(xandikos.book_url)
    phone.clear()
    ana = new_uid()
    phone.put(ana, card(ana, "Ana Lima", email="ana@example.org"))
    if FIXTURES.is_dir():  # an iPhone's card too, when the shared fixtures are there
        taken, refused = phone.put_fixture("ez-vcard_John_Doe_IPHONE.vcf")
        assert len(taken) == 1 and not refused
    else:
        john = new_uid()
        phone.put(john, card(john, "John Doe", email="john.doe@ibm.com"))
    bo = add(db, now, "Bo Chen", "bo@example.org")
    connect(db, phone, tmp_path, now)

    sync(db, tmp_path, now)

    assert {"Ana Lima", "Bo Chen"} <= set(people(db)) and len(people(db)) == 3
    assert len(phone.etags()) == 3
    href, _ = phone.find("Ana Lima")
    phone.edit(href, "END:VCARD", "TITLE:Pilot\r\nEND:VCARD")
    edit(db, now, bo, title="Sailor")
    sync(db, tmp_path, now + timedelta(minutes=5))
    assert people(db)["Ana Lima"].title == "Pilot"
    assert "TITLE:Sailor" in phone.find("Bo Chen")[1]
    etags, rows = phone.etags(), snapshot()
    assert not sync(db, tmp_path, now + timedelta(minutes=10)).wrote
    assert phone.etags() == etags and snapshot() == rows


def test_every_sync_is_an_import_run_that_undo_takes_back(
    db: Database, phone: Phone, tmp_path: Path, now: datetime
) -> None:
    from tieline.services import imports

    ana = new_uid()
    phone.put(ana, card(ana, "Ana Lima", email="ana@example.org", phone="+44 20 7946 0001"))
    connect(db, phone, tmp_path, now)
    first = sync(db, tmp_path, now)
    href, _ = phone.find("Ana Lima")
    phone.edit(href, "TEL;TYPE=CELL:+44 20 7946 0001\r\n", "")  # the phone drops her number
    etags = phone.etags()
    second = sync(db, tmp_path, now + timedelta(minutes=5))
    assert "retried" not in second.counts  # the phone's change taken, nothing written back
    assert "sent" not in second.counts and phone.etags() == etags
    assert people(db)["Ana Lima"].phones == []

    with db.transaction() as session:
        imports.undo_run(session, owner_id=OWNER, run_id=second.run_id, now=now)  # type: ignore[arg-type]
    assert [p.number for p in people(db)["Ana Lima"].phones] == ["+44 20 7946 0001"]  # put back whole
    with db.transaction() as session:
        imports.undo_run(session, owner_id=OWNER, run_id=first.run_id, now=now)  # type: ignore[arg-type]
    assert people(db) == {}


@pytest.mark.parametrize("notes", [False, True])
def test_notes_stay_in_tieline_unless_the_connection_syncs_them(
    db: Database, phone: Phone, tmp_path: Path, now: datetime, notes: bool
) -> None:
    ana = add(db, now, "Ana Lima", "ana@example.org")
    edit(db, now, ana, notes="Private: met at the Lisbon offsite")
    connect(db, phone, tmp_path, now, notes=notes)

    sync(db, tmp_path, now)

    _, text = phone.find("Ana Lima")
    assert ("NOTE:Private: met at the Lisbon offsite" in text) is notes
    assert not sync(db, tmp_path, now + timedelta(minutes=5)).wrote


@pytest.mark.parametrize(
    ("send", "sent"),
    [("all", ["Ana Lima", "Bo Chen", "Cy Dube"]), ("tier:2", ["Ana Lima"]), ("tag:friends", ["Cy Dube"])],
)
def test_send_chooses_whom_tieline_adds_to_the_book(
    db: Database, phone: Phone, tmp_path: Path, now: datetime, send: str, sent: list[str]
) -> None:
    add(db, now, "Ana Lima", "ana@example.org", tier=1)
    add(db, now, "Bo Chen", "bo@example.org", tier=4)
    cy = add(db, now, "Cy Dube", "cy@example.org", tier=4)
    with db.transaction() as session:
        person = people_service.get_person(session, owner_id=OWNER, person_id=cy)
        people_service.edit_person(
            session, person, PersonChanges(add={"tags": ["friends"]}), today=now.date()
        )
    connect(db, phone, tmp_path, now, send=send)

    sync(db, tmp_path, now)

    assert sorted(t.split("FN:")[1].split("\r\n")[0] for t in phone.cards().values()) == sent
