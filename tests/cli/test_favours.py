"""`tieline gave / received / favours / thanked / ask / asked`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli

BALANCE = {"person_id", "person", "given", "received", "balance", "owe_them"}
FAVOUR = {"id", "person_id", "direction", "kind", "text", "occurred_at", "thanked_at"}


def test_the_ledger_counts_both_ways_and_names_the_stance(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("add", "Bo Chen")
    out = cli.ok("received", "Ana", "job-lead", "role at Gamma", "--date", "2 days ago").stdout
    assert "received job lead (from Ana Lima): role at Gamma" in out
    assert "thanks owed by 2026-03-11" in out
    assert "you owe them (+1)" in out
    cli.ok("gave", "Bo", "introduction")
    cli.ok("gave", "Bo", "advice")
    ledger = cli.json("favours")
    assert (ledger["given"], ledger["received"], ledger["balance"], ledger["stance"]) == (2, 1, -1, "giver")
    assert [(p["person"], p["balance"]) for p in ledger["people"]] == [("Bo Chen", -2), ("Ana Lima", 1)]
    assert set(ledger["people"][0]) == BALANCE
    assert "you are a giver" in cli.ok("favours").stdout


def test_one_persons_ledger_lists_the_favours_and_thanks_owed(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("received", "Ana", "advice")
    cli.ok("gave", "Ana", "referral")
    mine = cli.json("favours", "Ana")
    assert set(mine) == BALANCE | {"favours", "thanks_owed"}
    assert (mine["given"], mine["received"], mine["balance"], mine["owe_them"]) == (1, 1, 0, False)
    assert set(mine["favours"][0]) == FAVOUR
    assert mine["thanks_owed"] == [1]


def test_thanked_closes_thanks_owed_and_logs_the_message(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("received", "Ana", "introduction", "--date", "yesterday")
    [line] = cli.json("today")["items"]
    assert line["kind"] == "thanks"
    out = cli.ok("thanked", "Ana", "the intro to Bo").stdout
    assert "closed 1 thanks owed" in out
    assert cli.json("favours", "Ana")["thanks_owed"] == []
    assert cli.json("today")["items"] == []
    assert cli.json("today", "--date", "2026-03-20")["items"] == []
    [entry] = cli.json("show", "Ana")["timeline"]
    assert (entry["kind"], entry["initiated_by"], entry["notes"]) == (
        "message",
        "me",
        "Thank you: the intro to Bo",
    )


def test_ask_of_someone_you_owe_proposes_a_give_first(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--need", "Data Engineering", "--interest", "jazz")
    cli.ok("add", "Bo Chen", "--expertise", "data engineering")
    cli.ok("received", "Ana", "advice")
    plan = cli.json("ask", "Ana", "a reference for Gamma")
    assert (plan["id"], plan["person"], plan["status"], plan["owe_them"]) == (1, "Ana Lima", "planned", True)
    assert [p["kind"] for p in plan["give_first"]] == ["introduce", "share"]
    assert plan["give_first"][0]["person_id"] == 2
    out = cli.ok("ask", "Ana", "another thing").stdout
    assert "give before you ask:" in out and "introduce them to Bo Chen" in out
    keys = [i["key"] for i in cli.json("today", "--limit", "20")["items"]]
    assert "give:1" in keys and "give:2" in keys
    assert "ask #1 asked" in cli.ok("asked", "1").stdout
    assert "ask #2 dropped" in cli.ok("asked", "2", "--drop").stdout
    keys = [i["key"] for i in cli.json("today", "--limit", "20")["items"]]
    assert "give:1" not in keys and "give:2" not in keys


def test_ask_of_someone_you_do_not_owe_proposes_nothing(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--interest", "jazz")
    plan = cli.json("ask", "Ana", "coffee?")
    assert (plan["owe_them"], plan["give_first"]) == (False, [])
    assert "give before you ask" not in cli.ok("ask", "Ana", "lunch?").stdout


def test_mistakes_are_one_line_and_write_nothing(cli: Cli, snapshot: Callable[[], Any]) -> None:
    cli.ok("add", "Ana Lima")
    before = snapshot()
    assert "job-lead" in cli.user_error("received", "Ana", "bribe", code=2)
    assert "--date" in cli.user_error("gave", "Ana", "advice", "--date", "whenever", code=2)
    assert "no ask with id 9" in cli.user_error("asked", "9", code=1)
    assert "Nobody" in cli.user_error("thanked", "Nobody Atall", code=1)
    assert snapshot() == before
