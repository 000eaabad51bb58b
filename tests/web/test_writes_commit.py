"""Read after write (issue 12): every route that writes has committed before it answers, so what a
client is told was saved can be read at once, by the next request or by another connection.

The routes are enumerated from the app's router: a new writing route without a case in CASES fails
`test_every_writing_route_has_a_case`. Each case sets up what its route needs through the services,
sends the write to a live uvicorn server over HTTP, and reads back the specific thing it wrote.

The race is made certain rather than likely: while the server runs, every commit of a transaction
that wrote, made by any thread but the test's own, first waits COMMIT_DELAY (a slow disk's fsync;
the commit itself is real). A commit that runs after the response went out then lands after the
read that follows it, and the case fails.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.orm import Session

from tests.conftest import FIXED_NOW, MigratedDatabase
from tests.sync.phone import Phone
from tests.web.conftest import app_routes, served
from tieline.config import Settings
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, CardConflict, Connection, Person
from tieline.services import agenda, preferences
from tieline.services import duplicates as duplicates_service
from tieline.services import events as events_service
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import goals as goals_service
from tieline.services import imports as imports_service
from tieline.services import interactions as interactions_service
from tieline.services import introductions as introductions_service
from tieline.services import merge as merge_service
from tieline.services import opportunities as opportunities_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.sync import connections as connections_service
from tieline.services.sync import discovered as discovered_service
from tieline.web.app import create_app

OWNER = LOCAL_OWNER_ID
NOW = FIXED_NOW
TODAY = FIXED_NOW.date()
LATER = TODAY + timedelta(days=3)  # when a three-day snooze is over
COMMIT_DELAY = 0.25  # seconds; far longer than a client takes to send its next request
READ_ONLY_METHODS = {"GET", "HEAD"}
# Made-up people; example.org addresses only.
TWO_CARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-ana\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\n"
    b"EMAIL:ana@example.org\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-bo\r\nFN:Bo Chen\r\nN:Chen;Bo;;;\r\n"
    b"EMAIL:bo@example.org\r\nEND:VCARD\r\n"
)
Given = dict[str, Any]  # what a case's set-up made: the path's ids, and what its checks look for


def writing_routes() -> set[tuple[str, str]]:
    """Every (method, path template) of the app that may write: any method but GET and HEAD."""
    return {(method, route.path) for route in app_routes() for method in route.methods - READ_ONLY_METHODS}


# The slow disk.

_WROTE = "tieline_test_wrote"
_READS = ("SELECT", "PRAGMA", "SHOW", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK")


def _note_write(conn, cursor, statement, *_) -> None:  # type: ignore[no-untyped-def]
    # Anything but a plain read counts: counting too much only slows a commit down.
    if not statement.lstrip().upper().startswith(_READS):
        conn.info[_WROTE] = True


def _slow_commit(conn) -> None:  # type: ignore[no-untyped-def]
    if conn.info.pop(_WROTE, False) and threading.current_thread() is not threading.main_thread():
        time.sleep(COMMIT_DELAY)


def _forget_write(conn) -> None:  # type: ignore[no-untyped-def]
    conn.info.pop(_WROTE, None)


SLOW_DISK = (("before_cursor_execute", _note_write), ("commit", _slow_commit), ("rollback", _forget_write))


# The server and a client that behaves like its pages.


@dataclass
class LiveServer:
    """The app served by uvicorn in a thread."""

    app: FastAPI
    server: uvicorn.Server
    base_url: str

    def wait_until_idle(self) -> None:
        """Let requests still running (a commit after its response) end before the next test."""
        deadline = time.monotonic() + 10
        while self.server.server_state.tasks and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture(scope="module")
def live(
    migrated: MigratedDatabase, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One server per backend for the whole module, on the session's database (emptied per test by
    `db`), with the slow disk under it."""
    database = migrated.database
    settings = Settings(data_dir=tmp_path_factory.mktemp("web-data"), database_url=database_url)
    # The module keeps one server past the agenda warmer's first pass: off, so its writes to
    # agenda_cache never meet the cases' own.
    app = create_app(settings, database=database, now=lambda: FIXED_NOW, agenda_warm_seconds=None)
    with served(app) as (url, server):
        for name, listener in SLOW_DISK:
            event.listen(database.engine, name, listener)
        try:
            yield LiveServer(app, server, url)
        finally:
            for name, listener in SLOW_DISK:
                event.remove(database.engine, name, listener)


class Site:
    """What a browser or a script does: keeps the cookies, sends the token the page carries, reads."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)

    def token(self) -> str:
        """The CSRF token, from a page's meta tag as app.js reads it (the page also sets the cookie);
        from the sign-in page when an account exists and this client is not signed in."""
        response = self.http.get("/settings")
        page = response.text if response.status_code == 200 else self.page("/login")
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
        assert found, "no CSRF token on the settings page"
        return found.group(1)

    def send(self, method: str, url: str, body: dict[str, Any] | Upload | None) -> httpx.Response:
        """A write as the app's clients send it: JSON to the API, forms and uploads from the pages."""
        headers = {"X-CSRF-Token": self.token(), "Origin": self.base_url, "Sec-Fetch-Site": "same-origin"}
        if isinstance(body, Upload):
            files = {"file": (body.name, body.content, "application/octet-stream")}
            return self.http.request(method, url, files=files, headers=headers)
        if url.startswith("/api/"):
            return self.http.request(method, url, json=body, headers=headers)
        return self.http.request(method, url, data=body, headers=headers)

    def status(self, url: str, **params: Any) -> int:
        """The status a GET answers with."""
        return self.http.get(url, params=params).status_code

    def page(self, url: str, **params: Any) -> str:
        """A page (or any GET) that must be there."""
        response = self.http.get(url, params=params)
        assert response.status_code == 200, f"GET {url}: {response.status_code} {response.text[:300]}"
        return response.text

    def json(self, url: str, **params: Any) -> Any:
        """An API document that must be there."""
        response = self.http.get(url, params=params)
        assert response.status_code == 200, f"GET {url}: {response.status_code} {response.text[:300]}"
        return response.json()


