"""Cards an address book sync writes: read back by the vCard importer they give the same fields
(3.0 and 4.0, custom labels, escapes, a birthday without a year), and a phone's card patched keeps
every line the sync does not own, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest

from tieline.exporters.vcard_sync import new_card, patched_card
from tieline.importers.records import PersonRecord
from tieline.importers.vcard import read_card
from tieline.services.sync.card_fields import of_record

FIELDS: dict[str, Any] = {
    "names": ["Dr. Ana María Lima, PhD", "Lima", "Ana", "María", "Dr.", "PhD"],
    "emails": [["ana@example.org", "work"], ["ana.lima@home.example", "Weekend, mostly"]],
    "phones": [["+44 20 7946 0001", "cell"], ["+44 20 7946 0002", None]],
    "org": ["Acme; Sons", "Research, Lab 2", "Head of R&D"],
    "birthday": "--03-22",
    "addresses": [["home", ";;1 Main St;Paris;;75001;France"]],
    "urls": [["https://ana.example/", None]],
    "notes": None,
}


def fields_of(text: str) -> dict[str, Any]:
    record = read_card(text, "test")
    assert isinstance(record, PersonRecord), record
    found = of_record(record, notes=False)
    assert found is not None
    return found


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_a_new_card_reads_back_as_the_same_fields(version: str) -> None:
    text = new_card(FIELDS, uid="urn:uuid:1234", version=version)
    assert text.startswith(f"BEGIN:VCARD\r\nVERSION:{version}\r\n") and text.endswith("END:VCARD\r\n")
    assert all(len(line) <= 75 for line in text.split("\r\n"))
    assert fields_of(text) == FIELDS


def test_a_phones_card_patched_keeps_every_line_the_sync_does_not_own() -> None:
    phone = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iOS 17//EN\r\nUID:ABC-1\r\nFN:Ana Lima\r\n"
        "N:Lima;Ana;;;\r\nitem1.EMAIL;type=INTERNET:ana@example.org\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/4QBYRXhpZgAATU0AKgAAAAgAAgESAAMAAAABAAEAAIdpAAQ\r\n"
        " AAAABAAAAJgAAAAAAA6ABAAMAAAABAAEAAKACAAQAAAABAAABQKADAAQAAAABAAABQAAAAAD\r\n"
        "X-SOCIALPROFILE;type=twitter:https://twitter.example/ana\r\nEND:VCARD\r\n"
    )
    changed = {**fields_of(phone), "org": ["Acme", None, "CTO"]}

    text = patched_card(phone, changed, notes=False)

    assert fields_of(text) == changed
    for kept in (
        "PRODID:-//Apple Inc.//iOS 17//EN",
        "UID:ABC-1",
        "X-SOCIALPROFILE;type=twitter:https://twitter.example/ana",
    ):
        assert kept + "\r\n" in text
    photo = "".join(line.removeprefix(" ") for line in text.split("\r\n") if line.startswith(("PHOTO", " ")))
    assert (
        photo
        == "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/4QBYRXhpZgAATU0AKgAAAAgAAgESAAMAAAABAAEAAIdpAAQAAAABAAAAJgAAAAAAA6ABAAMAAAABAAEAAKACAAQAAAABAAABQKADAAQAAAABAAABQAAAAAD"
    )
    assert "X-ABLabel:_$!<Other>!$_" not in text  # its EMAIL was rewritten: the old label goes with it
