"""`/mcp` in server mode: the MCP server over Streamable HTTP from the web app (served by uvicorn), behind
a personal access token, driven by the SDK's own streamable HTTP client. Two accounts, A (the local
owner, 1) and B, each with people of their own: a token sees only its owner's data, only a write token
is offered the writing tools, and a request without a good token is refused 401 before the SDK sees it.

`tests/server/test_isolation.py` enumerates the router's APIRoutes, which `/mcp` is not (a plain route
over an ASGI app): the isolation of `/mcp` is proven here instead (`test_b_never_reaches_a`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx
import httpx2
import mcp_types as types
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from starlette.routing import Route

from tests.conftest import FIXED_NOW, MigratedDatabase, empty_tables
from tests.mcp_server.test_read import READ_TOOLS, WRITE_TOOLS
from tests.web.conftest import app_routes, served
from tieline.config import Settings
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import accounts, team_shares, tokens
from tieline.services import people as people_service
from tieline.services import search as search_service
from tieline.services import teams as teams_service
from tieline.services.people import PersonChanges
from tieline.web.app import create_app
from tieline.web.csrf import COOKIE as CSRF_COOKIE

T = TypeVar("T")
A_PEOPLE = ("Ana Lima", "Anselm Quarry", "Astrid Vole")
B_PEOPLE = ("Bruno Ostrava", "Bettina Quarry")  # "Quarry": a word both have, each sees their own
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@dataclass(frozen=True)
class Side:
    owner_id: int
    people: dict[str, int]  # name -> person id
    read: str  # a read token's secret
    write: str  # a write token's secret


@dataclass(frozen=True)
class World:
    url: str  # the app's /mcp
    database: Database
    a: Side
    b: Side
    revoked: str  # one of A's write tokens, revoked


def _side(database: Database, username: str, names: tuple[str, ...]) -> Side:
    with database.transaction(writes=True) as session:
        account = accounts.add_user(
            session, username=username, password=f"{username} password 1", now=FIXED_NOW
        )
        owner = account.owner_id
        acme = PersonChanges(set={"company": "Acme"})
        people = {
            name: people_service.add_person(
                session, owner_id=owner, name=name, changes=acme, today=FIXED_NOW.date(), now=FIXED_NOW
            )
            for name in names
        }
        session.flush()
        _info, read = tokens.create(session, owner_id=owner, name="assistant", scope="read", now=FIXED_NOW)
        _info, write = tokens.create(session, owner_id=owner, name="agent", scope="write", now=FIXED_NOW)
        return Side(owner, {name: p.id for name, p in people.items()}, read, write)


@pytest.fixture(scope="module")
def world(
    migrated: MigratedDatabase, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Accounts A (owner 1) and B with people each and tokens, and the app served over them."""
    empty_tables(migrated)
    database = migrated.database
    a = _side(database, "alice", A_PEOPLE)
    b = _side(database, "bob", B_PEOPLE)
    assert a.owner_id == LOCAL_OWNER_ID and b.owner_id != a.owner_id  # the first account takes owner 1
    with database.transaction(writes=True) as session:
        _info, revoked = tokens.create(session, owner_id=a.owner_id, name="old", scope="write", now=FIXED_NOW)
        tokens.revoke(session, owner_id=a.owner_id, which="old", now=FIXED_NOW)
    settings = Settings(data_dir=tmp_path_factory.mktemp("mcp-http") / "data", database_url=database_url)
    app = create_app(settings, database=database, now=lambda: FIXED_NOW)
    with served(app) as (base, _server):
        yield World(f"{base}/mcp", database, a, b, revoked)


