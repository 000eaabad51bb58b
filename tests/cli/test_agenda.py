"""`tieline today`, `week`, `losing-touch`, and `done` / `snooze` / `dismiss` by line number."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Cli

ITEM = {
    "number", "key", "kind", "title", "reasons", "also", "priority", "person_id", "person", "due_on",
    "deadline", "context", "details", "brief",
}  # fmt: skip


def network(cli: Cli) -> None:
    """The clock says Tuesday 10 March 2026. Due today: Ana (tier 1), Bo and Dee; Cy from Saturday."""
    cli.ok("add", "Ana Lima", "--tier", "1")
    cli.ok("log", "message", "Ana", "--date", "2026-03-01")  # 9 days, cadence 7
    cli.ok("add", "Bo Chen", "--tier", "2", "--closeness", "4")
    cli.ok("log", "call", "Bo", "--date", "2026-01-20", "--initiated-by", "them")  # 49 days, cadence 30
    cli.ok("add", "Cy Dorn", "--tier", "2")
    cli.ok("log", "email", "Cy", "--date", "2026-02-12")  # 26 days: due on 14 March
    cli.ok("add", "Dee Eng", "--tier", "3")
    cli.ok("log", "meeting", "Dee", "--date", "2025-11-01")  # 129 days, cadence 90


def titles(doc: dict[str, Any]) -> list[str]:
    return [i["title"] for i in doc["items"]]


def test_today_as_json(cli: Cli) -> None:
    network(cli)
    doc = cli.json("today")
    assert set(doc) == {"date", "total", "items", "coming"}
    assert (doc["date"], doc["total"], doc["coming"]) == ("2026-03-10", 3, [])
    assert [set(i) for i in doc["items"]] == [ITEM] * 3
    assert [i["number"] for i in doc["items"]] == [1, 2, 3]
    assert sorted(i["person"] for i in doc["items"]) == ["Ana Lima", "Bo Chen", "Dee Eng"]
    priorities = [i["priority"] for i in doc["items"]]
    assert priorities == sorted(priorities, reverse=True)
    [ana] = [i for i in doc["items"] if i["person"] == "Ana Lima"]
    assert ana["kind"] == "keep_in_touch"
    assert ana["key"] == f"keep:{ana['person_id']}:2026-03-01"
    assert ana["title"] == "Get in touch with Ana Lima"
    assert ana["reasons"] == ["inner circle: you usually talk every week; it has been nine days"]
    # The numbers stay available to scripts.
    assert ana["details"][0] == "last contact 9 days ago; cadence 7 days (tier 1 inner)"
    assert ana["details"][1].startswith("due ratio 1.3, tie strength ")
    assert (ana["also"], ana["due_on"], ana["deadline"], ana["context"]) == ([], "2026-03-08", None, None)


def test_today_as_text(cli: Cli) -> None:
    network(cli)
    doc = cli.json("today")
    out = cli.ok("today").stdout.splitlines()
    assert out[0] == "Agenda for Tuesday 10 March 2026"
    first = doc["items"][0]
    assert out[1] == f"1. {first['title']}"
    assert out[2] == f"   - {first['reasons'][0]}"
    assert f"3. {doc['items'][2]['title']}" in out


def test_an_empty_agenda_says_so(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--tier", "5")
    out = cli.ok("today").stdout.splitlines()
    assert out[1] == "Nothing due this week. Your relationships are in good shape."
    assert cli.json("today") == {"date": "2026-03-10", "total": 0, "items": [], "coming": []}


def test_an_empty_day_shows_the_week_ahead_instead_of_nothing(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--tier", "5", "--birthday", "03-13")
    cli.ok("add", "Bo Chen", "--tier", "2")
    cli.ok("log", "call", "Bo", "--date", "2026-02-13")  # 25 days: due on Sunday 15 March
    cli.ok("follow-up", "Bo", "send the deck", "--due", "2026-03-20")  # beyond the week
    doc = cli.json("today")
    assert (doc["total"], doc["items"]) == (0, [])
    assert [(d["date"], [i["title"] for i in d["items"]]) for d in doc["coming"]] == [
        ("2026-03-13", ["Wish Ana Lima a happy birthday"]),
        ("2026-03-15", ["Get in touch with Bo Chen"]),
    ]
    out = cli.ok("today").stdout.splitlines()
    assert out[1:4] == [
        "Nothing needs you today. Coming up:",
        "Friday 13 March",
        "  - Wish Ana Lima a happy birthday",
    ]
    assert "Nothing due" not in "\n".join(out)


def test_the_daily_cap_and_limit(cli: Cli) -> None:
    network(cli)
    cli.ok("config", "agenda.daily_cap", "1")
    doc = cli.json("today")
    assert (doc["total"], len(doc["items"])) == (3, 1)
    assert (
        "2 more waiting (the daily cap keeps this list short; --limit 3 shows all)" in cli.ok("today").stdout
    )
    assert len(cli.json("today", "--limit", "3")["items"]) == 3


def test_today_on_another_date(cli: Cli) -> None:
    network(cli)
    doc = cli.json("today", "--date", "2026-03-14")
    assert doc["date"] == "2026-03-14"
    assert "Get in touch with Cy Dorn" in titles(doc)
    assert "Get in touch with Cy Dorn" not in titles(cli.json("today", "--date", "2026-03-13"))
    assert cli.ok("today", "--date", "in 4 days").stdout.startswith("Agenda for Saturday 14 March 2026")
    assert "--date" in cli.user_error("today", "--date", "someday", code=2)
    assert "year 2 and 9998" in cli.user_error("today", "--date", "0001-01-01", code=2)


def test_done_snooze_and_dismiss_by_line_number(cli: Cli) -> None:
    network(cli)
    first, second, third = cli.json("today")["items"]
    assert cli.ok("done", "1", "--kind", "call").stdout == f"done: {first['title']}\n"
    assert cli.ok("snooze", "2", "--days", "3").stdout == f"snoozed until 2026-03-13: {second['title']}\n"
    assert cli.ok("dismiss", "3").stdout == f"dismissed: {third['title']}\n"
    assert cli.json("today")["items"] == []
    # The check-in done was logged as a call today.
    person = cli.json("show", f"#{first['person_id']}")
    assert (person["timeline"][0]["kind"], person["timeline"][0]["occurred_at"]) == (
        "call",
        "2026-03-10T10:00:00+00:00",
    )
    # The snoozed line is back on its day, the dismissed one is not, the done one waits a cadence.
    assert titles(cli.json("today", "--date", "2026-03-12")) == []
    back = cli.json("today", "--date", "2026-03-13", "--limit", "10")
    assert [i["key"] for i in back["items"] if i["kind"] == "keep_in_touch"] == [second["key"]]


def test_a_number_means_the_line_last_shown_even_after_others_changed(cli: Cli) -> None:
    network(cli)
    shown = cli.json("today")["items"]
    cli.ok("received", "Cy", "advice")  # a thank-you to Cy now tops the agenda, moving every line down
    assert cli.ok("snooze", "2").stdout == f"snoozed until 2026-03-11: {shown[1]['title']}\n"
    assert cli.ok("done", "1").stdout == f"done: {shown[0]['title']}\n"
    relisted = cli.json("today")["items"]
    assert [i["title"] for i in relisted] == ["Thank Cy Dorn for the advice", shown[2]["title"]]
    assert cli.ok("done", "1").stdout == "done: Thank Cy Dorn for the advice\n"


def test_a_number_refers_to_the_day_listed_with_date(cli: Cli) -> None:
    network(cli)
    ahead = cli.json("today", "--date", "2026-03-14", "--limit", "10")["items"]
    [cy] = [i for i in ahead if i["person"] == "Cy Dorn"]
    assert cli.ok("snooze", str(cy["number"]), "--days", "2").stdout == (
        f"snoozed until 2026-03-16: {cy['title']}\n"
    )
    assert "Cy Dorn" not in [i["person"] for i in cli.json("today", "--date", "2026-03-15")["items"]]
    assert "Cy Dorn" in [
        i["person"] for i in cli.json("today", "--date", "2026-03-16", "--limit", "9")["items"]
    ]


def test_acting_without_a_listing_or_on_a_bad_line_is_a_one_line_error(
    cli: Cli, snapshot: Callable[[], Any]
) -> None:
    network(cli)
    before = snapshot()
    assert cli.user_error("done", "1", code=1) == (
        "error: no line 1 in the last agenda shown; run `tieline today` first"
    )
    cli.ok("today")
    before = snapshot()
    assert "no line 7" in cli.user_error("dismiss", "7", code=1)
    assert "--days must be at least 1" in cli.user_error("snooze", "1", "--days", "0", code=2)
    assert "unknown interaction kind" in cli.user_error("done", "1", "--kind", "telepathy", code=2)
    assert "no longer due" in cli.user_error("done", "keep:99:never", code=1)
    assert snapshot() == before


def test_losing_touch_lists_everyone_overdue_whatever_the_cap(cli: Cli) -> None:
    network(cli)
    cli.ok("config", "agenda.daily_cap", "1")
    everyone = cli.json("losing-touch")
    assert sorted(i["person"] for i in everyone) == ["Ana Lima", "Bo Chen", "Dee Eng"]
    assert {i["kind"] for i in everyone} == {"keep_in_touch"}
    assert [i["priority"] for i in everyone] == sorted((i["priority"] for i in everyone), reverse=True)
    assert set(everyone[0]) == ITEM - {"number"}
    assert len(cli.json("losing-touch", "--limit", "2")) == 2
    text = cli.ok("losing-touch").stdout
    assert all(f"{n}. Get in touch with" in text for n in (1, 2, 3))


def test_week_prints_each_days_new_lines(cli: Cli) -> None:
    network(cli)
    out = cli.ok("week").stdout
    lines = out.splitlines()
    assert lines[0] == "Your week with tieline: Tuesday 10 March to Monday 16 March 2026"
    today_at = lines.index("Tuesday 10 March (today)")
    saturday = lines.index("Saturday 14 March")
    assert today_at < saturday
    between = "\n".join(lines[today_at:saturday])
    for name in ("Ana Lima", "Bo Chen", "Dee Eng"):
        assert f"  * Get in touch with {name}" in between
    assert lines[saturday + 1] == "  * Get in touch with Cy Dorn"
    assert out.count("Get in touch with Cy Dorn") == 1  # each line once, on its first day
    assert "Wednesday 11 March" not in out  # nothing new that day
    later = cli.ok("week", "--date", "2026-03-20").stdout
    assert later.startswith("Your week with tieline: Friday 20 March to Thursday 26 March 2026")


def test_week_leaves_out_what_was_acted_on(cli: Cli) -> None:
    network(cli)
    items = cli.json("today")["items"]
    for number in ("1", "2", "3"):
        cli.ok("dismiss", number)
    out = cli.ok("week").stdout
    assert all(i["title"] not in out for i in items)
    assert "Get in touch with Cy Dorn" in out


def test_someone_added_and_never_contacted_is_due_a_cadence_after_being_added(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--tier", "1")
    doc = cli.json("today", "--date", "2026-03-20")
    assert [i["reasons"][0] for i in doc["items"]] == [
        "inner circle: you meant to talk every week; no contact since you added them ten days ago"
    ]


def test_today_as_json_with_drafts_numbers_each_line_and_gives_its_draft(cli: Cli) -> None:
    network(cli)
    doc = cli.json("today", "--drafts")
    assert set(doc) == {"date", "total", "items", "coming"}
    assert [i["number"] for i in doc["items"]] == [1, 2, 3]
    assert [set(i) for i in doc["items"]] == [ITEM | {"draft"}] * 3
    assert all(i["draft"] is not None and i["draft"]["subject"] for i in doc["items"])
    # The lines are those of the plain listing, in its order.
    assert [i["key"] for i in doc["items"]] == [i["key"] for i in cli.json("today")["items"]]
