"""`tieline user` and `tieline token` (server mode's accounts and tokens) through the real CLI."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import Cli
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID

PASSWORD = "a long enough password"


def test_the_first_account_takes_the_local_network_and_later_ones_start_empty(cli: Cli, db: Database) -> None:
    cli.ok("add", "Carla Diaz")
    first = cli.ok("user", "add", "ana", "--password-stdin", input=PASSWORD + "\n")
    assert "owns the network already in this database" in first.stdout
    second = cli.ok("user", "add", "ben", "--password-stdin", input=PASSWORD + "\n")
    assert "owns the network" not in second.stdout
    with db.transaction() as s:
        rows = s.execute(sa.text("SELECT owner_id, username FROM account ORDER BY owner_id")).all()
        hashes = s.execute(sa.text("SELECT password_hash FROM account")).scalars().all()
    assert rows[0] == (LOCAL_OWNER_ID, "ana") and rows[1][0] != LOCAL_OWNER_ID
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    listed = cli.json("user", "list")
    assert [(u["username"], u["disabled"]) for u in listed] == [("ana", False), ("ben", False)]


def test_user_mistakes_are_one_line_and_change_nothing(cli: Cli, snapshot) -> None:  # type: ignore[no-untyped-def]
    cli.ok("user", "add", "ana", "--password-stdin", input=PASSWORD + "\n")
    before = snapshot()
    assert "already exists" in cli.user_error(
        "user", "add", "ANA", "--password-stdin", code=2, input=PASSWORD + "\n"
    )
    assert "at least 10 characters" in cli.user_error(
        "user", "add", "cy", "--password-stdin", code=2, input="short\n"
    )
    assert "username" in cli.user_error(
        "user", "add", "two words", "--password-stdin", code=2, input=PASSWORD + "\n"
    )
    assert "no account named 'zoe'" in cli.user_error("user", "disable", "zoe", code=1)
    assert snapshot() == before


def test_disable_enable_passwd_and_delete(cli: Cli, db: Database) -> None:
    cli.ok("user", "add", "ana", "--password-stdin", input=PASSWORD + "\n")
    cli.ok("user", "add", "ben", "--password-stdin", input=PASSWORD + "\n")
    assert "Account 'ben' disabled." in cli.ok("user", "disable", "ben").stdout
    assert cli.json("user", "list")[1]["disabled"] is True
    assert "Account 'ben' enabled." in cli.ok("user", "enable", "ben").stdout
    assert cli.json("user", "list")[1]["disabled"] is False
    with db.transaction() as s:
        old = s.execute(sa.text("SELECT password_hash FROM account WHERE username = 'ben'")).scalar()
    cli.ok("user", "passwd", "ben", "--password-stdin", input="another long password\n")
    with db.transaction() as s:
        assert s.execute(sa.text("SELECT password_hash FROM account WHERE username = 'ben'")).scalar() != old
    cli.ok("user", "delete", "ben", "--yes")
    assert [u["username"] for u in cli.json("user", "list")] == ["ana"]
    # Deleting the account that owns the local network leaves an empty local owner for the CLI.
    cli.ok("add", "Carla Diaz")
    cli.ok("user", "delete", "ana", "--yes")
    assert cli.json("list") == [] or cli.json("list").get("people", []) == []
    with db.transaction() as s:
        assert s.execute(sa.text("SELECT id FROM owner")).scalars().all() == [LOCAL_OWNER_ID]


def test_tokens_are_printed_once_and_stored_hashed(cli: Cli, db: Database) -> None:
    made = cli.ok("token", "create", "phone", "--scope", "write")
    secret = made.stdout.strip()
    assert secret.startswith("tl_") and "shown this once" in made.stderr
    listed = cli.json("token", "list")
    assert [(t["name"], t["scope"], t["revoked_at"]) for t in listed] == [("phone", "write", None)]
    assert listed[0]["prefix"] == secret[:10]
    with db.transaction() as s:
        stored = s.execute(sa.text("SELECT token_hash FROM api_token")).scalar()
    assert secret not in stored and secret[10:] not in stored
    assert "no token 'nope'" in cli.user_error("token", "revoke", "nope", code=1)
    cli.ok("token", "revoke", "phone")
    assert cli.json("token", "list")[0]["revoked_at"] is not None
    assert "scope: one of read, write" in cli.user_error("token", "create", "x", "--scope", "admin", code=2)


def test_on_a_new_database_every_account_after_the_first_gets_its_own_owner(
    fresh_database_url: str, cli_env: dict[str, str | None]
) -> None:
    # A database just migrated (not one the test fixtures emptied and re-seeded): PostgreSQL's id
    # sequence of owner must be past the local owner the first migration inserted with its id.
    cli = Cli(fresh_database_url, cli_env)
    for name in ("ana", "ben", "cy"):
        cli.ok("user", "add", name, "--password-stdin", input=PASSWORD + "\n")
    assert [u["username"] for u in cli.json("user", "list")] == ["ana", "ben", "cy"]
