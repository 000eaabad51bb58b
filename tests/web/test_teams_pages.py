"""Teams from the browser and the API (issue 19): make a team, invite by a link shown once, join it
from the link, share, ask who knows someone, un-share, remove, leave; each as the pages send it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import FIXED_NOW
from tests.teams.helpers import PASSWORD, account, person
from tests.web.conftest import WebClient
from tieline.config import Settings
from tieline.db import Database
from tieline.web.app import create_app

HTMX = {"HX-Request": "true"}


@pytest.fixture
def app(db: Database, web_settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(web_settings, database=db, now=lambda: FIXED_NOW)


@pytest.fixture
def browsers(app) -> Iterator[dict[str, WebClient]]:  # type: ignore[no-untyped-def]
    made = {}
    for name in ("ana", "ben"):
        c = WebClient(app, base_url="http://127.0.0.1", follow_redirects=False)
        c.__enter__()
        made[name] = c
    yield made
    for c in made.values():
        c.__exit__(None, None, None)


def sign_in(c: WebClient, username: str) -> None:
    assert c.get("/login").status_code == 200
    answer = c.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "/"},
        headers={"X-CSRF-Token": c.cookies["tieline_csrf"]},
    )
    assert answer.status_code == 303, answer.text


def post(c: WebClient, url: str, data: dict[str, str] | None = None, *, htmx: bool = True):  # type: ignore[no-untyped-def]
    headers = {"X-CSRF-Token": c.csrf(), **(HTMX if htmx else {})}
    return c.post(url, data=data or {}, headers=headers)


def test_a_team_from_making_it_to_leaving_it(db: Database, browsers: dict[str, WebClient]) -> None:
    ana_id, ben_id = account(db, "ana"), account(db, "ben")
    person(
        db, ana_id, "Dana Reyes", company="Acme Inc.", title="CTO", notes="dana-secret-note",
        lists={"emails": ["dana@acme.example"], "phones": ["+1 555 0100 777"], "tags": ["clients"]},
    )  # fmt: skip
    person(db, ana_id, "Eli Other", company="Acme", lists={"tags": ["friends"]})
    person(db, ben_id, "Dee R.", lists={"emails": ["DANA@acme.example"]})
    ana, ben = browsers["ana"], browsers["ben"]
    sign_in(ana, "ana")
    sign_in(ben, "ben")

    assert 'href="/teams" aria-current="page"' in ana.get("/teams").text
    assert "You are in no team yet" in ana.get("/teams").text
    made = post(ana, "/teams", {"name": "  Sales  "}, htmx=False)
    assert made.status_code == 303
    team_url = made.headers["location"]
    team_id = int(team_url.rsplit("/", 1)[1])
    page = ana.get(team_url).text
    assert "<h1>Sales</h1>" in page and "You share nothing with this team." in page

    # The invitation: a link shown once, opened by Ben signed in, confirmed with a POST.
    invited = post(ana, f"{team_url}/invite")
    assert invited.status_code == 200
    link = re.search(r'href="(http://127\.0\.0\.1/teams/join/(tli_[^"]+))"', invited.text)
    assert link, invited.text
    assert link.group(2) not in ana.get(team_url).text
    joining = ben.get(link.group(1))
    assert joining.status_code == 200 and "Join team Sales" in joining.text
    joined = post(ben, f"/teams/join/{link.group(2)}", htmx=False)
    assert (joined.status_code, joined.headers["location"]) == (303, team_url)
    assert "already used" in ben.get(link.group(1)).text
    assert post(ben, f"/teams/join/{link.group(2)}").status_code == 422
    members = re.findall(r'data-member="([^"]+)"', ben.get(team_url).text)
    assert members == ["ana", "ben"]

    # Ana shares her clients; Ben asks, by organisation and by his own person.
    shared = post(ana, f"{team_url}/share", {"kind": "tag", "value": "clients"})
    assert "1 person shared" in shared.text and 'data-rule="tag:clients"' in shared.text
    assert post(ana, f"{team_url}/share", {"kind": "tier", "value": "9"}).status_code == 422
    asked = ben.get(f"{team_url}/who?organisation=ACME", headers=HTMX)
    rows = re.findall(r'<tr data-knower="([^"]+)">(.*?)</tr>', asked.text, re.S)
    assert [(who, re.findall(r"<td>([^<]*)</td>", cells)) for who, cells in rows] == [
        ("ana", ["ana", "Dana Reyes", "CTO", "Acme Inc.", str(FIXED_NOW.year)])
    ]
    for secret in ("dana@acme.example", "555 0100", "dana-secret-note", "Eli Other", "clients"):
        assert secret not in asked.text
    by_person = ben.get(f"{team_url}/who?person=Dee")  # without HTMX: the whole page
    assert "<h1>Sales</h1>" in by_person.text and 'data-knower="ana"' in by_person.text
    assert "Nobody on the team" in ana.get(f"{team_url}/who?organisation=Acme", headers=HTMX).text
    assert ben.get(f"{team_url}/who", headers=HTMX).status_code == 422

    # The API: the same answers, in the documented shapes.
    assert ben.get("/api/v1/teams").json() == [
        {"id": team_id, "name": "Sales", "role": "member", "members": [
            {"username": "ana", "role": "owner", "joined_at": FIXED_NOW.isoformat()},
            {"username": "ben", "role": "member", "joined_at": FIXED_NOW.isoformat()},
        ]}
    ]  # fmt: skip
    knowers = ben.get(f"/api/v1/teams/{team_id}/who", params={"organisation": "acme"}).json()
    assert [sorted(k) for k in knowers] == [
        ["band", "name", "organisation", "share_id", "since_year", "title", "username"]
    ]
    assert (knowers[0]["username"], knowers[0]["name"]) == ("ana", "Dana Reyes")
    assert ben.get(f"/api/v1/teams/{team_id}/who").status_code == 422

    # Only an owner invites and removes.
    assert post(ben, f"{team_url}/invite").status_code == 403
    assert post(ben, f"{team_url}/remove", {"username": "ana"}).status_code == 403

    # Un-sharing: at once, nothing.
    assert "You share nothing" in post(ana, f"{team_url}/unshare", {"kind": "tag", "value": "clients"}).text
    assert "Nobody on the team" in ben.get(f"{team_url}/who?organisation=Acme", headers=HTMX).text
    assert ben.get(f"/api/v1/teams/{team_id}/who", params={"organisation": "acme"}).json() == []

    # Removing Ben: the team is no longer his; Ana leaving, the last member, deletes it.
    removed = post(ana, f"{team_url}/remove", {"username": "ben"}, htmx=False)
    assert (removed.status_code, removed.headers["location"]) == (303, team_url)
    assert ben.get(team_url).status_code == 404
    assert ben.get("/api/v1/teams").json() == []
    left = post(ana, f"{team_url}/leave", htmx=False)
    assert (left.status_code, left.headers["location"]) == (303, "/teams")
    assert "You are in no team yet" in ana.get("/teams").text


PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_team_pages_escape_what_members_typed(db: Database, browsers: dict[str, WebClient]) -> None:
    ana_id = account(db, "ana")
    account(db, "ben")
    person(db, ana_id, "Eve " + PAYLOAD, company="Acme", title=PAYLOAD, lists={"tags": [PAYLOAD]})
    ana, ben = browsers["ana"], browsers["ben"]
    sign_in(ana, "ana")
    sign_in(ben, "ben")
    team_url = post(ana, "/teams", {"name": PAYLOAD}, htmx=False).headers["location"]
    token = re.search(r"/teams/join/(tli_[^\"<]+)", post(ana, f"{team_url}/invite").text)
    assert token
    assert post(ben, f"/teams/join/{token.group(1)}", htmx=False).status_code == 303
    shared = post(ana, f"{team_url}/share", {"kind": "tag", "value": PAYLOAD})
    pages = [
        shared.text,
        ana.get("/teams").text,
        ana.get(team_url).text,
        ben.get(team_url).text,
        ben.get(f"{team_url}/who?organisation=Acme", headers=HTMX).text,
        ben.get(f"{team_url}/who?organisation=Acme").text,
    ]
    for text in pages:
        assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in pages[4]
