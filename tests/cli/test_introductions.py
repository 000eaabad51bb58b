"""`tieline intro`: propose, ask A, ask B, made or declined, outcome; list, show, draft; the agenda."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli
from tests.test_docs import documented_keys


def people(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--title", "CTO", "--company", "Acme", "--expertise", "data engineering",
           "--interest", "jazz", "--email", "ana@acme.example")  # fmt: skip
    cli.ok("add", "Bo Chen", "--need", "data engineering", "--interest", "jazz", "--email", "bo@b.example")


def test_the_double_opt_in_story(cli: Cli) -> None:
    people(cli)
    out = cli.ok("intro", "Ana", "Bo", "--why", "Bo needs a data engineer").stdout
    assert "introduction #1 of Ana Lima and Bo Chen proposed" in out
    assert "next: ask Ana Lima whether they would welcome it, then `tieline intro ask-a 1`" in out
    [line] = cli.json("today")["items"]
    assert (line["kind"], line["title"]) == (
        "introduction", "Ask Ana Lima whether they would welcome an introduction to Bo Chen"
    )  # fmt: skip
    draft = cli.json("intro", "draft", "1")["draft"]
    assert (draft["to"], draft["subject"], draft["template"]) == (
        ["ana@acme.example"], "An introduction to Bo Chen?", "intro_ask_a"
    )  # fmt: skip
    assert "I would like to introduce you to Bo Chen: Bo needs a data engineer." in draft["body"]
    assert "You both care about jazz." in draft["body"]

    assert cli.json("intro", "ask-a", "1")["state"] == "asked_a"
    draft = cli.json("intro", "draft", "1")["draft"]
    assert (draft["to"], draft["template"]) == (["bo@b.example"], "intro_ask_b")
    assert (
        "Ana knows a lot about data engineering, which you mentioned you were looking into." in draft["body"]
    )

    assert cli.json("intro", "ask-b", "1")["state"] == "asked_b"
    draft = cli.json("intro", "draft", "1")["draft"]
    assert (draft["to"], draft["subject"]) == (
        ["ana@acme.example", "bo@b.example"],
        "Introduction: Ana, meet Bo",
    )
    assert draft["body"].startswith("Hi Ana and Bo,\n")

    made = cli.json("intro", "made", "1")
    assert (made["state"], made["made_at"]) == ("made", "2026-03-10T10:00:00+00:00")
    assert made["next_step"] == "ask how it went, then `tieline intro outcome 1 TEXT`"
    ledger = cli.json("favours")
    assert {(p["person"], p["given"]) for p in ledger["people"]} == {("Ana Lima", 1), ("Bo Chen", 1)}
    [link] = cli.json("knows", "Ana")
    assert (link["other"], link["source"]) == ("Bo Chen", "introduction")
    [email] = cli.json("show", "Bo")["timeline"]
    assert (email["kind"], email["subject"], email["with"]) == (
        "email",
        "Introduction: Ana Lima and Bo Chen",
        ["Ana Lima"],
    )

    [asked] = [i for i in cli.json("today", "--date", "2026-04-09")["items"] if i["kind"] == "introduction"]
    assert asked["title"] == "Ask Ana Lima and Bo Chen how the introduction went"
    done = cli.json("intro", "outcome", "1", "they hired her")
    assert (done["outcome"], done["next_step"]) == ("they hired her", None)
    assert [
        i for i in cli.json("today", "--date", "2026-04-09")["items"] if i["kind"] == "introduction"
    ] == []


def test_illegal_moves_and_duplicates_are_one_line_and_write_nothing(
    cli: Cli, snapshot: Callable[[], Any]
) -> None:
    people(cli)
    cli.ok("intro", "Ana", "Bo", "--why", "data")
    before = snapshot()
    error = cli.user_error("intro", "made", "1", code=2)
    assert error == (
        "error: cannot mark introduction #1 as made: it is proposed "
        "(next: ask Ana Lima whether they would welcome it, then `tieline intro ask-a 1`)"
    )
    assert "is already proposed" in cli.user_error("intro", "Bo", "Ana", "--why", "again", code=2)
    assert "to themselves" in cli.user_error("intro", "Ana", "Ana", "--why", "x", code=2)
    assert "Bo Chen has not been asked yet" in cli.user_error("intro", "declined", "1", "--by", "b", code=2)
    assert "no introduction #7" in cli.user_error("intro", "ask-a", "7", code=1)
    assert snapshot() == before


def test_declined_introductions_close_and_show_who_said_no(cli: Cli) -> None:
    people(cli)
    cli.ok("intro", "propose", "Ana", "Bo", "--why", "data")
    cli.ok("intro", "ask-a", "1")
    declined = cli.json("intro", "declined", "1", "--by", "a")
    assert (declined["state"], declined["declined_by"], declined["next_step"]) == ("declined", 1, None)
    assert cli.json("intro", "list", "--open") == []
    assert "declined by: Ana Lima" in cli.ok("intro", "show", "1").stdout
    assert "there is no message to draft" in cli.user_error("intro", "draft", "1", code=2)
    assert cli.json("today")["items"] == []


def test_list_shows_each_introduction_with_its_next_step(cli: Cli) -> None:
    people(cli)
    cli.ok("add", "Cy Dee")
    cli.ok("intro", "Ana", "Bo", "--why", "data")
    cli.ok("intro", "Cy", "Bo", "--why", "jazz band")
    listed = cli.json("intro", "list")
    assert [(i["id"], i["person_a"], i["state"]) for i in listed] == [
        (2, "Cy Dee", "proposed"),
        (1, "Ana Lima", "proposed"),
    ]
    assert list(listed[0]) == documented_keys()["introduction"]
    out = cli.ok("intro", "list").stdout
    assert "jazz band" in out and "tieline intro ask-a 2" in out


def test_an_unanswered_request_is_nudged_from_the_agenda(cli: Cli) -> None:
    people(cli)
    cli.ok("intro", "Ana", "Bo", "--why", "data")
    cli.ok("intro", "ask-a", "1")
    assert cli.json("today", "--date", "2026-03-12")["items"] == []
    [line] = cli.json("today", "--date", "2026-03-13")["items"]
    assert line["title"] == "No answer from Ana Lima about meeting Bo Chen: nudge or move on"
    draft = cli.json("draft", "1")["draft"]
    assert draft["subject"] == "Following up: an introduction to Bo Chen?"
