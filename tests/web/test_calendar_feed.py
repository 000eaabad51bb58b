"""The calendar feed: served only at its generated secret address, each due item once; the address is
made, replaced and turned off by `tieline export calendar-link` and the Settings page, never typed."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import icalendar

from tests.conftest import FIXED_NOW, Cli
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import settings as settings_repo
from tieline.services import preferences


def _feed_path(address: str) -> str:
    return urlsplit(address).path


def _shown_address(html: str) -> str | None:
    found = re.search(r'<code class="feed-address">(.*?)</code>', html)
    return unescape(found.group(1)) if found else None


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
    preferences.turn_off_calendar(session, owner_id=LOCAL_OWNER_ID)
    session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_the_generated_secret_is_long_and_new_each_time(session) -> None:
    tokens = {preferences.new_calendar_token(session, owner_id=LOCAL_OWNER_ID) for _ in range(3)}
    assert len(tokens) == 3
    # 32 random bytes in URL-safe base64: nothing a guess or a brute force reaches.
    assert all(len(t) == 43 and re.fullmatch(r"[A-Za-z0-9_-]+", t) for t in tokens)


def test_calendar_link_makes_keeps_replaces_and_turns_off_the_address(cli: Cli) -> None:
    first = cli.ok("export", "calendar-link").stdout.strip()
    assert first.startswith("http://127.0.0.1:8765/calendar/") and first.endswith(".ics")
    assert len(_feed_path(first).removeprefix("/calendar/").removesuffix(".ics")) >= 43
    assert cli.ok("export", "calendar-link").stdout.strip() == first
    second = cli.ok("export", "calendar-link", "--revoke").stdout.strip()
    assert second != first
    third = cli.ok("export", "calendar-link", "--new").stdout.strip()  # the older spelling of --revoke
    assert third not in (first, second)
    assert cli.ok("export", "calendar-link", "--off").stdout.strip() == "calendar feed turned off"
    assert cli.json("config", "calendar.token") == {"calendar.token": None}
    message = cli.user_error("export", "calendar-link", "--revoke", "--off", code=2)
    assert "give one of them" in message


def test_revoke_kills_the_old_address_at_once(cli: Cli, client) -> None:
    old = _feed_path(cli.ok("export", "calendar-link").stdout.strip())
    assert client.get(old).status_code == 200
    new = _feed_path(cli.ok("export", "calendar-link", "--revoke").stdout.strip())
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_short_secret_from_an_older_version_opens_nothing(cli: Cli, client, session) -> None:
    settings_repo.put(session, owner_id=LOCAL_OWNER_ID, key="calendar.token", value="a")
    session.commit()
    assert client.get("/calendar/a.ics").status_code == 404
    page = client.get("/settings").text
    assert _shown_address(page) is None
    assert "too short to keep your reminders private" in page and "Make a new address" in page
    fresh = _feed_path(cli.ok("export", "calendar-link").stdout.strip())
    assert fresh != "/calendar/a.ics" and client.get(fresh).status_code == 200


def test_settings_page_shows_the_address_read_only(client, session) -> None:
    token = preferences.new_calendar_token(session, owner_id=LOCAL_OWNER_ID)
    session.commit()
    page = client.get("/settings").text
    assert _shown_address(page) == f"http://127.0.0.1/calendar/{token}.ics"
    assert 'name="calendar.token"' not in page and "s-calendar.token" not in page
    assert 'action="/settings/calendar/new"' in page and 'action="/settings/calendar/off"' in page
    assert "s-agenda.daily_cap" in page  # the other settings stay editable


def test_settings_page_makes_a_new_address_and_turns_the_feed_off(client, session) -> None:
    page = client.get("/settings").text
    assert _shown_address(page) is None and "The feed is off." in page
    made = client.form("/settings/calendar/new", {})
    assert made.status_code == 200
    first = _feed_path(_shown_address(made.text) or "")
    assert client.get(first).status_code == 200
    replaced = client.form("/settings/calendar/new", {})
    assert "the old one no longer works" in replaced.text
    second = _feed_path(_shown_address(replaced.text) or "")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    off = client.form("/settings/calendar/off", {})
    assert off.status_code == 200 and _shown_address(off.text) is None
    assert client.get(second).status_code == 404


def test_the_address_buttons_need_the_csrf_token(client, session) -> None:
    token = preferences.new_calendar_token(session, owner_id=LOCAL_OWNER_ID)
    session.commit()
    client.get("/settings")
    assert client.post("/settings/calendar/new").status_code == 403
    assert client.post("/settings/calendar/off").status_code == 403
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_the_settings_form_cannot_set_the_secret(client, session) -> None:
    token = preferences.new_calendar_token(session, owner_id=LOCAL_OWNER_ID)
    session.commit()
    # Refused with the reason, and the whole form with it: "saved" would mislead whoever sent it.
    refused = client.form("/settings", {"calendar.token": "a", "agenda.daily_cap": "2"})
    assert refused.status_code == 422
    assert "calendar.token is generated, not typed" in unescape(refused.text)
    assert client.get("/calendar/a.ics").status_code == 404
    assert client.get(f"/calendar/{token}.ics").status_code == 200
    assert preferences.load(session, owner_id=LOCAL_OWNER_ID)["agenda.daily_cap"] == 5
    # A page from before the upgrade sends the secret unchanged with the rest: that saves normally.
    stale_tab = client.form("/settings", {"calendar.token": token, "agenda.daily_cap": "2"})
    assert stale_tab.status_code == 200 and "saved: agenda.daily_cap" in stale_tab.text
    assert client.get(f"/calendar/{token}.ics").status_code == 200
