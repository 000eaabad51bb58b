"""`tieline goal add|remove` and `tieline goals`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_goals_show_progress_pace_and_what_counted(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--industry", "Data Science", "--met-on", "2026-03-02")
    cli.ok("add", "Bo Chen", "--industry", "Banking", "--met-on", "2026-03-03")
    added = cli.json(
        "goal", "add", "meet-people", "--target", "5", "--from", "quarter", "--by", "2026-03-31",
        "--industry", "data science",
    )  # fmt: skip
    assert list(added) == documented_keys()["goal"]
    assert added["description"] == "meet 5 new people in data science by 2026-03-31"
    cli.ok("goal", "add", "tier-on-cadence", "--target", "90")
    meet, tier = cli.json("goals")
    assert (meet["current"]["value"], meet["current"]["pace"], meet["days_left"]) == (1, "behind", 21)
    assert [c["name"] for c in meet["counted"]] == ["Ana Lima"]
    assert tier["scope"] == {"tier": 1} and tier["current"]["value"] == 100
    out = cli.ok("goals").stdout
    assert "so far 1/5 people, expected 3.83 by now: behind; 21 days left" in out
    assert "latest: Ana Lima (2026-03-02)" in out
    assert "removed goal #1" in cli.ok("goal", "remove", "1").stdout
    assert [g["id"] for g in cli.json("goals")] == [2]


def test_a_goal_that_cannot_be_measured_is_refused_and_writes_nothing(
    cli: Cli, snapshot: Callable[[], Any]
) -> None:
    before = snapshot()
    assert "--by DATE" in cli.user_error("goal", "add", "meet-people", "--target", "3", code=2)
    assert "unknown goal kind" in cli.user_error(
        "goal", "add", "dance", "--target", "3", "--per", "week", code=2
    )
    assert "cannot read --by" in cli.user_error(
        "goal", "add", "meet-people", "--target", "3", "--by", "soon", code=2
    )
    assert "no goal with id 5" in cli.user_error("goal", "remove", "5", code=1)
    assert snapshot() == before
