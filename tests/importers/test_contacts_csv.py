"""Google and Outlook contacts CSV: both Google layouts, multi-values, encodings, real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tieline.importers import contacts_csv, detect
from tieline.importers.records import PersonRecord, SkippedRecord

FIXTURES = Path(__file__).parents[3] / "shared" / "fixtures" / "contacts_csv"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures not present")

GOOGLE_LABEL = (
    "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Birthday,Notes,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Website 1 - Label,Website 1 - Value\n"
    'Ana,,Lima,,Acme,CTO,--04-12,"Met at RoboConf.\nLikes climbing.",* myContacts ::: Friends ::: Work,'
    "* Work ::: Home,ana@acme.example ::: ana@home.example,Mobile,+33 6 12 34 56 78,Profile,"
    "https://www.linkedin.com/in/ana-lima-fake\n"
    ",,,,,,,,* myContacts,,,,,,\n"
)


def parse_text(tmp_path: Path, text: str | bytes, name: str = "contacts.csv") -> list[object]:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return list(contacts_csv.parse(path))


def test_google_label_layout_with_multi_values_and_multi_line_notes(tmp_path: Path) -> None:
    ana, empty = parse_text(tmp_path, GOOGLE_LABEL)
    assert isinstance(ana, PersonRecord) and ana.source == "google_csv"
    assert [(e.value, e.label) for e in ana.emails] == [
        ("ana@acme.example", "Work"),
        ("ana@home.example", "Home"),
    ]
    assert ana.notes == "Met at RoboConf.\nLikes climbing."
    assert ana.birthday == "--04-12"
    assert ana.tags == ["Friends", "Work"]
    assert [link.value for link in ana.links] == ["https://www.linkedin.com/in/ana-lima-fake"]
    assert isinstance(empty, SkippedRecord) and empty.origin.line == 4 and "no name" in empty.reason


def test_outlook_in_cp1252_with_accents(tmp_path: Path) -> None:
    text = "First Name,Last Name,E-mail Address,Business Phone,Company,Job Title,Title\r\nJosé,Müller,jm@example.com,+49 30 1234567,Zürich AG,Lead,Dr.\r\n"
    (person,) = parse_text(tmp_path, text.encode("cp1252"))
    assert isinstance(person, PersonRecord) and person.source == "outlook_csv"
    assert (person.given_name, person.family_name, person.company) == ("José", "Müller", "Zürich AG")
    assert person.name_prefix == "Dr." and person.title == "Lead"
    assert [(p.value, p.label) for p in person.phones] == [("+49 30 1234567", "Business Phone")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "latin-1"])
def test_any_encoding_outlook_writes(tmp_path: Path, encoding: str) -> None:
    text = "First Name,Last Name,E-mail Address\nRenée,Ødegård,renee@example.com\n"
    (person,) = parse_text(tmp_path, text.encode(encoding))
    assert isinstance(person, PersonRecord) and person.display_name is None
    assert (person.given_name, person.family_name) == ("Renée", "Ødegård")


def test_cells_without_a_field_are_kept_as_extra(tmp_path: Path) -> None:
    (person,) = parse_text(
        tmp_path,
        "Name,Given Name,Family Name,Hobby,Address 1 - Type,Address 1 - City\nBo Chen,Bo,Chen,chess,Home,Lyon\n",
    )
    assert isinstance(person, PersonRecord)
    assert person.extra == {"Hobby": "chess", "Address 1 (Home)": "Lyon"}


@needs_fixtures
@pytest.mark.parametrize(
    ("name", "layout", "emails", "phones"),
    [
        ("roundcube_all.csv", "outlook_csv", 3, 13),
        ("roundcube_gmail.csv", "google_csv", 4, 7),
        ("roundcube_outlook.csv", "outlook_csv", 3, 0),
    ],
)
def test_real_files_give_one_person_each_with_every_value(
    name: str, layout: str, emails: int, phones: int
) -> None:
    path = FIXTURES / name
    assert detect(path) == layout
    (person,) = list(contacts_csv.parse(path))
    assert isinstance(person, PersonRecord) and person.source == layout
    assert (len(person.emails), len(person.phones)) == (emails, phones)


@needs_fixtures
def test_google_legacy_multiline_address_and_escaped_quotes() -> None:
    (person,) = list(contacts_csv.parse(FIXTURES / "roundcube_gmail.csv"))
    assert isinstance(person, PersonRecord)
    assert person.notes == 'note"note'
    assert person.extra["Address 1 (Home)"].splitlines()[0] == "home_street"
    assert person.birthday == "1975-12-12" and person.tags == ["Test"]
