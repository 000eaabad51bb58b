"""`tieline milestone` and `tieline milestones`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli

MILESTONE = {"id", "person_id", "person", "kind", "occurred_on", "text"}


def test_a_milestone_is_logged_today_by_default_and_accepts_new_job(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    item = cli.json("milestone", "Ana", "new-job", "CTO at Beta")
    assert set(item) == MILESTONE
    assert (item["person"], item["kind"], item["text"], item["occurred_on"]) == (
        "Ana Lima",
        "new_job",
        "CTO at Beta",
        "2026-03-10",
    )
    result = cli.ok("milestone", "Ana", "promotion", "--date", "3 days ago")
    assert "Ana Lima, the promotion on 2026-03-07" in result.stdout
    assert [m["kind"] for m in cli.json("milestones")] == ["new_job", "promotion"]
    assert [m["kind"] for m in cli.json("milestones", "Ana")] == ["new_job", "promotion"]


def test_a_recent_milestone_puts_a_congratulation_on_the_agenda(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("milestone", "Ana", "award", "Best Paper", "--date", "yesterday")
    [line] = cli.json("today")["items"]
    assert (line["key"], line["kind"]) == ("congrats:milestone:1", "congratulate")
    assert line["title"] == "Congratulate Ana Lima on the award: Best Paper"
    cli.ok("done", "1", "--note", "sent a note")
    assert cli.json("today")["items"] == []
    assert cli.json("show", "Ana")["timeline"][0]["notes"] == "sent a note"


def test_a_birthday_without_a_year_is_on_the_agenda_that_day(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--birthday", "03-10")
    [line] = cli.json("today")["items"]
    assert line["key"] == "congrats:birthday:1:2026"
    assert cli.json("today", "--date", "2026-03-13")["items"] == []


def test_unknown_kinds_are_refused_and_nothing_is_written(cli: Cli, snapshot: Callable[[], Any]) -> None:
    cli.ok("add", "Ana Lima")
    before = snapshot()
    assert "new-job" in cli.user_error("milestone", "Ana", "wedding", code=2)
    assert "--date" in cli.user_error("milestone", "Ana", "award", "--date", "soonish", code=2)
    assert snapshot() == before
