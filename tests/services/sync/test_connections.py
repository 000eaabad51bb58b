"""Connections and their secrets: a password lives in an owner-only file (or the keyring), never in the
database, a backup, a listing or an error; connect, list and disconnect."""

from __future__ import annotations

import io
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.services.sync.mail import fetched, message
from tieline.db import Database
from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Base
from tieline.services import backup_restore
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.sync import connections, secrets
from tieline.services.sync.run import store_result

OWNER = LOCAL_OWNER_ID
PASSWORD = "correct-Horse-battery-7361"


def _imap(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "host": "imap.example.org", "port": 993, "tls": "ssl", "user": "me@example.org", "folders": None,
        "months": 12, "ca_file": None, "password_command": None,
    }  # fmt: skip
    values.update(overrides)
    return connections.imap_settings(**values)  # type: ignore[arg-type]


def _connect(
    db: Database, data_dir: Path, now: datetime, name: str = "work", secret: str | None = PASSWORD
) -> None:
    with db.transaction() as s:
        connections.add_connection(
            s,
            owner_id=OWNER,
            kind="imap",
            name=name,
            settings=_imap(),
            secret=secret,
            data_dir=data_dir,
            now=now,
        )


def test_the_password_is_in_an_owner_only_file_and_nowhere_in_the_database(
    db: Database, tmp_path: Path, now: datetime
) -> None:
    _connect(db, tmp_path, now)
    with db.transaction() as s:
        people_service.add_person(
            s,
            owner_id=OWNER,
            name="Ana",
            changes=PersonChanges(add={"emails": ["ana@acme.com"]}),
            today=now.date(),
        )
    result = fetched(
        message("m1", "ana@acme.com", now - timedelta(days=1)), cursors={"INBOX": {"last_uid": 1}}
    )
    assert store_result(db, owner_id=OWNER, name="work", kind="imap", result=result, now=now).wrote
    secret_file = tmp_path / "secrets" / f"{OWNER}-work"
    assert secret_file.read_text(encoding="utf-8") == PASSWORD
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(secret_file.parent.stat().st_mode) == 0o700
    assert secrets.read_secret(tmp_path, OWNER, "work") == PASSWORD
    with db.engine.connect() as conn:
        stored = [repr(row) for t in Base.metadata.sorted_tables for row in conn.execute(t.select())]
    assert any("imap.example.org" in row for row in stored)  # the connection is there...
    assert not [row for row in stored if PASSWORD in row]  # ...its password is not
    out = io.StringIO()
    with db.sessions() as s:
        backup_restore.write_backup(s, out)
    text = out.getvalue()
    assert '"connection"' in text and '"sync_cursor"' in text and PASSWORD not in text


def test_connect_list_and_disconnect(db: Database, tmp_path: Path, now: datetime) -> None:
    _connect(db, tmp_path, now)
    with db.transaction() as s:
        settings = connections.ics_settings(
            url="https://cal.example.org/private-TOKEN123/basic.ics", months=6, ca_file=None
        )
        connections.add_connection(
            s, owner_id=OWNER, kind="ics", name="holidays", settings=settings,
            secret="https://cal.example.org/private-TOKEN123/basic.ics", data_dir=tmp_path, now=now,
        )  # fmt: skip
    with db.sessions() as s:
        listed = connections.list_connections(s, owner_id=OWNER)
        assert [(c.name, c.kind, c.where) for c in listed] == [
            ("holidays", "ics", "https://cal.example.org"),  # a private feed's token is a secret too
            ("work", "imap", "me@example.org@imap.example.org:993"),
        ]
        assert connections.due_connections(s, owner_id=OWNER, now=now) == ["holidays", "work"]
    with db.engine.connect() as conn:
        assert "TOKEN123" not in repr(conn.execute(sa.text("SELECT * FROM connection")).all())
    with db.transaction() as s:
        connections.remove_connection(s, owner_id=OWNER, name="work", data_dir=tmp_path)
    assert secrets.read_secret(tmp_path, OWNER, "work") is None
    assert not (tmp_path / "secrets" / f"{OWNER}-work").exists()
    with db.sessions() as s:
        assert [c.name for c in connections.list_connections(s, owner_id=OWNER)] == ["holidays"]
        with pytest.raises(NotFound):
            connections.remove_connection(s, owner_id=OWNER, name="work", data_dir=tmp_path)


def test_names_and_settings_are_checked(db: Database, tmp_path: Path, now: datetime) -> None:
    _connect(db, tmp_path, now)
    with pytest.raises(InvalidInput, match="exists"):
        _connect(db, tmp_path, now)
    for bad in ("../etc", "has space", ""):
        with pytest.raises(InvalidInput, match="connection name"):
            _connect(db, tmp_path, now, name=bad)
    with pytest.raises(InvalidInput, match=r"only for 127\.0\.0\.1"):
        _imap(tls="none")
    assert _imap(tls="none", host="127.0.0.1")["tls"] == "none"
    with pytest.raises(InvalidInput, match="leave the user and password out"):
        connections.caldav_settings(
            url="https://me:pw@dav.example.org/", user=None, calendars=None, months=12, ca_file=None,
            password_command=None,
        )  # fmt: skip


def test_a_password_command_is_run_without_a_shell_and_its_output_never_shown() -> None:
    assert secrets.run_password_command("printf 'pw with space\\nsecond line'") == "pw with space"
    with pytest.raises(secrets.SecretUnavailable) as failed:
        secrets.run_password_command("sh -c 'echo s3cr3t; echo s3cr3t >&2; exit 4'")
    assert str(failed.value) == "the password command failed (exit 4)"
    with pytest.raises(secrets.SecretUnavailable, match="was not found"):
        secrets.run_password_command("no-such-command-here --x")
    # No shell: a `;` is an argument, not a second command.
    assert secrets.run_password_command("echo a; touch /tmp/never") == "a; touch /tmp/never"


def test_a_secret_follows_the_transaction_that_connects_or_disconnects(
    db: Database, tmp_path: Path, now: datetime
) -> None:
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), db.transaction() as s:
        connections.add_connection(
            s, owner_id=OWNER, kind="imap", name="work", settings=_imap(),
            secret=PASSWORD, data_dir=tmp_path, now=now,
        )  # fmt: skip
        raise Abandon
    assert secrets.read_secret(tmp_path, OWNER, "work") is None  # no password outlives a failed connect

    _connect(db, tmp_path, now)
    with pytest.raises(Abandon), db.transaction() as s:
        connections.remove_connection(s, owner_id=OWNER, name="work", data_dir=tmp_path)
        raise Abandon
    assert secrets.read_secret(tmp_path, OWNER, "work") == PASSWORD  # still connected, still works
    with db.transaction() as s:
        connections.remove_connection(s, owner_id=OWNER, name="work", data_dir=tmp_path)
    assert secrets.read_secret(tmp_path, OWNER, "work") is None
