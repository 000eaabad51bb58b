"""What a sync keeps: who, when and what (the subject), never a body, an attachment or another header
(nor an event's description, place or link), and never the password, in any column of any table, in
a backup or in the sync's output."""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import caldav
import pytest
import sqlalchemy as sa

from tests.conftest import Cli
from tests.sync.servers import Dovecot, Radicale
from tieline.db import Database
from tieline.models import Base

ME = "me@example.org"
# Each part of a message is marked "<tag>-<label>"; what the database may hold is the labels below.
KEPT = {"subject", "msgid", "ana", "zoe", "zoename"}
NEVER = {
    "body",
    "html",
    "xsecret",
    "received",
    "agent",
    "boundary",
    "attachment",
    "returnpath",
    "bcc",
    "mailer",
}


def message(
    tag: str,
    *,
    sender: str,
    to: str,
    when: datetime,
    number: int,
    attachment: bytes,
    label: str = "subject",
    extra: str = "",
) -> bytes:
    """A whole message as a mail client sends it: a text and an HTML part, an attachment, and headers
    tieline must never ask for; every value carries `tag` and a label saying what it is."""
    boundary = f"{tag}-boundary"
    encoded = base64.encodebytes(attachment).decode().replace("\n", "\r\n")
    return (
        f"Return-Path: <{tag}-returnpath@relay.example>\r\n"
        f"Received: from {tag}-received.relay.example by mx.example.org; {when:%a, %d %b %Y %H:%M:%S} +0000\r\n"
        f"From: {sender}\r\nTo: {to}\r\nBcc: {tag}-bcc@hidden.example\r\n"
        f"Subject: {tag}-{label} {number}\r\n{extra}Date: {when:%a, %d %b %Y %H:%M:%S} +0000\r\n"
        f"Message-ID: <{tag}-msgid-{number}@example.com>\r\n"
        f"X-Secret-Header: {tag}-xsecret\r\nUser-Agent: {tag}-agent\r\nX-Mailer: {tag}-mailer\r\n"
        f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"The figures you asked for: {tag}-body.\r\n\r\n"
        f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{tag}-html</p>\r\n\r\n"
        f'--{boundary}\r\nContent-Type: application/octet-stream; name="{tag}-attachment.bin"\r\n'
        f'Content-Disposition: attachment; filename="{tag}-attachment.bin"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}--{boundary}--\r\n"
    ).encode()


def labels(text: str, tag: str) -> set[str]:
    """The labels of the message parts found in a text."""
    return set(re.findall(re.escape(tag) + r"-([a-z]+)", text))


def where_each_label_is(tables: dict[str, list[dict[str, object]]], tag: str) -> dict[str, set[str]]:
    """label -> "table.column" of every cell that holds it."""
    found: dict[str, set[str]] = {}
    for table, rows in tables.items():
        for row in rows:
            for column, value in row.items():
                for label in labels(repr(value), tag):
                    found.setdefault(label, set()).add(f"{table}.{column}")
    return found


@pytest.fixture
def rows(db: Database) -> Callable[[], dict[str, list[dict[str, object]]]]:
    """Every row of every table in the database as {column: value}: the models' tables and the rest
    (the search indexes, SQLite's full-text shadow tables, Alembic's), as the database lists them."""

    def take() -> dict[str, list[dict[str, object]]]:
        with db.engine.connect() as conn:
            inspector = sa.inspect(conn)
            names = inspector.get_table_names()
            assert {t.name for t in Base.metadata.sorted_tables} <= set(names)
            tables = {
                n: sa.table(n, *(sa.column(c["name"]) for c in inspector.get_columns(n))) for n in names
            }
            return {n: [dict(r._mapping) for r in conn.execute(t.select())] for n, t in tables.items()}

    return take


