"""Teams from the browser and the API (issue 19): make a team, invite by a link shown once, join it
from the link, share, ask who knows someone, un-share, remove, leave; each as the pages send it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import FIXED_NOW
from tests.teams.helpers import PASSWORD, account, person, team
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


def test_introductions_through_the_team_from_the_pages_and_the_api(
    db: Database, browsers: dict[str, WebClient]
) -> None:
    """Ben asks from who's answer; Ana answers from her Today page (decline) and from the team's page
    (accept, into her introductions); Ben follows and withdraws his; Ana's audit lists what he asked.
    Then the same through the API, and what Ben's list shows once Ana stops sharing."""
    ana_id, ben_id = account(db, "ana"), account(db, "ben")
    person(db, ana_id, "Dana Reyes", company="Acme Inc.", title="CTO", notes="dana-secret-note")
    team_id = team(db, ana_id, "Sales", ben_id)
    ana, ben = browsers["ana"], browsers["ben"]
    sign_in(ana, "ana")
    sign_in(ben, "ben")
    team_url = f"/teams/{team_id}"
    assert post(ana, f"{team_url}/share", {"kind": "all"}).status_code == 200
    assert "No teammate is waiting on you" in ana.get(team_url).text
    assert "Nobody asked anything of what you share" in ana.get(team_url).text

    # Ben asks from the answer to who: each teammate's row has its form.
    answer = ben.get(f"{team_url}/who?organisation=Acme", headers=HTMX).text
    share_id = re.search(r'name="share_id" value="(\d+)"', answer)
    assert share_id and f'hx-post="{team_url}/ask"' in answer and "Ask ana for an introduction" in answer
    made = post(ben, f"{team_url}/ask", {"share_id": share_id.group(1), "why": "  a pilot   at Acme "})
    assert made.status_code == 200
    assert 'id="team-requests"' in made.text and "Asked ana to introduce you to Dana Reyes" in made.text
    (mine,) = re.findall(r'<tr data-request="(\d+)" data-state="asked">(.*?)</tr>', made.text, re.S)
    assert "Dana Reyes" in mine[1] and "a pilot at Acme" in mine[1] and "Withdraw" in mine[1]
    again = post(ben, f"{team_url}/ask", {"share_id": share_id.group(1), "why": "again"})
    assert again.status_code == 422 and "already asked" in again.text
    assert post(ben, f"{team_url}/ask", {"share_id": share_id.group(1), "why": " "}).status_code == 422
    assert post(ben, f"{team_url}/ask", {"share_id": "0", "why": "x"}).status_code == 422

    # On Ana's Today page: the line, with the why, and its Accept and Decline; she declines there.
    today = ana.get("/").text
    assert "ben asks you for an introduction to Dana Reyes" in today and "a pilot at Acme" in today
    assert f'action="/teams/requests/{mine[0]}/accept"' in today
    declined = post(ana, f"/teams/requests/{mine[0]}/decline", {"back": "today"}, htmx=False)
    assert (declined.status_code, declined.headers["location"]) == (303, "/")
    assert "ben asks you" not in ana.get("/").text
    assert 'data-state="declined"' in ben.get(team_url).text

    # Asked again, then withdrawn by Ben: off Ana's page; asked once more, accepted from the team page.
    second = post(ben, f"{team_url}/ask", {"share_id": share_id.group(1), "why": "second try"})
    (second_id,) = re.findall(r'<tr data-request="(\d+)" data-state="asked">', second.text)
    assert f'data-request="{second_id}"' in ana.get(team_url).text
    taken = post(ben, f"/teams/requests/{second_id}/withdraw")
    assert f"Request #{second_id} withdrawn." in taken.text and 'data-state="withdrawn"' in taken.text
    assert f'data-request="{second_id}"' not in ana.get(team_url).text
    assert post(ana, f"/teams/requests/{second_id}/accept").status_code == 422  # already withdrawn
    assert post(ben, f"/teams/requests/{second_id}/withdraw").status_code == 422
    third = post(ben, f"{team_url}/ask", {"share_id": share_id.group(1), "why": "third time"})
    (third_id,) = re.findall(r'<tr data-request="(\d+)" data-state="asked">', third.text)
    assert post(ben, f"/teams/requests/{third_id}/accept").status_code == 404  # not his to answer
    accepted = post(ana, f"/teams/requests/{third_id}/accept")
    assert "introduction #" in accepted.text and "of Dana Reyes and ben is proposed" in accepted.text
    intros = ana.get("/introductions").text
    assert "Dana Reyes" in intros and "third time" in intros
    assert "accepted, introduction proposed" in ben.get(team_url).text

    # Ana's audit: Ben's who and his three requests, newest first; Ben's own audit is empty.
    audit = ana.get(team_url).text.split('id="team-audit"')[1]
    rows = re.findall(r"<tr><td>[^<]*</td><td>(\w+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>", audit)
    assert rows == [("ben", "an introduction to", "Dana Reyes")] * 3 + [
        ("ben", "who knows someone at", "Acme")
    ]
    assert "Nobody asked anything of what you share" in ben.get(team_url).text

    # The API: ask, list, withdraw, waiting, accept or decline, audit.
    api = f"/api/v1/teams/{team_id}"
    headers = {"X-CSRF-Token": ben.csrf()}
    assert (
        ben.post(
            f"{api}/requests", json={"share_id": int(share_id.group(1)), "why": " "}, headers=headers
        ).status_code
        == 422
    )
    asked = ben.post(
        f"{api}/requests", json={"share_id": int(share_id.group(1)), "why": "by API"}, headers=headers
    )
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert {k: request[k] for k in ("holder", "asker", "person", "organisation", "why", "state", "team")} == {
        "holder": "ana", "asker": "ben", "person": "Dana Reyes", "organisation": "Acme Inc.", "why": "by API",
        "state": "asked", "team": "Sales",
    }  # fmt: skip
    assert [r["id"] for r in ana.get(f"{api}/requests/waiting").json()] == [request["id"]]
    assert ben.get(f"{api}/requests/waiting").json() == []
    ana_headers = {"X-CSRF-Token": ana.csrf()}
    assert (
        ben.post(f"/api/v1/teams/requests/{request['id']}/decline", json={}, headers=headers).status_code
        == 404
    )
    out = ana.post(f"/api/v1/teams/requests/{request['id']}/decline", json={}, headers=ana_headers)
    assert (out.status_code, out.json()["state"]) == (200, "declined")
    listed = ben.get(f"{api}/requests").json()
    assert [(r["why"], r["state"], r["introduction"]) for r in listed] == [
        ("by API", "declined", None), ("third time", "accepted", "proposed"), ("second try", "withdrawn", None),
        ("a pilot at Acme", "declined", None),
    ]  # fmt: skip
    fifth = ben.post(
        f"{api}/requests", json={"share_id": int(share_id.group(1)), "why": "fifth"}, headers=headers
    ).json()
    assert (
        ben.post(f"/api/v1/teams/requests/{fifth['id']}/withdraw", json={}, headers=headers).json()["state"]
        == "withdrawn"
    )
    sixth = ben.post(
        f"{api}/requests", json={"share_id": int(share_id.group(1)), "why": "sixth"}, headers=headers
    ).json()
    took = ana.post(f"/api/v1/teams/requests/{sixth['id']}/accept", json={}, headers=ana_headers)
    assert took.status_code == 200, took.text
    assert took.json()["request"]["state"] == "accepted"
    # Asked again while that introduction is under way: the request joins it, no second one.
    assert took.json()["request"]["introduction"] == "proposed"
    assert ana.get("/introductions").text.count("third time") == 1
    assert [a["what"] for a in ana.get(f"{api}/audit").json()][:3] == ["intro_request"] * 3
    assert ben.get(f"{api}/audit").json() == []

    # Ana stops sharing: Ben's list keeps his words and the states, and no longer names Dana.
    post(ana, f"{team_url}/unshare", {})
    after = ben.get(f"{api}/requests").json()
    assert {r["person"] for r in after} == {"someone no longer shared"}
    assert {r["organisation"] for r in after} == {None} and after[0]["why"] == "sixth"
    page = ben.get(team_url).text
    assert "someone no longer shared" in page, page
    assert "Dana Reyes" not in page and "Acme Inc." not in page, page
