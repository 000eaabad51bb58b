"""`tieline knows A B` records a link; `tieline knows A` lists who A knows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_knows_records_once_and_rerunning_updates(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("add", "Bo Chen")
    out = cli.ok("knows", "Ana", "Bo", "--strength", "0.5", "--note", "old team").stdout
    assert out.strip() == "recorded: Ana Lima knows Bo Chen (strength 0.5)"
    link = cli.json("knows", "Bo", "Ana", "--strength", "0.8")
    assert list(link) == documented_keys()["knows"]
    assert (link["person"], link["other"], link["strength"], link["note"], link["source"]) == (
        "Bo Chen", "Ana Lima", 0.8, "old team", "manual"
    )  # fmt: skip
    [only] = cli.json("knows", "Ana")
    assert (only["id"], only["person"], only["other"], only["strength"]) == (
        link["id"],
        "Ana Lima",
        "Bo Chen",
        0.8,
    )
    out = cli.ok("knows", "Bo").stdout
    assert "Ana Lima" in out and "told by you" in out and "old team" in out


def test_someone_linked_to_nobody_says_how_to_link(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    assert cli.json("knows", "Ana") == []
    assert "No one linked to Ana Lima yet" in cli.ok("knows", "Ana").stdout


def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, snapshot: Callable[[], Any]) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("add", "Bo Chen")
    before = snapshot()
    assert "the same person" in cli.user_error("knows", "Ana", "Ana", code=2)
    assert "between 0 and 1" in cli.user_error("knows", "Ana", "Bo", "--strength", "1.5", code=2)
    assert "name the two people" in cli.user_error("knows", "Ana", "--strength", "0.5", code=2)
    assert snapshot() == before
