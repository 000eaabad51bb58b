"""`tieline follow-up` and `tieline follow-ups`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli

FOLLOW_UP = {"id", "person_id", "person", "text", "due_on", "every_days", "promise", "status", "done_at"}


def test_a_follow_up_is_due_today_unless_told(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    item = cli.json("follow-up", "Ana", "send the article")
    assert set(item) == FOLLOW_UP
    assert (item["person"], item["text"], item["due_on"], item["status"]) == (
        "Ana Lima",
        "send the article",
        "2026-03-10",
        "open",
    )
    assert (item["every_days"], item["promise"]) == (None, False)


def test_due_dates_are_read_as_people_type_them(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    assert cli.json("follow-up", "Ana", "a", "--due", "in 3 days")["due_on"] == "2026-03-13"
    assert cli.json("follow-up", "Ana", "b", "--due", "tomorrow")["due_on"] == "2026-03-11"
    assert cli.json("follow-up", "Ana", "c", "--due", "2026-04-01")["due_on"] == "2026-04-01"


def test_a_recurring_promise(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    result = cli.ok("follow-up", "Ana", "intro to Bo", "--promise", "--every", "30", "--due", "in 2 days")
    assert "promise #1 for Ana Lima due 2026-03-12, then every 30 days: intro to Bo" in result.stdout
    [item] = cli.json("follow-ups")
    assert (item["promise"], item["every_days"]) == (True, 30)


def test_listing_shows_open_ones_and_all_with_the_flag(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("follow-up", "Ana", "later", "--due", "in 5 days")
    cli.ok("follow-up", "Ana", "now")
    cli.ok("done", "follow:2:2026-03-10")
    assert [i["text"] for i in cli.json("follow-ups")] == ["later"]
    everything = cli.json("follow-ups", "--all")
    assert [(i["text"], i["status"]) for i in everything] == [("now", "done"), ("later", "open")]
    table = cli.ok("follow-ups").stdout
    assert "later" in table and "now" not in table


def test_done_on_the_agenda_moves_a_recurring_follow_up(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("follow-up", "Ana", "weekly notes", "--every", "7")
    today = cli.json("today")
    assert [i["key"] for i in today["items"]] == ["follow:1:2026-03-10"]
    cli.ok("done", "1")
    [item] = cli.json("follow-ups")
    assert (item["due_on"], item["status"]) == ("2026-03-17", "open")
    assert cli.json("today")["items"] == []


def test_mistakes_are_one_line_and_write_nothing(cli: Cli, snapshot: Callable[[], Any]) -> None:
    cli.ok("add", "Ana Lima")
    before = snapshot()
    assert "--due" in cli.user_error("follow-up", "Ana", "x", "--due", "someday", code=2)
    assert "Nobody" in cli.user_error("follow-up", "Nobody Atall", "x", code=1)
    assert "cannot be empty" in cli.user_error("follow-up", "Ana", "  ", code=2)
    assert cli.run("follow-up", "Ana", "x", "--every", "0").exit_code == 2
    assert snapshot() == before
