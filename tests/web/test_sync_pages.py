"""Settings -> Sync and the discovered queue on the web: connect each kind of account (its secret in
no table and on no page), remove one, "Sync now" against a real ICS server, and add, link or ignore
the people a sync discovered."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.sync.phone import Phone, card, new_uid
from tests.sync.servers import IcsSite, Radicale, serving_ics
from tests.web.conftest import WebClient
from tieline.config import Settings
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, CardConflict, Connection
from tieline.services import people as people_service
from tieline.services import preferences
from tieline.services.sync import discovered as discovered_service

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]
ME = "me@example.org"
ANA = "ana@example.com"
ZOE = "zoe@elsewhere.net"
PAYLOAD = '<script>alert("x")</script>'


def meeting(uid: str, start: datetime, *attendees: tuple[str, str]) -> str:
    """A calendar of one past meeting I organised, each attendee (name, address) having accepted."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tieline tests//EN", "BEGIN:VEVENT", f"UID:{uid}",
        f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}", "SUMMARY:Planning",
        f"ORGANIZER;CN=Me:mailto:{ME}", f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}",
        *[f"ATTENDEE;PARTSTAT=ACCEPTED;CN={name}:mailto:{address}" for name, address in attendees],
        "END:VEVENT", "END:VCALENDAR",
    ]  # fmt: skip
    return "\r\n".join(lines) + "\r\n"


@pytest.fixture
def ics_site(tmp_path: Path) -> Iterator[IcsSite]:
    """A local HTTP server for this test's .ics files (tests/sync/servers.py)."""
    with serving_ics(tmp_path / "site") as site:
        yield site


def connection_names(client: WebClient) -> list[str]:
    return re.findall(r'<tr data-connection="([^"]+)"', client.get("/sync").text)


def finished(client: WebClient, answer: str) -> str:
    """A "Sync now", polled as the page polls it until it reports."""
    deadline = time.monotonic() + 20
    while "sync-progress" in answer:
        assert time.monotonic() < deadline, "the sync did not finish"
        time.sleep(0.05)
        answer = client.get(re.search(r'hx-get="([^"]+)"', answer).group(1)).text  # type: ignore[union-attr]
    assert 'data-testid="sync-done"' in answer, answer
    return answer


def test_the_sync_page_is_linked_from_the_nav_and_settings_and_offers_each_kind(client: WebClient) -> None:
    page = client.get("/sync")
    assert page.status_code == 200
    assert "No connections yet" in page.text
    for form in ('action="/sync/imap"', 'action="/sync/caldav"', 'action="/sync/ics"'):
        assert form in page.text
    assert re.search(r'<input id="imap-password" name="password" type="password"', page.text)
    assert re.search(r'<input id="caldav-password" name="password" type="password"', page.text)
    assert 'href="/sync"' in client.get("/").text and 'href="/sync"' in client.get("/settings").text


def test_an_imap_account_is_listed_with_where_it_reaches_and_its_password_nowhere_but_the_secret_file(
    client: WebClient, web_settings: Settings, snapshot: Snapshot
) -> None:
    secret = "s3cret-Pw-imap-9"
    answer = client.form(
        "/sync/imap",
        {"name": "mail", "host": "imap.example.org", "port": "993", "tls": "ssl", "user": "ana",
         "password": secret, "months": "6"},
    )  # fmt: skip
    assert answer.status_code == 200 and "connected mail" in answer.text
    page = client.get("/sync").text
    assert connection_names(client) == ["mail"]
    assert "ana@imap.example.org:993" in page
    assert secret not in answer.text and secret not in page
    assert secret not in repr(snapshot())
    kept = web_settings.data_dir / "secrets" / f"{LOCAL_OWNER_ID}-mail"
    assert kept.read_text() == secret and kept.stat().st_mode & 0o077 == 0