def over_mcp(world: World, token: str, work: Callable[[ClientSession], Awaitable[T]]) -> T:
    """Connect with the SDK's streamable HTTP client, sending the token, and run `work`."""

    async def main() -> T:
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60) as http,
            streamable_http_client(world.url, http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            return await work(session)

    return anyio.run(main)


def tool_names(world: World, token: str) -> set[str]:
    async def names(session: ClientSession) -> set[str]:
        return {t.name for t in (await session.list_tools()).tools}

    return over_mcp(world, token, names)


def call(world: World, token: str, name: str, arguments: dict[str, Any]) -> types.CallToolResult:
    async def one(session: ClientSession) -> types.CallToolResult:
        return await session.call_tool(name, arguments)

    return over_mcp(world, token, one)


def ok(world: World, token: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    result = call(world, token, name, arguments)
    assert not result.is_error, result.content
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def found(world: World, token: str, query: str) -> set[str]:
    return {p["name"] for p in ok(world, token, "search_people", {"query": query})["people"]}


def test_a_read_token_is_offered_only_the_reading_tools(world: World) -> None:
    assert tool_names(world, world.a.read) == READ_TOOLS


def test_a_write_token_is_offered_the_writing_tools_too(world: World) -> None:
    assert tool_names(world, world.b.write) == READ_TOOLS | WRITE_TOOLS


def test_each_token_searches_its_own_owners_people(world: World) -> None:
    assert found(world, world.a.read, "Quarry") == {"Anselm Quarry"}
    assert found(world, world.b.read, "Quarry") == {"Bettina Quarry"}
    assert found(world, world.a.write, "Acme") == set(A_PEOPLE)
    assert found(world, world.b.write, "Acme") == set(B_PEOPLE)


def test_b_never_reaches_a(world: World) -> None:
    """/mcp's isolation (the router-enumerating isolation test does not see it): B's tokens find
    none of A's people by name, and naming one of A's people by #id is "no person"."""
    for token in (world.b.read, world.b.write):
        for name, person_id in world.a.people.items():
            assert found(world, token, name.split()[-1]) <= set(B_PEOPLE)
            result = call(world, token, "person_brief", {"person": f"#{person_id}"})
            assert result.is_error
            assert result.content[0].text.startswith("error: ") and name not in result.content[0].text
    assert (
        ok(world, world.a.read, "person_brief", {"person": "Astrid Vole"})["person"]["name"] == "Astrid Vole"
    )


def test_an_unknown_person_is_a_tool_error_in_words(world: World) -> None:
    result = call(world, world.a.read, "person_brief", {"person": "Zed Nobody"})
    assert result.is_error and result.structured_content is None
    assert [block.text for block in result.content] == ["error: no person matches 'Zed Nobody'"]


def test_a_writing_tool_asked_with_a_read_token_says_why_not(world: World) -> None:
    result = call(world, world.a.read, "log_interaction", {"kind": "call", "people": ["Ana Lima"]})
    assert result.is_error
    assert "this token may only read" in result.content[0].text


def test_a_write_token_logs_for_its_own_owner_only(world: World) -> None:
    def said(owner_id: int) -> list[set[int]]:
        with world.database.transaction() as session:
            matches = search_service.said(session, owner_id=owner_id, query="bathyscaphe")
            return [{p.id for p in m.people} for m in matches]

    coffee = {"kind": "coffee", "people": ["Bruno Ostrava"], "date": "yesterday", "note": "A bathyscaphe"}
    logged = ok(world, world.b.write, "log_interaction", coffee)
    assert logged["with"] == ["Bruno Ostrava"]
    assert said(world.b.owner_id) == [{world.b.people["Bruno Ostrava"]}]
    assert said(world.a.owner_id) == []
    # A's token does not see it either; B's does.
    assert ok(world, world.a.write, "search_people", {"query": "bathyscaphe"})["said"] == []
    assert len(ok(world, world.b.read, "search_people", {"query": "bathyscaphe"})["said"]) == 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer tl_not-a-token-of-anyone"},
        {"Authorization": "Basic YWxpY2U6YWxpY2UgcGFzc3dvcmQgMQ=="},  # alice's password: not a token
    ],
    ids=["no token", "unknown token", "basic auth"],
)
def test_a_request_without_a_good_token_is_refused_401(world: World, headers: dict[str, str]) -> None:
    response = httpx.post(world.url, json=INITIALIZE, headers={**MCP_HEADERS, **headers}, timeout=30)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "unauthorized"


def test_a_revoked_token_is_refused_401(world: World) -> None:
    response = httpx.post(
        world.url,
        json=INITIALIZE,
        headers={**MCP_HEADERS, "Authorization": f"Bearer {world.revoked}"},
        timeout=30,
    )
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    with pytest.raises(BaseExceptionGroup) as refused:  # the SDK's client: no session, an error
        tool_names(world, world.revoked)
    assert refused.group_contains(MCPError)


