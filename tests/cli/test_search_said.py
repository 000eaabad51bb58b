"""`tieline search` finds what was said: the interaction, when, who was there, the words marked."""

from __future__ import annotations

from tests.conftest import Cli


def test_a_word_from_a_note_finds_the_interaction_and_who_was_there(cli: Cli) -> None:
    ana = cli.json("add", "Ana Lima")["id"]
    bo = cli.json("add", "Bo Chen")["id"]
    cli.ok("add", "Cy Diaz")
    coffee = cli.json(
        "log",
        "coffee",
        "Ana Lima",
        "Bo Chen",
        "--date",
        "2026-03-01",
        "--note",
        "She went Kayák-ing in Norway",
    )
    cli.ok("log", "call", "Cy Diaz", "--note", "budget for next year")
    found = cli.json("search", "kayak")
    assert found["people"] == []
    [match] = found["said"]
    assert match["item"] == "interaction" and match["id"] == coffee["id"] and match["kind"] == "coffee"
    assert match["when"] == coffee["occurred_at"]
    assert match["people"] == [{"id": ana, "name": "Ana Lima"}, {"id": bo, "name": "Bo Chen"}]
    assert [p["text"] for p in match["snippet"] if p["hit"]] == ["Kayák"]
    assert "".join(p["text"] for p in match["snippet"]) == "She went Kayák-ing in Norway"
    assert match["score"] > 0


def test_the_text_output_lists_people_then_what_was_said(cli: Cli) -> None:
    cli.ok("add", "Kay Kayaker")
    cli.ok("add", "Ana Lima")
    cli.ok("log", "coffee", "Ana Lima", "--date", "2026-03-01", "--note", "Planning a kayaking weekend")
    out = cli.ok("search", "kayak").stdout
    assert out.index("Kay Kayaker") < out.index("1 found") < out.index("Said")
    said = out[out.index("Said") :]
    assert "2026-03-01" in said and "coffee" in said and "with Ana Lima" in said
    assert "Planning a kayaking weekend" in said


def test_a_search_with_no_said_match_prints_no_said_section(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    assert "Said" not in cli.ok("search", "ana").stdout
    assert cli.json("search", "zzz") == {"people": [], "said": []}


def test_case_and_accents_are_ignored_in_what_was_said(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("log", "call", "Ana Lima", "--note", "kayak plans")
    assert len(cli.json("search", "KAYÁK")["said"]) == 1
