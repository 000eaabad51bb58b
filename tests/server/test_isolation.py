"""Isolation between accounts, proven per route (issue 17): every route of the app, enumerated from its
router, is asked by user B for user A's ids and objects, over B's session cookie and, for the API, over
B's token too. Each answer must be 404 (or 403) where it names something of A's, B's own answer where
it names nothing, and never show a word of A's data; a write must also change no row of A's.

A route added later without a case in CASES fails `test_every_route_has_an_isolation_case`, and the
run over a database fails unless it covered as many routes as the router has.

A's data is one of everything a route can take an id of, every text of it carrying words no other data
has (`isolation_data.A_WORDS`); B has a small network of its own, its ids all different from A's.
Before B asks, A asks for the same pages (`a_status`): the URLs are real ones, which A can open.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import httpx
import pytest
import sqlalchemy as sa

from tests.conftest import FIXED_NOW, MigratedDatabase, empty_tables
from tests.server.isolation_data import (
    A_CARDS,
    A_PASSWORD,
    A_USER,
    A_WORDS,
    B_PASSWORD,
    B_USER,
    B_WORD,
    SHARED_NAME,
    TODAY,
    Side,
    build_a,
    build_b,
)
from tests.web.conftest import WebClient, app_routes
from tieline.config import Settings
from tieline.db import Database
from tieline.models import Base
from tieline.services import tokens
from tieline.web.app import create_app

DENIED = frozenset({404, 403})
OK = frozenset({200})
DAY = TODAY.isoformat()
API = "/api/v1"


@dataclass(frozen=True)
class Upload:
    """A file sent as a multipart form (the import page and `POST /api/v1/imports`)."""

    name: str
    content: str


Body = dict[str, Any] | Upload | None


@dataclass(frozen=True)
class Probe:
    """One request B sends: its URL (a format string over `a` and `b`, whose attributes are ids and
    names), its body, the statuses it may answer with, and a word of B's its answer must show."""

    url: str
    body: Body | Callable[[Any, Any], Body] = None
    status: frozenset[int] = DENIED
    shows: str | None = None
    a_status: int | None = None  # A sending the same GET gets this: the URL names something of A's
    public_a: bool = False  # A's own secret address (the calendar feed): shows A's, to anyone


def probe(url: str, body: Body | Callable[[Any, Any], Body] = None, **kw: Any) -> Probe:
    return Probe(url, body, **kw)


def page(url: str, shows: str | None = B_WORD, status: frozenset[int] = OK) -> Probe:
    """A page or list of B's own: 200, showing B's word and nothing of A's."""
    return Probe(url, None, status, shows)


def denied(url: str, body: Body | Callable[[Any, Any], Body] = None, *, a: int | None = None) -> Probe:
    """Something of A's named: B is told it is not there (A, sending the same GET, gets `a`)."""
    return Probe(url, body, DENIED, None, a)


@dataclass
class World:
    """The app, A's and B's ids, and clients: A and B signed in, and B's API token alone."""

    database: Database
    app: Any
    a: Side
    b: Side
    as_a: WebClient
    as_b: WebClient
    b_token: WebClient
    new_client: Callable[[], WebClient]
    jobs: dict[str, str] = field(default_factory=dict)


class Ids:
    """`{a.person}` in a probe's URL or body: a side's id, or its text (keys, names, tokens)."""

    def __init__(self, side: Side, jobs: dict[str, str]) -> None:
        self._side, self._jobs = side, jobs

    def __getattr__(self, name: str) -> Any:
        side = self._side
        if name in side.ids:
            return side.ids[name]
        if name in side.text:
            return side.text[name]
        return self._jobs[name]


# --- the cases: every route of the router, by (method, path template) ------------------------------

A_PERSON = "/people/{a.person}"
A_PERSON_API = API + "/people/{a.person}"
VCARD_OF_A = Upload(
    "cards.vcf",
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:b-card\r\nFN:Zorblax Quimby\r\nN:Quimby;Zorblax;;;\r\n"
    "EMAIL:zorblax.quimby@example.org\r\nEND:VCARD\r\n",
)  # A's person's name and address, imported by B: B gets a person of its own, A's is untouched

