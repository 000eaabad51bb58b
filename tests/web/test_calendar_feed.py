"""The calendar feed: served only at its secret address, each due item once, and revocable."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from tests.conftest import FIXED_NOW, Cli
from tieline.models import LOCAL_OWNER_ID
from tieline.services import preferences


def test_feed_is_served_at_its_secret_address_only_and_stops_when_revoked(
    client, add_person, log, session
) -> None:
    ana = add_person("Ana Lima", tier=1)
    log("call", [ana], when=FIXED_NOW - timedelta(days=10))
    assert client.get("/calendar/anything.ics").status_code == 404  # no feed until one is made
    token = preferences.new_calendar_token(session, owner_id=LOCAL_OWNER_ID)
    session.commit()
    assert client.get("/calendar/guess.ics").status_code == 404
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert summaries.count("Get in touch with Ana Lima") == 1
    preferences.reset(session, owner_id=LOCAL_OWNER_ID, key="calendar.token")
    session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_calendar_link_makes_replaces_and_revokes_the_address(cli: Cli) -> None:
    first = cli.ok("export", "calendar-link").stdout.strip()
    assert first.startswith("http://127.0.0.1:8765/calendar/") and first.endswith(".ics")
    assert cli.ok("export", "calendar-link").stdout.strip() == first
    second = cli.ok("export", "calendar-link", "--new").stdout.strip()
    assert second != first
    cli.ok("export", "calendar-link", "--revoke")
    assert cli.json("config", "calendar.token") == {"calendar.token": None}
