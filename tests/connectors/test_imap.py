"""The IMAP connector against a real Dovecot (tests/sync/servers.py): windows, cursors, flags, faults."""

from __future__ import annotations

import os
import secrets
import signal
from contextlib import suppress
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import trustme

from tests.mail import free_port
from tests.sync.servers import Dovecot
from tieline.connectors import imap_wire
from tieline.connectors.base import SyncError
from tieline.connectors.imap import ImapAccount, fetch_mail

ME = "me@example.org"
OWN = frozenset({ME})


def mail(
    sender: str = "ana@example.com",
    to: str = ME,
    *,
    when: datetime,
    subject: str = "Lunch?",
    extra: str = "",
    message_id: str | None = None,
) -> bytes:
    """A small real message (headers and a body) as a mail client would APPEND it."""
    message_id = message_id or f"{secrets.token_hex(6)}@example.com"
    headers = (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\nMessage-ID: <{message_id}>\r\n{extra}"
    )
    return (headers + "\r\nThe body, which the connector must never fetch.\r\n").encode()


def account(server: Dovecot, user: str, **options: object) -> ImapAccount:
    """The account of a test user on the test server (TLS from the first byte), trusting the tests' CA."""
    settings: dict = {"host": server.host, "port": server.tls_port, "user": user, "ca_file": server.ca_file}
    return ImapAccount(**(settings | options))


def sync(server: Dovecot, user: str, cursors: dict | None = None, *, now: datetime, **options: object):
    """One fetch with the user's password."""
    return fetch_mail(
        account(server, user), server.users[user], cursors or {}, now=now, own_emails=OWN, **options
    )  # type: ignore[arg-type]


def test_first_sync_takes_the_window_and_the_cursor(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    dovecot.deliver(
        user, mail(when=now - timedelta(days=400), subject="Too old"), when=now - timedelta(days=400)
    )
    dovecot.deliver(user, mail(when=now - timedelta(days=30)), when=now - timedelta(days=30))
    last = dovecot.deliver(
        user, mail("bo@example.com", when=now - timedelta(days=2), subject="Hi"), when=now - timedelta(days=2)
    )
    seen: list[tuple[int, int]] = []

    result = sync(dovecot, user, now=now, progress=lambda done, total: seen.append((done, total)))

    assert [r.subject for r in result.interactions] == ["Lunch?", "Hi"]
    first = result.interactions[0]
    assert first.source == "mbox" and first.kind == "email" and first.initiated_by == "them"
    assert first.emails == ["ana@example.com"] and first.addressed_to_me_alone
    assert result.cursors["INBOX"]["last_uid"] == last
    assert set(result.cursors) == {"INBOX", "Sent"}
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)