CASES: dict[tuple[str, str], tuple[Probe, ...]] = {
    # Pages.
    ("GET", "/"): (page("/"), page(f"/?day={DAY}")),
    ("GET", "/account"): (page("/account", shows=B_USER),),
    ("POST", "/account/password"): (
        probe(
            "/account/password",
            {"current": A_PASSWORD, "new": "a new long password"},
            status=frozenset({422}),
        ),
    ),
    ("POST", "/account/tokens"): (
        probe("/account/tokens", {"name": "b's token", "scope": "read"}, status=OK),
    ),
    ("POST", "/account/tokens/{token_id}/revoke"): (denied("/account/tokens/{a.token}/revoke"),),
    ("POST", "/agenda/done"): (denied("/agenda/done", {"key": "{a.key}", "day": DAY}),),
    ("POST", "/agenda/snooze"): (denied("/agenda/snooze", {"key": "{a.key}", "day": DAY, "days": "3"}),),
    ("POST", "/agenda/dismiss"): (
        denied("/agenda/dismiss", {"key": "{a.key}", "day": DAY}),
        denied("/agenda/dismiss", {"key": "{a.acted_key}", "day": DAY}),
    ),
    ("GET", "/agenda/draft"): (denied("/agenda/draft?key={a.key}&day=" + DAY, a=200),),
    ("GET", "/discovered"): (page("/discovered"),),
    ("GET", "/discovered/badge"): (page("/discovered/badge", shows=None),),
    ("POST", "/discovered/add"): (denied("/discovered/add", {"email": "{a.discovered}"}),),
    ("POST", "/discovered/ignore"): (denied("/discovered/ignore", {"email": "{a.discovered}"}),),
    ("POST", "/discovered/link"): (
        denied("/discovered/link", {"email": "{a.discovered}", "people": "#{b.person}"}),
        denied("/discovered/link", {"email": "{b.discovered}", "people": "#{a.person}"}),
    ),
    ("POST", "/duplicates/distinct"): (
        denied("/duplicates/distinct", {"a": "{a.twin}", "b": "{a.person}"}),
        denied("/duplicates/distinct", {"a": "{b.person}", "b": "{a.person}"}),
    ),
    ("POST", "/duplicates/merge"): (
        denied("/duplicates/merge", {"kept": "{b.person}", "merged": "{a.person}"}),
        denied("/duplicates/merge", {"kept": "{a.person}", "merged": "{b.person2}"}),
    ),
    ("POST", "/duplicates/unmerge"): (denied("/duplicates/unmerge", {"merge_id": "{a.merge}"}),),
    ("GET", "/events"): (page("/events"),),
    ("POST", "/events"): (
        # An organiser B does not have is a new organisation of B's (here named "#<A's id>").
        probe(
            "/events", {"name": "B's talk", "when": "in 2 weeks", "organiser": "#{a.organisation}"}, status=OK
        ),
        probe("/events", {"name": "B's meetup", "when": "in 3 weeks"}, status=OK),
    ),
    ("GET", "/events/{event_id}"): (denied("/events/{a.event}", a=200), page("/events/{b.event}")),
    ("POST", "/events/{event_id}/people"): (
        denied("/events/{a.event}/people", {"people": "#{b.person}", "how": "saw"}),
        denied("/events/{a.event}/people", {"people": "Bea New", "how": "met"}),
        denied("/events/{b.event}/people", {"people": "#{a.person}", "how": "saw"}),
        denied("/events/{b.event}/people", {"people": "#{a.person}", "how": "met"}),
    ),
    ("GET", "/goals"): (page("/goals"),),
    ("POST", "/goals"): (probe("/goals", {"kind": "meet_people", "target": "3", "by": "month"}, status=OK),),
    ("POST", "/goals/{goal_id}/remove"): (denied("/goals/{a.goal}/remove"),),
    ("GET", "/import"): (page("/import", shows="blinova-cards"),),
    ("POST", "/import"): (probe("/import", VCARD_OF_A, status=OK),),
    ("GET", "/import/jobs/{job_id}"): (denied("/import/jobs/{a.import_job}", a=200),),
    ("GET", "/introductions"): (page("/introductions"),),
    ("POST", "/introductions"): (
        denied("/introductions", {"a": "#{a.person}", "b": "#{b.person}", "why": "x"}),
        denied("/introductions", {"a": "#{b.person}", "b": "#{a.person2}", "why": "x"}),
    ),
    ("GET", "/introductions/names"): (
        page("/introductions/names?a=Zorblax", shows=None),
        page("/introductions/names?b=Ulvmira", shows=None),
    ),
    ("GET", "/introductions/suggested"): (page("/introductions/suggested", shows=None),),
    ("POST", "/introductions/{introduction_id}/ask-a"): (denied("/introductions/{a.introduction}/ask-a"),),
    ("POST", "/introductions/{introduction_id}/ask-b"): (denied("/introductions/{a.introduction}/ask-b"),),
    ("POST", "/introductions/{introduction_id}/made"): (denied("/introductions/{a.introduction}/made"),),
    ("POST", "/introductions/{introduction_id}/declined"): (
        denied("/introductions/{a.introduction}/declined", {"by": "a"}),
    ),
    ("POST", "/introductions/{introduction_id}/outcome"): (
        denied("/introductions/{a.introduction}/outcome", {"text": "led nowhere"}),
    ),
    ("GET", "/introductions/{introduction_id}/draft"): (
        denied("/introductions/{a.introduction}/draft", a=200),
    ),
    ("POST", "/log"): (
        denied("/log", {"people": "#{a.person}", "note": "b's note"}),
        denied("/log", {"people": "#{b.person}, #{a.person2}"}),
        denied("/log", {"people": "Zorblax Quimby"}),
    ),
    ("GET", "/login"): (probe("/login", status=frozenset({200, 303})),),
    ("POST", "/login"): (
        probe(
            "/login", {"username": A_USER, "password": "not it", "next": A_PERSON}, status=frozenset({401})
        ),
    ),
    # POST /logout: `logout_case`, on a second session of B's.
    ("GET", "/manifest.webmanifest"): (page("/manifest.webmanifest", shows=None),),
    ("GET", "/sw.js"): (page("/sw.js", shows=None),),
    ("GET", "/network"): (page("/network", shows=None),),
    ("GET", "/network.json"): (
        page("/network.json"),
        page("/network.json?focus=Zorblax", status=frozenset({200, 404})),  # 404: B has no one of that name
        page("/network.json?focus=%23{a.person}", status=frozenset({200, 404})),
    ),
    ("GET", "/opportunities"): (page("/opportunities"),),
    ("POST", "/opportunities"): (
        denied("/opportunities", {"title": "B's", "via": "#{a.person}"}),
        denied("/opportunities", {"title": "B's", "organisation": "#{a.organisation}"}),
        denied("/opportunities", {"title": "B's", "event": "#{a.event}"}),
        denied("/opportunities", {"title": "B's", "introduction": "#{a.introduction}"}),
    ),
    ("GET", "/opportunities/names"): (page("/opportunities/names?via=Zorblax", shows=None),),
    ("POST", "/opportunities/{opportunity_id}/move"): (
        denied("/opportunities/{a.opportunity}/move", {"stage": "won"}),
    ),
    ("GET", "/organisations"): (page("/organisations"), page("/organisations?q=Zorblax", shows=None)),
    ("POST", "/organisations"): (
        denied("/organisations", {"name": "B's team", "kind": "team", "parent": "{a.organisation}"}),
    ),
    ("GET", "/organisations/{organisation_id}"): (
        denied("/organisations/{a.organisation}", a=200),
        denied("/organisations/{a.department}?members=all", a=200),
    ),
    ("POST", "/organisations/{organisation_id}/members"): (
        denied("/organisations/{a.organisation}/members", {"people": "me"}),
        denied("/organisations/{b.organisation}/members", {"people": "#{a.person}", "role": "x"}),
    ),
    ("GET", "/people"): (
        page("/people"),
        page("/people?q=Zorblax", shows=None),
        page("/people?q=Mardrake", shows=None),
        page("/people?tag=vexillo-club", shows=None),
        probe("/people?org={a.organisation}", status=frozenset({200, 404})),
    ),
    ("POST", "/people/bulk"): (
        # Someone else's ids among those selected are passed over: only B's own are changed.
        probe(
            "/people/bulk",
            {"person": ["{a.person}"], "add_tag": "b-tag"},
            status=frozenset({200, 404}),
            shows="updated 0 people",
        ),
        probe(
            "/people/bulk",
            {"person": ["{b.person}", "{a.person2}"], "set_tier": "5"},
            status=frozenset({200, 404}),
            shows="updated 1 person",
        ),
    ),
    ("GET", "/people/suggest"): (
        page("/people/suggest?people=Zorblax", shows=None),
        page("/people/suggest?people=Bertha, Ulvm", shows=None),
    ),
    ("GET", "/people/{person_id}"): (denied(A_PERSON, a=200), page("/people/{b.person}")),
    ("POST", "/people/{person_id}"): (denied(A_PERSON, {"name": "Renamed", "title": "x"}),),
    ("GET", "/people/{person_id}/brief"): (denied(A_PERSON + "/brief", a=200),),
    ("GET", "/people/{person_id}/common"): (denied(A_PERSON + "/common", a=200),),
    ("GET", "/people/{person_id}/{mode}"): (
        denied(A_PERSON + "/profile", a=200),
        denied(A_PERSON + "/edit", a=200),
    ),
    ("POST", "/people/{person_id}/favours"): (
        denied(A_PERSON + "/favours", {"direction": "given", "kind": "advice", "text": "x"}),
    ),
    ("POST", "/people/{person_id}/favours/thanks"): (denied(A_PERSON + "/favours/thanks", {"text": "x"}),),
    ("POST", "/people/{person_id}/followups"): (
        denied(A_PERSON + "/followups", {"text": "x", "due": "tomorrow"}),
    ),
    ("POST", "/people/{person_id}/followups/{followup_id}/done"): (
        denied(A_PERSON + "/followups/{a.followup}/done"),
        denied("/people/{b.person}/followups/{a.followup}/done"),
    ),
    ("POST", "/people/{person_id}/milestones"): (
        denied(A_PERSON + "/milestones", {"kind": "promotion", "on": "today", "text": "x"}),
    ),
    ("GET", "/settings"): (page("/settings", shows=None),),
    ("POST", "/settings"): (probe("/settings", {"agenda.daily_cap": "4", "me.name": "Ben B"}, status=OK),),
    ("POST", "/settings/calendar/new"): (probe("/settings/calendar/new", {}, status=OK),),
    ("POST", "/settings/calendar/off"): (probe("/settings/calendar/off", {}, status=OK),),
    ("GET", "/sync"): (page("/sync", shows="blinova-feed"),),
    ("POST", "/sync/imap"): (
        probe(
            "/sync/imap",
            {"name": "mail", "host": "imap.example.net", "user": "ben", "password": "pw-b1"},
            status=OK,
        ),
    ),
    ("POST", "/sync/caldav"): (
        probe("/sync/caldav", {"name": "work", "url": "https://dav.example.net/"}, status=OK),
    ),
    ("POST", "/sync/ics"): (
        probe("/sync/ics", {"name": "feed2", "url": "https://example.net/b.ics"}, status=OK),
    ),
    ("POST", "/sync/carddav"): (
        # No server there: connecting fails in words, and nothing of anyone's is written.
        probe(
            "/sync/carddav",
            {"name": "book", "url": "http://127.0.0.1:9/", "user": "b", "password": "pw"},
            status=frozenset({422, 502, 503, 504}),
        ),
    ),
    ("POST", "/sync/conflicts/{conflict_id}"): (denied("/sync/conflicts/{a.conflict}", {"keep": "server"}),),
    ("POST", "/sync/remove"): (denied("/sync/remove", {"name": "{a.connection}"}),),
    ("POST", "/sync/run"): (
        denied("/sync/run", {"name": "{a.connection}"}),
        # B's own connection of the same name as one of A's: B's sync must run B's, never A's.
        probe("/sync/run", {"name": SHARED_NAME}, status=OK),
    ),
    ("GET", "/sync/jobs/{job_id}"): (denied("/sync/jobs/{a.sync_job}", a=200),),
    # The calendar feed: public (a calendar app cannot sign in), found by the secret in its address.
    ("GET", "/calendar/{token}.ics"): (
        page("/calendar/{b.calendar}.ics", shows="Blinova follow-up"),
        probe("/calendar/not-a-token.ics", status=frozenset({404})),
        probe("/calendar/{a.calendar}.ics", status=OK, shows="Zorblax", public_a=True),
    ),
    # Teams (issue 19): A's team is A's alone; B's own team has no one of A's in it. An invitation is
    # its secret token (`test_a_teammate_sees_only_what_is_shared` joins by one).
    ("GET", "/teams"): (page("/teams"),),
    ("POST", "/teams"): (probe("/teams", {"name": "B's second team"}, status=frozenset({303})),),
    ("GET", "/teams/join/{token}"): (probe("/teams/join/tli_not-a-token", status=frozenset({404})),),
    ("POST", "/teams/join/{token}"): (probe("/teams/join/tli_not-a-token", {}, status=frozenset({404})),),
    ("GET", "/teams/{team_id}"): (denied("/teams/{a.team}", a=200), page("/teams/{b.team}")),
    ("GET", "/teams/{team_id}/who"): (
        denied("/teams/{a.team}/who?organisation=Zorblax Dynamics", a=200),
        denied("/teams/{b.team}/who?person=%23{a.person}"),
        page("/teams/{b.team}/who?organisation=Zorblax Dynamics"),
    ),
    ("POST", "/teams/{team_id}/invite"): (denied("/teams/{a.team}/invite"),),
    ("POST", "/teams/{team_id}/share"): (
        denied("/teams/{a.team}/share", {"kind": "all"}),
        denied("/teams/{b.team}/share", {"kind": "person", "value": "#{a.person}"}),
    ),
    ("POST", "/teams/{team_id}/unshare"): (
        denied("/teams/{a.team}/unshare", {"kind": "all"}),
        denied("/teams/{a.team}/unshare"),
    ),
    ("POST", "/teams/{team_id}/remove"): (
        denied("/teams/{a.team}/remove", {"username": A_USER}),
        denied("/teams/{b.team}/remove", {"username": A_USER}),
    ),
    ("POST", "/teams/{team_id}/leave"): (denied("/teams/{a.team}/leave"),),
    ("POST", "/teams/{team_id}/ask"): (
        denied("/teams/{a.team}/ask", {"share_id": "{a.share}", "why": "Blinova asks"}),
        denied("/teams/{b.team}/ask", {"share_id": "{a.share}", "why": "Blinova asks"}),
    ),
    **{
        ("POST", f"/teams/requests/{{request_id}}/{action}"): (
            denied(f"/teams/requests/{{a.request}}/{action}", {}),
            denied(f"/teams/requests/{{a.held}}/{action}", {}),
        )
        for action in ("withdraw", "accept", "decline")
    },
    # The JSON API (each probe sent twice: B's session cookie, then B's token).
    ("GET", f"{API}/agenda"): (page(f"{API}/agenda"), page(f"{API}/agenda?date={DAY}")),
    ("POST", f"{API}/agenda/items/{{key}}/done"): (
        denied(API + "/agenda/items/{a.key}/done", {"kind": "call"}),
    ),
    ("POST", f"{API}/agenda/items/{{key}}/snooze"): (
        denied(API + "/agenda/items/{a.key}/snooze", {"days": 3}),
    ),
    ("POST", f"{API}/agenda/items/{{key}}/dismiss"): (denied(API + "/agenda/items/{a.key}/dismiss", {}),),
    ("GET", f"{API}/docs"): (page(f"{API}/docs", shows=None),),
    ("GET", f"{API}/export/calendar"): (
        page(f"{API}/export/calendar?drafts=true", shows="Blinova follow-up"),
    ),
    ("GET", f"{API}/export/csv"): (page(f"{API}/export/csv"),),
    ("GET", f"{API}/export/json"): (page(f"{API}/export/json?with_interactions=true"),),
    ("GET", f"{API}/export/vcard"): (page(f"{API}/export/vcard"),),
    ("GET", f"{API}/favours"): (
        page(f"{API}/favours"),
        probe(API + "/favours?person={a.person}", status=frozenset({200, 404})),
    ),
    ("POST", f"{API}/favours"): (
        denied(
            f"{API}/favours", lambda a, b: {"person_id": a.person, "direction": "given", "kind": "advice"}
        ),
    ),
    ("GET", f"{API}/favours/ledger"): (page(f"{API}/favours/ledger"),),
    ("GET", f"{API}/favours/{{favour_id}}"): (denied(API + "/favours/{a.favour}", a=200),),
    ("DELETE", f"{API}/favours/{{favour_id}}"): (denied(API + "/favours/{a.favour}"),),
    ("GET", f"{API}/follow-ups"): (
        page(f"{API}/follow-ups"),
        probe(API + "/follow-ups?status=all&person={a.person}", status=frozenset({200, 404})),
    ),
    ("POST", f"{API}/follow-ups"): (
        denied(f"{API}/follow-ups", lambda a, b: {"person_id": a.person, "text": "x", "due": "tomorrow"}),
    ),
    ("GET", f"{API}/follow-ups/{{followup_id}}"): (denied(API + "/follow-ups/{a.followup}", a=200),),
    ("POST", f"{API}/follow-ups/{{followup_id}}/done"): (denied(API + "/follow-ups/{a.followup}/done", {}),),
    ("POST", f"{API}/follow-ups/{{followup_id}}/dismiss"): (
        denied(API + "/follow-ups/{a.followup}/dismiss", {}),
    ),
    ("GET", f"{API}/imports"): (page(f"{API}/imports", shows="blinova-cards"),),
    ("POST", f"{API}/imports"): (probe(f"{API}/imports", VCARD_OF_A, status=OK),),
    ("POST", f"{API}/imports/{{run_id}}/undo"): (denied(API + "/imports/{a.run}/undo", {}),),
    ("POST", f"{API}/interactions"): (
        denied(f"{API}/interactions", lambda a, b: {"kind": "coffee", "people": [a.person]}),
        denied(f"{API}/interactions", lambda a, b: {"kind": "call", "people": [b.person, a.person2]}),
    ),
    ("GET", f"{API}/organisations"): (page(f"{API}/organisations"),),
    ("POST", f"{API}/organisations"): (
        probe(f"{API}/organisations", {"name": "Zorblax Dynamics Group"}, status=frozenset({201, 422})),
    ),  # A's organisation's very name: B gets one of its own (then, over the token, "B has one already")
    ("GET", f"{API}/people"): (
        page(f"{API}/people"),
        probe(API + "/people?org={a.organisation}", status=frozenset({200, 404})),
        page(f"{API}/people?tag=vexillo-club", shows=None),
    ),
    ("POST", f"{API}/people"): (
        probe(
            f"{API}/people",
            {"name": "Zorblax Quimby", "emails": ["zorblax.quimby@example.org"]},
            status=frozenset({201}),
        ),
    ),
    ("GET", f"{API}/people/{{person_id}}"): (denied(A_PERSON_API, a=200),),
    ("PATCH", f"{API}/people/{{person_id}}"): (denied(A_PERSON_API, {"title": "x"}),),
    ("DELETE", f"{API}/people/{{person_id}}"): (denied(A_PERSON_API), denied(API + "/people/{a.person2}")),
    ("GET", f"{API}/people/{{person_id}}/brief"): (denied(A_PERSON_API + "/brief", a=200),),
    ("GET", f"{API}/people/{{person_id}}/favours/balance"): (
        denied(A_PERSON_API + "/favours/balance", a=200),
    ),
    ("POST", f"{API}/people/{{person_id}}/favours/thank"): (denied(A_PERSON_API + "/favours/thank", {}),),
    ("GET", f"{API}/people/{{person_id}}/interactions"): (denied(A_PERSON_API + "/interactions", a=200),),
    ("GET", f"{API}/teams"): (page(f"{API}/teams"),),
    ("GET", f"{API}/teams/{{team_id}}/who"): (
        denied(API + "/teams/{a.team}/who?organisation=Zorblax Dynamics", a=200),
        denied(API + "/teams/{b.team}/who?person_id={a.person}"),
        page(API + "/teams/{b.team}/who?organisation=Zorblax Dynamics", shows=None),
    ),
    **{
        ("GET", f"{API}/teams/{{team_id}}/{what}"): (
            denied(API + f"/teams/{{a.team}}/{what}", a=200),
            page(API + f"/teams/{{b.team}}/{what}", shows=None),
        )
        for what in ("requests", "requests/waiting", "audit")
    },
    ("POST", f"{API}/teams/{{team_id}}/requests"): (
        denied(API + "/teams/{a.team}/requests", lambda a, b: {"share_id": a.share, "why": "Blinova asks"}),
        denied(API + "/teams/{b.team}/requests", lambda a, b: {"share_id": a.share, "why": "Blinova asks"}),
    ),
    **{
        ("POST", f"{API}/teams/requests/{{request_id}}/{action}"): (
            denied(API + f"/teams/requests/{{a.request}}/{action}", {}),
            denied(API + f"/teams/requests/{{a.held}}/{action}", {}),
        )
        for action in ("withdraw", "accept", "decline")
    },
    ("GET", f"{API}/search"): tuple(
        page(f"{API}/search?q={word}", shows=None) for word in ("Zorblax", "Quimby", "Krennic", "vexillo")
    ),
    ("GET", f"{API}/search/all"): tuple(
        page(f"{API}/search/all?q={word}", shows=None) for word in ("Zorblax", "Mardrake", "Quasitron")
    ),
}

