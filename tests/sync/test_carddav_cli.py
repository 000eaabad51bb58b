"""`tieline connect carddav` and `tieline sync` with an address book, from the command line against a
real Radicale (SQLite and PostgreSQL): discovery, a wrong password, conflicts resolved, and the
issue's acceptance walk (50 people, edits on the phone and in tieline, a merge; both sides agree
field by field; a second sync writes nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import FIXED_NOW, Cli
from tests.sync.phone import Phone, card, new_uid
from tests.sync.servers import Radicale
from tieline.db import Database
from tieline.importers.records import PersonRecord
from tieline.importers.vcard import read_card
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.sync import card_fields

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]


def connect(cli: Cli, radicale: Radicale, phone: Phone, *extra: str) -> str:
    """`tieline connect carddav book` from the server's root address: discovery finds the book."""
    said = cli.ok(
        "connect", "carddav", "book", "--url", radicale.url, "--user", str(phone.user), "--password-stdin",
        *extra, input=f"{phone.password}\n",
    )  # fmt: skip
    return said.stdout


def test_connect_discovers_the_only_address_book_from_the_server_root(
    cli: Cli, radicale: Radicale, snapshot: Snapshot
) -> None:
    phone = Phone.on_radicale(radicale)

    said = connect(cli, radicale, phone)

    assert f"address book 'Contacts' at {phone.book_url}" in said
    [listed] = cli.json("connections")
    assert (listed["kind"], listed["where"]) == ("carddav", phone.book_url)
    assert str(phone.password) not in repr(snapshot()) + said


def test_several_address_books_and_none_named_is_one_line_listing_them(
    cli: Cli, radicale: Radicale, snapshot: Snapshot
) -> None:
    phone = Phone.on_radicale(radicale, books=("family", "work"))
    before = snapshot()

    line = cli.user_error(
        "connect", "carddav", "book", "--url", radicale.url, "--user", str(phone.user), "--password-stdin",
        code=2, input=f"{phone.password}\n",
    )  # fmt: skip

    assert line == "error: the account has several address books, choose one with --addressbook: Family, Work"
    assert snapshot() == before
    said = connect(cli, radicale, phone, "--addressbook", "Work")
    assert "address book 'Work'" in said


def test_a_wrong_password_is_one_line_and_exit_1(
    cli: Cli, radicale: Radicale, snapshot: Snapshot, tmp_path: Path
) -> None:
    phone = Phone.on_radicale(radicale)
    assert (
        cli.user_error(
            "connect",
            "carddav",
            "book",
            "--url",
            radicale.url,
            "--user",
            str(phone.user),
            "--password-stdin",
            code=1,
            input="not-the-password\n",
        )
        == f"error: {radicale.url}: wrong user name or password"
    )
    connect(cli, radicale, phone)
    secret = Path(str(cli.env["TIELINE_DATA_DIR"])) / "secrets" / f"{LOCAL_OWNER_ID}-book"
    secret.write_text("changed-since")  # the password changed on the server
    before = snapshot()

    assert cli.user_error("sync", "book", code=1) == "error: book: wrong user name or password"

    after = snapshot()
    assert {t for t in before if before[t] != after[t]} == {"connection"}


def test_a_conflict_is_listed_and_resolved_from_the_command_line(
    cli: Cli, radicale: Radicale, db: Database
) -> None:
    phone = Phone.on_radicale(radicale)
    cli.ok("add", "Ana Lima", "--email", "ana@example.org", "--title", "Engineer")
    connect(cli, radicale, phone)
    cli.ok("sync")
    href, _ = phone.find("Ana Lima")
    phone.edit(href, "TITLE:Engineer", "TITLE:Staff Engineer")
    cli.ok("edit", "Ana Lima", "--title", "Principal Engineer")

    said = cli.ok("sync", "book").stdout

    assert "conflicts 1" in said
    [conflict] = cli.json("sync", "conflicts")
    assert (conflict["person"], conflict["field"]) == ("Ana Lima", "org")
    assert (conflict["tieline_value"][2], conflict["server_value"][2]) == (
        "Principal Engineer",
        "Staff Engineer",
    )
    assert "Staff Engineer" in cli.ok("sync", "conflicts").stdout
    cli.ok("sync", "resolve", str(conflict["id"]), "--keep", "server")
    assert cli.json("sync", "conflicts") == []
    cli.ok("sync")
    assert "TITLE:Staff Engineer" in phone.find("Ana Lima")[1]
    assert cli.json("show", "Ana Lima")["title"] == "Staff Engineer"


