"""`tieline team` through the real CLI: the story end to end, and each mistake as one line on
stderr with its exit code, changing no row."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import Cli
from tests.teams.helpers import PASSWORD, person
from tieline.db import Database


def accounts(cli: Cli, *names: str) -> None:
    for name in names:
        cli.ok("user", "add", name, "--password-stdin", input=PASSWORD + "\n")


def invite_and_join(cli: Cli, team: str, *names: str) -> None:
    for name in names:
        made = cli.ok("team", "invite", team)
        token = made.stdout.strip()
        assert token.startswith("tli_") and "shown this once" in made.stderr
        cli.ok("team", "join", token, "--user", name)


def test_the_story_from_the_command_line(cli: Cli, db: Database) -> None:
    accounts(cli, "ana", "ben")  # ana takes the local network: commands without --user are hers
    cli.ok("add", "Dana Reyes", "--company", "Acme Inc.", "--title", "CTO", "--closeness", "5",
           "--email", "dana@acme.example", "--tag", "clients")  # fmt: skip
    cli.ok("add", "Eli Other", "--company", "Acme", "--tag", "friends")
    assert "Team 'Sales' (#1) made" in cli.ok("team", "create", "Sales").stdout
    invite_and_join(cli, "Sales", "ben")
    listed = cli.json("team", "list", "--user", "ben")
    assert [(t["name"], t["role"], [m["username"] for m in t["members"]]) for t in listed] == [
        ("Sales", "member", ["ana", "ben"])
    ]
    assert "You share nothing with team 'Sales': 0 people." in cli.ok("team", "share", "Sales").stdout
    shared = cli.ok("team", "share", "sales", "--tag", "clients")
    assert "You share tag 'clients' with team 'Sales': 1 person." in shared.stdout
    assert cli.json("team", "who", "Sales", "ACME", "--user", "ben") == [
        {"username": "ana", "band": "strong", "since_year": 2026, "name": "Dana Reyes", "title": "CTO",
         "organisation": "Acme Inc.", "share_id": 1}
    ]  # fmt: skip
    # Ana asks about her own: she is never told of herself.
    assert cli.json("team", "who", "Sales", "Acme") == []
    # Ben's own Dana, known by the same address: found by its keyed hash.
    with db.transaction() as s:
        ben = s.execute(sa.text("SELECT owner_id FROM account WHERE username = 'ben'")).scalar_one()
    person(db, ben, "Dee R.", lists={"emails": ["DANA@acme.example"]})
    table = cli.ok("team", "who", "Sales", "--person", "Dee", "--user", "ben").stdout
    assert "ana" in table and "Dana Reyes" in table and "strong" in table
    assert "nothing with team 'Sales'" in cli.ok("team", "unshare", "Sales").stdout
    assert "Nobody in team 'Sales'" in cli.ok("team", "who", "Sales", "Acme", "--user", "ben").stdout
    cli.ok("team", "share", "Sales", "--all")
    cli.ok("team", "remove", "Sales", "ben")
    assert cli.json("team", "list", "--user", "ben") == []
    cli.ok("team", "leave", "Sales")
    with db.transaction() as s:
        for table_name in ("team", "team_member", "team_share", "team_share_rule", "team_share_key"):
            assert s.execute(sa.text(f"SELECT count(*) FROM {table_name}")).scalar() == 0, table_name


def test_team_mistakes_are_one_line_and_change_nothing(cli: Cli, snapshot) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    assert "teams are between accounts" in cli.user_error("team", "create", "Sales", code=2)
    assert snapshot() == before
    accounts(cli, "ana", "ben", "dora")
    cli.ok("add", "Dana Reyes", "--company", "Acme")
    cli.ok("team", "create", "Sales")
    invite_and_join(cli, "Sales", "ben")
    used = cli.ok("team", "invite", "Sales").stdout.strip()
    cli.ok("team", "join", used, "--user", "dora")
    cli.ok("team", "leave", "Sales", "--user", "dora")
    before = snapshot()
    assert "no account named 'zoe'" in cli.user_error("team", "create", "X", "--user", "zoe", code=1)
    assert "team name" in cli.user_error("team", "create", "   ", code=2)
    assert "you are in no team 'Nope'" in cli.user_error("team", "invite", "Nope", code=1)
    assert "only an owner" in cli.user_error("team", "invite", "Sales", "--user", "ben", code=1)
    assert "no such invitation" in cli.user_error("team", "join", "tli_bogus", "--user", "dora", code=1)
    assert "already used" in cli.user_error("team", "join", used, "--user", "dora", code=2)
    assert "only an owner" in cli.user_error("team", "remove", "Sales", "ana", "--user", "ben", code=1)
    assert "no member 'dora'" in cli.user_error("team", "remove", "Sales", "dora", code=1)
    assert "leave it" in cli.user_error("team", "remove", "Sales", "ana", code=2)
    assert "one of --all" in cli.user_error("team", "share", "Sales", "--all", "--tag", "x", code=2)
    assert "unknown tier" in cli.user_error("team", "share", "Sales", "--tier", "9", code=2)
    assert "no person" in cli.user_error("team", "share", "Sales", "--person", "Nobody At All", code=1)
    assert "you do not share tag 'x'" in cli.user_error("team", "unshare", "Sales", "--tag", "x", code=2)
    assert "one of the two" in cli.user_error("team", "who", "Sales", code=2)
    assert "one of the two" in cli.user_error("team", "who", "Sales", "Acme", "--person", "Dana", code=2)
    assert "you are in no team 'Sales'" in cli.user_error(
        "team", "who", "Sales", "Acme", "--user", "dora", code=1
    )
    assert "you are in no team 'Sales'" in cli.user_error("team", "leave", "Sales", "--user", "dora", code=1)
    assert snapshot() == before
