"""A meeting today with someone you know puts "read the brief" on the agenda, end to end: a real Radicale
(CalDAV) or a real ICS URL, `tieline sync`, then `tieline today` on the fixed clock (Tuesday 10 March
2026, 10:00 UTC) or a later one."""

from __future__ import annotations

from datetime import datetime, timedelta

import caldav
import pytest

from tests.conftest import Cli
from tests.sync.servers import IcsSite, Radicale

ME = "me@example.org"
ANA = "ana@example.com"
BO = "bo@example.net"
STRANGER = "zoe@elsewhere.net"


def event(
    uid: str,
    start: datetime,
    *,
    attendees: tuple[str, ...] = (ANA,),
    summary: str = "Design review",
    my_answer: str = "ACCEPTED",
    status: str | None = None,
    rrule: str | None = None,
) -> str:
    """One VEVENT I organised, an hour long, with `attendees` who accepted."""
    lines = [
        "BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}", f"SUMMARY:{summary}",
        f"ORGANIZER;CN=Me:mailto:{ME}", f"ATTENDEE;PARTSTAT={my_answer}:mailto:{ME}",
        *(f"ATTENDEE;PARTSTAT=ACCEPTED;CN=Guest:mailto:{a}" for a in attendees),
        *([f"STATUS:{status}"] if status else []), *([f"RRULE:{rrule}"] if rrule else []), "END:VEVENT",
    ]  # fmt: skip
    return "\r\n".join(lines)


def calendar(*events: str) -> str:
    """A calendar holding the events."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tieline tests//EN"]
    return "\r\n".join([*head, *events, "END:VCALENDAR"]) + "\r\n"


def meeting_lines(cli: Cli) -> list[dict]:
    """Today's "read the brief" lines, as `tieline today --json` prints them."""
    return [item for item in cli.json("today")["items"] if item["kind"] == "meeting"]


def at(cli: Cli, moment: datetime) -> None:
    """Move the CLI's clock."""
    cli.env["TIELINE_NOW"] = moment.isoformat()


class Dav:
    """A Radicale user with a Work calendar, connected to tieline as "calendar"."""

    def __init__(self, cli: Cli, radicale: Radicale) -> None:
        user, password = radicale.new_user()
        principal = caldav.DAVClient(url=radicale.url, username=user, password=password).principal()
        self.calendar = principal.make_calendar(name="Work", cal_id="work")
        cli.ok(
            "connect", "caldav", "calendar", "--url", radicale.url, "--user", user, "--password-stdin",
            input=password + "\n",
        )  # fmt: skip

    def add(self, *events: str) -> None:
        """Save each event (new, or a change to one saved before), as a calendar app does."""
        for text in events:
            self.calendar.save_event(calendar(text))


@pytest.fixture
def people(cli: Cli) -> dict[str, int]:
    """Me, and two people I know: Ana Lima and Bo Chen."""
    cli.ok("config", "me.emails", ME)
    cli.ok("add", "Ana Lima", "--email", "Ana@Example.com")  # any case: matched folded
    cli.ok("add", "Bo Chen", "--email", BO)
    return {p["name"]: p["id"] for p in cli.json("list")}


def test_a_meeting_later_today_offers_the_brief_with_its_link(
    cli: Cli, radicale: Radicale, now: datetime, people: dict[str, int]
) -> None:
    dav = Dav(cli, radicale)
    dav.add(event("review-1", now + timedelta(hours=4), attendees=(ANA, STRANGER)))
    cli.ok("sync")

    [line] = meeting_lines(cli)
    ana = people["Ana Lima"]
    assert line["title"] == "Meeting with Ana Lima at 14:00 (Design review): read the brief"
    assert line["person_id"] == ana and line["brief"] == f"/api/v1/people/{ana}/brief"
    assert line["deadline"] == "2026-03-10"
    assert cli.json("today")["items"][0]["kind"] == "meeting"  # first thing that morning
    said = cli.ok("today").stdout
    assert "1. Meeting with Ana Lima at 14:00 (Design review): read the brief" in said
    assert "> tieline brief 'Ana Lima'" in said  # the command to run
    # The stranger is not a line: the discovered queue has them once they are met.
    assert all(STRANGER not in item["title"] for item in cli.json("today")["items"])
    # The brief it points to answers.
    assert cli.json("brief", "Ana Lima")["person"]["name"] == "Ana Lima"
    # An hour later nothing changed on the server (the sync token says so): the line stays.
    at(cli, now + timedelta(hours=1))
    cli.ok("sync")
    assert [item["title"] for item in meeting_lines(cli)] == [line["title"]]


def test_done_and_dismiss_clear_the_line_as_any_other(
    cli: Cli, radicale: Radicale, now: datetime, people: dict[str, int]
) -> None:
    dav = Dav(cli, radicale)
    dav.add(event("review-2", now + timedelta(hours=4), attendees=(ANA, BO)))
    cli.ok("sync")
    lines = meeting_lines(cli)
    # One line per person I know in it, each naming the others I know.
    assert sorted(line["person"] for line in lines) == ["Ana Lima", "Bo Chen"]
    assert all(any(r.startswith("also there: ") for r in line["reasons"]) for line in lines)
    cli.ok("done", next(str(line["number"]) for line in lines if line["person"] == "Ana Lima"))
    cli.ok("dismiss", next(line["key"] for line in lines if line["person"] == "Bo Chen"))
    assert meeting_lines(cli) == []
    # Reading the brief is not a contact: nothing was logged with Ana.
    assert cli.json("show", "Ana Lima")["timeline"] == []


