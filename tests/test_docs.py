"""Docs that can drift are checked: the CLI reference is regenerated, and docs/json.md is the one
source of the JSON shapes: every documented shape is compared, key for key and in order, with what
`--json` and the REST API print and with its declaration in `tieline.serialise`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from tests.conftest import FIXED_NOW, Cli
from tieline.config import Settings
from tieline.connectors.base import FetchResult
from tieline.db import Database
from tieline.importers.records import InteractionRecord, Origin
from tieline.models import LOCAL_OWNER_ID, CardConflict, Connection
from tieline.serialise import (
    agenda,
    brief,
    events,
    favours,
    followups,
    growth,
    imports,
    interactions,
    network,
    organisations,
    people,
    search,
    sync,
    teams,
)
from tieline.services import tokens
from tieline.services.sync.run import store_result
from tieline.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]


def documented_keys() -> dict[str, list[str]]:
    """Heading -> the keys listed in its ```keys block, from docs/json.md."""
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    found = {}
    for heading, block in re.findall(r"^## (.+?)\n.*?```keys\n(.*?)```", text, re.S | re.M):
        found[heading] = [k.strip() for k in block.replace("\n", " ").split(",") if k.strip()]
    return found


def test_cli_reference_is_generated_from_the_current_help() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# Each documented shape: its declaration, and the shape it adds its keys to (None: a shape of its own).
DECLARED: dict[str, tuple[Any, str | None]] = {
    "person summary": (people.PersonSummaryOut, None),
    "search": (search.SearchOut, None),
    "said match": (search.SaidMatchOut, None),
    "person": (people.PersonOut, None),
    "person page": (people.PersonPageOut, "person"),
    "person with tie": (people.PersonTieOut, "person"),
    "strength": (people.StrengthOut, None),
    "interaction": (interactions.InteractionOut, None),
    "organisation": (organisations.OrganisationOut, None),
    "membership": (organisations.MembershipOut, None),
    "agenda": (agenda.AgendaItemOut, None),
    "event": (events.EventOut, None),
    "event summary": (events.EventSummaryOut, "event"),
    "event attendee": (events.EventAttendeeOut, None),
    "event person": (events.EventPersonOut, "event attendee"),
    "event page": (events.EventPageOut, "event"),
    "event return": (events.EventReturnOut, None),
    "insider": (organisations.InsiderOut, None),
    "opportunity": (growth.OpportunityOut, None),
    "opportunity source": (growth.OpportunitySourceOut, None),
    "resource": (growth.ResourceOut, None),
    "resource suggestion": (growth.ResourceSuggestionOut, None),
    "goal": (growth.GoalOut, None),
    "relation": (growth.RelationOut, None),
    "knows": (growth.KnowsOut, None),
    "introduction": (growth.IntroductionOut, None),
    "common ground": (network.CommonGroundOut, None),
    "brief": (brief.BriefOut, None),
    "brief person": (brief.BriefWhoOut, None),
    "brief tie": (brief.BriefTieOut, None),
    "brief note": (brief.BriefNoteOut, None),
    "brief topic": (brief.BriefTopicOut, None),
    "brief offer": (brief.BriefOfferOut, None),
    "brief promise": (brief.BriefPromiseOut, None),
    "brief milestone": (brief.BriefMilestoneOut, None),
    "brief common ground": (brief.BriefSharedOut, None),
    "brief opener": (brief.BriefOpenerOut, None),
    "intro suggestion": (network.IntroSuggestionOut, None),
    "person suggestion": (network.PersonSuggestionOut, None),
    "reconnect suggestion": (network.ReconnectOut, None),
    "ask suggestion": (network.AskSuggestionOut, None),
    "warm path": (network.WarmPathOut, None),
    "network stats": (network.NetworkStatsOut, None),
    "favour": (favours.FavourOut, None),
    "favour with its person": (favours.NamedFavourOut, "favour"),
    "favour balance": (favours.BalanceOut, None),
    "follow-up": (followups.FollowUpOut, None),
    "import run": (imports.ImportRunOut, None),
    "connection": (sync.ConnectionOut, None),
    "sync outcome": (sync.SyncOutcomeOut, None),
    "discovered": (sync.DiscoveredOut, None),
    "sync conflict": (sync.ConflictOut, None),
    "team": (teams.TeamOut, None),
    "team member": (teams.TeamMemberOut, None),
    "team knower": (teams.KnowerOut, None),
    "team request": (teams.RequestOut, None),
    "team audit line": (teams.AskedOut, None),
}


def _always_there(shape: Any) -> list[str]:
    """A declared shape's keys that are always present (not NotRequired), in declaration order."""
    return list(TypeAdapter(shape).json_schema().get("required", []))


def test_every_documented_shape_is_declared_once_in_serialise() -> None:
    docs = documented_keys()
    assert set(DECLARED) == set(docs), "docs/json.md and tests/test_docs.py DECLARED list different shapes"
    for heading, (shape, base) in DECLARED.items():
        keys = _always_there(shape)
        if base is not None:
            assert keys[: len(docs[base])] == docs[base], (
                f"{shape.__name__} does not start with the {base} keys"
            )
            keys = keys[len(docs[base]) :]
        assert keys == docs[heading], f"docs/json.md '{heading}' != serialise's {shape.__name__}"


class Printed:
    """The key lists seen per documented shape, from the CLI and the API."""

    def __init__(self, docs: dict[str, list[str]]) -> None:
        self.docs = docs
        self.seen: dict[str, list[tuple[str, list[str]]]] = {}

    def shape(self, heading: str, where: str, doc: dict[str, Any], *, also: tuple[str, ...] = ()) -> None:
        """`doc` has the keys of `heading`, besides the extra keys documented for where it was printed."""
        assert isinstance(doc, dict), f"{where}: no {heading} printed: {doc!r}"
        self.seen.setdefault(heading, []).append((where, [k for k in doc if k not in also]))

    def extended(self, heading: str, base: str, where: str, doc: dict[str, Any], **kw: Any) -> None:
        """`doc` has the `base` shape's keys, then those of `heading`."""
        keys = list(doc)
        width = len(self.docs[base])
        self.seen.setdefault(base, []).append((where, keys[:width]))
        self.shape(heading, where, dict.fromkeys(keys[width:]), **kw)


@pytest.fixture
def api(db: Database, database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The REST API on the CLI's database, on the same fixed clock."""
    app = create_app(
        Settings(data_dir=tmp_path / "data", database_url=database_url), database=db, now=lambda: FIXED_NOW
    )
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


def _network(cli: Cli) -> dict[str, int]:
    """A small network on which every command has something to print."""
    ids = {}
    for name, extra in (
        ("Ana Lima", ["--company", "Acme", "--need", "fundraising", "--closeness", "5", "--tier", "1"]),
        ("Bo Chen", ["--company", "Acme", "--expertise", "fundraising", "--interest", "rust"]),
        ("Cy Diaz", ["--company", "Zeta", "--closeness", "2"]),
        ("Zed Ray", []),
    ):
        ids[name] = cli.json("add", name, *extra)["id"]
    cli.ok("log", "coffee", "Ana Lima", "--date", "10 days ago", "--note", "Fundraising for the seed round")
    cli.ok("log", "coffee", "Bo Chen", "--date", "3 days ago")
    for days in (800, 700, 600, 500):  # a strong tie gone dormant: worth reconnecting with
        cli.ok("log", "meeting", "Cy Diaz", "--date", f"{days} days ago")
    cli.ok("knows", "Bo Chen", "Zed Ray", "--strength", "0.9")
    cli.ok("knows", "Bo Chen", "Cy Diaz", "--strength", "0.9")
    return ids


def test_every_documented_shape_is_what_the_cli_and_the_api_print(
    cli: Cli, api: TestClient, db: Database
) -> None:
    docs = documented_keys()
    printed = Printed(docs)
    shape, extended = printed.shape, printed.extended
    ids = _network(cli)
    ana = ids["Ana Lima"]

    # People, interactions, organisations and the agenda.
    shape(
        "person",
        "add",
        cli.json("add", "Eve Fox", "--met-where", "Porto", "--link", "https://github.com/eve"),
    )
    shape("person", "edit", cli.json("edit", "Eve Fox", "--tag", "x"))
    shape("person summary", "list", cli.json("list")[0])
    found = cli.json("search", "fundraising")
    shape("search", "search", found)
    shape("person summary", "search", found["people"][0], also=("score",))
    shape("said match", "search", found["said"][0])
    shape("interaction", "log", cli.json("log", "call", "Ana Lima", "Eve Fox"), also=("with",))
    page = cli.json("show", "Ana Lima")
    extended("person page", "person", "show", page)
    shape("strength", "show", page["strength"])
    shape("interaction", "show: timeline", page["timeline"][0], also=("with",))
    shape("common ground", "show", page["common_ground"])
    shape("organisation", "org add", cli.json("org", "add", "Globex"))
    shape("membership", "member", cli.json("member", "Ana Lima", "Globex", "--role", "Advisor"))
    shape("organisation", "org list", cli.json("org", "list")[0], also=("members",))
    shape("membership", "org show", cli.json("org", "show", "Acme")["memberships"][0])
    shape("insider", "who", cli.json("who", "Acme")[0])
    shape("membership", "who", cli.json("who", "Acme")[0]["memberships"][0])
    today = cli.json("today")
    assert list(today) == ["date", "total", "items", "coming"]
    shape("agenda", "today", today["items"][0], also=("number",))

    # Events, opportunities, resources, goals, mentorship, knows and introductions.
    shape(
        "event", "event add", cli.json("event", "add", "PyCon", "--date", "2026-03-01", "--organiser", "PSF")
    )
    shape(
        "opportunity",
        "opportunity add",
        cli.json("opportunity", "add", "Talk", "--via", "Ana", "--event", "PyCon"),
    )
    met = cli.json("event", "met", "PyCon", "Ana Lima", "Dee Evans")
    shape("event attendee", "event met", met[0], also=("created", "already", "looks_like_id"))
    cli.ok("event", "attend", "PyCon", "Bo Chen")
    extended("event summary", "event", "event list", cli.json("event", "list")[0])
    event_page = cli.json("event", "show", "PyCon")
    extended("event page", "event", "event show", event_page)
    extended("event person", "event attendee", "event show", event_page["met_people"][0])
    shape("event return", "event show", event_page["return"])
    shape("opportunity", "event show", event_page["opportunities"][0])
    shape("opportunity", "opportunity list", cli.json("opportunity", "list")[0])
    shape("opportunity source", "opportunity sources", cli.json("opportunity", "sources")[0])
    shared = cli.json("share", "https://example.com/rust", "--topic", "rust", "--title", "Rust")
    shape("resource", "share", shared["resource"])
    shape("resource suggestion", "share", shared["suggestions"][0])
    cli.ok("share", "https://example.com/rust", "--to", "Bo Chen")
    shape("resource", "resources", cli.json("resources")[0], also=("shared_with",))
    shape("goal", "goal add", cli.json("goal", "add", "tier-on-cadence", "--target", "90"))
    shape("goal", "goals", cli.json("goals")[0])
    shape("relation", "mentor", cli.json("mentor", "Ana Lima", "--goals", "staff engineer"))
    shape("relation", "mentors", cli.json("mentors")[0])
    shape("knows", "knows A B", cli.json("knows", "Cy Diaz", "Zed Ray"))
    shape("knows", "knows A", cli.json("knows", "Bo Chen")[0])
    shape("introduction", "intro", cli.json("intro", "Ana Lima", "Cy Diaz", "--why", "fundraising"))
    shape("introduction", "intro list", cli.json("intro", "list")[0])

    # The analytics.
    shape("common ground", "common", cli.json("common", "Ana Lima", "Bo Chen"))
    shape("intro suggestion", "suggest intros", cli.json("suggest", "intros")[0])
    shape("person suggestion", "suggest people", cli.json("suggest", "people")[0])
    shape("reconnect suggestion", "suggest reconnect", cli.json("suggest", "reconnect")[0])
    shape("ask suggestion", "suggest ask", cli.json("suggest", "ask", "Zeta")[0])
    shape("warm path", "path", cli.json("path", "Cy Diaz"))
    shape("network stats", "stats", cli.json("stats"))

    # Favours, follow-ups and imports.
    cli.ok("received", "Ana Lima", "advice", "CV review")
    ledger = cli.json("favours", "Ana Lima")
    shape("favour balance", "favours PERSON", ledger, also=("favours", "thanks_owed"))
    shape("favour", "favours PERSON", ledger["favours"][0])
    shape("favour balance", "favours", cli.json("favours")["people"][0])
    shape("follow-up", "follow-up", cli.json("follow-up", "Ana Lima", "send the deck"))
    shape("follow-up", "follow-ups", cli.json("follow-ups")[0])
    # The meeting brief: by now Ana has notes, a need Bo's expertise meets, a follow-up and thanks owed.
    cli.ok("milestone", "Ana Lima", "new-job", "CFO at Acme", "--date", "5 days ago")
    briefed = cli.json("brief", "Ana Lima")
    shape("brief", "brief", briefed)
    shape("brief person", "brief", briefed["person"])
    shape("brief tie", "brief", briefed["tie"])
    for heading, key in (
        ("brief note", "notes"),
        ("brief topic", "cares"),
        ("brief offer", "offers"),
        ("brief promise", "promises"),
        ("brief milestone", "milestones"),
        ("brief common ground", "common_ground"),
        ("brief opener", "openers"),
    ):
        shape(heading, "brief", briefed[key][0])
    cli.ok("import", str(ROOT / "tests" / "data" / "vcard" / "v4.vcf"))
    shape("import run", "import runs", cli.json("import", "runs")[0])

    # Sync: a calendar feed on a port nothing listens on fails in words; a stranger is queued.
    cli.ok("connect", "ics", "cal", "--url", "http://127.0.0.1:9/cal.ics")
    shape("connection", "connections", cli.json("connections")[0])
    shape("sync outcome", "sync", json.loads(cli.run("sync", "--json").stdout)[0])
    stranger = InteractionRecord(
        "ics", "ev1", Origin("cal"), "meeting", FIXED_NOW, emails=["stranger@example.org"]
    )
    store_result(
        db, owner_id=LOCAL_OWNER_ID, name="cal", kind="ics", result=FetchResult([stranger]), now=FIXED_NOW
    )
    shape("discovered", "discovered", cli.json("discovered")[0])
    with db.transaction() as session:  # a conflict as an address book sync records one
        book = Connection(
            owner_id=LOCAL_OWNER_ID, kind="carddav", name="phone", settings={}, created_at=FIXED_NOW
        )
        session.add(book)
        session.flush()
        session.add(
            CardConflict(
                owner_id=LOCAL_OWNER_ID, connection_id=book.id, person_id=ana, field="org",
                tieline_value=[None, None, "CTO"], server_value=[None, None, "CEO"], found_at=FIXED_NOW,
            )
        )  # fmt: skip
    shape("sync conflict", "sync conflicts", cli.json("sync", "conflicts")[0])

    # The REST API: the same shapes.
    def get(path: str) -> Any:
        response = api.get(f"/api/v1{path}")
        assert response.status_code == 200, (path, response.text)
        return response.json()

    shape("person summary", "GET /people", get("/people")["items"][0])
    shape("person summary", "GET /search", get("/search?q=ana")[0], also=("score",))
    found = get("/search/all?q=fundraising")
    shape("search", "GET /search/all", found)
    shape("person summary", "GET /search/all", found["people"][0], also=("score",))
    shape("said match", "GET /search/all", found["said"][0])
    extended("person with tie", "person", "GET /people/{id}", get(f"/people/{ana}"))
    shape("strength", "GET /people/{id}", get(f"/people/{ana}")["strength"])
    shape(
        "interaction", "GET /people/{id}/interactions", get(f"/people/{ana}/interactions")[0], also=("with",)
    )
    shape("organisation", "GET /organisations", get("/organisations")[0], also=("members",))
    api_agenda = get("/agenda")
    assert list(api_agenda) == ["date", "total", "items", "coming"]
    shape("agenda", "GET /agenda", api_agenda["items"][0])
    extended("favour with its person", "favour", "GET /favours", get("/favours")["items"][0])
    shape(
        "favour balance",
        "GET /people/{id}/favours/balance",
        get(f"/people/{ana}/favours/balance"),
        also=("thanks_owed",),
    )
    shape("follow-up", "GET /follow-ups", get("/follow-ups")["items"][0])
    shape("import run", "GET /imports", get("/imports")[0])
    shape("brief", "GET /people/{id}/brief", get(f"/people/{ana}/brief"))

    # Teams, last: once there are accounts, the API asks for a token.
    for name in ("ana", "ben"):
        cli.ok("user", "add", name, "--password-stdin", input="a long enough password\n")
    cli.ok("team", "create", "Sales")
    cli.ok("team", "join", cli.ok("team", "invite", "Sales").stdout.strip(), "--user", "ben")
    cli.ok("team", "share", "Sales", "--all")
    listed = cli.json("team", "list", "--user", "ben")[0]
    shape("team", "team list", listed)
    shape("team member", "team list", listed["members"][0])
    knower = cli.json("team", "who", "Sales", "Acme", "--user", "ben")[0]
    shape("team knower", "team who", knower)
    cli.ok("team", "ask", "Sales", "--share", str(knower["share_id"]), "--why", "a pilot", "--user", "ben")
    shape("team request", "team requests", cli.json("team", "requests", "Sales", "--user", "ben")[0])
    shape("team audit line", "team audit", cli.json("team", "audit", "Sales")[0])
    with db.transaction(writes=True) as session:
        ben = session.execute(sa.text("SELECT owner_id FROM account WHERE username = 'ben'")).scalar_one()
        _, secret = tokens.create(session, owner_id=ben, name="docs", scope="read", now=FIXED_NOW)
    api.headers["Authorization"] = f"Bearer {secret}"
    api_team = get("/teams")[0]
    shape("team", "GET /teams", api_team)
    shape("team member", "GET /teams", api_team["members"][0])
    shape("team knower", "GET /teams/{id}/who", get(f"/teams/{api_team['id']}/who?organisation=Acme")[0])
    shape("team request", "GET /teams/{id}/requests", get(f"/teams/{api_team['id']}/requests")[0])

    unchecked = set(docs) - set(printed.seen)
    assert not unchecked, f"documented in docs/json.md but printed by nothing here: {sorted(unchecked)}"
    wrong = [
        f"{heading}, as `{where}` prints it:\n  printed    {keys}\n  documented {docs[heading]}"
        for heading, seen in printed.seen.items()
        for where, keys in seen
        if keys != docs[heading]
    ]
    assert not wrong, "docs/json.md differs from the output:\n" + "\n".join(wrong)