@pytest.fixture
def site(live: LiveServer, db: Database) -> Iterator[Site]:
    """A fresh client of the module's server, on this test's emptied database."""
    client = Site(live.base_url)
    yield client
    client.http.close()
    live.wait_until_idle()


# What the cases set up, through the services.


@dataclass
class Setup:
    """The test's own session (committed before the write is sent), the database and a folder."""

    session: Session
    database: Database
    folder: Path
    servers: Callable[[str], Any]  # a server fixture by name, started on first use (request.getfixturevalue)

    def person(self, name: str, *, lists: dict[str, list[str]] | None = None, **values: Any) -> Person:
        """A person, as `tieline add` makes one."""
        changes = PersonChanges(set=values, add=lists or {})
        person = people_service.add_person(
            self.session, owner_id=OWNER, name=name, changes=changes, today=TODAY, now=NOW
        )
        self.session.flush()
        return person


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart form, as the import page and `POST /api/v1/imports` take it."""

    name: str
    content: bytes


def ana(s: Setup) -> Given:
    return {"person_id": s.person("Ana Lima").id}


def ana_and_bo(s: Setup) -> Given:
    return {"a": s.person("Ana Lima").id, "b": s.person("Bo Chen").id}


def overdue(s: Setup) -> Given:
    """Ana, last seen ten days ago: her keep-in-touch line is on today's agenda."""
    person = s.person("Ana Lima", tier=1)
    interactions_service.log_interaction(
        s.session, owner_id=OWNER, kind="coffee", people=[person], when=NOW - timedelta(days=10), now=NOW
    )
    s.session.flush()
    view = agenda.agenda_for(s.session, owner_id=OWNER, day=TODAY, now=NOW, remember=False)
    [key] = [item.key for item in view.items if item.person_id == person.id]
    return {"person_id": person.id, "key": key}


def owed_thanks(s: Setup) -> Given:
    """Ana gave advice four days ago, not thanked yet."""
    person = s.person("Ana Lima")
    favour = favours_service.record_favour(
        s.session, owner_id=OWNER, person=person, direction="received", kind="advice",
        when=NOW - timedelta(days=4), now=NOW, text="pricing",
    )  # fmt: skip
    return {"person_id": person.id, "favour_id": favour.id}


def open_followup(s: Setup) -> Given:
    person = s.person("Ana Lima")
    item = followups_service.add_followup(
        s.session, owner_id=OWNER, person=person, text="send the deck", due_on=TODAY
    )
    return {"person_id": person.id, "followup_id": item.id}


def imported(s: Setup) -> Given:
    path = s.folder / "friends.vcf"
    path.write_bytes(TWO_CARDS)
    report = imports_service.import_path(s.database, path, owner_id=OWNER, now=NOW)
    return {"run_id": report.run_id}


def twins(s: Setup) -> Given:
    """Two Dana Scullys at the FBI, each with an address of her own: likely the same person."""
    kept = s.person("Dana Scully", company="FBI", lists={"emails": ["dana@example.org"]})
    merged = s.person("Dana Scully", company="FBI", lists={"emails": ["dana.k.scully@example.org"]})
    assert duplicates_service.find(s.session, owner_id=OWNER), "the twins are not proposed as duplicates"
    return {"kept": kept.id, "merged": merged.id}


def merged_twins(s: Setup) -> Given:
    given = twins(s)
    people = {p.id: p for p in s.session.query(Person)}
    record = merge_service.merge(
        s.session, kept=people[given["kept"]], merged=people[given["merged"]], now=NOW
    )
    s.session.flush()
    return {**given, "merge_id": record.id}


def calendar_on(s: Setup) -> Given:
    return {"token": preferences.new_calendar_token(s.session, owner_id=OWNER)}


def acme_and_dana(s: Setup) -> Given:
    org = organisations_service.add_organisation(s.session, owner_id=OWNER, name="Acme")
    s.person("Dana Scully")
    return {"organisation_id": org.id}


def summit(s: Setup) -> Given:
    s.person("Ana Lima")
    summit = events_service.add_event(s.session, owner_id=OWNER, name="Summit", starts_on=TODAY)
    return {"event_id": summit.id}


def introduction(*steps: str) -> Callable[[Setup], Given]:
    """An introduction of Ana to Bo, taken through these steps (ask_a, ask_b, make)."""

    def arrange(s: Setup) -> Given:
        a, b = s.person("Ana Lima"), s.person("Bo Chen")
        intro = introductions_service.propose(s.session, owner_id=OWNER, a=a, b=b, why="design", now=NOW)
        for step in steps:
            if step == "make":
                introductions_service.make(s.session, owner_id=OWNER, intro=intro, now=NOW)
            else:
                getattr(introductions_service, step)(s.session, intro, now=NOW)
        s.session.flush()
        return {"introduction_id": intro.id}

    return arrange