def test_a_caldav_account_and_an_ics_address_are_listed_and_the_ics_address_is_kept_as_a_secret(
    client: WebClient, snapshot: Snapshot
) -> None:
    assert client.form(
        "/sync/caldav",
        {"name": "cal", "url": "https://dav.example.org/", "user": "ana", "password": "dav-pw-77"},
    ).status_code == 200  # fmt: skip
    private = "https://calendar.example.org/private-7f3a9/basic.ics"
    assert client.form("/sync/ics", {"name": "feed", "url": private}).status_code == 200
    page = client.get("/sync").text
    assert connection_names(client) == ["cal", "feed"]
    assert "https://dav.example.org/" in page and "https://calendar.example.org" in page
    assert "private-7f3a9" not in page and "dav-pw-77" not in page
    rows = repr(snapshot())
    assert "private-7f3a9" not in rows and "dav-pw-77" not in rows


def test_a_refused_form_says_why_keeps_what_was_typed_but_never_the_password(
    client: WebClient, snapshot: Snapshot
) -> None:
    before = snapshot()
    secret = "typed-pw-31337"
    answer = client.form(
        "/sync/imap",
        {"name": "mail", "host": "imap.example.org", "tls": "none", "user": "ana", "password": secret},
    )
    assert answer.status_code == 422
    assert "only for 127.0.0.1 or localhost" in answer.text
    assert 'value="imap.example.org"' in answer.text  # kept to fix
    assert secret not in answer.text
    both = client.form(
        "/sync/imap",
        {"name": "mail", "host": "imap.example.org", "user": "ana", "password": secret,
         "password_command": "pass show mail"},
    )  # fmt: skip
    assert both.status_code == 422 and "not both" in both.text and secret not in both.text
    assert snapshot() == before


def test_a_refused_ics_address_is_not_shown_again(client: WebClient) -> None:
    for url in ("webcal://calendar.example.org/private-7f3a9/basic.ics", "https:///private-7f3a9"):
        answer = client.form("/sync/ics", {"name": "feed", "url": url})
        assert answer.status_code == 422 and 'role="alert"' in answer.text
        assert "private-7f3a9" not in answer.text


def test_a_name_taken_is_refused(client: WebClient) -> None:
    form = {"name": "feed", "url": "https://calendar.example.org/a.ics"}
    assert client.form("/sync/ics", form).status_code == 200
    again = client.form("/sync/ics", form)
    assert again.status_code == 422 and "exists" in again.text
    assert connection_names(client) == ["feed"]


def test_removing_a_connection_forgets_it_and_its_secret(client: WebClient, web_settings: Settings) -> None:
    client.form("/sync/ics", {"name": "feed", "url": "https://calendar.example.org/p/basic.ics"})
    page = client.get("/sync").text
    assert "Yes, remove feed" in page  # behind a confirmation
    answer = client.form("/sync/remove", {"name": "feed"})
    assert answer.status_code == 200 and "removed feed" in answer.text
    assert connection_names(client) == []
    assert not (web_settings.data_dir / "secrets" / f"{LOCAL_OWNER_ID}-feed").exists()
    assert client.form("/sync/remove", {"name": "feed"}).status_code == 404


def test_sync_now_logs_meetings_queues_the_stranger_and_shows_the_run(
    client: WebClient, ics_site: IcsSite, add_person, session, db: Database
) -> None:  # type: ignore[no-untyped-def]
    ana = add_person("Ana Lima", lists={"emails": [ANA]})
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="me.emails", value=ME)
    session.commit()
    (ics_site.root / "work.ics").write_text(
        meeting("m1", FIXED_NOW - timedelta(days=2), ("Ana Lima", ANA), ("Zoe Park", ZOE))
    )
    client.form("/sync/ics", {"name": "work", "url": ics_site.url("work.ics")})

    started = client.form("/sync/run", {"name": "work"})
    assert started.status_code == 200
    done = finished(client, started.text)
    assert "work: 1 added" in done and "1 discovered" in done and "tieline import undo" in done
    assert 'hx-swap-oob="true"' in done and "1 added" in done.partition('id="connections"')[2]

    person = client.get(f"/api/v1/people/{ana.id}").json()
    assert person["last_contact_at"][:10] == (FIXED_NOW - timedelta(days=2)).date().isoformat()
    queue = client.get("/discovered").text
    assert "Zoe Park" in queue and ZOE in queue and "1 meeting" in queue
    assert "1 discovered" in client.get("/discovered/badge").text

    again = finished(client, client.form("/sync/run", {}).text)  # all of them: nothing new
    assert "work: nothing new" in again


