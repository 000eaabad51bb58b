"""vCard export (tieline.exporters.vcard, `tieline export vcard`): every field, what imports kept,
and the round trip import -> export -> import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import vobject

from tests.conftest import Cli, scratch_database
from tests.exporters.network import AWKWARD, Network, build_network
from tieline.config import Settings
from tieline.db import Database, open_database
from tieline.exporters.vcard import EXTRA_PROPERTY, card_text, extra_lines, uid
from tieline.models import Person
from tieline.repo.people import with_details
from tieline.serialise.people import person_full

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "vcard"


def parsed(person: Person) -> vobject.base.Component:
    return vobject.readOne(card_text(person))


def values(card: vobject.base.Component, name: str) -> list[Any]:
    return [line.value for line in card.contents.get(name.lower(), [])]


def typed(card: vobject.base.Component, name: str) -> list[tuple[str, list[str]]]:
    return [(line.value, line.params.get("TYPE", [])) for line in card.contents.get(name.lower(), [])]


@pytest.fixture
def network(db: Database) -> Iterator[Network]:
    with db.sessions() as session:
        built = build_network(session)
        session.flush()
        for person in (built.ana, built.jose, built.mei, built.archived):
            session.refresh(person)
        yield built
        session.rollback()


def test_a_card_holds_every_field_of_the_person(network: Network) -> None:
    card = parsed(network.ana)

    assert values(card, "VERSION") == ["3.0"]
    assert values(card, "FN") == ["Ana Lima"]
    name = card.n.value
    assert (name.family, name.given, name.additional, name.prefix, name.suffix) == (
        "Lima",
        "Ana",
        "Beatriz",
        "Dr.",
        "PhD",
    )
    assert values(card, "NICKNAME") == ["Aninha"]
    assert typed(card, "EMAIL") == [("ana@acme.example", ["work"]), ("ana.lima@mail.example", [])]
    assert typed(card, "TEL")[0] == ("+351 21 000 0000", ["cell"])
    assert typed(card, "URL") == [
        ("https://www.linkedin.com/in/ana-lima", []),
        ("https://ana.example", ["blog"]),
    ]
    assert values(card, "ORG") == [["Acme", "R&D; Platform"]]
    assert values(card, "TITLE") == ["CTO"]
    assert values(card, "BDAY") == ["1985-04-12"]
    assert values(card, "NOTE") == [AWKWARD.replace("\r\n", "\n")]
    assert values(card, "CATEGORIES") == [["Zebra", "apple", "friend", "été"]]
    assert values(card, "UID") == ["urn:uuid:0b1d6a8e-0000-4000-8000-000000000001"]  # its vCard UID


def test_a_custom_label_goes_into_an_item_group_that_imports_do_not_use(network: Network) -> None:
    card = parsed(network.ana)
    [assistant] = [t for t in card.contents["tel"] if t.group]
    labels = {line.group: line.value for line in card.contents["x-ablabel"]}
    assert assistant.value == "(555) 010-9999"
    # item1 is taken by the X-ABDATE the import kept, so the label gets item2.
    assert assistant.group == "item2" and labels["item2"] == "Assistant (mornings)"
    assert values(card, "X-ABDATE") == ["2010-06-01"] and card.contents["x-abdate"][0].group == "item1"


def test_what_an_import_kept_in_extra_is_written_back(network: Network) -> None:
    card = parsed(network.ana)
    assert values(card, "X-ABUID") == ["5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson"]
    assert card.contents["adr"][0].serialize().strip() == (
        "ADR:;;1 Rua Augusta\\, 2º;Lisboa;;1100-048;Portugal"
    )
    kept = [json.loads(v) for v in values(card, EXTRA_PROPERTY)]
    assert kept == [
        {"connected_on": "16 Dec 2024"},
        {"nested": {"a": "ü", "float": 0.1 + 0.2, "z": [1, 2.5, None, True]}},
    ]


def test_the_vcard_importers_kept_properties_are_written_verbatim() -> None:
    extra = {
        "vcard": [
            ["item1.X-ABDATE", {}, "1975-03-01"],
            ["ADR", {"TYPE": ["HOME", "pref"]}, ";;Street4\\nBuilding 6;New York;;12345;USA"],
            ["X-AIM", {"X-COUCHDB-UUID": ["a:b;c"]}, "johnny5@aol.com"],
        ],
        "photo": {"media_type": "image/jpeg", "bytes": 860},
    }
    lines = [line.serialize().strip() for line in extra_lines(extra)]
    assert lines == [
        "item1.X-ABDATE:1975-03-01",
        "ADR;TYPE=HOME,pref:;;Street4\\nBuilding 6;New York;;12345;USA",
        'X-AIM;X-COUCHDB-UUID="a:b;c":johnny5@aol.com',
        'X-TIELINE-EXTRA:{"photo": {"bytes": 860\\, "media_type": "image/jpeg"}}',
    ]


def test_a_birthday_without_a_year_and_a_person_never_imported(network: Network) -> None:
    card = parsed(network.jose)
    assert values(card, "BDAY") == ["--0315"]
    assert values(card, "UID") == [uid(network.jose)]
    assert uid(network.jose).startswith("urn:uuid:") and uid(network.jose) != uid(network.mei)
    assert uid(network.jose) == uid(network.jose)
    assert "ADR" not in card_text(network.mei)


def test_export_vcard_writes_everyone_archived_included(cli: Cli, db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        build_network(session)
    path = tmp_path / "people.vcf"

    out = cli.ok("export", "vcard", str(path)).stdout

    assert out == f"wrote 4 cards to {path}\n"
    cards = list(vobject.readComponents(path.read_text(encoding="utf-8")))
    assert [c.fn.value for c in cards] == ["Ana Lima", "José Álvarez 王", "Mei 美", "Old Contact"]
    assert path.read_bytes().count(b"\r\n") > 20  # CRLF line ends, as RFC 2426 asks
    assert cli.ok("export", "vcard", "-").stdout.replace("\r\n", "\n") == path.read_text(encoding="utf-8")


def test_import_export_import_gives_the_same_people(
    cli: Cli, db: Database, backend: str, tmp_path: Path
) -> None:
    with db.transaction() as session:
        build_network(session)
    sources = [tmp_path / "network.vcf"]
    cli.ok("export", "vcard", str(sources[0]))
    if FIXTURES.is_dir():
        sources += sorted(FIXTURES.glob("*.vcf"))
    with scratch_database(backend, tmp_path) as first_url, scratch_database(backend, tmp_path) as second_url:
        first, second = Cli(first_url, cli.env), Cli(second_url, cli.env)
        for source in sources:
            first.ok("import", str(source))
        exported = tmp_path / "exported.vcf"
        first.ok("export", "vcard", str(exported))
        second.ok("import", str(exported))
        again = tmp_path / "again.vcf"
        second.ok("export", "vcard", str(again))

        before, after = people_of(first_url, tmp_path), people_of(second_url, tmp_path)

    assert len(before) >= 4
    assert after == before
    assert again.read_bytes() == exported.read_bytes()


VOLATILE = ("id", "created_at", "updated_at", "last_contact_at", "tier", "tier_name")


def people_of(url: str, tmp_path: Path) -> list[dict[str, Any]]:
    """Every person's fields, with what the vCard kept as X-TIELINE-EXTRA read back into extra."""
    database = open_database(Settings(data_dir=tmp_path / "data", database_url=url))
    try:
        with database.sessions() as session:
            people = session.scalars(sa.select(Person).options(*with_details())).all()
            found = []
            for person in people:
                fields = {k: v for k, v in person_full(person).items() if k not in VOLATILE}
                fields["extra"] = normalised_extra(person.extra)
                found.append(fields)
    finally:
        database.dispose()
    return sorted(found, key=lambda p: p["source_id"])


def normalised_extra(extra: dict[str, Any] | None) -> dict[str, Any]:
    """Extra fields with the X-TIELINE-EXTRA properties read back into keys (the importer keeps
    them as properties of the card)."""
    result = dict(extra or {})
    kept = []
    for item in result.pop("vcard", []):
        if item[0] == EXTRA_PROPERTY:
            result.update(json.loads(unescape(item[2])))
        else:
            kept.append(item)
    if kept:
        result["vcard"] = kept
    return result


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append("\n" if value[i + 1] in "nN" else value[i + 1])
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)