def opportunity(s: Setup) -> Given:
    item = opportunities_service.add_opportunity(s.session, owner_id=OWNER, title="Talk", spotted_on=TODAY)
    return {"opportunity_id": item.id}


def goal(s: Setup) -> Given:
    item = goals_service.add_goal(
        s.session, owner_id=OWNER, kind="meet_people", target=3, starts_on=TODAY,
        ends_on=TODAY + timedelta(days=20), label="Widen the circle",
    )  # fmt: skip
    return {"goal_id": item.id}


def connected(s: Setup) -> Given:
    """A CalDAV connection (no user: no password to store) to a port where nothing listens: its sync
    fails at once, in words."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    settings = connections_service.caldav_settings(
        url=f"http://127.0.0.1:{port}/", user=None, calendars=None, months=12, ca_file=None,
        password_command=None,
    )  # fmt: skip
    connections_service.add_connection(
        s.session, owner_id=OWNER, kind="caldav", name="work", settings=settings, secret=None,
        data_dir=s.folder, now=NOW,
    )  # fmt: skip
    return {"name": "work"}


def address_book(s: Setup) -> Given:
    """A real CardDAV server's address, user and password: connecting finds the book there."""
    radicale = s.servers("radicale")
    phone = Phone.on_radicale(radicale)
    return {"url": radicale.url, "user": str(phone.user), "password": str(phone.password)}


def conflict(s: Setup) -> Given:
    """Ana's title changed both in tieline and on an address book's server."""
    person = s.person("Ana Lima", title="CTO")
    book = Connection(owner_id=OWNER, kind="carddav", name="phone", settings={}, created_at=NOW)
    s.session.add(book)
    s.session.flush()
    found = CardConflict(
        owner_id=OWNER, connection_id=book.id, person_id=person.id, field="org",
        tieline_value=[None, None, "CTO"], server_value=[None, None, "CEO"], found_at=NOW,
    )  # fmt: skip
    s.session.add(found)
    s.session.flush()
    return {"conflict_id": found.id, "person_id": person.id}


def stranger(s: Setup) -> Given:
    """Zoe wrote twice and matches nobody: she waits in the discovered queue; Ana exists."""
    ana = s.person("Ana Lima")
    seen = discovered_service.Sighting("zoe@example.org", "Zoe Park", [(False, NOW), (False, NOW)])
    discovered_service.note(s.session, owner_id=OWNER, sightings={seen.email: seen}, source="mail")
    return {"person_id": ana.id, "email": seen.email}


# What the checks read back, the way a user or a script would.


def on_agenda(site: Site, key: str, day: date = TODAY) -> bool:
    return key in {item["key"] for item in site.json("/api/v1/agenda", date=day.isoformat())["items"]}


def on_today_page(site: Site, day: date = TODAY) -> bool:
    """Whether Ana's line is among the day's lines (not merely in the week ahead an empty day shows)."""
    page = site.page("/", day=day.isoformat())
    _, _, after = page.partition('<ol class="agenda">')
    listed = after.partition("</ol>")[0]
    return "Get in touch with Ana Lima" in listed


def person(site: Site, person_id: int) -> dict[str, Any]:
    return site.json(f"/api/v1/people/{person_id}")


def followup(site: Site, followup_id: int) -> dict[str, Any]:
    return site.json(f"/api/v1/follow-ups/{followup_id}")


def favour(site: Site, favour_id: int) -> dict[str, Any]:
    return site.json(f"/api/v1/favours/{favour_id}")


def texts(site: Site, url: str, **params: Any) -> list[str | None]:
    """The `text` of each item of an API listing."""
    return [item["text"] for item in site.json(url, **params)["items"]]


def last_contact_day(site: Site, person_id: int) -> str:
    return (person(site, person_id)["last_contact_at"] or "")[:10]


def notes_logged(site: Site, person_id: int) -> list[str | None]:
    return [i["notes"] for i in site.json(f"/api/v1/people/{person_id}/interactions")]


def names(site: Site) -> list[str]:
    return [p["name"] for p in site.json("/api/v1/people")["items"]]


def introduction_states(site: Site) -> dict[int, str]:
    found = re.findall(r'id="intro-(\d+)" data-state="(\w+)"', site.page("/introductions"))
    return {int(i): state for i, state in found}


def opportunity_stages(site: Site) -> dict[int, str]:
    found = re.findall(r'id="opp-(\d+)" data-stage="(\w+)"', site.page("/opportunities"))
    return {int(i): stage for i, stage in found}


def redirected_page(site: Site, response: httpx.Response) -> str:
    """The page a form posted without scripts lands on (303), fetched at once as a browser does."""
    assert response.status_code == 303, response.status_code
    return site.page(response.headers["location"])


def finished_import(site: Site, response: httpx.Response) -> str:
    """The import page's job, polled as the page polls it until it reports."""
    text, deadline = response.text, time.monotonic() + 10
    while "import-progress" in text:
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.05)
        found = re.search(r'hx-get="([^"]+)"', text)
        assert found, text
        text = site.page(found.group(1))
    assert 'data-testid="import-report"' in text, text
    return text


def finished_sync(site: Site, response: httpx.Response) -> str:
    """The Sync page's job, polled as the page polls it until it reports."""
    text, deadline = response.text, time.monotonic() + 20
    while "sync-progress" in text:
        assert time.monotonic() < deadline, "the sync did not finish"
        time.sleep(0.05)
        found = re.search(r'hx-get="([^"]+)"', text)
        assert found, text
        text = site.page(found.group(1))
    assert 'data-testid="sync-done"' in text, text
    return text