def test_a_synced_mailbox_leaves_who_when_and_subject_and_nothing_else(
    cli: Cli,
    dovecot: Dovecot,
    now: datetime,
    rows: Callable[[], dict[str, list[dict[str, object]]]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tag = "t" + secrets.token_hex(6)
    ana, zoe = f"{tag}-ana@example.com", f"{tag}-zoe@elsewhere.net"
    attachment = f"{tag}-attachment-content ".encode() * 40
    cli.ok("config", "me.emails", ME)
    cli.ok("add", "Ana Lima", "--email", ana)
    user, password = dovecot.new_user()
    cli.ok(
        "connect", "imap", "mail", "--host", dovecot.host, "--port", str(dovecot.tls_port), "--user", user,
        "--ca-file", dovecot.ca_file, "--password-stdin", input=password + "\n",
    )  # fmt: skip
    asked, wrote = now - timedelta(days=5), now - timedelta(days=4)
    ana_mail = message(tag, sender=f"Ana Lima <{ana}>", to=ME, when=asked, number=1, attachment=attachment)
    zoe_mail = message(
        tag, sender=f'"{tag}-zoename" <{zoe}>', to=f"{ME}, {ana}", when=wrote, number=2, attachment=attachment
    )
    # A mailing list's message, skipped by rule, leaves nothing either: not even its subject or sender.
    listed = message(
        tag, sender=f"{tag}-listed@lists.example", to=ME, when=wrote, number=3, attachment=attachment,
        label="listed", extra="List-Id: Robotics <robotics.lists.example>\r\n",
    )  # fmt: skip
    for each, when in ((ana_mail, asked), (zoe_mail, wrote), (listed, wrote)):
        dovecot.deliver(user, each, when=when)

    with caplog.at_level(logging.DEBUG):  # every logger, the IMAP library's protocol trace included
        result = cli.ok("sync", "mail")
    assert "mail: 2 added, 1 skipped" in result.stdout

    tables = rows()
    # Never stored anywhere: the body, the attachment (its name, its text, its base64), other headers,
    # the Bcc, and the password.
    dumped = repr(tables)
    assert password not in dumped
    assert (
        f"{tag}-attachment-content" not in dumped and base64.b64encode(attachment)[:40].decode() not in dumped
    )
    found = where_each_label_is(tables, tag)
    assert not set(found) & NEVER, {label: found[label] for label in set(found) & NEVER}
    # What is kept, and where: the subject on the interaction, the Message-ID as its source id, the
    # addresses of the people in it (Ana's was hers already; Zoe's waits in the discovered queue with
    # the name she wrote under). No other column holds anything of the messages.
    assert set(found) == KEPT, found
    assert found["subject"] == {"interaction.subject"}, found
    assert found["zoename"] == {"discovered.name"}, found
    assert found["zoe"] == {"discovered.email"}, found
    assert found["ana"] == {"person_email.address"}, found  # as added; the sync wrote no address of hers
    assert all(column.endswith("source_id") for column in found["msgid"]), found

    interactions = {r["subject"]: r for r in tables["interaction"]}
    first, second = interactions[f"{tag}-subject 1"], interactions[f"{tag}-subject 2"]
    assert (first["kind"], first["to_me_alone"], first["notes"]) == ("email", True, None)
    assert (second["kind"], second["to_me_alone"], second["notes"]) == ("email", False, None)
    assert _aware(first["occurred_at"]) == asked.replace(microsecond=0)
    assert _aware(second["occurred_at"]) == wrote.replace(microsecond=0)

    # Nothing marked read on the server (BODY.PEEK).
    with dovecot.client(user) as client:
        client.select_folder("INBOX", readonly=True)
        assert all(b"\\Seen" not in flags for flags in client.get_flags(client.search(["ALL"])).values())

    # The sync's output and every log record: no password; nor anything of a body, since none was fetched.
    said = result.output + caplog.text
    assert password not in said
    assert not labels(said, tag) & NEVER, labels(said, tag) & NEVER

    # A backup holds what the database holds: the same parts, never the password.
    backup = tmp_path / "backup.json"
    cli.ok("backup", str(backup))
    text = backup.read_text(encoding="utf-8")
    assert password not in text and labels(text, tag) <= KEPT
    assert json.loads(text)  # a real backup, not an empty file


def test_a_synced_calendar_keeps_the_meeting_not_its_description_place_or_link(
    cli: Cli, radicale: Radicale, now: datetime, rows: Callable[[], dict[str, list[dict[str, object]]]]
) -> None:
    tag = "t" + secrets.token_hex(6)
    cli.ok("config", "me.emails", ME)
    cli.ok("add", "Ana Lima", "--email", f"{tag}-ana@example.com")
    user, password = radicale.new_user()
    principal = caldav.DAVClient(url=radicale.url, username=user, password=password).principal()
    start = now - timedelta(days=3)
    principal.make_calendar(name="Work", cal_id="work").save_event(
        "\r\n".join(
            [
                "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tieline tests//EN", "BEGIN:VEVENT",
                f"UID:{tag}-uid", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
                f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}", f"SUMMARY:{tag}-subject",
                f"DESCRIPTION:{tag}-description", f"LOCATION:{tag}-location",
                f"URL:https://meet.example/{tag}-link", f"ATTACH:https://files.example/{tag}-attachment",
                f"X-SECRET:{tag}-xsecret", f"ORGANIZER;CN=Me:mailto:{ME}", f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}",
                f"ATTENDEE;PARTSTAT=ACCEPTED;CN=Ana Lima:mailto:{tag}-ana@example.com",
                "END:VEVENT", "END:VCALENDAR",
            ]
        )
        + "\r\n"
    )  # fmt: skip
    cli.ok(
        "connect", "caldav", "calendar", "--url", radicale.url, "--user", user, "--password-stdin",
        input=password + "\n",
    )  # fmt: skip

    result = cli.ok("sync", "calendar")
    assert "calendar: 1 added" in result.stdout and password not in result.output

    tables = rows()
    assert password not in repr(tables)
    found = where_each_label_is(tables, tag)
    assert set(found) == {"subject", "uid", "ana"}, found  # no description, place, link, attachment or X-
    assert found["subject"] == {"interaction.subject"}, found
    assert all(column.endswith("source_id") for column in found["uid"]), found
    (meeting,) = [r for r in tables["interaction"] if r["kind"] == "meeting"]
    assert (meeting["subject"], meeting["notes"]) == (f"{tag}-subject", None)
    assert _aware(meeting["occurred_at"]) == start.replace(microsecond=0)


def _aware(value: object) -> datetime:
    """A stored time as an aware UTC datetime (SQLite's columns, read untyped, hand back naive UTC text)."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(when, datetime)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def test_the_sync_docs_name_exactly_the_header_fields_fetched() -> None:
    from tieline.connectors.imap import HEADER_FIELDS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "sync.md").read_text(encoding="utf-8")
    (fetch,) = re.findall(r"BODY\.PEEK\[HEADER\.FIELDS \(([A-Z -]+)\)\]", docs)
    assert fetch == HEADER_FIELDS
