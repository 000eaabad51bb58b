"""`tieline event add|list|met|attend|show`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import Cli, scratch_database
from tests.test_docs import documented_keys


def pycon(cli: Cli, *extra: str) -> dict[str, Any]:
    return cli.json("event", "add", "PyCon Lisbon", "--date", "2026-03-10", "--end", "2026-03-12", *extra)


def test_add_an_event_with_an_organiser_created_on_the_fly(cli: Cli) -> None:
    event = pycon(
        cli, "--place", "Lisbon", "--organiser", "PyLadies", "--kind", "meetup", "--goals", "data people"
    )
    assert (event["name"], event["kind"], event["starts_on"], event["ends_on"], event["place"]) == (
        "PyCon Lisbon",
        "meetup",
        "2026-03-10",
        "2026-03-12",
        "Lisbon",
    )
    assert (event["organiser"], event["goals"]) == ("PyLadies", "data people")
    [org] = cli.json("org", "list")
    assert (org["name"], org["kind"]) == ("PyLadies", "community")  # a meetup's organiser


def test_meeting_people_opens_follow_ups_on_the_agenda_from_the_next_day(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    pycon(cli)
    out = cli.ok("event", "met", "pycon", "Ana Lima", "Carla Dias", "--note", "Rust tooling").stdout
    assert "PyCon Lisbon: met Ana Lima (#1), follow up by 2026-03-12" in out
    assert "PyCon Lisbon: met Carla Dias (#2, new), follow up by 2026-03-12" in out
    carla = cli.json("show", "Carla Dias")
    assert (carla["met_how"], carla["met_on"]) == ("at PyCon Lisbon (conference)", "2026-03-10")
    assert [i["kind"] for i in carla["timeline"]] == ["event"]  # meeting someone is an interaction
    assert cli.json("today")["items"] == []  # the day you met: not yet
    # From the next day, with the day it is due by (48 hours after meeting).
    cli.env["TIELINE_NOW"] = "2026-03-11T09:00:00+00:00"
    titles = [i["title"] for i in cli.json("today")["items"]]
    assert "Follow up with Ana Lima after PyCon Lisbon, by tomorrow" in titles
    assert "Follow up with Carla Dias after PyCon Lisbon, by tomorrow" in titles
    cli.env["TIELINE_NOW"] = "2026-03-12T09:00:00+00:00"
    titles = [i["title"] for i in cli.json("today")["items"]]
    assert "Follow up with Ana Lima after PyCon Lisbon, today" in titles
    assert "Follow up with Carla Dias after PyCon Lisbon, today" in titles


def test_show_tells_who_was_followed_up_in_time_and_who_is_still_in_touch(cli: Cli) -> None:
    pycon(cli)
    cli.ok("add", "Bo Chen")
    cli.ok("event", "met", "pycon", "Ana Lima", "Carla Dias")
    cli.ok("event", "attend", "pycon", "Bo Chen")
    cli.env["TIELINE_NOW"] = "2026-03-12T09:00:00+00:00"
    cli.ok("today")
    titles = [i["title"] for i in cli.json("today")["items"]]
    cli.ok("done", str(1 + next(n for n, t in enumerate(titles) if "Ana Lima" in t)))
    cli.ok("log", "email", "Ana Lima", "--note", "sent the slides")
    cli.env["TIELINE_NOW"] = "2026-06-01T09:00:00+00:00"
    out = cli.ok("event", "show", "PyCon").stdout
    assert "done 2026-03-12 (in time)" in out
    assert "overdue, due 2026-03-12" in out
    assert "also there: Bo Chen" in out
    assert out.strip().endswith("met 2, followed up 1 in time, 1 still in touch, 0 opportunities (0 won)")
    page = cli.json("event", "show", "#1")
    ana, carla = page["met_people"]
    assert (ana["follow_up_status"], ana["followed_up_in_time"], ana["still_in_touch"]) == (
        "done",
        True,
        True,
    )
    assert (carla["follow_up_status"], carla["still_in_touch"], carla["last_contact_after"]) == (
        "overdue",
        False,
        None,
    )
    assert [p["person"] for p in page["attended_people"]] == ["Bo Chen"]
    assert page["return"]["line"] == "met 2, followed up 1 in time, 1 still in touch, 0 opportunities (0 won)"


def test_meeting_someone_twice_changes_nothing(cli: Cli) -> None:
    pycon(cli)
    cli.ok("event", "met", "pycon", "Ana Lima")
    again = cli.json("event", "met", "pycon", "Ana Lima")
    assert [(p["person"], p["already"], p["created"]) for p in again] == [("Ana Lima", True, False)]
    assert len(cli.json("follow-ups")) == 1
    assert cli.json("show", "Ana Lima")["interaction_count"] == 1


def test_list_is_newest_first_with_counts(cli: Cli) -> None:
    cli.ok("event", "add", "Old meetup", "--date", "2025-11-02", "--kind", "meetup")
    pycon(cli)
    cli.ok("event", "met", "pycon", "Ana Lima", "Carla Dias")
    rows = cli.json("event", "list")
    assert [(r["name"], r["met"], r["followed_up"]) for r in rows] == [
        ("PyCon Lisbon", 2, 0),
        ("Old meetup", 0, 0),
    ]
    assert "PyCon Lisbon" in cli.ok("event", "list").stdout


def test_bad_input_is_one_line_and_writes_nothing(cli: Cli, snapshot: Callable[[], Any]) -> None:
    pycon(cli)
    cli.ok("event", "add", "Devoxx", "--date", "2026-04-20")
    cli.ok("event", "add", "PyCon Porto", "--date", "2026-01-20")
    before = snapshot()
    assert "no event matches 'Fosdem'" in cli.user_error("event", "met", "Fosdem", "Ana Lima", code=1)
    assert "'pycon' matches 2 events" in cli.user_error("event", "met", "pycon", "Ana Lima", code=1)
    assert "starts on 2026-04-20" in cli.user_error("event", "met", "devoxx", "Ana Lima", code=2)
    assert "before" in cli.user_error(
        "event", "add", "X", "--date", "2026-05-02", "--end", "2026-05-01", code=2
    )
    assert "unknown event kind" in cli.user_error(
        "event", "add", "X", "--date", "today", "--kind", "party", code=2
    )
    assert "already an event" in cli.user_error("event", "add", "devoxx", "--date", "2026-04-20", code=2)
    assert "no person matches" in cli.user_error("event", "attend", "devoxx", "Nobody Here", code=1)
    assert snapshot() == before


def test_json_shapes_match_the_documentation(cli: Cli) -> None:
    docs = documented_keys()
    event = pycon(cli, "--organiser", "PSF")
    assert list(event) == docs["event"]
    assert list(cli.json("event", "list")[0]) == docs["event"] + docs["event summary"]
    cli.ok("add", "Bo Chen")
    met = cli.json("event", "met", "pycon", "Ana Lima")
    assert list(met[0]) == docs["event attendee"] + ["created", "already", "looks_like_id"]
    cli.ok("event", "attend", "pycon", "Bo Chen")
    page = cli.json("event", "show", "pycon")
    assert list(page) == docs["event"] + docs["event page"]
    assert list(page["met_people"][0]) == docs["event attendee"] + docs["event person"]
    assert list(page["return"]) == docs["event return"]


def test_an_event_and_whom_you_met_survive_backup_and_restore(
    cli: Cli, backend: str, cli_env: dict[str, str | None], tmp_path: Path
) -> None:
    pycon(cli, "--organiser", "PSF", "--place", "Lisbon", "--goals", "data people")
    cli.ok("add", "Bo Chen")
    cli.ok("event", "met", "pycon", "Ana Lima", "--note", "Rust")
    cli.ok("event", "attend", "pycon", "Bo Chen")
    page = cli.json("event", "show", "pycon")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    cli.ok("backup", str(first))
    with scratch_database(backend, tmp_path) as url:
        other = Cli(database_url=url, env=cli_env)
        other.ok("restore", str(first))
        assert other.json("event", "show", "pycon") == page
        other.ok("backup", str(second))
    assert second.read_bytes() == first.read_bytes()