def connection_names(site: Site) -> list[str]:
    return re.findall(r'<tr data-connection="([^"]+)"', site.page("/sync"))


def discovered_emails(site: Site) -> list[str]:
    return re.findall(r'data-email="([^"]+)"', site.page("/discovered"))


def feed_status(site: Site, response: httpx.Response) -> int:
    """The status of the calendar feed at the address the settings page now shows."""
    found = re.search(r'<code class="feed-address">([^<]+)</code>', response.text)
    assert found, "the settings page shows no feed address"
    return site.status(found.group(1))


# The cases.

Body = dict[str, Any] | Upload | None
Read = Callable[[Site, Given, httpx.Response], Any]


@dataclass(frozen=True)
class Case:
    """A writing route: what it needs, what to send, what to read back at once and what it must say."""

    arrange: Callable[[Setup], Given]
    body: Body | Callable[[Given], Body]
    read: Read
    expected: Any


def nothing(s: Setup) -> Given:
    return {}


PASSWORD = "a long enough password"


def account(s: Setup) -> Given:
    """An account (server mode: every page now asks to sign in)."""
    from tieline.services import accounts

    accounts.add_user(s.session, username="ana", password=PASSWORD, now=NOW)
    return {}


def signed_in(s: Setup) -> Given:
    """An account, and the test's client signed in as it (its session cookie set as /login sets it)."""
    from tieline.services import accounts
    from tieline.web.auth import COOKIE, signed

    account(s)
    result = accounts.sign_in(s.session, username="ana", password=PASSWORD, address="127.0.0.1", now=NOW)
    assert result.token is not None
    secret = s.servers("live").app.state.tieline.secret
    s.servers("site").http.cookies.set(COOKIE, signed(secret, result.token))
    return {}


def a_token(s: Setup) -> Given:
    from tieline.services import tokens

    info, _ = tokens.create(s.session, owner_id=OWNER, name="old script", scope="read", now=NOW)
    return {"token_id": info.id}


def team_of_ana(s: Setup, *, with_ben: bool = False) -> Given:
    """Ana signed in, a team of hers ("Sales"), Dana Reyes of hers tagged clients; Ben in it if asked."""
    from tieline.services import accounts
    from tieline.services import teams as teams_service

    signed_in(s)
    s.person("Dana Reyes", company="Acme", lists={"tags": ["clients"]})
    made = teams_service.create(s.session, owner_id=OWNER, name="Sales", now=NOW)
    if with_ben:
        ben = accounts.add_user(s.session, username="ben", password=PASSWORD, now=NOW).owner_id
        token = teams_service.invite(s.session, owner_id=OWNER, team=f"#{made.id}", now=NOW).token
        teams_service.join(s.session, owner_id=ben, token=token, now=NOW)
    return {"team_id": made.id}


def team_with_ben(s: Setup) -> Given:
    return team_of_ana(s, with_ben=True)


def team_shared(s: Setup) -> Given:
    from tieline.services import team_shares

    given = team_of_ana(s)
    rule = team_shares.rule_from(s.session, owner_id=OWNER, kind="tag", value="clients")
    team_shares.share(s.session, team_id=given["team_id"], owner_id=OWNER, rule=rule, now=NOW)
    return given


def invited_by_ben(s: Setup) -> Given:
    """Ana signed in, and an invitation to Ben's team "Crew"."""
    from tieline.services import accounts
    from tieline.services import teams as teams_service

    signed_in(s)
    ben = accounts.add_user(s.session, username="ben", password=PASSWORD, now=NOW).owner_id
    made = teams_service.create(s.session, owner_id=ben, name="Crew", now=NOW)
    token = teams_service.invite(s.session, owner_id=ben, team=f"#{made.id}", now=NOW).token
    return {"team_id": made.id, "token": token}


def _ben_shares_eve(s: Setup, team_id: int, ben: int) -> int:
    """Ben's Eve Stone at Globex, shared with the team: the entry's id as Ana's who shows it."""
    from tieline.services import team_shares

    eve = people_service.add_person(
        s.session, owner_id=ben, name="Eve Stone", changes=PersonChanges(set={"company": "Globex"}, add={}),
        today=TODAY, now=NOW,
    )  # fmt: skip
    s.session.flush()
    rule = team_shares.rule_from(s.session, owner_id=ben, kind="person", value=f"#{eve.id}")
    team_shares.share(s.session, team_id=team_id, owner_id=ben, rule=rule, now=NOW)
    (found,) = team_shares.who(
        s.session, team_id=team_id, asker_owner_id=OWNER, now=NOW, organisation="Globex"
    )
    return found.share_id


def ben_shares(s: Setup) -> Given:
    """Ana signed in, in a team with Ben, who shares one person: the entry to ask about."""
    given = team_with_ben(s)
    ben = _ben(s)
    return {**given, "share_id": _ben_shares_eve(s, given["team_id"], ben)}


def _ben(s: Setup) -> int:
    from tieline.services import accounts

    return accounts.owner_of_username(s.session, "ben")


def ana_asked_ben(s: Setup) -> Given:
    """Ana signed in, and her request to Ben for an introduction to his Eve, not answered."""
    from tieline.services import team_requests

    given = ben_shares(s)
    made = team_requests.ask(
        s.session, team_id=given["team_id"], asker=OWNER, share_id=given["share_id"], why="a pilot", now=NOW
    )
    return {**given, "request_id": made.id}