def _both_agree(db: Database, phone: Phone) -> None:
    """Every live person with a card holds what the card says, field by field, and the other way."""
    cards = {}
    for href, text in phone.cards().items():
        record = read_card(text, href)
        assert isinstance(record, PersonRecord)
        fields = card_fields.of_record(record, notes=False)
        assert fields is not None
        cards[fields["names"][0]] = fields
    with db.transaction() as session:
        live = [p for p in session.query(Person).all() if not p.archived]
        mine = {p.display_name: card_fields.of_person(p, notes=False) for p in live}
    assert mine == cards


def test_the_acceptance_walk_fifty_people_edits_on_both_sides_a_merge_and_a_quiet_second_sync(
    cli: Cli, radicale: Radicale, db: Database, snapshot: Snapshot
) -> None:
    phone = Phone.on_radicale(radicale)
    with db.transaction() as session:
        for n in range(50):
            people_service.add_person(
                session, owner_id=LOCAL_OWNER_ID, name=f"Person {n:02d}",
                changes=PersonChanges(add={"emails": [f"p{n}@example.org"], "phones": [f"+44 20 7946 {n:04d}"]}),
                today=FIXED_NOW.date(), now=FIXED_NOW,
            )  # fmt: skip
    connect(cli, radicale, phone)
    assert "sent 50" in cli.ok("sync").stdout  # tieline's people go out; nothing came in
    assert len(phone.etags()) == 50
    _both_agree(db, phone)

    # On the phone: one card edited, one added, one deleted.
    href, _ = phone.find("FN:Person 01")
    phone.edit(href, "FN:Person 01", "FN:Person 01 Renamed")
    phone.edit(href, "N:01;Person;;;", "N:01 Renamed;Person;;;")
    new = new_uid()
    phone.put(new, card(new, "Zoe New", email="zoe@example.org", phone="+44 20 7946 9999"))
    phone.delete(phone.find("FN:Person 02")[0])
    # In tieline: one person edited, two merged.
    cli.ok("edit", "Person 03", "--title", "Director", "--company", "Acme")
    cli.ok("merge", "Person 04", "Person 05")

    said = cli.ok("sync").stdout

    assert "book:" in said
    _both_agree(db, phone)
    with db.transaction() as session:
        by_name = {p.display_name: p for p in session.query(Person).all()}
        assert by_name["Person 02"].archived  # the card deleted on the phone: archived, history kept
        assert by_name["Person 01 Renamed"].title is None and "Zoe New" in by_name
        assert "Person 05" not in by_name
        assert by_name["Person 03"].title == "Director"
    texts = phone.cards().values()
    assert len(texts) == 49  # 50 + Zoe - Person 02 - the merged Person 05
    [merged] = [t for t in texts if "p4@example.org" in t]
    assert "p5@example.org" in merged  # one card for the pair, holding both

    etags, rows = phone.etags(), snapshot()
    assert cli.ok("sync").stdout.strip() == "book: nothing new"
    assert phone.etags() == etags and snapshot() == rows


def test_a_connection_cannot_be_named_as_a_sync_sub_command(cli: Cli, snapshot: Snapshot) -> None:
    before = snapshot()
    line = cli.user_error("connect", "ics", "conflicts", "--url", "https://example.org/cal.ics", code=2)
    assert line == "error: connection name 'conflicts' is taken by `tieline sync conflicts`: choose another"
    assert snapshot() == before
