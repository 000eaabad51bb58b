"""Format detection and date forms."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tieline.errors import InvalidInput
from tieline.importers import check_format, detect
from tieline.importers.tabular import parse_datetime, parse_day, parse_month

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
