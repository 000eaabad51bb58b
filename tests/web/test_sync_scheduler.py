"""Syncs that run by themselves under `tieline serve`: a served app picks up a calendar's change with
nobody asking, a failing connection waits its back-off, requests are answered while a sync hangs on
a slow server, 0 turns it off, and the scheduler stops with the app.

The scheduler's minute is shortened (`sync_minute_seconds`); the app's clock, which the back-off is
measured on, is the tests' fixed one, moved by hand."""

from __future__ import annotations

import http.server
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXED_NOW, Clock
from tests.sync.servers import IcsSite, Radicale, serving_ics
from tests.web.conftest import WebClient, served
from tests.web.test_sync_pages import ANA, ME, meeting
from tieline.config import Settings
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import preferences
from tieline.services.sync import connections as connections_service
from tieline.services.sync.connections import ConnectionView
from tieline.web.app import create_app

OWNER = LOCAL_OWNER_ID
MINUTE = 0.1  # seconds: the scheduler's minute in these tests


@pytest.fixture
def ics_site(tmp_path: Path) -> Iterator[IcsSite]:
    with serving_ics(tmp_path / "site") as site:
        yield site


def set_up(db: Database, settings: Settings, *, url: str, every: int = 1, ana: bool = True) -> None:
    """My address, Ana, the scheduler's interval, and an ICS connection named "work" to `url`."""
    with db.transaction(writes=True) as session:
        preferences.set_value(session, owner_id=OWNER, key="me.emails", value=ME)
        preferences.set_value(session, owner_id=OWNER, key="sync.every_minutes", value=str(every))
        if ana:
            from tieline.services import people as people_service
            from tieline.services.people import PersonChanges

            people_service.add_person(
                session, owner_id=OWNER, name="Ana Lima", changes=PersonChanges(add={"emails": [ANA]}),
                today=FIXED_NOW.date(), now=FIXED_NOW,
            )  # fmt: skip
        connections_service.add_connection(
            session, owner_id=OWNER, kind="ics", name="work",
            settings=connections_service.ics_settings(url=url, months=12, ca_file=None),
            secret=url, data_dir=settings.data_dir, now=FIXED_NOW,
        )  # fmt: skip


def work(db: Database) -> ConnectionView:
    """The "work" connection as the Sync page shows it."""
    with db.transaction() as session:
        [view] = connections_service.list_connections(session, owner_id=OWNER)
    return view


