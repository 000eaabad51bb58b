"""`tieline brief PERSON [--json]`: the meeting brief in the terminal and as JSON."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Cli
from tests.test_docs import documented_keys
from tieline.errors import NotFound

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]


def _ana(cli: Cli) -> None:
    cli.ok(
        "add", "Ana Lima", "--title", "CFO", "--need", "fundraising", "--interest", "sailing", "--tier", "2"
    )
    cli.ok("add", "Bo Chen", "--expertise", "fundraising")
    cli.ok("log", "coffee", "Bo Chen", "--date", "3 days ago")
    cli.ok("log", "coffee", "Ana Lima", "--date", "10 days ago", "--note", "Raising a seed round in spring")
    cli.ok("received", "Ana Lima", "advice", "CV review")
    cli.ok("follow-up", "Ana Lima", "send the deck", "--due", "tomorrow")


def test_brief_reads_as_one_screen_with_openers_first(cli: Cli) -> None:
    _ana(cli)
    out = cli.ok("brief", "Ana").stdout
    assert out.splitlines()[0].startswith("Ana Lima")
    for heading in ("openers", "what they told you", "they care about", "you could offer", "promises"):
        assert f"\n{heading}\n" in out, heading
    assert out.index("openers") < out.index("what they told you")
    assert "Raising a seed round in spring" in out
    assert "introduce them to Bo Chen" in out
    assert "thank them for CV review" in out
    assert "send the deck" in out


def test_brief_json_has_the_documented_shape_and_cites_its_rows(cli: Cli) -> None:
    _ana(cli)
    doc = cli.json("brief", "Ana Lima")
    keys = documented_keys()
    assert list(doc) == keys["brief"]
    assert list(doc["person"]) == keys["brief person"]
    assert list(doc["tie"]) == keys["brief tie"]
    assert [n["notes"] for n in doc["notes"]] == ["Raising a seed round in spring"]
    assert [(t["kind"], t["value"]) for t in doc["cares"]] == [
        ("need", "fundraising"),
        ("interest", "sailing"),
    ]
    refs = {row["ref"] for key in ("notes", "cares", "offers", "promises", "milestones", "common_ground")
            for row in doc[key]}  # fmt: skip
    assert doc["openers"], "no openers"
    assert all(o["source"]["ref"] in refs for o in doc["openers"])
    assert {p["kind"] for p in doc["promises"]} >= {"follow_up", "thanks"}


def test_brief_of_an_unknown_person_fails_in_one_line_and_changes_nothing(
    cli: Cli, snapshot: Snapshot
) -> None:
    _ana(cli)
    before = snapshot()
    line = cli.user_error("brief", "Nobody Here", code=NotFound.exit_code)
    assert "Nobody Here" in line
    assert cli.user_error("brief", "#999", code=NotFound.exit_code) == "error: no person with id 999"
    assert snapshot() == before
