"""`tieline demo`: fill an empty database, refuse one with people, --if-empty and --replace."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cli

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]


def test_demo_fills_an_empty_database_and_reports_counts(cli: Cli) -> None:
    out = cli.ok("demo").stdout
    assert "person" in out and "300" in out
    assert "interaction" in out and "6,000" in out
    assert "rows/s" in out
    assert len(cli.json("list", "--archived", "--limit", "500")) == 300


def test_demo_refuses_a_database_that_has_people(cli: Cli, snapshot: Snapshot) -> None:
    cli.ok("add", "Ana Lima")
    before = snapshot()
    message = cli.user_error("demo", code=2)
    assert message.startswith("error: the database already has 1 person; the demo goes into an empty")
    assert "--replace" in message
    assert snapshot() == before


def test_demo_if_empty_does_nothing_when_there_are_people(cli: Cli, snapshot: Snapshot) -> None:
    cli.ok("add", "Ana Lima")
    before = snapshot()
    assert cli.ok("demo", "--if-empty").stdout == "the database already has 1 person; nothing done\n"
    assert snapshot() == before


def test_demo_replace_deletes_the_owners_data_first(cli: Cli) -> None:
    cli.ok("add", "Zebulon Quartermaine", "--tag", "mine")
    assert "\nreplaced 1 person\n" in cli.ok("demo", "--replace").stdout
    assert cli.json("search", "Zebulon Quartermaine")["people"] == []
    assert len(cli.json("list", "--archived", "--limit", "500")) == 300


def test_demo_rejects_an_unknown_scale_and_contradictory_flags(cli: Cli) -> None:
    assert "unknown demo scale 'huge'" in cli.user_error("demo", "--scale", "huge", code=2)
    assert "contradict" in cli.user_error("demo", "--if-empty", "--replace", code=2)