def wait_for(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def ana_last_contact(db: Database) -> datetime | None:
    from tieline.services import people as people_service

    with db.transaction() as session:
        return people_service.resolve_person(session, owner_id=OWNER, text="Ana Lima").last_contact_at


def test_a_served_app_picks_up_a_calendars_change_by_itself(
    db: Database, web_settings: Settings, ics_site: IcsSite
) -> None:
    first, second = FIXED_NOW - timedelta(days=9), FIXED_NOW - timedelta(days=2)
    (ics_site.root / "work.ics").write_text(meeting("m1", first, ("Ana Lima", ANA)))
    set_up(db, web_settings, url=ics_site.url("work.ics"))
    app = create_app(web_settings, database=db, now=lambda: FIXED_NOW, sync_minute_seconds=MINUTE)
    with served(app):
        wait_for(lambda: ana_last_contact(db) == first)
        assert work(db).last_ok_at == FIXED_NOW and work(db).last_counts["added"] == 1
        # A meeting added to the calendar later: nobody asks, the next pass brings it in.
        one, two = meeting("m1", first, ("Ana Lima", ANA)), meeting("m2", second, ("Ana Lima", ANA))
        both = one[: one.index("END:VCALENDAR")] + two[two.index("BEGIN:VEVENT") :]
        (ics_site.root / "work.ics").write_text(both)
        wait_for(lambda: ana_last_contact(db) == second)
    assert not app.state.sync_runner.running  # stopped with the app


def test_a_failing_connection_waits_its_back_off_and_is_then_tried_again(
    db: Database, web_settings: Settings
) -> None:
    with socket.socket() as free:  # a port where nothing listens
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    set_up(db, web_settings, url=f"http://127.0.0.1:{port}/work.ics", ana=False)
    clock = Clock()
    app = create_app(web_settings, database=db, now=clock, sync_minute_seconds=MINUTE)
    with served(app):
        wait_for(lambda: work(db).failures == 1)
        failed = work(db)
        assert failed.next_run_at == FIXED_NOW + timedelta(minutes=5)
        assert failed.last_error and failed.last_error.startswith("host unreachable")
        time.sleep(20 * MINUTE)  # twenty passes, all before its next run
        assert work(db).failures == 1
        clock.now = FIXED_NOW + timedelta(minutes=6)
        wait_for(lambda: work(db).failures == 2)
        assert work(db).next_run_at == clock.now + timedelta(minutes=10)  # the back-off doubles


@contextmanager
def slow_site(body: bytes) -> Iterator[tuple[str, threading.Event, threading.Event]]:
    """An ICS address that answers only once released: (its URL, asked, release)."""
    asked, release = threading.Event(), threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.set()
            release.wait(30)
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/work.ics", asked, release
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_the_app_answers_and_writes_while_a_sync_waits_on_a_slow_server(
    db: Database, web_settings: Settings
) -> None:
    when = FIXED_NOW - timedelta(days=3)
    with slow_site(meeting("m1", when, ("Ana Lima", ANA)).encode()) as (url, asked, release):
        set_up(db, web_settings, url=url)
        app = create_app(web_settings, database=db, now=lambda: FIXED_NOW, sync_minute_seconds=MINUTE)
        with served(app) as (base, _), httpx.Client(base_url=base, timeout=10) as http:
            assert asked.wait(15), "the scheduler never asked the calendar"
            started = time.monotonic()
            assert http.get("/").status_code == 200
            assert http.get("/sync").status_code == 200
            made = http.post(
                "/api/v1/people",
                json={"name": "Bo Chen"},
                headers={"Origin": base, "Sec-Fetch-Site": "same-origin"},
            )
            assert made.status_code in (200, 201), made.text
            assert time.monotonic() - started < 3  # not held behind the sync
            assert ana_last_contact(db) is None  # the sync is still waiting
            release.set()
            wait_for(lambda: ana_last_contact(db) == when)


def test_zero_minutes_turns_it_off(db: Database, web_settings: Settings, ics_site: IcsSite) -> None:
    (ics_site.root / "work.ics").write_text(meeting("m1", FIXED_NOW - timedelta(days=1), ("Ana Lima", ANA)))
    set_up(db, web_settings, url=ics_site.url("work.ics"), every=0)
    app = create_app(web_settings, database=db, now=lambda: FIXED_NOW, sync_minute_seconds=MINUTE)
    with served(app):
        time.sleep(20 * MINUTE)
        assert ics_site.requests == []
        assert app.state.sync_runner.running  # still there, looking at the setting now and then
        with db.transaction(writes=True) as session:
            preferences.set_value(session, owner_id=OWNER, key="sync.every_minutes", value="1")
        wait_for(lambda: len(ics_site.requests) >= 1)
    assert not app.state.sync_runner.running


def test_sync_now_asked_twice_while_it_runs_is_one_sync(
    db: Database, web_settings: Settings, client: WebClient
) -> None:
    when = FIXED_NOW - timedelta(days=3)
    with slow_site(meeting("m1", when, ("Ana Lima", ANA)).encode()) as (url, asked, release):
        set_up(db, web_settings, url=url)
        first = client.form("/sync/run", {"name": "work"}).text
        assert asked.wait(15)
        second = client.form("/sync/run", {"name": "work"}).text
        polled = re.findall(r'hx-get="(/sync/jobs/[^"]+)"', first + second)
        assert len(polled) == 2 and polled[0] == polled[1]
        release.set()
        wait_for(lambda: ana_last_contact(db) == when)
        wait_for(lambda: 'data-testid="sync-done"' in client.get(polled[0]).text)
    assert work(db).last_counts["added"] == 1


def test_a_served_app_syncs_an_address_book_with_the_calendars(
    db: Database, web_settings: Settings, ics_site: IcsSite, radicale: Radicale
) -> None:
    from tests.sync.phone import Phone, card, new_uid
    from tieline.services.sync.carddav_setup import carddav_settings, find_address_book

    (ics_site.root / "work.ics").write_text(meeting("m1", FIXED_NOW - timedelta(days=9), ("Ana Lima", ANA)))
    set_up(db, web_settings, url=ics_site.url("work.ics"))
    phone = Phone.on_radicale(radicale)
    uid = new_uid()
    phone.put(uid, card(uid, "Bo Chen", email="bo@example.org"))
    book = find_address_book(
        url=radicale.url, user=str(phone.user), secret=phone.password, name=None, ca_file=None
    )
    with db.transaction(writes=True) as session:
        connections_service.add_connection(
            session, owner_id=OWNER, kind="carddav", name="phone",
            settings=carddav_settings(
                url=radicale.url, user=str(phone.user), book=book, send="all", notes=False, ca_file=None,
                password_command=None,
            ),
            secret=phone.password, data_dir=web_settings.data_dir, now=FIXED_NOW,
        )  # fmt: skip
    app = create_app(web_settings, database=db, now=lambda: FIXED_NOW, sync_minute_seconds=MINUTE)
    with served(app):
        # Nobody asks: the address book's card comes in, and Ana (from the calendar) goes out.
        wait_for(lambda: len(phone.etags()) == 2 and ana_last_contact(db) is not None)
    with db.transaction() as session:
        assert {c.name: c.last_ok_at for c in connections_service.list_connections(session, owner_id=OWNER)} == {
            "phone": FIXED_NOW, "work": FIXED_NOW,
        }  # fmt: skip
    assert any("FN:Ana Lima" in t for t in phone.cards().values())