# Routes checked by a function of their own, for what a table row cannot say.
SPECIAL = {("POST", "/logout")}
# Writes that give B things named as A's are (A's name, A's address): run after every other route, so
# that B's pages, which then rightly show them, are read before.
LAST = {
    ("POST", f"{API}/people"),
    ("POST", f"{API}/imports"),
    ("POST", "/import"),
    ("POST", f"{API}/organisations"),
}
# A's cached agenda is marked stale by writes whose owner the app cannot tell (db.stamp_written_agendas):
# it is recomputed from A's own rows, shows B nothing, and is left out of the comparison.
DERIVED = {"agenda_cache"}


def route_keys() -> set[tuple[str, str]]:
    """(method, path template) of every route of the router (HEAD is GET's)."""
    return {(method, route.path) for route in app_routes() for method in route.methods - {"HEAD"}}


def test_every_route_has_an_isolation_case() -> None:
    routes = route_keys()
    assert len(routes) > 100, f"the router enumeration found only {sorted(routes)}"
    missing = sorted(routes - set(CASES) - SPECIAL)
    assert not missing, f"routes with no isolation case in CASES: {missing}"
    gone = sorted((set(CASES) | SPECIAL) - routes)
    assert not gone, f"cases for routes the app does not have: {gone}"
    assert not set(CASES) & SPECIAL
    assert len(routes) == len(app_routes()), "a route with two methods: count each (method, path) once"