def ben_asked_ana(s: Setup) -> Given:
    """Ana signed in, and Ben's request to her for an introduction to her Dana, not answered."""
    from tieline.services import team_requests, team_shares

    given = team_of_ana(s, with_ben=True)
    ben = _ben(s)
    rule = team_shares.rule_from(s.session, owner_id=OWNER, kind="all", value=None)
    team_shares.share(s.session, team_id=given["team_id"], owner_id=OWNER, rule=rule, now=NOW)
    (found,) = team_shares.who(
        s.session, team_id=given["team_id"], asker_owner_id=ben, now=NOW, organisation="Acme"
    )
    made = team_requests.ask(
        s.session, team_id=given["team_id"], asker=ben, share_id=found.share_id, why="a pilot", now=NOW
    )
    return {**given, "request_id": made.id}


def my_request_states(site: Site, g: Given) -> list[str]:
    return [r["state"] for r in site.json(f"/api/v1/teams/{g['team_id']}/requests")]


def waiting_on_me(site: Site, g: Given) -> list[int]:
    return [r["id"] for r in site.json(f"/api/v1/teams/{g['team_id']}/requests/waiting")]


def team_members(site: Site, team_id: int) -> list[str]:
    return re.findall(r'data-member="([^"]+)"', site.page(f"/teams/{team_id}"))


def invite_opens(site: Site, response: httpx.Response) -> int:
    """The status of the join page at the link an invitation answered with."""
    found = re.search(r'href="(http://[^"]+/teams/join/tli_[^"]+)"', response.text)
    assert found, response.text[:500]
    return site.status(urlsplit(found.group(1)).path)


def signs_in(site: Site, password: str) -> int:
    """The status a fresh client's sign-in answers (303 when the password is right)."""
    other = Site(site.base_url)
    try:
        return other.send(
            "POST", "/login", {"username": "ana", "password": password, "next": "/"}
        ).status_code
    finally:
        other.http.close()