def test_sync_now_of_an_unknown_connection_is_404(client: WebClient) -> None:
    assert client.form("/sync/run", {"name": "nope"}).status_code == 404
    assert client.form("/sync/run", {}).status_code == 422  # none at all yet
    assert client.get("/sync/jobs/not-a-job").status_code == 404


@pytest.fixture
def zoe_waiting(session, add_person, db: Database):  # type: ignore[no-untyped-def]
    """Zoe wrote three times and matches nobody; Ana Lima is a person."""
    ana = add_person("Ana Lima")
    seen = discovered_service.Sighting(
        ZOE, "Zoe Park", [(False, FIXED_NOW - timedelta(days=d)) for d in (9, 5, 1)]
    )  # three messages
    discovered_service.note(session, owner_id=LOCAL_OWNER_ID, sightings={ZOE: seen}, source="mail")
    session.commit()
    return ana


def emails_waiting(client: WebClient) -> list[str]:
    return re.findall(r'data-email="([^"]+)"', client.get("/discovered").text)


def test_the_queue_shows_how_often_and_how_recently(client: WebClient, zoe_waiting) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/discovered").text
    assert emails_waiting(client) == [ZOE]
    assert "3 messages" in page and "last seen 09 Mar 2026" in page and "(from mail)" in page
    assert 'hx-get="/people/suggest"' in page  # the link field completes names as quick log does
    assert ">1 discovered<" in client.get("/discovered/badge").text


def test_adding_a_discovered_address_makes_the_person_with_it(client: WebClient, zoe_waiting) -> None:  # type: ignore[no-untyped-def]
    answer = client.form("/discovered/add", {"email": ZOE, "name": "Zoe Park-Lee"})
    assert answer.status_code == 200 and "added Zoe Park-Lee" in answer.text
    people = client.get("/api/v1/people").json()["items"]
    zoe = next(p for p in people if p["name"] == "Zoe Park-Lee")
    assert [e["address"] for e in client.get(f"/api/v1/people/{zoe['id']}").json()["emails"]] == [ZOE]
    assert emails_waiting(client) == []
    assert client.get("/discovered/badge").text.strip() == ""


def test_linking_gives_the_address_to_someone_you_have(client: WebClient, zoe_waiting) -> None:  # type: ignore[no-untyped-def]
    answer = client.form("/discovered/link", {"email": ZOE, "people": "Ana Lima"})
    assert answer.status_code == 200 and f"{ZOE} is now Ana Lima&#39;s" in answer.text
    emails = client.get(f"/api/v1/people/{zoe_waiting.id}").json()["emails"]
    assert [e["address"] for e in emails] == [ZOE]
    assert emails_waiting(client) == []
    assert client.form("/discovered/link", {"email": ZOE, "people": "Ana Lima"}).status_code == 404


def test_ignoring_hides_the_address_for_good(client: WebClient, zoe_waiting) -> None:  # type: ignore[no-untyped-def]
    assert client.form("/discovered/ignore", {"email": ZOE}).status_code == 200
    assert emails_waiting(client) == []
    assert [p["name"] for p in client.get("/api/v1/people").json()["items"]] == ["Ana Lima"]


def test_a_hostile_name_or_address_is_escaped_on_both_pages(client: WebClient, session, db: Database) -> None:  # type: ignore[no-untyped-def]
    client.form("/sync/imap", {"name": "mail", "host": "imap.example.org", "user": PAYLOAD, "password": "pw"})
    seen = discovered_service.Sighting("eve@example.org", PAYLOAD, [(False, FIXED_NOW)])
    discovered_service.note(session, owner_id=LOCAL_OWNER_ID, sightings={seen.email: seen}, source="mail")
    session.commit()
    for url in ("/sync", "/discovered"):
        text = client.get(url).text
        assert "<script>alert" not in text, url
        assert "&lt;script&gt;alert" in text, url
    refused = client.form("/sync/imap", {"name": PAYLOAD, "host": "h", "user": "u", "password": "p"})
    assert refused.status_code == 422 and "<script>alert" not in refused.text