# --- the world --------------------------------------------------------------------------------------


def sign_in(client: WebClient, username: str, password: str) -> None:
    assert client.get("/login").status_code == 200
    answer = client.post(
        "/login",
        data={"username": username, "password": password, "next": "/"},
        headers={"X-CSRF-Token": client.cookies["tieline_csrf"]},
    )
    assert answer.status_code == 303, answer.text


def settle(app: Any, timeout: float = 30) -> None:
    """Wait for the imports and syncs the app runs in threads of their own to end, so what they
    write is written before A's rows are compared."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = [j for j in app.state.import_jobs._jobs.values() if not j.done]
        running += [j for j in app.state.sync_runner._jobs.values() if not j.done]
        if not running:
            return
        time.sleep(0.05)
    raise AssertionError("an import or sync started by the app did not finish")


def started_job(response: httpx.Response, prefix: str) -> str:
    found = re.search(rf'hx-get="/{prefix}/jobs/([^"]+)"', response.text)
    assert found, f"no job in: {response.status_code} {response.text[:300]}"
    return found.group(1)


@pytest.fixture(scope="module")
def world(
    migrated: MigratedDatabase, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """A's and B's data on the backend's emptied database, the app on it, A and B signed in."""
    empty_tables(migrated)
    database = migrated.database
    folder = tmp_path_factory.mktemp("isolation")
    settings = Settings(data_dir=folder / "data", database_url=database_url)
    a = build_a(database, settings.data_dir, folder)
    b = build_b(database, settings.data_dir, folder)
    table = {
        "person2": "person",
        "twin": "person",
        "pair": "person",
        "pair2": "person",
        "department": "organisation",
    }
    for kind, b_id in b.ids.items():  # no id of B's is an id of A's in the same table
        of_a = [v for k, v in a.ids.items() if table.get(k, k) == table.get(kind, kind)]
        assert of_a and b_id not in of_a, f"B's {kind} {b_id}, A's: {of_a}"
    with database.transaction(writes=True) as s:
        _, b_secret = tokens.create(s, owner_id=b.owner_id, name="b's script", scope="write", now=FIXED_NOW)
    # The module keeps one server past the agenda warmer's first pass: off, so its writes to
    # agenda_cache never meet the cases' own.
    app = create_app(settings, database=database, now=lambda: FIXED_NOW, agenda_warm_seconds=None)
    made: list[WebClient] = []

    def new_client(**headers: str) -> WebClient:
        c = WebClient(app, base_url="http://127.0.0.1", follow_redirects=False, headers=headers)
        c.__enter__()
        made.append(c)
        return c

    try:
        as_a, as_b = new_client(), new_client()
        sign_in(as_a, A_USER, A_PASSWORD)
        sign_in(as_b, B_USER, B_PASSWORD)
        b_token = new_client(Authorization=f"Bearer {b_secret}")
        jobs: dict[str, str] = {}
        # A's own import and sync from the pages, run in threads: their progress pages are A's.
        upload = as_a.post(
            "/import", files={"file": ("zorblax-more.vcf", A_CARDS.encode(), "text/vcard")},
            headers={"X-CSRF-Token": as_a.csrf(), "HX-Request": "true"},
        )  # fmt: skip
        jobs["import_job"] = started_job(upload, "import")
        jobs["sync_job"] = started_job(as_a.form("/sync/run", {"name": SHARED_NAME}), "sync")
        settle(app)
        yield World(database, app, a, b, as_a, as_b, b_token, new_client, jobs)
        settle(app)
    finally:
        for c in made:
            c.__exit__(None, None, None)


