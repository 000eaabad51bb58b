"""The LinkedIn export parser: every historical layout, header finding, dates, direction, skips."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tieline.importers import detect, linkedin
from tieline.importers.records import (
    FavourRecord,
    InteractionRecord,
    MalformedFile,
    MembershipRecord,
    PersonRecord,
    SkippedRecord,
)

DATA = Path(__file__).parent.parent / "data" / "linkedin"


def records(path: Path) -> list[object]:
    return list(linkedin.parse(path))


def of(kind: type, items: list[object]) -> list:  # type: ignore[type-arg]
    return [r for r in items if isinstance(r, kind)]


def test_newest_layout_finds_the_header_below_the_notes_paragraph() -> None:
    people = of(PersonRecord, records(DATA / "export_2024"))
    assert [p.display_name for p in people][:4] == ["Ana Lima", "Bo Chen", "Robert Okafor", "José Álvarez"]
    ana = people[0]
    assert ana.source_id == "linkedin.com/in/ana-lima-fake"
    assert ana.origin.line == 5
    assert (ana.company, ana.title, ana.met_on) == ("Acme Robotics", "Staff Engineer", date(2024, 12, 16))
    assert [e.value for e in people[1].emails] == ["bo.chen@example.com"]


def test_connection_without_a_name_is_skipped_with_file_line_and_reason() -> None:
    skipped = of(SkippedRecord, records(DATA / "export_2024"))
    assert any(str(s.origin).endswith("Connections.csv:9") and "without a name" in s.reason for s in skipped)


def test_dates_of_every_layout_are_read() -> None:
    assert [p.met_on for p in of(PersonRecord, records(DATA / "export_2021"))] == [
        date(2021, 6, 18),
        date(2021, 3, 2),
    ]
    old = of(PersonRecord, records(DATA / "export_2018"))
    assert [p.met_on for p in old] == [date(2018, 1, 8), date(2017, 12, 24), date(2018, 3, 15)]


def test_old_layout_without_urls_gets_stable_ids_from_name_and_date() -> None:
    first = [p.source_id for p in of(PersonRecord, records(DATA / "export_2018"))]
    again = [p.source_id for p in of(PersonRecord, records(DATA / "export_2018"))]
    assert first == again and all(s.startswith("name:") for s in first) and len(set(first)) == 3


def test_messages_have_direction_plain_text_and_skip_drafts_and_hidden_members() -> None:
    items = records(DATA / "export_2024")
    messages = [m for m in of(InteractionRecord, items) if m.kind == "message"]
    assert [(m.initiated_by, m.person_source_ids) for m in messages] == [
        ("them", ["linkedin.com/in/ana-lima-fake"]),
        ("me", ["linkedin.com/in/ana-lima-fake"]),
        ("them", ["linkedin.com/in/bo-chen-fake"]),
    ]
    assert messages[1].notes == "Sure & thanks\nTuesday works."
    assert messages[0].occurred_at == datetime(2024, 12, 16, 18, 24, 37, tzinfo=UTC)
    assert messages[2].addressed_to_me_alone
    reasons = [s.reason for s in of(SkippedRecord, items)]
    assert any("draft" in r for r in reasons) and any("LinkedIn Member" in r for r in reasons)


def test_seven_column_messages_take_direction_from_the_direction_column() -> None:
    messages = of(InteractionRecord, records(DATA / "export_2018"))
    assert [m.initiated_by for m in messages] == ["them", "me"]
    people = {p.display_name: p.source_id for p in of(PersonRecord, records(DATA / "export_2018"))}
    assert messages[0].person_source_ids == [people["Ana Lima"]]
    assert messages[1].person_source_ids == [people["Lena Fischer"]]


def test_invitations_of_five_and_seven_columns() -> None:
    new = [i for i in of(InteractionRecord, records(DATA / "export_2024")) if i.kind == "social"]
    assert [(i.initiated_by, i.person_source_ids[0]) for i in new] == [
        ("me", "linkedin.com/in/ana-lima-fake"),
        ("them", "linkedin.com/in/dana-stranger-fake"),
    ]
    assert new[0].occurred_at == datetime(2024, 12, 15, 18, 14, tzinfo=UTC)
    old = [i for i in of(InteractionRecord, records(DATA / "export_2021")) if i.kind == "social"]
    assert [i.person_source_ids[0] for i in old] == [
        "linkedin.com/in/ana-lima-fake",
        "linkedin.com/in/bo-chen-fake",
    ]


def test_positions_and_schools_are_the_owners_memberships() -> None:
    history = of(MembershipRecord, records(DATA / "export_2024"))
    assert [(m.organisation, m.kind, m.start_date, m.end_date, m.person_source_id) for m in history] == [
        ("Acme Robotics", "company", date(2021, 6, 1), None, None),
        ("Globex", "company", date(2017, 3, 1), date(2021, 5, 1), None),
        ("Université de Lyon", "school", date(2010, 1, 1), date(2015, 1, 1), None),
    ]


def test_accepted_endorsements_are_light_favours_received() -> None:
    favours = of(FavourRecord, records(DATA / "export_2024"))
    assert [(f.person_source_id, f.direction, f.light) for f in favours] == [
        ("linkedin.com/in/bo-chen-fake", "received", True),
        ("linkedin.com/in/someone-unknown-fake", "received", True),
    ]


def test_the_zip_reads_like_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_12-16-2024.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in (DATA / "export_2024").iterdir():
            zf.write(file, f"Basic_LinkedInDataExport/{file.name}")
    assert detect(archive) == "linkedin"
    from_zip = [(type(r).__name__, getattr(r, "source_id", None)) for r in records(archive)]
    from_folder = [(type(r).__name__, getattr(r, "source_id", None)) for r in records(DATA / "export_2024")]
    assert from_zip == from_folder


def test_a_single_connections_file_is_an_export() -> None:
    assert detect(DATA / "export_2024" / "Connections.csv") == "linkedin"
    assert len(of(PersonRecord, records(DATA / "export_2024" / "Connections.csv"))) == 6


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "broken").iterdir()))
def test_broken_files_fail_naming_file_line_and_field(name: str) -> None:
    with pytest.raises(MalformedFile) as caught:
        records(DATA / "broken" / name)
    assert caught.value.message.startswith(f"{DATA / 'broken' / name}:1: header: ")