def test_a_long_queue_shows_the_most_recent_and_counts_them_all_but_the_ignored(
    client: WebClient, session, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from tieline.web.ui import discovered as discovered_page

    monkeypatch.setattr(discovered_page, "SHOWN", 2)
    sightings = {
        f"p{i}@example.org": discovered_service.Sighting(
            f"p{i}@example.org", seen=[(False, FIXED_NOW - timedelta(days=i))]
        )
        for i in range(4)
    }
    discovered_service.note(session, owner_id=LOCAL_OWNER_ID, sightings=sightings, source="mail")
    session.commit()
    assert client.form("/discovered/ignore", {"email": "p3@example.org"}).status_code == 200

    assert emails_waiting(client) == ["p0@example.org", "p1@example.org"]
    assert "3 waiting; the 2 seen most recently are shown" in client.get("/discovered").text
    assert ">3 discovered<" in client.get("/discovered/badge").text
    assert "3 people discovered</a>" in client.get("/sync").text


# --- an address book (CardDAV, issue 16) -------------------------------------------------------


def test_an_address_book_is_found_from_the_server_address_and_synced_with_sync_now(
    client: WebClient, radicale: Radicale, snapshot: Snapshot
) -> None:
    phone = Phone.on_radicale(radicale)
    uid = new_uid()
    phone.put(uid, card(uid, "Ana Lima", email="ana@example.org"))
    form = {"name": "phone", "url": radicale.url, "user": phone.user, "password": phone.password}

    page = client.form("/sync/carddav", form)

    assert page.status_code == 200, page.text
    assert connection_names(client) == ["phone"]
    assert phone.book_url in client.get("/sync").text
    assert str(phone.password) not in client.get("/sync").text + repr(snapshot())
    done = finished(client, client.form("/sync/run", {"name": "phone"}).text)
    assert "phone" in done
    assert "Ana Lima" in client.get("/people").text


def test_a_wrong_password_for_an_address_book_is_refused_with_the_form_kept(
    client: WebClient, radicale: Radicale, snapshot: Snapshot
) -> None:
    phone = Phone.on_radicale(radicale)
    before = snapshot()
    form = {"name": "phone", "url": radicale.url, "user": phone.user, "password": "wrong-pw-123"}

    page = client.form("/sync/carddav", form)

    assert page.status_code == 422
    assert "wrong user name or password" in page.text and str(phone.user) in page.text
    assert "wrong-pw-123" not in page.text
    assert snapshot() == before


def test_a_conflict_is_shown_and_resolved_on_the_sync_page(client: WebClient, db: Database) -> None:
    with db.transaction() as session:
        ana = people_service.add_person(
            session, owner_id=LOCAL_OWNER_ID, name="Ana Lima", today=FIXED_NOW.date()
        )
        ana.title = "CTO"
        book = Connection(
            owner_id=LOCAL_OWNER_ID, kind="carddav", name="phone", settings={}, created_at=FIXED_NOW
        )
        session.add(book)
        session.flush()
        conflict = CardConflict(
            owner_id=LOCAL_OWNER_ID, connection_id=book.id, person_id=ana.id, field="org",
            tieline_value=[None, None, "CTO"], server_value=[None, None, PAYLOAD], found_at=FIXED_NOW,
        )  # fmt: skip
        session.add(conflict)
        session.flush()
        conflict_id, ana_id = conflict.id, ana.id
    page = client.get("/sync").text
    assert f'data-conflict="{conflict_id}"' in page and "CTO" in page
    assert PAYLOAD not in page and "&lt;script&gt;" in page

    answer = client.form(f"/sync/conflicts/{conflict_id}", {"keep": "server"})

    assert answer.status_code == 200 and "kept the server&#39;s value" in answer.text
    assert "data-conflict=" not in client.get("/sync").text
    with db.transaction() as session:
        assert people_service.get_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana_id).title == PAYLOAD
