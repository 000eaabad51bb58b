"""`tieline opportunity add|list|move|show|sources`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_an_opportunity_is_added_moved_and_shown_with_where_it_came_from(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("org", "add", "Acme")
    added = cli.json(
        "opportunity", "add", "Staff engineer at Acme", "--via", "Ana", "--org", "Acme", "--due", "2026-03-13",
        "--date", "3 days ago",
    )  # fmt: skip
    assert list(added) == documented_keys()["opportunity"]
    assert (added["person"], added["organisation"], added["stage"], added["stage_on"]) == (
        "Ana Lima", "Acme", "spotted", "2026-03-07",
    )  # fmt: skip
    out = cli.ok("opportunity", "move", "1", "applied", "--date", "yesterday").stdout
    assert "spotted -> applied on 2026-03-09" in out
    assert "Staff engineer at Acme" in cli.ok("opportunity", "show", "1").stdout
    cli.ok("opportunity", "move", "1", "won")
    reopened = cli.ok("opportunity", "move", "1", "exploring").stdout
    assert "reopened: it was won on 2026-03-10" in reopened
    [listed] = cli.json("opportunity", "list", "--open")
    assert listed["stage"] == "exploring"
    assert cli.json("opportunity", "list", "--stage", "won") == []


def test_sources_count_opportunities_per_person_and_organisation(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("org", "add", "Acme")
    cli.ok("opportunity", "add", "A", "--via", "Ana", "--org", "Acme")
    cli.ok("opportunity", "add", "B", "--via", "Ana")
    cli.ok("opportunity", "move", "2", "won")
    found = cli.json("opportunity", "sources")
    assert list(found[0]) == documented_keys()["opportunity source"]
    assert [(s["kind"], s["name"], s["total"], s["won"]) for s in found] == [
        ("person", "Ana Lima", 2, 1),
        ("organisation", "Acme", 1, 0),
    ]
    assert "Ana Lima (#1)" in cli.ok("opportunity", "sources").stdout


def test_a_deadline_within_three_days_is_on_the_agenda(cli: Cli) -> None:
    cli.ok("opportunity", "add", "Staff engineer at Acme", "--due", "2026-03-13")
    [line] = cli.json("today")["items"]
    assert (line["kind"], line["title"]) == (
        "opportunity_due",
        "Application for Staff engineer at Acme due Friday",
    )
    cli.ok("done", "1")
    assert cli.json("today")["items"] == []


def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, snapshot: Callable[[], Any]) -> None:
    cli.ok("add", "Ana Lima")
    before = snapshot()
    assert "unknown opportunity kind" in cli.user_error("opportunity", "add", "X", "--kind", "gig", code=2)
    assert "no person" in cli.user_error("opportunity", "add", "X", "--via", "Nobody Known", code=1)
    assert "no introduction" in cli.user_error("opportunity", "add", "X", "--intro", "9", code=1)
    assert "cannot read --due" in cli.user_error("opportunity", "add", "X", "--due", "soonish", code=2)
    assert "no opportunity with id 4" in cli.user_error("opportunity", "move", "4", "won", code=1)
    assert snapshot() == before
