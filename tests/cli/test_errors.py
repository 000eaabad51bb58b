"""A user's mistake gives one line on stderr and exit code 1 (not found, ambiguous) or 2 (invalid
input), never a traceback, and the database is left exactly as it was."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.conftest import Cli
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

MISTAKES = [
    # (command line, exit code, part of the message)
    (["show", "Zed Quist"], 1, "no person matches 'Zed Quist'"),
    (["show", "Ana"], 1, "'Ana' matches 2 people: Ana Lima (#1, Acme); Ana Souza (#2)"),
    (["show", "#99"], 1, "no person with id 99"),
    (["log", "coffee", "Bo", "Zed Quist"], 1, "no person matches 'Zed Quist'"),
    (["log", "coffee", "Bo", "Ana"], 1, "matches 2 people"),
    (["log", "coffee", "Bo", "--date", "garbage"], 2, "cannot read --date 'garbage'"),
    (["log", "coffee", "Bo", "--date", "2026-02-30"], 2, "cannot read --date"),
    (["log", "brunch", "Bo"], 2, "unknown interaction kind 'brunch'"),
    (["log", "coffee", "Bo", "--initiated-by", "someone"], 2, "'me' or 'them'"),
    (["add", "Cy", "--email", "not-an-email"], 2, "not an email address: 'not-an-email'"),
    (["add", "Cy", "--email", "cy@example.com", "--email", "cy@"], 2, "not an email address: 'cy@'"),
    (["add", "Cy", "--tier", "9"], 2, "unknown tier '9'"),
    (["add", "Cy", "--tier", "best"], 2, "unknown tier 'best'"),
    (["add", "Cy", "--birthday", "2026-02-30"], 2, "birthday"),
    (["add", "Cy", "--met-on", "someday"], 2, "cannot read --met-on 'someday'"),
    (["add", "Cy", "--closeness", "9"], 2, "closeness must be from 1 to 5"),
    (["add", "Cy", "--cadence", "0"], 2, "cadence must be at least 1 day"),
    (["add", "Cy", "--phone", "call me"], 2, "not a phone number"),
    (["add", "  "], 2, "name cannot be empty"),
    (["edit", "Bo", "--tag", "new", "--email", "bad"], 2, "not an email address: 'bad'"),
    (["edit", "Bo", "--company", "Initech", "--tier", "0"], 2, "unknown tier '0'"),
    (["edit", "Zed Quist", "--tag", "x"], 1, "no person matches 'Zed Quist'"),
    (["archive", "Zed Quist"], 1, "no person matches 'Zed Quist'"),
    (["delete", "Zed Quist", "--yes"], 1, "no person matches 'Zed Quist'"),
    (["delete", "Ana", "--yes"], 1, "matches 2 people"),
    (["list", "--tier", "7"], 2, "unknown tier '7'"),
    (["list", "--sort", "age"], 2, "unknown sort 'age'"),
    (["list", "--org", "Nowhere"], 1, "no organisation matches 'Nowhere'"),
    (["org", "add", "ACME"], 2, "there is already a company named 'ACME'"),
    (["org", "add", "Guild Co", "--kind", "guild"], 2, "unknown organisation kind 'guild'"),
    (["org", "show", "Nowhere"], 1, "no organisation matches 'Nowhere'"),
    (["org", "list", "--kind", "guild"], 2, "unknown organisation kind 'guild'"),
    (["member", "Bo", "NewCo", "--since", "2026-03-01", "--until", "2020-01-01"], 2, "is before --since"),
    (["member", "Zed Quist", "Acme"], 1, "no person matches 'Zed Quist'"),
    (["member", "Bo", "Acme", "--since", "whenever"], 2, "cannot read --since 'whenever'"),
]


@pytest.fixture
def seeded(cli: Cli, db: Database, now: datetime) -> Cli:
    """Two Anas (one at Acme), and Bo with a tag and a call; written through the services, which is
    much quicker than four commands before every case."""
    with db.transaction() as session:

        def add(name: str, **changes: Any) -> Person:
            return people_service.add_person(
                session,
                owner_id=LOCAL_OWNER_ID,
                name=name,
                changes=PersonChanges(**changes),
                today=now.date(),
            )

        add("Ana Lima", set={"company": "Acme"})
        add("Ana Souza")
        bo = add("Bo", add={"tags": ["old"]})
        session.flush()
        interactions_service.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind="call", people=[bo], when=now - timedelta(days=1)
        )
    return cli


@pytest.mark.parametrize(("args", "code", "message"), MISTAKES, ids=[" ".join(m[0]) for m in MISTAKES])
def test_a_mistake_is_one_line_an_exit_code_and_no_change(
    seeded: Cli, snapshot: Any, args: list[str], code: int, message: str
) -> None:
    before = snapshot()
    line = seeded.user_error(*args, code=code)
    assert message in line
    assert snapshot() == before


@pytest.mark.parametrize("command", [["show"], ["delete", "--yes"]])
def test_a_longer_unknown_name_does_not_match_a_short_name_inside_it(
    seeded: Cli, snapshot: Any, command: list[str]
) -> None:
    before = snapshot()
    assert "no person matches 'Nobody'" in seeded.user_error(command[0], "Nobody", *command[1:], code=1)
    assert snapshot() == before


def test_a_date_beyond_the_calendar_is_a_mistake_not_a_crash(seeded: Cli, snapshot: Any) -> None:
    before = snapshot()
    assert "cannot read --date" in seeded.user_error(
        "log", "call", "Bo", "--date", "999999 years ago", code=2
    )
    assert snapshot() == before


def test_declining_to_delete_writes_nothing(seeded: Cli, snapshot: Any) -> None:
    before = snapshot()
    assert seeded.run("delete", "Bo", input="n\n").exit_code == 1
    assert snapshot() == before