# --- what B may and may not see ---------------------------------------------------------------------


def a_rows(world: World) -> dict[str, list[tuple[str, ...]]]:
    """Every row of A's: of each table with an owner, A's; A's runs' change log; A's owner row."""
    a = world.a.owner_id
    out: dict[str, list[tuple[str, ...]]] = {}
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    with world.database.engine.connect() as conn:
        runs = sa.select(tables["import_run"].c.id).where(tables["import_run"].c.owner_id == a)
        for table in tables.values():
            if table.name in DERIVED:
                continue
            if "owner_id" in table.c:
                query = table.select().where(table.c.owner_id == a)
            elif table.name == "import_change":
                query = table.select().where(table.c.run_id.in_(runs))
            elif table.name == "owner":
                query = table.select().where(table.c.id == a)
            else:
                continue  # job claims, sign-in failures: no one's data
            out[table.name] = sorted(tuple(repr(v) for v in row) for row in conn.execute(query))
    return out


def changed(before: dict[str, list[tuple[str, ...]]], after: dict[str, list[tuple[str, ...]]]) -> list[str]:
    out = []
    for name in before:
        if before[name] != after[name]:
            gone = sorted(set(before[name]) - set(after[name]))
            new = sorted(set(after[name]) - set(before[name]))
            out.append(
                f"{name}: {len(gone)} rows changed or gone {gone[:2]}, {len(new)} new or changed {new[:2]}"
            )
    return out