def test_a_good_token_answers_initialize_statelessly(world: World) -> None:
    response = httpx.post(
        world.url,
        json=INITIALIZE,
        headers={**MCP_HEADERS, "Authorization": f"Bearer {world.a.read}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "mcp-session-id" not in response.headers  # stateless: any worker answers any request
    assert response.json()["result"]["serverInfo"]["name"] == "tieline"


def test_a_browser_session_cookie_is_not_accepted(world: World) -> None:
    """Signed in on the web (a session cookie), but no token: /mcp still says 401."""
    base = world.url.removesuffix("/mcp")
    with httpx.Client(base_url=base, timeout=30) as browser:
        browser.get("/login")
        form = {
            "username": "alice",
            "password": "alice password 1",
            "csrf_token": browser.cookies[CSRF_COOKIE],
        }
        signed_in = browser.post("/login", data=form, headers={"Origin": base})
        assert signed_in.status_code == 303, signed_in.text
        assert browser.get("/").status_code == 200  # the cookie works for the pages
        response = browser.post("/mcp", json=INITIALIZE, headers={**MCP_HEADERS, "Origin": base})
        assert response.status_code == 401


def test_mcp_is_a_plain_route_the_router_enumeration_does_not_list() -> None:
    """Why `test_b_never_reaches_a` exists: the per-route isolation test enumerates APIRoutes only."""
    assert "/mcp" not in {route.path for route in app_routes()}
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(data_dir=Path(scratch), database_url="sqlite://")
        app = create_app(settings, database=object())  # type: ignore[arg-type]
    [mcp] = [r for r in app.routes if getattr(r, "path", None) == "/mcp"]
    assert isinstance(mcp, Route) and not isinstance(mcp, APIRoute)


def test_only_post_is_taken_and_only_after_the_token(world: World) -> None:
    """Stateless: a GET's stream would carry nothing and stay open, so it is 405 (with a token) at
    once, never a hang; without a token, 401 first."""
    with_token = {**MCP_HEADERS, "Authorization": f"Bearer {world.a.read}"}
    for method in ("GET", "DELETE"):
        assert httpx.request(method, world.url, headers=MCP_HEADERS, timeout=10).status_code == 401
        refused = httpx.request(method, world.url, headers=with_token, timeout=10)
        assert (refused.status_code, refused.headers["allow"]) == (405, "POST")


def test_the_apps_own_host_and_origin_checks_stand_in_front(world: World) -> None:
    """The SDK's DNS-rebinding check is off in favour of the app's: another Host name is refused by
    the TrustedHostMiddleware, a browser's cross-origin request by the CSRF middleware, token or not;
    a form (no JSON body) is refused before anyone looks at it."""
    with_token = {**MCP_HEADERS, "Authorization": f"Bearer {world.a.write}"}
    rebound = httpx.post(
        world.url, json=INITIALIZE, headers={**with_token, "Host": "evil.example"}, timeout=10
    )
    assert rebound.status_code == 400
    cross = httpx.post(
        world.url, json=INITIALIZE, headers={**with_token, "Origin": "http://evil.example"}, timeout=10
    )
    assert cross.status_code == 403
    form = httpx.post(world.url, data={"x": "1"}, timeout=10)
    assert form.status_code == 415
    same_origin = world.url.removesuffix("/mcp")
    assert (
        httpx.post(
            world.url, json=INITIALIZE, headers={**with_token, "Origin": same_origin}, timeout=10
        ).status_code
        == 200
    )


def test_mcp_runs_again_when_the_apps_lifespan_starts_again(
    world: World, database_url: str, tmp_path: Path
) -> None:
    """The SDK's session manager runs once only: each start of the app's lifespan makes its own (a
    test's second client on one app); outside any lifespan /mcp says 503, never a crash."""
    app = create_app(
        Settings(data_dir=tmp_path / "data", database_url=database_url),
        database=world.database,
        now=lambda: FIXED_NOW,
    )
    with_token = {**MCP_HEADERS, "Authorization": f"Bearer {world.b.read}"}
    for _ in range(2):
        with TestClient(app, base_url="http://127.0.0.1") as client:
            answer = client.post("/mcp", json=INITIALIZE, headers=with_token)
            assert answer.status_code == 200, answer.text
    outside = TestClient(app, base_url="http://127.0.0.1").post("/mcp", json=INITIALIZE, headers=with_token)
    assert outside.status_code == 503


def test_any_worker_answers_any_request(world: World, database_url: str, tmp_path: Path) -> None:
    """`tieline serve --workers 2`, and sessions whose every request comes on a new connection (no
    keep-alive), so the two processes share them: with sessions kept in a process's memory, about half
    of the requests after `initialize` would reach the other one and fail."""
    from tests.server.serving import serving

    async def session_on_new_connections(url: str, token: str) -> set[str]:
        no_keepalive = httpx2.Limits(max_keepalive_connections=0)
        async with (
            httpx2.AsyncClient(
                headers={"Authorization": f"Bearer {token}"}, limits=no_keepalive, timeout=60
            ) as http,
            streamable_http_client(url, http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            assert {t.name for t in (await session.list_tools()).tools} == READ_TOOLS
            answer = await session.call_tool("search_people", {"query": "Quarry"})
            return {p["name"] for p in answer.structured_content["people"]}

    with serving(database_url, tmp_path / "data", "--workers", "2") as served:
        for _ in range(6):
            assert anyio.run(session_on_new_connections, f"{served.url}/mcp", world.a.read) == {
                "Anselm Quarry"
            }
            assert anyio.run(session_on_new_connections, f"{served.url}/mcp", world.b.read) == {
                "Bettina Quarry"
            }


def test_the_warm_path_goes_through_a_teammates_shared_tie_and_shows_only_what_is_shared(
    world: World,
) -> None:
    """Issue 19 over MCP: A has no chain to Fenwick Mills; B, in a team with A, shares someone there.
    A's warm_path names B's shared entry (band, year, name, title, organisation), nothing else of
    B's; the same tool over B's token, and for a team A is not in, shows none of it."""
    with world.database.transaction(writes=True) as session:
        orla = people_service.add_person(
            session, owner_id=world.b.owner_id, name="Orla Fenwick",
            changes=PersonChanges(
                set={"company": "Fenwick Mills", "title": "Head of buying", "notes": "fenwick-secret"},
                add={"emails": ["orla@fenwick.example"]},
            ),
            today=FIXED_NOW.date(),
        )  # fmt: skip
        session.flush()
        made = teams_service.create(session, owner_id=world.b.owner_id, name="Fenwick pilot", now=FIXED_NOW)
        token = teams_service.invite(session, owner_id=world.b.owner_id, team=f"#{made.id}", now=FIXED_NOW)
        teams_service.join(session, owner_id=world.a.owner_id, token=token.token, now=FIXED_NOW)
        rule = team_shares.rule_from(session, owner_id=world.b.owner_id, kind="person", value=f"#{orla.id}")
        team_shares.share(session, team_id=made.id, owner_id=world.b.owner_id, rule=rule, now=FIXED_NOW)
    path = ok(world, world.a.read, "warm_path", {"target": "Fenwick Mills"})
    routes = path.pop("team_routes")
    assert path == {"target": "Fenwick Mills", "strength": 0.0, "steps": [], "band": "none"}
    assert [{k: v for k, v in r.items() if k != "share_id"} for r in routes] == [
        {"team": "Fenwick pilot", "username": "bob", "band": "weak", "since_year": FIXED_NOW.year,
         "name": "Orla Fenwick", "title": "Head of buying", "organisation": "Fenwick Mills"}
    ]  # fmt: skip
    text = json.dumps(routes)
    assert "fenwick-secret" not in text and "orla@fenwick.example" not in text
    mine = ok(world, world.b.read, "warm_path", {"target": "Fenwick Mills", "team": "Fenwick pilot"})
    assert mine["team_routes"] == []  # one's own entries are not a teammate's route
    other = call(world, world.a.read, "warm_path", {"target": "Fenwick Mills", "team": "No such team"})
    assert other.is_error and "Orla" not in other.content[0].text
