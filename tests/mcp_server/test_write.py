"""`tieline mcp --allow-writes`: the writing tools are offered, each writes through its service in
one transaction, and a call that fails writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tests.mcp_server.conftest import McpClient, every_row, start_server
from tests.mcp_server.test_read import READ_TOOLS, WRITE_TOOLS
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import people as people_service
from tieline.services import search as search_service


@pytest.fixture(scope="module")
def server(database: Database, database_url: str, server_dir: Path) -> Iterator[McpClient]:
    """One server for the module, started with --allow-writes and --database after `mcp`."""
    client, stderr = start_server(
        server_dir, "ignored-by-the-option", "--allow-writes", "--database", database_url
    )
    yield client
    client.close()
    assert "Traceback" not in stderr.read_text(encoding="utf-8")


def test_the_writing_tools_are_offered_with_allow_writes(server: McpClient) -> None:
    tools = server.tools()
    assert set(tools) == READ_TOOLS | WRITE_TOOLS
    for name in WRITE_TOOLS:
        assert tools[name].description and tools[name].description.startswith("Write: ")
        assert tools[name].annotations is not None and tools[name].annotations.read_only_hint is False


def test_log_interaction_is_stored_and_searchable(
    server: McpClient, database: Database, network: dict[str, int]
) -> None:
    logged = server.ok(
        "log_interaction",
        {"kind": "video_call", "people": ["Ana Lima", f"#{network['Cy Diaz']}"], "date": "yesterday",
         "note": "Compared notes on sailboat racing", "initiated_by": "them"},
    )  # fmt: skip
    assert logged["kind"] == "video_call" and logged["with"] == ["Ana Lima", "Cy Diaz"]
    assert logged["initiated_by"] == "them" and logged["occurred_at"].startswith("2026-03-09")
    with database.transaction() as session:
        [match] = search_service.said(session, owner_id=LOCAL_OWNER_ID, query="sailboat")
        assert {p.id for p in match.people} == {network["Ana Lima"], network["Cy Diaz"]}
    [said] = server.ok("search_people", {"query": "sailboat"})["said"]
    assert said["kind"] == "video_call"


def test_add_follow_up_is_stored_with_its_due_date(
    server: McpClient, database: Database, network: dict[str, int]
) -> None:
    added = server.ok(
        "add_follow_up",
        {"person": "Cy Diaz", "text": "ask about Zeta's hiring", "due": "in 2 weeks", "promise": True},
    )
    assert (added["person_id"], added["due_on"], added["promise"]) == (network["Cy Diaz"], "2026-03-24", True)
    with database.transaction() as session:
        rows = followups_service.listing(session, owner_id=LOCAL_OWNER_ID)
        assert [(f.id, f.text, f.is_promise) for f, _name in rows if f.person_id == network["Cy Diaz"]] == [
            (added["id"], "ask about Zeta's hiring", True)
        ]


def test_record_favour_is_stored_and_answers_with_the_balance(
    server: McpClient, database: Database, network: dict[str, int]
) -> None:
    favour = server.ok(
        "record_favour",
        {"person": "Bo Chen", "direction": "received", "kind": "introduction", "text": "intro to Zeta"},
    )
    assert (favour["person"], favour["direction"], favour["kind"]) == ("Bo Chen", "received", "introduction")
    assert favour["balance"]["received"] == 1 and favour["balance"]["owe_them"] is True
    with database.transaction() as session:
        bo = people_service.resolve_person(session, owner_id=LOCAL_OWNER_ID, text=f"#{network['Bo Chen']}")
        stored = favours_service.entries(session, owner_id=LOCAL_OWNER_ID, person=bo)
        assert [(f.id, f.text, f.thanked_at) for f in stored] == [(favour["id"], "intro to Zeta", None)]


def test_mark_done_closes_the_follow_up_of_an_agenda_line(
    server: McpClient, database: Database, network: dict[str, int]
) -> None:
    lines = server.ok("todays_agenda", {"limit": 50})["items"]
    [line] = [i for i in lines if i["kind"] == "follow_up" and i["person_id"] == network["Bo Chen"]]
    done = server.ok("mark_done", {"line": line["key"]})
    assert done["done"]["key"] == line["key"]
    with database.transaction() as session:
        closed = followups_service.listing(session, owner_id=LOCAL_OWNER_ID, include_closed=True)
        [pitch] = [f for f, _name in closed if f.text == "send Bo the pitch deck"]
        assert pitch.status == "done"
    assert line["key"] not in {i["key"] for i in server.ok("todays_agenda", {"limit": 50})["items"]}
    assert server.error("mark_done", {"line": line["key"]}).startswith(
        f"error: agenda item {line['key']} is no"
    )


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        (
            "log_interaction",
            {"kind": "coffee", "people": ["Ana Lima", "Zed Nobody"]},
            "no person matches 'Zed Nobody'",
        ),
        ("log_interaction", {"kind": "coffee", "people": []}, "people must be a list of at least one text"),
        ("log_interaction", {"kind": "séance", "people": ["Ana Lima"]}, "unknown interaction kind 'séance'"),
        (
            "add_follow_up",
            {"person": "Ana Lima", "text": "call", "due": "someday"},
            "cannot read due 'someday'",
        ),
        (
            "add_follow_up",
            {"person": "Ana Lima", "text": "call", "every_days": 0},
            "every_days must be at least 1",
        ),
        (
            "record_favour",
            {"person": "Bo Chen", "direction": "stolen", "kind": "advice"},
            "direction must be one of",
        ),
        ("record_favour", {"person": "Bo Chen", "direction": "given"}, "missing argument 'kind'"),
        ("mark_done", {"line": "follow_up:999999"}, "agenda item follow_up:999999 is no longer due"),
    ],
)
def test_a_failing_write_writes_nothing(
    server: McpClient, database: Database, tool: str, arguments: dict[str, Any], message: str
) -> None:
    before = every_row(database)
    assert message in server.error(tool, arguments)
    assert every_row(database) == before


def test_writes_use_the_servers_clock(server: McpClient) -> None:
    logged = server.ok("log_interaction", {"kind": "call", "people": ["Eli Fox"]})
    assert logged["occurred_at"] == FIXED_NOW.isoformat()