def test_a_second_sync_brings_only_what_came_after_the_cursor(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    dovecot.deliver(user, mail(when=now - timedelta(days=3)), when=now - timedelta(days=3))
    first = sync(dovecot, user, now=now)

    again = sync(dovecot, user, first.cursors, now=now)
    assert again.interactions == [] and again.cursors == first.cursors

    dovecot.deliver(user, mail("cy@example.com", when=now, subject="New"), when=now)
    later = sync(dovecot, user, first.cursors, now=now)
    assert [r.subject for r in later.interactions] == ["New"]
    assert later.cursors["INBOX"]["last_uid"] == first.cursors["INBOX"]["last_uid"] + 1


def test_nothing_is_marked_read_and_no_body_is_fetched(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    for days in (1, 2, 3):
        dovecot.deliver(user, mail(when=now - timedelta(days=days)), when=now - timedelta(days=days))

    result = sync(dovecot, user, now=now)

    assert len(result.interactions) == 3
    assert all("body" not in (r.notes or "") for r in result.interactions)
    with dovecot.client(user) as client:
        client.select_folder("INBOX", readonly=True)
        flags = client.get_flags(client.search(["ALL"]))
    assert flags and all(b"\\Seen" not in f for f in flags.values())


def test_sent_mail_is_mine_even_from_an_alias(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    dovecot.deliver(user, mail(ME, "ana@example.com", when=now), folder="Sent", when=now)
    dovecot.deliver(user, mail("me@alias.example", "bo@example.com", when=now), folder="Sent", when=now)

    result = sync(dovecot, user, now=now)

    assert [(r.initiated_by, r.emails) for r in result.interactions] == [
        ("me", ["ana@example.com"]),
        ("me", ["bo@example.com"]),
    ]
    assert not any(r.addressed_to_me_alone for r in result.interactions)


def test_lists_bulk_automatic_and_no_reply_mail_is_skipped(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    for extra in (
        "List-Id: <dev.lists.example.com>\r\n",
        "Precedence: bulk\r\n",
        "Auto-Submitted: auto-replied\r\n",
    ):
        dovecot.deliver(user, mail(when=now, extra=extra), when=now)
    dovecot.deliver(user, mail("noreply@shop.example", when=now), when=now)

    result = sync(dovecot, user, now=now)

    assert result.interactions == []
    reasons = " | ".join(s.reason for s in result.skipped)
    for words in ("List-Id", "Precedence: bulk", "Auto-Submitted", "noreply@shop.example"):
        assert words in reasons
    assert result.counts["broken"] == 0


def test_broken_headers_are_skipped_and_counted_never_fatal(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    dovecot.deliver(
        user,
        b"From: ana@example.com\r\nDate: the day after tomorrow\r\nTo: me@example.org\r\n\r\nx\r\n",
        when=now,
    )
    dovecot.deliver(
        user, b"Subject: who sent this?\r\nDate: Mon, 9 Mar 2026 10:00:00 +0000\r\n\r\nx\r\n", when=now
    )
    dovecot.deliver(user, b"\xff\xfe\x00garbage\r\n\r\n", when=now)
    dovecot.deliver(user, mail(when=now, subject="Fine"), when=now)

    result = sync(dovecot, user, now=now)

    assert [r.subject for r in result.interactions] == ["Fine"]
    assert result.counts["broken"] == 3 and len(result.skipped) == 3
    assert result.cursors["INBOX"]["last_uid"] == 4


def test_a_renumbered_folder_is_read_again_from_its_window(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    messages = [mail(when=now - timedelta(days=d), message_id=f"m{d}@example.com") for d in (5, 6)]
    for message in messages:
        dovecot.deliver(user, message, folder="Work", when=now)
    first = _sync_folder(dovecot, user, {}, now)
    with dovecot.client(user) as client:
        client.delete_folder("Work")
        client.create_folder("Work")
    for message in messages:
        dovecot.deliver(user, message, folder="Work", when=now)

    again = _sync_folder(dovecot, user, first.cursors, now)

    assert again.counts["resynced"] == 1
    assert again.cursors["Work"]["uidvalidity"] != first.cursors["Work"]["uidvalidity"]
    # The same messages by Message-ID: the save step's upsert keeps them one interaction each.
    assert [r.source_id for r in again.interactions] == [r.source_id for r in first.interactions]
    assert len(first.interactions) == 2


def _sync_folder(server: Dovecot, user: str, cursors: dict, now: datetime):
    return fetch_mail(
        account(server, user, folders=["Work"]), server.users[user], cursors, now=now, own_emails=OWN
    )


def test_a_wrong_password_says_so_without_the_password(dovecot: Dovecot, now: datetime) -> None:
    user, _ = dovecot.new_user()
    wrong = "hunter2-" + secrets.token_hex(4)
    with pytest.raises(SyncError) as caught:
        fetch_mail(account(dovecot, user), wrong, {}, now=now, own_emails=OWN)
    assert caught.value.kind == "auth"
    assert str(caught.value).startswith("wrong user name or password")
    for text in (str(caught.value), repr(caught.value), repr(account(dovecot, user))):
        assert wrong not in text


def test_a_refused_connection_is_unreachable(now: datetime) -> None:
    closed = ImapAccount(host="127.0.0.1", port=free_port(), user="ana")
    with pytest.raises(SyncError) as caught:
        fetch_mail(closed, "pw", {}, now=now, own_emails=OWN)
    assert caught.value.kind == "unreachable" and "connection refused" in str(caught.value)


def test_a_certificate_from_an_unknown_authority_is_refused(
    dovecot: Dovecot, now: datetime, tmp_path: Path
) -> None:
    user, password = dovecot.new_user()
    stranger = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(stranger))
    doubtful = ImapAccount(host=dovecot.host, port=dovecot.tls_port, user=user, ca_file=str(stranger))
    for tls, port in (("ssl", dovecot.tls_port), ("starttls", dovecot.port)):
        doubtful.tls, doubtful.port = tls, port
        with pytest.raises(SyncError) as caught:
            fetch_mail(doubtful, password, {}, now=now, own_emails=OWN)
        assert caught.value.kind == "certificate", tls


def test_starttls_and_plain_loopback_work_and_plain_elsewhere_is_refused(
    dovecot: Dovecot, now: datetime
) -> None:
    user, password = dovecot.new_user()
    dovecot.deliver(user, mail(when=now), when=now)
    for tls in ("starttls", "none"):
        plain_port = account(dovecot, user, tls=tls, port=dovecot.port)
        assert len(fetch_mail(plain_port, password, {}, now=now, own_emails=OWN).interactions) == 1
    with pytest.raises(ValueError, match="only to this machine"):
        ImapAccount(host="imap.example.com", tls="none", user=user)


def test_a_missing_folder_is_folder_gone(dovecot: Dovecot, now: datetime) -> None:
    user, password = dovecot.new_user()
    with pytest.raises(SyncError) as caught:
        fetch_mail(
            account(dovecot, user, folders=["INBOX", "Projects"]), password, {}, now=now, own_emails=OWN
        )
    assert caught.value.kind == "folder_gone" and "Projects" in str(caught.value)


def test_a_connection_dropped_mid_fetch_returns_nothing_and_the_next_sync_gets_all_once(
    dovecot: Dovecot, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_wire, "AHEAD", 1)  # so the cut lands before the last batch is fetched
    user, password = dovecot.new_user()
    for n in range(5):
        dovecot.deliver(user, mail(when=now, subject=f"m{n}"), when=now)

    def cut_after_first_batch(done: int, total: int) -> None:
        if done == 2:
            dovecot.kick(user)

    with pytest.raises(SyncError) as caught:
        fetch_mail(
            account(dovecot, user),
            password,
            {},
            now=now,
            own_emails=OWN,
            progress=cut_after_first_batch,
            batch=2,
        )
    assert caught.value.kind in ("timeout", "unreachable")

    result = fetch_mail(account(dovecot, user), password, {}, now=now, own_emails=OWN, batch=2)
    assert sorted(r.subject for r in result.interactions) == [f"m{n}" for n in range(5)]
    assert len({r.source_id for r in result.interactions}) == 5


def _children() -> list[tuple[int, bytes, bytes]]:
    """(pid, command line, environment) of each process this one started that is still running."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):  # gone meanwhile
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.append(
                    (
                        int(stat.parent.name),
                        (stat.parent / "cmdline").read_bytes(),
                        (stat.parent / "environ").read_bytes(),
                    )
                )
    return found


def test_a_first_sync_fetches_from_a_helper_never_given_the_password_in_the_open(
    dovecot: Dovecot, now: datetime
) -> None:
    """A first sync's helper process gets the password over a pipe: not in its command line or its
    environment, where other users' `ps` could read it."""
    user, password = dovecot.new_user()
    for n in range(3):
        dovecot.deliver(user, mail(when=now - timedelta(hours=n + 1), subject=f"m{n}"), when=now)
    seen: list[tuple[int, bytes, bytes]] = []

    result = sync(dovecot, user, now=now, progress=lambda done, total: seen.extend(_children()), batch=1)

    assert sorted(r.subject for r in result.interactions) == ["m0", "m1", "m2"]
    helpers = [(cmdline, environ) for _, cmdline, environ in seen if b"imap_wire" in cmdline]
    assert helpers, "the first sync ran no helper process"
    assert all(password.encode() not in cmdline + environ for cmdline, environ in helpers)


def test_a_helper_that_dies_mid_fetch_is_a_failure_in_words_and_brings_nothing(
    dovecot: Dovecot, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_wire, "AHEAD", 1)  # so the helper is still at work when it is killed
    user, _ = dovecot.new_user()
    for n in range(4):
        dovecot.deliver(user, mail(when=now - timedelta(hours=n + 1), subject=f"m{n}"), when=now)

    def kill_the_helper(done: int, total: int) -> None:
        if done == 1:
            for pid, cmdline, _ in _children():
                if b"imap_wire" in cmdline:
                    os.kill(pid, signal.SIGKILL)

    with pytest.raises(SyncError) as caught:
        sync(dovecot, user, now=now, progress=kill_the_helper, batch=1)
    assert caught.value.kind == "protocol" and "the mail fetch stopped" in str(caught.value)
