"""Format detection, date forms, and the import's own search document staying equal to search's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tieline.errors import InvalidInput
from tieline.importers import check_format, detect
from tieline.importers import people_fields as pf
from tieline.importers.records import LabeledValue, Origin, PersonRecord
from tieline.importers.tabular import parse_datetime, parse_day, parse_month
from tieline.repo.search import document_for

DATA = Path(__file__).parent.parent / "data" / "linkedin"


@pytest.mark.parametrize(
    ("content", "name", "fmt"),
    [
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n", "x.dat", "vcard"),
        (b"\xef\xbb\xbfBEGIN:VCALENDAR\r\n", "x.txt", "ics"),
        (b"From a@b.c Mon Jan  1 00:00:00 2024\nSubject: x\n\nhi\n", "inbox", "mbox"),
        (b"First Name,Last Name,E-mail Address,Company\n", "x.csv", "outlook_csv"),
        (b"Name,Given Name,Family Name,Group Membership\n", "x.csv", "google_csv"),
        (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n", "c.csv", "linkedin"),
        (b"anything", "card.vcf", "vcard"),
    ],
)
def test_detect_by_content_and_extension(tmp_path: Path, content: bytes, name: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect(path) == fmt


def test_detect_folders(tmp_path: Path) -> None:
    assert detect(DATA / "export_2018") == "linkedin"
    for sub in ("cur", "new", "tmp"):
        (tmp_path / sub).mkdir()
    assert detect(tmp_path) == "maildir"
    (tmp_path / "other").mkdir()
    with pytest.raises(InvalidInput, match="neither a LinkedIn export nor a Maildir"):
        detect(tmp_path / "other")


def test_format_names_and_aliases() -> None:
    assert check_format("vcf") == "vcard" and check_format("LinkedIn") == "linkedin"
    with pytest.raises(InvalidInput, match="unknown format"):
        check_format("xls")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("16 Dec 2024", date(2024, 12, 16)), ("18-Jun-24", date(2024, 6, 18)), ("1/8/18, 6:14 PM", date(2018, 1, 8)),
     ("20/01/1991", date(1991, 1, 20)), ("2024-12-16", date(2024, 12, 16)), ("", None), ("soon", None)],
)  # fmt: skip
def test_day_forms(text: str, expected: date | None) -> None:
    assert parse_day(text) == expected


def test_time_and_month_forms() -> None:
    assert parse_datetime("2024-12-16 18:24:37 UTC") == datetime(2024, 12, 16, 18, 24, 37, tzinfo=UTC)
    assert parse_datetime("12/15/24, 6:14 PM") == datetime(2024, 12, 15, 18, 14, tzinfo=UTC)
    assert parse_datetime("2019/03/14 08:47:12 UTC") == datetime(2019, 3, 14, 8, 47, 12, tzinfo=UTC)
    assert parse_month("Jun 2019") == date(2019, 6, 1) and parse_month("2010") == date(2010, 1, 1)


def test_import_search_document_equals_the_search_module() -> None:
    record = PersonRecord(
        "t", "1", Origin("x"), display_name="José Álvarez", given_name="José", family_name="Álvarez",
        company="Fabrikam, Inc.", title="CTO", notes="Likes chess", met_how="LinkedIn connection",
        emails=[LabeledValue("jose@fabrikam.example")], phones=[LabeledValue("+34 600 123 456")],
        links=[LabeledValue("https://www.linkedin.com/in/jose")], tags=["Spain", "chess"],
    )  # fmt: skip
    fields = pf.fields_of(record, [])
    assert fields is not None
    assert pf.search_document(fields) == document_for(pf.search_stand_in(fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("display", "given", "middle", "family", "nickname"),
    [
        ("王 小明", "小明", None, "王", None),
        ("O'Brien-Smith, Dr.", "Seán", "-", "O'Brien-Smith", "  Shay "),
        ("Zoë  Ångström", "Zoë", None, None, "Zo"),
        ("— —", None, None, None, None),
    ],
)
def test_import_search_document_names_equal_the_search_module(
    display: str, given: str | None, middle: str | None, family: str | None, nickname: str | None
) -> None:
    record = PersonRecord("t", "1", Origin("x"), display_name=display, given_name=given, middle_name=middle,
                          family_name=family, nickname=nickname)  # fmt: skip
    fields = pf.fields_of(record, [])
    assert fields is not None
    assert pf.search_document(fields) == document_for(pf.search_stand_in(fields))  # type: ignore[arg-type]


def test_values_a_field_cannot_hold_are_kept_as_extra_with_a_warning() -> None:
    record = PersonRecord("t", "1", Origin("x"), display_name="Bo", emails=[LabeledValue("not-an-email", "Work")],
                          phones=[LabeledValue("pager", "Pager"), LabeledValue("mobile", "Pager")])  # fmt: skip
    warnings: list[str] = []
    fields = pf.fields_of(record, warnings)
    assert fields is not None and fields["emails"] == [] and fields["phones"] == []
    assert fields["extra"] == {
        "email (Work)": "not-an-email",
        "phone (Pager)": "pager",
        "phone (Pager) 2": "mobile",
    }
    assert len(warnings) == 3
