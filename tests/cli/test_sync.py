"""`tieline connect|connections|disconnect|sync|discovered`: the password asked for and kept out of the
database and every output, a failed sync as one line and exit 1 with only the status written, and the
discovered queue worked from the command line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.conftest import Cli
from tests.services.sync.mail import fetched, message
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services.sync.run import store_result

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]
PASSWORD = "Tr0ub4dor-and-3-more"
IMAP = ("connect", "imap", "work", "--host", "imap.example.org", "--user", "me@example.org")


@pytest.fixture(autouse=True)
def no_system_keyring() -> object:
    """Secrets go to the data folder's owner-only file, never the keyring of whoever runs the tests."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def _data_dir(cli: Cli) -> Path:
    return Path(str(cli.env["TIELINE_DATA_DIR"]))


def test_connect_keeps_the_password_out_of_the_database_and_every_output(
    cli: Cli, snapshot: Snapshot
) -> None:
    said = cli.ok(*IMAP, "--password-stdin", input=PASSWORD + "\n")
    assert "connected work (imap, me@example.org@imap.example.org:993)" in said.stdout
    assert (_data_dir(cli) / "secrets" / f"{LOCAL_OWNER_ID}-work").read_text() == PASSWORD
    listed = cli.json("connections")
    assert [(c["name"], c["kind"], c["where"], c["last_run_at"]) for c in listed] == [
        ("work", "imap", "me@example.org@imap.example.org:993", None)
    ]
    table = cli.ok("connections").stdout
    assert "imap.example.org" in table and "never" in table
    assert PASSWORD not in repr(snapshot()) + said.output + table
    cli.ok("disconnect", "work")
    assert cli.json("connections") == []
    assert not (_data_dir(cli) / "secrets" / f"{LOCAL_OWNER_ID}-work").exists()


def test_the_password_is_asked_with_a_hidden_prompt(cli: Cli) -> None:
    said = cli.ok(*IMAP, input=PASSWORD + "\n")
    assert "Password" in said.stdout and PASSWORD not in said.stdout


def test_a_failed_sync_is_one_line_exit_1_and_writes_only_the_status(cli: Cli, snapshot: Snapshot) -> None:
    cli.ok(*IMAP, "--password-command", "sh -c 'echo pass$((6*7))word; exit 3'")
    before = snapshot()
    line = cli.user_error("sync", "work", code=1)
    assert line == "error: work: the password command failed (exit 3)"
    after = snapshot()
    assert {t for t in before if before[t] != after[t]} == {"connection"}
    (work,) = cli.json("connections")
    assert (work["last_error"], work["failures"]) == ("the password command failed (exit 3)", 1)
    assert work["next_run_at"] is not None and "pass42word" not in repr(after)
    # Every connection: the failure is still one line and exit 1.
    assert cli.user_error("sync", code=1) == "error: work: the password command failed (exit 3)"


def test_wrong_names_and_settings_change_nothing(cli: Cli, snapshot: Snapshot) -> None:
    before = snapshot()
    assert "no connection named 'nope'" in cli.user_error("sync", "nope", code=1)
    assert "only for 127.0.0.1" in cli.user_error(
        "connect", "imap", "w", "--host", "mail.example.org", "--user", "me", "--tls", "none",
        "--password-stdin", code=2, input="pw\n",
    )  # fmt: skip
    assert "connection name" in cli.user_error(
        "connect", "ics", "my cal", "--url", "https://cal.example.org/x.ics", code=2
    )
    assert snapshot() == before


def test_discovered_list_add_link_and_ignore(cli: Cli, db: Database, now: datetime) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("connect", "ics", "cal", "--url", "https://cal.example.org/x.ics")
    result = fetched(
        message("m1", "bo@else.org", now - timedelta(days=3), name="Bo Chen"),
        message("m2", "cy@zeta.io", now - timedelta(days=2)),
        message("m3", "dee@web.net", now - timedelta(days=1)),
    )
    store_result(db, owner_id=LOCAL_OWNER_ID, name="cal", kind="ics", result=result, now=now)
    listed = cli.json("discovered")
    assert [(d["email"], d["name"], d["messages"]) for d in listed] == [
        ("dee@web.net", None, 1), ("cy@zeta.io", None, 1), ("bo@else.org", "Bo Chen", 1),
    ]  # fmt: skip
    assert "bo@else.org" in cli.ok("discovered").stdout
    assert cli.ok("discovered", "add", "bo@else.org").stdout.startswith("added Bo Chen (#")
    assert "cy@zeta.io is now Ana Lima's" in cli.ok("discovered", "link", "cy@zeta.io", "Ana").stdout
    cli.ok("discovered", "ignore", "dee@web.net")
    assert cli.json("discovered") == []
    assert [d["state"] for d in cli.json("discovered", "--ignored")] == ["ignored"]
    assert [e["address"] for e in cli.json("show", "Ana Lima")["emails"]] == ["cy@zeta.io"]
    assert "not in the discovered queue" in cli.user_error("discovered", "ignore", "zed@x.org", code=1)
