"""`tieline log`: recording an interaction in one line."""

from __future__ import annotations

import pytest

from tests.conftest import Cli


@pytest.mark.parametrize(
    ("typed", "occurred_at"),
    [
        ("today", "2026-03-10T10:00:00+00:00"),
        ("yesterday", "2026-03-09T12:00:00+00:00"),
        ("2026-03-01", "2026-03-01T12:00:00+00:00"),
        ("3 days ago", "2026-03-07T12:00:00+00:00"),
        ("last friday", "2026-03-06T12:00:00+00:00"),
        ("2026-03-09T18:30:00+01:00", "2026-03-09T17:30:00+00:00"),
    ],
)
def test_log_reads_the_date_as_people_type_it(cli: Cli, typed: str, occurred_at: str) -> None:
    cli.ok("add", "Ana")
    assert cli.json("log", "call", "Ana", "--date", typed)["occurred_at"] == occurred_at


def test_log_defaults_to_now(cli: Cli) -> None:
    cli.ok("add", "Ana")
    assert cli.json("log", "call", "Ana")["occurred_at"] == "2026-03-10T10:00:00+00:00"


def test_log_with_several_people_shows_on_each_timeline(cli: Cli) -> None:
    for name in ("Ana Lima", "Bo Chen", "Cy Diaz"):
        cli.ok("add", name)
    result = cli.ok("log", "meeting", "Ana", "bo", "#3", "--note", "planning", "--date", "yesterday")
    assert result.stdout.strip() == "logged meeting with Ana Lima, Bo Chen, Cy Diaz on 2026-03-09 12:00"
    for name, others in (("Ana", ["Bo Chen", "Cy Diaz"]), ("Bo", ["Ana Lima", "Cy Diaz"])):
        shown = cli.json("show", name)
        assert [(t["kind"], t["notes"], t["with"]) for t in shown["timeline"]] == [
            ("meeting", "planning", others)
        ]
        assert shown["interaction_count"] == 1
        assert shown["last_contact_at"] == "2026-03-09T12:00:00+00:00"


def test_log_records_who_reached_out_and_the_subject(cli: Cli) -> None:
    cli.ok("add", "Ana")
    logged = cli.json("log", "email", "Ana", "--initiated-by", "them", "--subject", "Intro to Bo")
    assert (logged["kind"], logged["initiated_by"], logged["subject"]) == ("email", "them", "Intro to Bo")


@pytest.mark.parametrize(
    ("typed", "kind"), [("lunch", "meeting"), ("zoom", "video_call"), ("video-call", "video_call")]
)
def test_log_accepts_everyday_words_for_kinds(cli: Cli, typed: str, kind: str) -> None:
    cli.ok("add", "Ana")
    assert cli.json("log", typed, "Ana")["kind"] == kind


def test_an_older_interaction_does_not_move_last_contact_back(cli: Cli) -> None:
    cli.ok("add", "Ana")
    cli.ok("log", "call", "Ana", "--date", "yesterday")
    cli.ok("log", "call", "Ana", "--date", "2025-01-01")
    shown = cli.json("show", "Ana")
    assert shown["last_contact_at"] == "2026-03-09T12:00:00+00:00"
    assert [t["occurred_at"][:10] for t in shown["timeline"]] == ["2026-03-09", "2025-01-01"]


def test_show_limit_trims_the_timeline_but_not_the_count(cli: Cli) -> None:
    cli.ok("add", "Ana")
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
        cli.ok("log", "message", "Ana", "--date", day)
    shown = cli.json("show", "Ana", "--limit", "2")
    assert [t["occurred_at"][:10] for t in shown["timeline"]] == ["2026-03-03", "2026-03-02"]
    assert shown["interaction_count"] == 3


def test_a_person_named_twice_is_listed_once(cli: Cli) -> None:
    cli.ok("add", "Bo")
    assert cli.json("log", "coffee", "Bo", "bo")["with"] == ["Bo"]


def test_social_engagement_is_a_light_interaction(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("add", "Bo Chen")
    social = cli.json("log", "social", "Ana", "--note", "commented on her post")
    assert (social["kind"], social["notes"]) == ("social", "commented on her post")
    cli.ok("log", "coffee", "Bo", "--notes", "talked about the new role")
    ana, bo = cli.json("show", "Ana")["strength"], cli.json("show", "Bo")["strength"]
    assert 0 < ana["parts"]["intensity"] < bo["parts"]["intensity"]
    assert ana["total"] < bo["total"]
