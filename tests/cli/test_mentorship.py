"""`tieline mentor`, `tieline mentors`, `tieline mentees`, and mentoring sessions through `tieline log`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_mentor_records_updates_and_ends_a_relation(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    out = cli.ok("mentor", "Ana", "--since", "2025-06-01", "--goals", "become a staff engineer").stdout
    assert out.strip() == "recorded #1: Ana Lima is your mentor since 2025-06-01"
    out = cli.ok("mentor", "Ana", "--goals", "get promoted").stdout
    assert out.strip() == "updated #1: Ana Lima is your mentor since 2025-06-01"
    out = cli.ok("mentor", "Ana", "--end", "2026-03-01").stdout
    assert out.strip() == "updated #1: Ana Lima was your mentor from 2025-06-01 to 2026-03-01"
    assert cli.json("mentors") == []
    [ended] = cli.json("mentors", "--all")
    assert (ended["goals"], ended["since"], ended["until"]) == ("get promoted", "2025-06-01", "2026-03-01")


def test_mentees_and_relations_between_two_other_people(cli: Cli) -> None:
    for name in ("Ana Lima", "Bo Chen", "Cy Dee"):
        cli.ok("add", name)
    cli.ok("mentor", "Cy", "--kind", "mentee")
    cli.ok("mentor", "Bo", "--kind", "coach", "--of", "Cy")
    [mentee] = cli.json("mentees")
    assert (mentee["person"], mentee["kind"], mentee["of"], mentee["since"]) == (
        "Cy Dee",
        "mentee",
        None,
        "2026-03-10",
    )
    [coach] = cli.json("mentors")
    assert (coach["person"], coach["kind"], coach["of"]) == ("Bo Chen", "coach", "Cy Dee")
    assert "Bo Chen is Cy Dee's coach since 2026-03-10" in cli.ok("mentors").stdout


def test_mentors_show_when_you_last_met_and_what_was_agreed(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("mentor", "Ana")
    cli.ok("log", "mentoring", "Ana", "--date", "12 days ago", "--notes", "agreed: draft the promo doc")
    cli.ok("log", "coffee", "Ana", "--date", "2 days ago")
    cli.ok("follow-up", "Ana", "send her the draft", "--due", "in 3 days", "--promise")
    [mine] = cli.json("mentors")
    assert mine["last_met_at"].startswith("2026-03-08")
    assert mine["last_session_at"].startswith("2026-02-26")
    assert mine["last_session_notes"] == "agreed: draft the promo doc"
    assert mine["open_follow_ups"] == [
        {"id": 1, "text": "send her the draft", "due_on": "2026-03-13", "promise": True}
    ]
    out = cli.ok("mentors").stdout
    assert "last met: 2026-03-08 (2 days ago)" in out
    assert "last session: 2026-02-26 (12 days ago)" in out
    assert "agreed: agreed: draft the promo doc" in out
    assert "open promise: send her the draft (due 2026-03-13, #1)" in out


def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, snapshot: Callable[[], Any]) -> None:
    cli.ok("add", "Ana Lima")
    before = snapshot()
    assert "unknown relation kind 'guru'" in cli.user_error("mentor", "Ana", "--kind", "guru", code=2)
    assert "cannot be their own mentor" in cli.user_error("mentor", "Ana", "--of", "Ana", code=2)
    assert "before the relation began" in cli.user_error(
        "mentor", "Ana", "--since", "2026-03-01", "--end", "2026-02-01", code=2
    )
    cli.user_error("mentor", "Nobody At All", code=1)
    assert snapshot() == before


def test_relation_json_matches_the_documentation(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    assert list(cli.json("mentor", "Ana")) == documented_keys()["relation"]
