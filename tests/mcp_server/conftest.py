"""A real `tieline mcp` subprocess, driven by the MCP SDK's own client over stdio, on a made-up
network of the backend's database. A server starts once per module (start-up is most of its cost),
so each module's network is built once and its tests read it or add to it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any

import mcp_types as types
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client

from tests.conftest import FIXED_NOW, MigratedDatabase, empty_tables
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Base
from tieline.services import followups as followups_service
from tieline.services import interactions as interactions_service
from tieline.services import knows as knows_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

TIMEOUT = 60


class McpClient:
    """The SDK's ClientSession on a `tieline mcp` child process, its event loop in a thread of its
    own so that synchronous tests (and module-scoped fixtures) can share one connected server."""

    def __init__(self, args: list[str], env: dict[str, str], errlog: IO[str]) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._ready: concurrent.futures.Future[ClientSession] = concurrent.futures.Future()
        self._stop: asyncio.Event | None = None
        params = StdioServerParameters(command=sys.executable, args=["-m", "tieline", *args], env=env)
        self._main = asyncio.run_coroutine_threadsafe(self._connect(params, errlog), self._loop)
        concurrent.futures.wait([self._ready, self._main], timeout=TIMEOUT, return_when="FIRST_COMPLETED")
        if not self._ready.done():
            self.close()
            raise RuntimeError("tieline mcp did not start")
        self.session = self._ready.result()

    async def _connect(self, params: StdioServerParameters, errlog: IO[str]) -> None:
        self._stop = asyncio.Event()
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            self._ready.set_result(session)
            await self._stop.wait()

    def run(self, make: Callable[[ClientSession], Coroutine[Any, Any, Any]]) -> Any:
        """Run one coroutine of the session in the client's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(make(self.session), self._loop).result(timeout=TIMEOUT)

    def tools(self) -> dict[str, types.Tool]:
        """`tools/list`, by name."""
        return {t.name: t for t in self.run(lambda s: s.list_tools()).tools}

    def call(self, name: str, arguments: dict[str, Any] | None = None) -> types.CallToolResult:
        """`tools/call`, whatever it answers."""
        return self.run(lambda s: s.call_tool(name, arguments or {}))

    def ok(self, name: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        """A call that must succeed: its structured answer (which its text repeats as JSON)."""
        result = self.call(name, arguments)
        assert not result.is_error, result.content
        assert json.loads(result.content[0].text) == result.structured_content
        return result.structured_content

    def error(self, name: str, arguments: dict[str, Any] | None = None) -> str:
        """A call that must fail in words: the one line it answers, never a traceback."""
        result = self.call(name, arguments)
        assert result.is_error, result.structured_content
        assert result.structured_content is None
        [block] = result.content
        assert block.text.startswith("error: ") and "\n" not in block.text, block.text
        assert "Traceback" not in block.text and 'File "' not in block.text
        return block.text

    def close(self) -> None:
        """Close the session (the child exits when its stdin closes) and stop the loop."""
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        try:
            self._main.result(timeout=TIMEOUT)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=TIMEOUT)
            self._loop.close()


def child_env(data_dir: Path, database_url: str) -> dict[str, str]:
    """The server's environment: the test database, a private data folder, the fixed clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
    return {
        **env,
        "TIELINE_DATABASE_URL": database_url,
        "TIELINE_DATA_DIR": str(data_dir),
        "TIELINE_NOW": FIXED_NOW.isoformat(),
        "TZ": "UTC",
        "PYTHONIOENCODING": "utf-8",
    }


def start_server(tmp_path: Path, database_url: str, *extra: str) -> tuple[McpClient, Path]:
    """`python -m tieline mcp ...` on the database, and the file its stderr goes to."""
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w", encoding="utf-8") as errlog:
        client = McpClient(["mcp", *extra], child_env(tmp_path / "data", database_url), errlog)
    return client, stderr


def every_row(database: Database) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, to compare before and after a call that must write nothing."""
    with database.engine.connect() as conn:
        return {
            t.name: sorted(tuple(repr(v) for v in row) for row in conn.execute(t.select()))
            for t in Base.metadata.sorted_tables
        }


def build_network(database: Database) -> dict[str, int]:
    """A made-up network: Ana needs fundraising, Bo (her colleague at Acme) offers it, Cy at Zeta
    knows Bo, Eli at Zeta is known only through Cy; a coffee with Ana about a Kubernetes migration,
    a follow-up for Bo due today."""
    today = FIXED_NOW.date()
    owner = LOCAL_OWNER_ID
    with database.transaction(writes=True) as session:
        people = {}
        for name, fields, lists in (
            (
                "Ana Lima",
                {"company": "Acme", "closeness": 5},
                {"needs": ["fundraising"], "interests": ["sailing"]},
            ),
            ("Bo Chen", {"company": "Acme", "closeness": 4}, {"expertise": ["fundraising"]}),
            ("Cy Diaz", {"company": "Zeta", "closeness": 3}, {}),
            ("Eli Fox", {"company": "Zeta"}, {}),
        ):
            people[name] = people_service.add_person(
                session, owner_id=owner, name=name, changes=PersonChanges(set=fields, add=lists), today=today,
                now=FIXED_NOW - timedelta(days=400),
            )  # fmt: skip
        session.flush()
        for name in ("Ana Lima", "Bo Chen"):
            acme = organisations_service.ensure_organisation(session, owner_id=owner, name="Acme")
            organisations_service.add_membership(session, person=people[name], organisation=acme)
        zeta = organisations_service.ensure_organisation(session, owner_id=owner, name="Zeta")
        for name in ("Cy Diaz", "Eli Fox"):
            organisations_service.add_membership(session, person=people[name], organisation=zeta)
        three_days_ago = FIXED_NOW - timedelta(days=3)
        interactions_service.log_interaction(
            session, owner_id=owner, kind="coffee", people=[people["Ana Lima"]], when=three_days_ago,
            notes="She is leading the Kubernetes migration at Acme and wants a fundraising mentor.",
        )  # fmt: skip
        interactions_service.log_interaction(
            session, owner_id=owner, kind="call", people=[people["Bo Chen"]], when=three_days_ago
        )
        interactions_service.log_interaction(
            session, owner_id=owner, kind="call", people=[people["Cy Diaz"]], when=three_days_ago
        )
        knows_service.link(
            session, owner_id=owner, person=people["Bo Chen"], other=people["Cy Diaz"], strength=0.9
        )
        knows_service.link(
            session, owner_id=owner, person=people["Cy Diaz"], other=people["Eli Fox"], strength=0.9
        )
        followups_service.add_followup(
            session, owner_id=owner, person=people["Bo Chen"], text="send Bo the pitch deck", due_on=today
        )
        return {name: person.id for name, person in people.items()}


@pytest.fixture(scope="module")
def network(migrated: MigratedDatabase) -> dict[str, int]:
    """The module's made-up network on the backend's emptied database: name -> person id."""
    empty_tables(migrated)
    return build_network(migrated.database)


@pytest.fixture(scope="module")
def database(migrated: MigratedDatabase, network: dict[str, int]) -> Database:
    """The database the module's server reads (its network built)."""
    return migrated.database


@pytest.fixture(scope="module")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder for the module's server: its data folder and its stderr."""
    yield tmp_path_factory.mktemp("mcp")
