"""`tieline mcp` without --allow-writes: the reading tools, each answering from the network, the
writing ones absent, and errors in words."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tests.mcp_server.conftest import McpClient, child_env, every_row, start_server
from tieline.db import Database

READ_TOOLS = {
    "search_people",
    "person_brief",
    "todays_agenda",
    "suggest_introductions",
    "warm_path",
    "common_ground",
}
WRITE_TOOLS = {"log_interaction", "add_follow_up", "record_favour", "mark_done"}


@pytest.fixture(scope="module")
def server(database: Database, database_url: str, server_dir: Path) -> Iterator[McpClient]:
    """One read-only server for the module."""
    client, _stderr = start_server(server_dir, database_url)
    yield client
    client.close()


def test_only_the_reading_tools_are_listed_each_described_with_an_input_schema(server: McpClient) -> None:
    tools = server.tools()
    assert set(tools) == READ_TOOLS
    for tool in tools.values():
        assert len(tool.description or "") > 40, tool.name
        assert tool.input_schema["type"] == "object" and tool.input_schema["additionalProperties"] is False
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), f"{tool.name}.{name} is not described"
        assert set(tool.input_schema["required"]) <= set(tool.input_schema["properties"])
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
    assert tools["search_people"].input_schema["required"] == ["query"]
    assert tools["person_brief"].input_schema["required"] == ["person"]


def test_a_writing_tool_is_refused_in_words_and_writes_nothing(server: McpClient, database: Database) -> None:
    before = every_row(database)
    message = server.error("log_interaction", {"kind": "coffee", "people": ["Ana Lima"]})
    assert message == "error: log_interaction writes, and this server was started without --allow-writes"
    assert every_row(database) == before


def test_search_finds_people_and_what_was_said(server: McpClient, network: dict[str, int]) -> None:
    found = server.ok("search_people", {"query": "kubernetes"})
    assert list(found) == ["people", "said"]
    [said] = found["said"]
    assert said["kind"] == "coffee" and [p["id"] for p in said["people"]] == [network["Ana Lima"]]
    assert "Kubernetes migration" in "".join(part["text"] for part in said["snippet"])
    people = server.ok("search_people", {"query": "acme", "limit": 5})["people"]
    assert {p["id"] for p in people} == {network["Ana Lima"], network["Bo Chen"]}
    assert all(p["company"] == "Acme" for p in people)


def test_the_brief_is_of_the_person_named_with_what_they_said(
    server: McpClient, network: dict[str, int]
) -> None:
    brief = server.ok("person_brief", {"person": "ana"})
    assert brief["person"]["id"] == network["Ana Lima"] and brief["person"]["company"] == "Acme"
    assert [n["notes"] for n in brief["notes"]] == [
        "She is leading the Kubernetes migration at Acme and wants a fundraising mentor."
    ]
    assert {(c["kind"], c["value"]) for c in brief["cares"]} == {
        ("need", "fundraising"),
        ("interest", "sailing"),
    }
    assert server.ok("person_brief", {"person": f"#{network['Bo Chen']}"})["person"]["name"] == "Bo Chen"


def test_the_agenda_has_todays_follow_up_and_leaves_the_users_line_numbers(
    server: McpClient, network: dict[str, int], database: Database
) -> None:
    before = every_row(database)
    agenda = server.ok("todays_agenda")
    assert agenda["date"] == FIXED_NOW.date().isoformat()
    follow_ups = [i for i in agenda["items"] if i["kind"] == "follow_up"]
    assert [(i["person_id"], i["title"]) for i in follow_ups] == [
        (network["Bo Chen"], "Follow up with Bo Chen: send Bo the pitch deck")
    ]
    assert every_row(database) == before, "reading the agenda remembered a listing"
    assert len(server.ok("todays_agenda", {"limit": 1})["items"]) == 1


def test_introductions_pair_a_need_with_an_offer(server: McpClient, network: dict[str, int]) -> None:
    [first, *_] = server.ok("suggest_introductions", {"limit": 3})["suggestions"]
    assert {first["a_id"], first["b_id"]} == {network["Ana Lima"], network["Bo Chen"]}
    assert "Ana Lima needs fundraising; Bo Chen offers fundraising" in first["reasons"]


def test_the_warm_path_reaches_a_person_or_an_organisation_through_who_knows_whom(
    server: McpClient, network: dict[str, int]
) -> None:
    to_eli = server.ok("warm_path", {"target": "Eli Fox"})
    assert to_eli["target"] == "Eli Fox" and to_eli["strength"] > 0
    assert [s["person_id"] for s in to_eli["steps"]][-2:] == [network["Cy Diaz"], network["Eli Fox"]]
    to_zeta = server.ok("warm_path", {"target": "Zeta"})
    assert to_zeta["target"] == "Zeta" and to_zeta["steps"][-1]["person_id"] in {
        network["Cy Diaz"],
        network["Eli Fox"],
    }


def test_common_ground_of_two_people_and_of_you_and_one(server: McpClient, network: dict[str, int]) -> None:
    pair = server.ok("common_ground", {"person": "Ana Lima", "other": "Bo Chen"})
    assert (pair["a_id"], pair["b_id"]) == (network["Ana Lima"], network["Bo Chen"])
    assert ("employer", "Acme") in {(i["kind"], i["label"]) for i in pair["items"]}
    yours = server.ok("common_ground", {"person": "Cy Diaz"})
    assert yours["a_id"] is None and yours["b_id"] == network["Cy Diaz"]
    contacts = [i for i in yours["items"] if i["person_id"] is not None]
    assert network["Bo Chen"] in {i["person_id"] for i in contacts}, yours["items"]


@pytest.mark.parametrize(
    ("tool", "arguments", "message"),
    [
        ("person_brief", {"person": "Zed Nobody"}, "error: no person matches 'Zed Nobody'"),
        ("common_ground", {"person": "#99999"}, "error: no person with id 99999"),
        ("warm_path", {"target": "Nowhere Ltd"}, None),
        (
            "search_people",
            {"query": "acme", "limt": 3},
            "error: unknown argument 'limt': this tool takes query, limit",
        ),
        ("search_people", {}, "error: missing argument 'query'"),
        ("search_people", {"query": "acme", "limit": 0}, "error: limit must be from 1 to 100, not 0"),
        ("todays_agenda", {"date": "someday"}, None),
        ("no_such_tool", {}, None),
    ],
)
def test_mistakes_are_tool_errors_in_words(
    server: McpClient, tool: str, arguments: dict[str, object], message: str | None
) -> None:
    said = server.error(tool, arguments)
    if message is not None:
        assert said == message


def test_a_database_that_cannot_be_opened_stops_the_server_with_one_line(tmp_path: Path) -> None:
    env = child_env(tmp_path / "data", "sqlite:////proc/no-such-folder/tieline.db")
    done = subprocess.run(
        [sys.executable, "-m", "tieline", "mcp"], env=env, stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        "error: cannot open database sqlite:////proc/no-such-folder/tieline.db: unable to open database file"
    ]
