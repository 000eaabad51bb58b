"""`tieline export calendar FILE`: an .ics feed of the agenda's reminders."""

from __future__ import annotations

from pathlib import Path

import icalendar

from tests.conftest import Cli


def small_network(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--tier", "2")
    cli.ok("log", "coffee", "Ana", "--date", "45 days ago")
    cli.ok("add", "Bo Chen", "--tier", "2")
    cli.ok("log", "coffee", "Bo", "--date", "27 days ago")


def uids_and_days(path: Path) -> list[tuple[str, str]]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [(str(e["UID"]), e.decoded("DTSTART").isoformat()) for e in calendar.walk("VEVENT")]


def test_export_calendar_writes_one_event_per_line_with_stable_uids(cli: Cli, tmp_path: Path) -> None:
    small_network(cli)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"

    out = cli.ok("export", "calendar", str(first)).stdout
    cli.ok("export", "calendar", str(second))

    assert out == f"wrote 2 reminders over 30 days to {first}\n"
    events = uids_and_days(first)
    assert [day for _, day in events] == ["2026-03-10", "2026-03-13"]
    assert all(uid.endswith("@tieline") for uid, _ in events)
    assert uids_and_days(second) == events


def test_export_calendar_days_and_stdout(cli: Cli, tmp_path: Path) -> None:
    small_network(cli)
    out = cli.ok("export", "calendar", "-", "--days", "2").stdout
    calendar = icalendar.Calendar.from_ical(out)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Get in touch with Ana Lima"]


def test_export_calendar_refuses_zero_days(cli: Cli, tmp_path: Path) -> None:
    result = cli.run("export", "calendar", str(tmp_path / "x.ics"), "--days", "0")
    assert result.exit_code == 2
    assert not (tmp_path / "x.ics").exists()


def test_export_calendar_covers_a_year_ahead_at_most(cli: Cli, tmp_path: Path) -> None:
    """Each day of the span computes that day's agenda: more than a year is refused in one line."""
    message = cli.user_error("export", "calendar", str(tmp_path / "x.ics"), "--days", "367", code=2)
    assert "--days must be from 1 to 366 (a year ahead), not 367" in message
    assert not (tmp_path / "x.ics").exists()
    cli.ok("export", "calendar", str(tmp_path / "y.ics"), "--days", "366")
    assert (tmp_path / "y.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