def a_strings(world: World) -> list[str]:
    """What of A's must never reach B: A's words, and A's secrets."""
    return [*A_WORDS, world.a.text["calendar"], world.a.text["token_secret"]]


def fill(value: Any, a: Ids, b: Ids) -> Any:
    if isinstance(value, str):
        return value.format(a=a, b=b)
    if isinstance(value, list):
        return [fill(v, a, b) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, a, b) for k, v in value.items()}
    return value


def send(client: WebClient, method: str, url: str, body: Body, *, api_token: bool = False) -> httpx.Response:
    """A request as the app's clients send it: JSON to the API, forms (HTMX) and uploads from pages;
    a script with a token sends no cookie and no CSRF token."""
    if method == "GET":
        return client.get(url)
    headers = {} if api_token else {"X-CSRF-Token": client.csrf(), "HX-Request": "true"}
    if isinstance(body, Upload):
        files = {"file": (body.name, body.content.encode(), "application/octet-stream")}
        return client.request(method, url, files=files, headers=headers)
    if url.startswith("/api/"):
        return client.request(method, url, json=body, headers=headers)
    return client.request(method, url, data=body, headers=headers)


def check(world: World, method: str, p: Probe, client: WebClient, *, api_token: bool = False) -> list[str]:
    """What is wrong with B's answer to one probe (nothing: an empty list)."""
    a, b = Ids(world.a, world.jobs), Ids(world.b, {})
    url = fill(p.url, a, b)
    body = p.body(a, b) if callable(p.body) else fill(p.body, a, b)
    response = send(client, method, url, body, api_token=api_token)
    how = "token" if api_token else "session"
    where = f"{method} {url} ({how})"
    problems = []
    if response.status_code not in p.status:
        problems.append(
            f"{where}: {response.status_code}, wanted {sorted(p.status)}: {response.text[:200]!r}"
        )
    shown = response.text + " " + " ".join(f"{k}: {v}" for k, v in response.headers.items())
    if p.public_a:
        if p.shows and p.shows not in shown:
            problems.append(f"{where}: A's feed at A's secret address does not show {p.shows!r}")
        return problems
    asked = (url + " " + repr(body)).casefold()
    for word in a_strings(world):
        if word.casefold() not in asked and word.casefold() in shown.casefold():
            at = shown.casefold().index(word.casefold())
            problems.append(f"{where}: LEAK of A's {word!r}: ...{shown[max(0, at - 80) : at + 80]!r}...")
    if p.shows and response.status_code == 200 and p.shows not in shown:
        problems.append(f"{where}: B's own {p.shows!r} is not shown: {response.text[:200]!r}")
    return problems


def logout_case(world: World) -> list[str]:
    """B signing out ends B's session there, and no one else's (A's, or B's other browser)."""
    other = world.new_client()
    sign_in(other, B_USER, B_PASSWORD)
    before = a_rows(world)
    out = other.post("/logout", headers={"X-CSRF-Token": other.csrf()})
    problems = []
    if out.status_code != 303:
        problems.append(f"POST /logout: {out.status_code}")
    if other.get("/people").status_code != 303:
        problems.append("POST /logout: the session signed out still opens pages")
    for who, client in (("A", world.as_a), ("B's other browser", world.as_b)):
        if client.get("/people").status_code != 200:
            problems.append(f"POST /logout by B signed {who} out")
    problems += [f"POST /logout changed A's rows: {c}" for c in changed(before, a_rows(world))]
    return problems


def run_route(world: World, key: tuple[str, str]) -> list[str]:
    """B's probes of one route (twice for the API: session and token); a write must leave A's rows
    as they were."""
    method, path = key
    if key == ("POST", "/logout"):
        return logout_case(world)
    before = a_rows(world) if method != "GET" else None
    problems = []
    for p in CASES[key]:
        problems += check(world, method, p, world.as_b)
        if path.startswith("/api/"):
            problems += check(world, method, p, world.b_token, api_token=True)
    if before is not None:
        settle(world.app)
        problems += [f"{method} {path} changed A's rows: {c}" for c in changed(before, a_rows(world))]
    return problems


def test_b_reaches_nothing_of_a_on_any_route(world: World, record_property: Any) -> None:
    routes = route_keys()
    # A opens each URL B will be refused: they name real things of A's.
    a, b = Ids(world.a, world.jobs), Ids(world.b, {})
    wrong = []
    for (method, _), probes in CASES.items():
        for p in probes:
            if p.a_status is not None:
                url = fill(p.url, a, b)
                status = world.as_a.request(method, url).status_code
                if status != p.a_status:
                    wrong.append(f"A's own {method} {url}: {status}, wanted {p.a_status}")
    assert not wrong, "\n".join(wrong)
    start = a_rows(world)
    # Reads first, then writes (a write of B's, such as a new feed address, must not spoil a read).
    order = sorted(routes, key=lambda k: (k[0] != "GET", k in LAST, k[1], k[0]))
    covered: list[tuple[str, str]] = []
    problems: list[str] = []
    for key in order:
        if key not in CASES and key not in SPECIAL:
            problems.append(f"{key[0]} {key[1]}: no case")
            continue
        problems += run_route(world, key)
        covered.append(key)
    problems += [f"A's rows changed over the run: {c}" for c in changed(start, a_rows(world))]
    record_property("routes_covered", len(covered))
    record_property("routes_in_router", len(app_routes()))
    print(f"isolation: {len(covered)} routes covered of {len(app_routes())} in the router")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert len(covered) == len(routes) == len(app_routes())


def test_the_report_is_the_clis_alone_and_not_served(world: World) -> None:
    """`tieline report` (the HTML report of a network) runs on the owner's machine only: no route of
    the app serves it, and the web app never loads the report package."""
    assert not [r.path for r in app_routes() if "report" in r.path]
    for url in ("/report", "/reports", f"{API}/report", f"{API}/reports"):
        assert world.as_b.get(url).status_code == 404
    code = "import sys, tieline.web.app; print(any(m.startswith('tieline.reports') for m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"


# --- a teammate's view (issue 19) -------------------------------------------------------------------