API = "/api/v1"
PERSON_PAGE = "/people/{person_id}"
CASES: dict[tuple[str, str], Case] = {
    # The JSON API.
    ("POST", f"{API}/people"): Case(
        nothing, {"name": "Ana Lima", "title": "CTO"},
        lambda site, g, r: person(site, r.json()["id"])["title"], "CTO",
    ),
    ("PATCH", f"{API}/people/{{person_id}}"): Case(
        ana, {"title": "CEO"}, lambda site, g, r: person(site, g["person_id"])["title"], "CEO"
    ),
    ("DELETE", f"{API}/people/{{person_id}}"): Case(
        ana, None, lambda site, g, r: site.status(f"{API}/people/{g['person_id']}"), 404
    ),
    ("POST", f"{API}/interactions"): Case(
        ana, lambda g: {"kind": "coffee", "people": [g["person_id"]], "when": "yesterday", "notes": "ramen"},
        lambda site, g, r: notes_logged(site, g["person_id"]), ["ramen"],
    ),
    ("POST", f"{API}/agenda/items/{{key}}/done"): Case(
        overdue, {"kind": "call"},
        lambda site, g, r: (on_agenda(site, g["key"]), last_contact_day(site, g["person_id"])),
        (False, TODAY.isoformat()),
    ),
    ("POST", f"{API}/agenda/items/{{key}}/snooze"): Case(
        overdue, {"days": 3},
        lambda site, g, r: (on_agenda(site, g["key"]), on_agenda(site, g["key"], LATER)), (False, True),
    ),
    ("POST", f"{API}/agenda/items/{{key}}/dismiss"): Case(
        overdue, {},
        lambda site, g, r: (on_agenda(site, g["key"]), on_agenda(site, g["key"], LATER)), (False, False),
    ),
    ("POST", f"{API}/organisations"): Case(
        nothing, {"name": "Globex", "kind": "company"},
        lambda site, g, r: [o["name"] for o in site.json(f"{API}/organisations")], ["Globex"],
    ),
    ("POST", f"{API}/favours"): Case(
        ana, lambda g: {"person_id": g["person_id"], "direction": "given", "kind": "advice", "text": "tips"},
        lambda site, g, r: favour(site, r.json()["id"])["text"], "tips",
    ),
    ("DELETE", f"{API}/favours/{{favour_id}}"): Case(
        owed_thanks, None, lambda site, g, r: site.status(f"{API}/favours/{g['favour_id']}"), 404
    ),
    ("POST", f"{API}/people/{{person_id}}/favours/thank"): Case(
        owed_thanks, {"kind": "message"},
        lambda site, g, r: favour(site, g["favour_id"])["thanked_at"] is not None, True,
    ),
    ("POST", f"{API}/follow-ups"): Case(
        ana, lambda g: {"person_id": g["person_id"], "text": "send the deck", "due": "tomorrow"},
        lambda site, g, r: followup(site, r.json()["id"])["text"], "send the deck",
    ),
    ("POST", f"{API}/follow-ups/{{followup_id}}/done"): Case(
        open_followup, {}, lambda site, g, r: followup(site, g["followup_id"])["status"], "done"
    ),
    ("POST", f"{API}/follow-ups/{{followup_id}}/dismiss"): Case(
        open_followup, {}, lambda site, g, r: followup(site, g["followup_id"])["status"], "dismissed"
    ),
    # The API's import runs inside the request, in a transaction of its own: committed before the
    # report is sent, so the people it counts and its run are there to read.
    ("POST", f"{API}/imports"): Case(
        nothing, Upload("friends.vcf", TWO_CARDS),
        lambda site, g, r: (names(site), site.json(f"{API}/imports")[0]["id"] == r.json()["run_id"]),
        (["Ana Lima", "Bo Chen"], True),
    ),
    ("POST", f"{API}/imports/{{run_id}}/undo"): Case(
        imported, {},
        lambda site, g, r: (site.json(f"{API}/imports")[0]["undone_at"] is not None, names(site)),
        (True, []),
    ),
    # The pages.
    ("POST", "/agenda/done"): Case(
        overdue, lambda g: {"key": g["key"], "day": TODAY.isoformat()},
        lambda site, g, r: (on_today_page(site), last_contact_day(site, g["person_id"])),
        (False, TODAY.isoformat()),
    ),
    ("POST", "/agenda/snooze"): Case(
        overdue, lambda g: {"key": g["key"], "day": TODAY.isoformat(), "days": "3"},
        lambda site, g, r: (on_today_page(site), on_today_page(site, LATER)), (False, True),
    ),
    ("POST", "/agenda/dismiss"): Case(
        overdue, lambda g: {"key": g["key"], "day": TODAY.isoformat()},
        lambda site, g, r: (on_today_page(site), on_today_page(site, LATER)), (False, False),
    ),
    ("POST", "/people/bulk"): Case(
        ana_and_bo, lambda g: {"person": [str(g["a"]), str(g["b"])], "add_tag": "mentor", "set_tier": "2"},
        lambda site, g, r: [(person(site, i)["tags"], person(site, i)["tier"]) for i in (g["a"], g["b"])],
        [(["mentor"], 2), (["mentor"], 2)],
    ),
    ("POST", PERSON_PAGE): Case(
        ana, {"name": "Ana Lima", "title": "CTO", "tags": "a, b", "tier": "3"},
        lambda site, g, r: {k: person(site, g["person_id"])[k] for k in ("title", "tags", "tier")},
        {"title": "CTO", "tags": ["a", "b"], "tier": 3},
    ),
    ("POST", f"{PERSON_PAGE}/favours"): Case(
        ana, {"direction": "received", "kind": "introduction", "text": "intro to Dee", "when": "yesterday"},
        lambda site, g, r: texts(site, f"{API}/favours", person=g["person_id"]), ["intro to Dee"],
    ),
    ("POST", f"{PERSON_PAGE}/favours/thanks"): Case(
        owed_thanks, {"text": "cheers"},
        lambda site, g, r: site.json(f"{API}/people/{g['person_id']}/favours/balance")["thanks_owed"], [],
    ),
    ("POST", f"{PERSON_PAGE}/milestones"): Case(
        ana, {"kind": "promotion", "on": "2026-03-01", "text": "Head of data"},
        lambda site, g, r: "Head of data" in site.page(f"/people/{g['person_id']}"), True,
    ),
    ("POST", f"{PERSON_PAGE}/followups"): Case(
        ana, {"text": "send the deck", "due": "in 1 week", "promise": "1"},
        lambda site, g, r: texts(site, f"{API}/follow-ups", person=g["person_id"]), ["send the deck"],
    ),
    ("POST", f"{PERSON_PAGE}/followups/{{followup_id}}/done"): Case(
        open_followup, {}, lambda site, g, r: followup(site, g["followup_id"])["status"], "done"
    ),
    ("POST", "/log"): Case(
        ana, {"people": "Ana Lima", "kind": "lunch", "when": "yesterday", "note": "ramen"},
        lambda site, g, r: notes_logged(site, g["person_id"]), ["ramen"],
    ),
    # The page's import runs in a thread of its own (web/jobs.py): its write is the job's, not the
    # request's. What matters is that the people the page reports imported are readable when it does.
    ("POST", "/import"): Case(
        nothing, Upload("friends.vcf", TWO_CARDS),
        lambda site, g, r: (bool(finished_import(site, r)), names(site)), (True, ["Ana Lima", "Bo Chen"]),
    ),
    ("POST", "/duplicates/merge"): Case(
        twins, lambda g: {"kept": str(g["kept"]), "merged": str(g["merged"])},
        lambda site, g, r: (
            site.status(f"{API}/people/{g['merged']}"),
            sorted(e["address"] for e in person(site, g["kept"])["emails"]),
        ),
        (404, ["dana.k.scully@example.org", "dana@example.org"]),
    ),
    ("POST", "/duplicates/unmerge"): Case(
        merged_twins, lambda g: {"merge_id": str(g["merge_id"])},
        lambda site, g, r: [e["address"] for e in person(site, g["merged"])["emails"]],
        ["dana.k.scully@example.org"],
    ),
    ("POST", "/duplicates/distinct"): Case(
        twins, lambda g: {"a": str(g["kept"]), "b": str(g["merged"])},
        lambda site, g, r: site.page("/import").count('class="duplicate"'), 0,
    ),
    ("POST", "/settings"): Case(
        nothing, {"agenda.daily_cap": "2"},
        lambda site, g, r: 'name="agenda.daily_cap" value="2"' in site.page("/settings"), True,
    ),
    # Server mode (issue 17): signing in and out, the password, tokens.
    ("POST", "/login"): Case(
        account, {"username": "ana", "password": PASSWORD, "next": "/account"},
        lambda site, g, r: (r.headers["location"], "Signed in as <strong>ana</strong>" in site.page("/account")),
        ("/account", True),
    ),
    ("POST", "/logout"): Case(signed_in, {}, lambda site, g, r: site.status("/account"), 303),
    ("POST", "/account/password"): Case(
        signed_in, {"current": PASSWORD, "new": "another long password"},
        lambda site, g, r: (signs_in(site, "another long password"), signs_in(site, PASSWORD)), (303, 401),
    ),
    ("POST", "/account/tokens"): Case(
        nothing, {"name": "nightly export", "scope": "read"},
        lambda site, g, r: "nightly export" in site.page("/account"), True,
    ),
    ("POST", "/account/tokens/{token_id}/revoke"): Case(
        a_token, {}, lambda site, g, r: "revoked " in site.page("/account"), True,
    ),
    ("POST", "/settings/calendar/new"): Case(nothing, {}, lambda site, g, r: feed_status(site, r), 200),
    ("POST", "/settings/calendar/off"): Case(
        calendar_on, {},
        lambda site, g, r: (
            site.status(f"/calendar/{g['token']}.ics"), "The feed is off" in site.page("/settings")
        ),
        (404, True),
    ),
    # Posted without scripts, these four answer 303: the browser follows at once.
    ("POST", "/organisations"): Case(
        nothing, {"name": "Globex", "kind": "company"},
        lambda site, g, r: "<h1>Globex</h1>" in redirected_page(site, r), True,
    ),
    ("POST", "/organisations/{organisation_id}/members"): Case(
        acme_and_dana, {"people": "Dana Scully", "role": "Analyst", "since": "2025-09-01"},
        lambda site, g, r: "Dana Scully" in redirected_page(site, r), True,
    ),
    ("POST", "/events"): Case(
        nothing, {"name": "PyData Porto", "when": "in 2 weeks", "kind": "meetup", "place": "Porto"},
        lambda site, g, r: "PyData Porto" in redirected_page(site, r), True,
    ),
    ("POST", "/events/{event_id}/people"): Case(
        summit, {"people": "Ana Lima, Zed Newman", "note": "ramen"},
        lambda site, g, r: "Zed Newman" in redirected_page(site, r), True,
    ),
    ("POST", "/introductions"): Case(
        ana_and_bo, {"a": "Ana Lima", "b": "Bo Chen", "why": "both climb"},
        lambda site, g, r: list(introduction_states(site).values()), ["proposed"],
    ),
    ("POST", "/introductions/{introduction_id}/ask-a"): Case(
        introduction(), {}, lambda site, g, r: introduction_states(site)[g["introduction_id"]], "asked_a"
    ),
    ("POST", "/introductions/{introduction_id}/ask-b"): Case(
        introduction("ask_a"), {},
        lambda site, g, r: introduction_states(site)[g["introduction_id"]], "asked_b",
    ),
    ("POST", "/introductions/{introduction_id}/made"): Case(
        introduction("ask_a", "ask_b"), {},
        lambda site, g, r: introduction_states(site)[g["introduction_id"]], "made",
    ),
    ("POST", "/introductions/{introduction_id}/declined"): Case(
        introduction("ask_a"), {"by": "a"},
        lambda site, g, r: introduction_states(site)[g["introduction_id"]], "declined",
    ),
    ("POST", "/introductions/{introduction_id}/outcome"): Case(
        introduction("ask_a", "ask_b", "make"), {"text": "they started a studio"},
        lambda site, g, r: "Led to: they started a studio" in site.page("/introductions"), True,
    ),
    ("POST", "/opportunities"): Case(
        nothing, {"title": "Head of data", "kind": "job", "stage": "exploring"},
        lambda site, g, r: list(opportunity_stages(site).values()), ["exploring"],
    ),
    ("POST", "/opportunities/{opportunity_id}/move"): Case(
        opportunity, {"stage": "won"},
        lambda site, g, r: opportunity_stages(site)[g["opportunity_id"]], "won",
    ),
    ("POST", "/goals"): Case(
        nothing, {"kind": "meet_people", "target": "3", "by": "month", "label": "Widen the circle"},
        lambda site, g, r: "Widen the circle" in site.page("/goals"), True,
    ),
    # Sync (issue 15): a connection added is listed at once; the password stays out of the page.
    ("POST", "/sync/imap"): Case(
        nothing, {"name": "mail", "host": "imap.example.org", "user": "ana", "password": "hunter2-pw"},
        lambda site, g, r: (connection_names(site), "hunter2-pw" in site.page("/sync")), (["mail"], False),
    ),
    ("POST", "/sync/caldav"): Case(
        nothing, {"name": "cal", "url": "https://dav.example.org/", "user": "ana", "password": "pw-x9"},
        lambda site, g, r: connection_names(site), ["cal"],
    ),
    ("POST", "/sync/ics"): Case(
        nothing, {"name": "feed", "url": "https://calendar.example.org/private-abc/basic.ics"},
        lambda site, g, r: connection_names(site), ["feed"],
    ),
    ("POST", "/sync/carddav"): Case(
        address_book, lambda g: {"name": "book", **g}, lambda site, g, r: connection_names(site), ["book"],
    ),
    ("POST", "/sync/conflicts/{conflict_id}"): Case(
        conflict, {"keep": "server"},
        lambda site, g, r: ("data-conflict=" in site.page("/sync"), person(site, g["person_id"])["title"]),
        (False, "CEO"),
    ),
    ("POST", "/sync/remove"): Case(connected, {"name": "work"}, lambda site, g, r: connection_names(site), []),
    # Like the page's import, the sync runs in a thread of its own: what it reports is readable then.
    ("POST", "/sync/run"): Case(
        connected, {"name": "work"},
        lambda site, g, r: (
            re.findall(r'class="error">(work: [^<]+)<', finished_sync(site, r))
            == re.findall(r'<span class="error" role="note">(work: [^<]+)<', site.page("/sync"))
            != []
        ),
        True,
    ),
    ("POST", "/discovered/add"): Case(
        stranger, lambda g: {"email": g["email"]},
        lambda site, g, r: (sorted(names(site)), discovered_emails(site)), (["Ana Lima", "Zoe Park"], []),
    ),
    ("POST", "/discovered/link"): Case(
        stranger, lambda g: {"email": g["email"], "people": "Ana Lima"},
        lambda site, g, r: (
            [e["address"] for e in person(site, g["person_id"])["emails"]], discovered_emails(site)
        ),
        (["zoe@example.org"], []),
    ),
    ("POST", "/discovered/ignore"): Case(
        stranger, lambda g: {"email": g["email"]}, lambda site, g, r: discovered_emails(site), []
    ),
    ("POST", "/goals/{goal_id}/remove"): Case(
        goal, {}, lambda site, g, r: "Widen the circle" in site.page("/goals"), False
    ),
    # Teams (issue 19): the writer signed in as Ana, as teams are between accounts.
    ("POST", "/teams"): Case(
        signed_in, {"name": "Sales"}, lambda site, g, r: "<h1>Sales</h1>" in redirected_page(site, r), True,
    ),
    ("POST", "/teams/join/{token}"): Case(
        invited_by_ben, {}, lambda site, g, r: sorted(team_members(site, g["team_id"])), ["ana", "ben"],
    ),
    ("POST", "/teams/{team_id}/invite"): Case(team_of_ana, {}, lambda site, g, r: invite_opens(site, r), 200),
    ("POST", "/teams/{team_id}/share"): Case(
        team_of_ana, {"kind": "tag", "value": "clients"},
        lambda site, g, r: re.findall(r'data-rule="([^"]+)"', site.page(f"/teams/{g['team_id']}")),
        ["tag:clients"],
    ),
    ("POST", "/teams/{team_id}/unshare"): Case(
        team_shared, {"kind": "tag", "value": "clients"},
        lambda site, g, r: "You share nothing with this team." in site.page(f"/teams/{g['team_id']}"), True,
    ),
    ("POST", "/teams/{team_id}/remove"): Case(
        team_with_ben, {"username": "ben"}, lambda site, g, r: team_members(site, g["team_id"]), ["ana"],
    ),
    ("POST", "/teams/{team_id}/leave"): Case(
        team_with_ben, {}, lambda site, g, r: site.status(f"/teams/{g['team_id']}"), 404,
    ),
    ("POST", "/teams/{team_id}/ask"): Case(
        ben_shares, lambda g: {"share_id": str(g["share_id"]), "why": "a pilot"},
        lambda site, g, r: my_request_states(site, g), ["asked"],
    ),
    ("POST", "/api/v1/teams/{team_id}/requests"): Case(
        ben_shares, lambda g: {"share_id": g["share_id"], "why": "a pilot"},
        lambda site, g, r: my_request_states(site, g), ["asked"],
    ),
    ("POST", "/teams/requests/{request_id}/withdraw"): Case(
        ana_asked_ben, {}, lambda site, g, r: my_request_states(site, g), ["withdrawn"],
    ),
    ("POST", "/api/v1/teams/requests/{request_id}/withdraw"): Case(
        ana_asked_ben, {}, lambda site, g, r: my_request_states(site, g), ["withdrawn"],
    ),
    ("POST", "/teams/requests/{request_id}/accept"): Case(
        ben_asked_ana, {}, lambda site, g, r: (waiting_on_me(site, g), "Dana Reyes" in site.page("/introductions")),
        ([], True),
    ),
    ("POST", "/api/v1/teams/requests/{request_id}/accept"): Case(
        ben_asked_ana, {}, lambda site, g, r: (waiting_on_me(site, g), "Dana Reyes" in site.page("/introductions")),
        ([], True),
    ),
    ("POST", "/teams/requests/{request_id}/decline"): Case(
        ben_asked_ana, {}, lambda site, g, r: waiting_on_me(site, g), [],
    ),
    ("POST", "/api/v1/teams/requests/{request_id}/decline"): Case(
        ben_asked_ana, {}, lambda site, g, r: waiting_on_me(site, g), [],
    ),
}  # fmt: skip


def test_every_writing_route_has_a_case(live: LiveServer) -> None:
    routes = writing_routes()
    assert len(routes) > 40, f"the router enumeration found only {sorted(routes)}"
    missing = sorted(routes - set(CASES))
    assert not missing, f"writing routes with no read-after-write case in CASES: {missing}"
    gone = sorted(set(CASES) - routes)
    assert not gone, f"cases for routes the app does not have: {gone}"


@pytest.mark.parametrize("route", sorted(CASES), ids=" ".join)
def test_what_a_write_answered_is_readable_at_once(
    route: tuple[str, str], site: Site, db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    method, path = route
    case = CASES[route]
    with db.sessions() as session:
        given = case.arrange(Setup(session, db, tmp_path, request.getfixturevalue))
        session.commit()
    body = case.body(given) if callable(case.body) else case.body

    response = site.send(method, path.format_map(given), body)

    assert response.is_success or response.status_code == 303, (
        f"{method} {path}: {response.status_code} {response.text[:500]}"
    )
    assert case.read(site, given, response) == case.expected