def test_a_meeting_tomorrow_shows_tomorrow_morning_not_today(
    cli: Cli, radicale: Radicale, now: datetime, people: dict[str, int]
) -> None:
    dav = Dav(cli, radicale)
    tomorrow = now + timedelta(days=1, hours=5)  # Wednesday 15:00
    dav.add(event("plan-1", tomorrow, attendees=(BO,), summary="Planning"))
    cli.ok("sync")
    assert meeting_lines(cli) == []
    at(cli, now + timedelta(hours=22))  # Wednesday 08:00: nothing changed on the server
    cli.ok("sync")
    [line] = meeting_lines(cli)
    assert line["title"] == "Meeting with Bo Chen at 15:00 (Planning): read the brief"


def test_a_meeting_already_started_declined_or_cancelled_is_no_line(
    cli: Cli, radicale: Radicale, now: datetime, people: dict[str, int]
) -> None:
    dav = Dav(cli, radicale)
    dav.add(
        event("started", now - timedelta(minutes=30)),
        event("declined", now + timedelta(hours=2), my_answer="DECLINED"),
        event("cancelled", now + timedelta(hours=3), status="CANCELLED"),
    )
    cli.ok("sync")
    assert meeting_lines(cli) == []
    # A meeting that starts later today is a line until it starts, then gone without a sync.
    dav.add(event("soon", now + timedelta(hours=1), attendees=(BO,)))
    cli.ok("sync")
    assert [line["person"] for line in meeting_lines(cli)] == ["Bo Chen"]
    at(cli, now + timedelta(hours=1, minutes=1))
    assert meeting_lines(cli) == []


def test_a_weekly_meeting_offers_today_s_occurrence_and_next_week_s(
    cli: Cli, radicale: Radicale, now: datetime, people: dict[str, int]
) -> None:
    dav = Dav(cli, radicale)
    # Every Tuesday at 16:00 since three weeks ago.
    dav.add(
        event("weekly-1", now - timedelta(weeks=3) + timedelta(hours=6), rrule="FREQ=WEEKLY", summary="1:1")
    )
    cli.ok("sync")
    [line] = meeting_lines(cli)
    assert line["title"] == "Meeting with Ana Lima at 16:00 (1:1): read the brief"
    # A week later the calendar is unchanged on the server; the next occurrence is offered that day.
    at(cli, now + timedelta(weeks=1) - timedelta(hours=2))
    cli.ok("sync")
    [again] = meeting_lines(cli)
    assert again["title"] == line["title"] and again["key"] != line["key"]  # another occurrence


def test_a_meeting_moved_on_the_server_is_followed_at_the_next_sync(
    cli: Cli, radicale: Radicale, now: datetime, people: dict[str, int]
) -> None:
    dav = Dav(cli, radicale)
    dav.add(event("moving", now + timedelta(hours=4)))
    cli.ok("sync")
    assert [line["title"] for line in meeting_lines(cli)] == [
        "Meeting with Ana Lima at 14:00 (Design review): read the brief"
    ]
    dav.add(event("moving", now + timedelta(hours=6), summary="Design review, moved"))
    cli.ok("sync")
    assert [line["title"] for line in meeting_lines(cli)] == [
        "Meeting with Ana Lima at 16:00 (Design review, moved): read the brief"
    ]
    dav.add(event("moving", now + timedelta(days=2)))  # to Thursday
    cli.ok("sync")
    assert meeting_lines(cli) == []


def test_disconnecting_the_calendar_removes_its_meetings(
    cli: Cli, radicale: Radicale, now: datetime, people: dict[str, int]
) -> None:
    dav = Dav(cli, radicale)
    dav.add(event("review-3", now + timedelta(hours=4)))
    cli.ok("sync")
    assert len(meeting_lines(cli)) == 1
    cli.ok("disconnect", "calendar")
    assert meeting_lines(cli) == []


def test_an_ics_url_offers_today_s_meetings_and_keeps_them_through_a_304(
    cli: Cli, ics_site: IcsSite, now: datetime, people: dict[str, int]
) -> None:
    (ics_site.root / "team.ics").write_text(
        calendar(event("sync-1", now + timedelta(hours=3), attendees=(BO,), summary="Sync"))
    )
    cli.ok("connect", "ics", "team", "--url", ics_site.url("team.ics"))
    cli.ok("sync")
    [line] = meeting_lines(cli)
    assert line["title"] == "Meeting with Bo Chen at 13:00 (Sync): read the brief"
    at(cli, now + timedelta(hours=1))
    assert "team: nothing new" in cli.ok("sync").stdout  # 304: what was stored stays
    assert ics_site.requests[-1][1].get("If-None-Match")
    assert [item["title"] for item in meeting_lines(cli)] == [line["title"]]