TEAM_BASE = "/teams"
# Of A's people shared with the team: the fields a teammate may see (docs/teams.md), and what of A's
# they never may: the person's address, phone, notes, needs and tag, A's other people, A's own team.
SHARED_FIELDS = ("Zorblax Quimby", "Zorblax Dynamics", "Vexillo officer", A_USER)
NEVER_SHARED = (
    "zorblax.quimby@example.org",
    "+1 555 0199 321",
    "Mardrake",
    "Quasitron",
    "vexillo-club",
    "Ulvmira",
    "Krennic",
    "Pellucid",
    "Ximena",
    "Cabal",
)


def team_routes() -> set[tuple[str, str]]:
    return {key for key in route_keys() if TEAM_BASE in key[1]}


class Teammate:
    """B's requests on the team routes, each kept with the route it went to, for the checks."""

    def __init__(self, world: World, team_id: int) -> None:
        self.world, self.team = world, team_id
        self.used: set[tuple[str, str]] = set()
        self.seen: list[tuple[str, str]] = []  # (what was asked, the answer's text and headers)

    def send(self, method: str, template: str, url: str, body: dict[str, Any] | None = None,
             *, status: int = 200, token: bool = False) -> httpx.Response:  # fmt: skip
        client = self.world.b_token if token else self.world.as_b
        response = send(client, method, url, body, api_token=token)
        assert response.status_code == status, (method, url, response.status_code, response.text[:300])
        self.used.add((method, template))
        shown = response.text + " " + " ".join(f"{k}: {v}" for k, v in response.headers.items())
        self.seen.append((f"{method} {url}", shown))
        return response

    def knowers(self, **asked: Any) -> list[dict[str, Any]]:
        """The API's answer to who, over B's session and B's token (the same both ways)."""
        template = API + "/teams/{team_id}/who"
        answers = [
            self.send(
                "GET", template, str(httpx.URL(API + f"/teams/{self.team}/who", params=asked)), token=t
            ).json()
            for t in (False, True)
        ]
        assert answers[0] == answers[1]
        return answers[0]  # type: ignore[no-any-return]

    def look(self) -> None:
        """Every page and answer of the team B can read: the list, the team, who (both ways), the API."""
        t = self.team
        self.send("GET", "/teams", "/teams")
        self.send("GET", "/teams/{team_id}", f"/teams/{t}")
        for asked in ("organisation=Zorblax+Dynamics", "organisation=zorblax+dynamics+inc", "person=Bertha"):
            self.send("GET", "/teams/{team_id}/who", f"/teams/{t}/who?{asked}")
            self.world.as_b.headers["HX-Request"] = "true"  # the HTMX partial too
            try:
                self.send("GET", "/teams/{team_id}/who", f"/teams/{t}/who?{asked}")
            finally:
                del self.world.as_b.headers["HX-Request"]
        for client_token in (False, True):
            self.send("GET", API + "/teams", API + "/teams", token=client_token)
            for what in ("requests", "requests/waiting", "audit"):
                self.send(
                    "GET", API + "/teams/{team_id}/" + what, API + f"/teams/{t}/{what}", token=client_token
                )

    def api(self, method: str, path: str, url: str, body: dict[str, Any] | None = None, **kw: Any) -> Any:
        """B's API call (template and URL under /api/v1), its JSON answer."""
        return self.send(method, API + path, API + url, body, **kw).json()

    def leaks(self, words: tuple[str, ...]) -> list[str]:
        """Each word of A's an answer shows (but where B's own request carried it: a page may say
        what was asked)."""
        return [
            f"{asked}: LEAK of A's {word!r}"
            for asked, shown in self.seen
            for word in words
            if word.casefold() in shown.casefold() and word.casefold() not in unquote_plus(asked).casefold()
        ]


def without_audit(asked: str, shown: str, team_id: int) -> str:
    """An answer to B with A's username taken out of B's audit (the API's, or the page's section)
    only: the rest of the audit is still checked for A's words."""
    if asked == f"GET {API}/teams/{team_id}/audit":
        return shown.replace(A_USER, "")
    return re.sub(
        r'<section id="team-audit".*?</section>', lambda m: m.group(0).replace(A_USER, ""), shown, flags=re.S
    )


def shared_rows(world: World, team_id: int) -> list[dict[str, Any]]:
    """A's entries for the team as stored: what B is to be told, with A's username."""
    table = Base.metadata.tables["team_share"]
    with world.database.engine.connect() as conn:
        rows = conn.execute(
            sa.select(
                table.c.band,
                table.c.since_year,
                table.c.name,
                table.c.title,
                table.c.organisation,
                table.c.id.label("share_id"),
            )
            .where(table.c.team_id == team_id, table.c.owner_id == world.a.owner_id)
            .order_by(table.c.name)
        ).mappings()
        return [{"username": A_USER, **row} for row in rows]


def test_a_teammate_sees_only_what_is_shared_and_nothing_once_it_is_not(world: World) -> None:
    """A and B in a team, A sharing one person: through every team route B sees exactly that
    person's shared fields (name, organisation, title, band, year, A's username) and nothing else of
    A's; after A un-shares, no person of A's; after A leaves, nothing of A's at all."""
    a, as_a = world.a, world.as_a
    made = as_a.form("/teams", {"name": "Tandem"})
    assert made.status_code == 303, made.text
    team = int(made.headers["location"].rsplit("/", 1)[1])
    invited = as_a.form(f"/teams/{team}/invite", {})
    token = re.search(r'/teams/join/(tli_[^"<]+)"', invited.text)
    assert token, invited.text
    b = Teammate(world, team)
    joining = b.send("GET", "/teams/join/{token}", f"/teams/join/{token.group(1)}")
    assert "Join team Tandem" in joining.text
    b.send("POST", "/teams/join/{token}", f"/teams/join/{token.group(1)}", {}, status=303)
    # B's own person whom A knows too, by the same address (B's Bertha; A's "Bertha B." has notes).
    added = as_a.post(
        API + "/people",
        json={"name": "Bertha B.", "company": "Quillon Partners", "title": "Quillon adviser",
              "emails": ["bertha@example.net"], "phones": ["+1 555 0142 999"], "notes": "Zorblax Mardrake"},
        headers={"X-CSRF-Token": as_a.csrf()},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    for person_id in (a.ids["person"], added.json()["id"]):
        shared = as_a.form(f"/teams/{team}/share", {"kind": "person", "value": f"#{person_id}"})
        assert shared.status_code == 200, shared.text

    # Shared: exactly the stored entries, with their fields and nothing more.
    expected = shared_rows(world, team)
    assert [(r["name"], r["organisation"], r["title"]) for r in expected] == [
        ("Bertha B.", "Quillon Partners", "Quillon adviser"),
        ("Zorblax Quimby", "Zorblax Dynamics", "Vexillo officer"),
    ]
    assert b.knowers(organisation="Zorblax Dynamics") == expected[1:]
    assert b.knowers(person_id=b.world.b.ids["person"]) == expected[:1]
    b.look()
    pages = "\n".join(shown for asked, shown in b.seen if "/who?organisation=Zorblax" in asked)
    for word in (*SHARED_FIELDS, *(str(r["since_year"]) for r in expected), expected[1]["band"]):
        assert word in pages, f"B is not shown the shared {word!r}"
    assert "Quillon adviser" in "\n".join(shown for asked, shown in b.seen if "person=Bertha" in asked)
    # B asks A for an introduction to the shared Zorblax Quimby, by the page and by the API, and
    # withdraws (each way); one request stays open.
    zorb = expected[1]["share_id"]
    ask, requests = "/teams/{team_id}/ask", "/teams/{team_id}/requests"
    b.send("POST", ask, f"/teams/{team}/ask", {"share_id": str(zorb), "why": "Blinova would like a word"})
    (first,) = b.api("GET", requests, f"/teams/{team}/requests")
    assert (first["holder"], first["person"], first["state"]) == (A_USER, "Zorblax Quimby", "asked")
    b.api("POST", "/teams/requests/{request_id}/withdraw", f"/teams/requests/{first['id']}/withdraw", {})
    second = b.api(
        "POST",
        requests,
        f"/teams/{team}/requests",
        {"share_id": zorb, "why": "Blinova"},
        status=201,
        token=True,
    )
    b.send("POST", "/teams/requests/{request_id}/withdraw", f"/teams/requests/{second['id']}/withdraw", {})
    b.send("POST", ask, f"/teams/{team}/ask", {"share_id": str(zorb), "why": "Blinova, third time"})
    # B's own writes on the team show B's own sharing, and nothing of A's.
    b.send("POST", "/teams/{team_id}/share", f"/teams/{team}/share", {"kind": "tag", "value": "blinova-club"})
    # A asks B for an introduction to B's Bertha; B declines (page, then API) and accepts (each way).
    bertha = as_a.get(API + f"/teams/{team}/who", params={"organisation": "Blinova Labs"}).json()[0][
        "share_id"
    ]
    for i, (action, how) in enumerate(
        (("decline", "page"), ("decline", "api"), ("accept", "page"), ("accept", "api"))
    ):
        made = as_a.post(
            API + f"/teams/{team}/requests", json={"share_id": bertha, "why": f"A would like to meet her {i}"},
            headers={"X-CSRF-Token": as_a.csrf()},
        )  # fmt: skip
        assert made.status_code == 201, made.text
        (waiting,) = b.api("GET", requests + "/waiting", f"/teams/{team}/requests/waiting")
        assert (waiting["asker"], waiting["person"], waiting["id"]) == (
            A_USER,
            "Bertha Blinova",
            made.json()["id"],
        )
        path = "/teams/requests/{request_id}/" + action
        if how == "page":
            b.send("POST", path, f"/teams/requests/{waiting['id']}/{action}", {})
        else:
            b.api("POST", path, f"/teams/requests/{waiting['id']}/{action}", {}, token=True)
    audit = b.api("GET", "/teams/{team_id}/audit", f"/teams/{team}/audit")
    assert {(x["asker"], x["what"], x["query"]) for x in audit} == {
        (A_USER, "who_organisation", "Blinova Labs"), (A_USER, "intro_request", "Bertha Blinova")
    }  # fmt: skip
    b.send("POST", "/teams/{team_id}/unshare", f"/teams/{team}/unshare", {})
    b.send("POST", "/teams/{team_id}/invite", f"/teams/{team}/invite", {}, status=403)
    b.send("POST", "/teams/{team_id}/remove", f"/teams/{team}/remove", {"username": A_USER}, status=403)
    b.send("POST", "/teams", "/teams", {"name": "Blinova side team"}, status=303)
    problems = b.leaks((*NEVER_SHARED, "555 0142", "bertha@example.net"))

    # Un-shared: at once, no person of A's (A is still a member: the username shows, nothing else).
    assert as_a.form(f"/teams/{team}/unshare", {}).status_code == 200
    b.seen.clear()
    assert b.knowers(organisation="Zorblax Dynamics") == []
    assert b.knowers(person_id=b.world.b.ids["person"]) == []
    b.look()
    problems += b.leaks((*NEVER_SHARED, "Zorblax Quimby", "Zorblax Dynamics", "Quillon", "Vexillo"))
    # B's requests keep B's words and their states, and no longer name A's person.
    listed = b.api("GET", "/teams/{team_id}/requests", f"/teams/{team}/requests")
    assert [(r["person"], r["organisation"], r["state"], r["why"]) for r in listed] == [
        ("someone no longer shared", None, "asked", "Blinova, third time"),
        ("someone no longer shared", None, "withdrawn", "Blinova"),
        ("someone no longer shared", None, "withdrawn", "Blinova would like a word"),
    ]

    # Shared again, then A leaves: nothing of A's, not even A's name.
    assert as_a.form(f"/teams/{team}/share", {"kind": "all"}).status_code == 200
    assert b.knowers(organisation="Zorblax Dynamics") != []
    assert as_a.form(f"/teams/{team}/leave", {}).status_code == 303
    b.seen.clear()
    assert b.knowers(organisation="Zorblax Dynamics") == []
    b.look()
    # B's audit is B's own record of who asked about B's people: it names A still (docs/teams.md),
    # there and nowhere else.
    b.seen = [(asked, without_audit(asked, shown, team)) for asked, shown in b.seen]
    problems += b.leaks((*A_WORDS, "Quillon"))
    assert [r["holder"] for r in b.api("GET", "/teams/{team_id}/requests", f"/teams/{team}/requests")] == [
        "a former teammate"
    ] * 3
    assert shared_rows(world, team) == []
    b.send("POST", "/teams/{team_id}/leave", f"/teams/{team}/leave", {}, status=303)
    assert not problems, "\n".join(problems)
    assert b.used == team_routes(), f"team routes B did not go through: {sorted(team_routes() - b.used)}"
