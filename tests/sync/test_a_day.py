"""The issue's walk through a day, end to end through the CLI, a real Dovecot and a real Radicale:
mail from a known person and from a stranger, a meeting; `tieline sync` logs both, moves last contact
and strength, queues the stranger, puts a reply owed on the agenda; a reply APPENDed to Sent clears
it; a sync with nothing new writes nothing."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

import caldav

from tests.conftest import Cli
from tests.sync.servers import Dovecot, Radicale

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]
ME = "me@example.org"
ANA = "ana@example.com"
STRANGER = "zoe@elsewhere.net"


def mail(sender: str, to: str, when: datetime, subject: str, *, message_id: str, extra: str = "") -> bytes:
    """A real message, headers and body, as a mail client APPENDs it."""
    headers = (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
        f"Date: {when.strftime('%a, %d %b %Y %H:%M:%S +0000')}\r\nMessage-ID: <{message_id}>\r\n{extra}"
    )
    return (headers + "\r\nA body tieline never reads.\r\n").encode()


def meeting(uid: str, start: datetime, attendee: str) -> str:
    """A calendar holding one past meeting I organised, with one attendee who accepted."""
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tieline tests//EN", "BEGIN:VEVENT",
            f"UID:{uid}", f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}", f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
            f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}", "SUMMARY:Quarterly planning",
            f"ORGANIZER;CN=Me:mailto:{ME}", f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ME}",
            f"ATTENDEE;PARTSTAT=ACCEPTED;CN=Ana Lima:mailto:{attendee}", "END:VEVENT", "END:VCALENDAR",
        ]
    ) + "\r\n"  # fmt: skip


def replies(cli: Cli) -> list[str]:
    """The agenda's reply-owed lines."""
    return [item["title"] for item in cli.json("today")["items"] if item["kind"] == "reply"]


def test_a_day_of_mail_and_meetings(
    cli: Cli, dovecot: Dovecot, radicale: Radicale, now: datetime, snapshot: Snapshot
) -> None:
    cli.ok("config", "me.emails", ME)
    cli.ok("add", "Ana Lima", "--email", ANA)
    user, password = dovecot.new_user()
    cli.ok(
        "connect", "imap", "mail", "--host", dovecot.host, "--port", str(dovecot.tls_port), "--tls", "ssl",
        "--user", user, "--ca-file", dovecot.ca_file, "--password-stdin", input=password + "\n",
    )  # fmt: skip
    dav_user, dav_password = radicale.new_user()
    principal = caldav.DAVClient(url=radicale.url, username=dav_user, password=dav_password).principal()
    calendar = principal.make_calendar(name="Work", cal_id="work")
    cli.ok(
        "connect", "caldav", "calendar", "--url", radicale.url, "--user", dav_user, "--password-stdin",
        input=dav_password + "\n",
    )  # fmt: skip

    # The day: a meeting with Ana last week, then her message to me alone, then a stranger's.
    calendar.save_event(meeting("plan-1", now - timedelta(days=8), ANA))
    asked = now - timedelta(days=5)
    ana_id = f"{secrets.token_hex(6)}@example.com"
    dovecot.deliver(
        user, mail(f"Ana Lima <{ANA}>", ME, asked, "Lunch next week?", message_id=ana_id), when=asked
    )
    wrote = now - timedelta(days=4)
    dovecot.deliver(
        user, mail(f"Zoe Park <{STRANGER}>", ME, wrote, "Hello", message_id="z1@elsewhere.net"), when=wrote
    )
    before = cli.json("show", "Ana Lima")

    said = cli.ok("sync").stdout
    assert "mail: 1 added" in said and "calendar: 1 added" in said

    ana = cli.json("show", "Ana Lima")
    assert ana["last_contact_at"] == asked.isoformat()
    assert ana["strength"]["total"] > (before["strength"] or {}).get("total", 0)
    kinds = sorted(i["kind"] for i in ana["timeline"])
    assert kinds == ["email", "meeting"]
    assert [(d["email"], d["name"], d["messages"]) for d in cli.json("discovered")] == [
        (STRANGER, "Zoe Park", 1)
    ]
    assert [p["name"] for p in cli.json("list")] == ["Ana Lima"]  # the stranger was not created
    assert replies(cli) == ["Reply to Ana Lima: Lunch next week?"]

    # I answer from my mail client: the reply lands in Sent, and the next sync clears the line.
    answered = now - timedelta(hours=2)
    reply = mail(
        ME, f"Ana Lima <{ANA}>", answered, "Re: Lunch next week?", message_id=f"re-{ana_id}",
        extra=f"In-Reply-To: <{ana_id}>\r\n",
    )  # fmt: skip
    dovecot.deliver(user, reply, folder="Sent", when=answered)
    assert "mail: 1 added" in cli.ok("sync", "mail").stdout
    assert replies(cli) == []
    assert cli.json("show", "Ana Lima")["last_contact_at"] == answered.isoformat()

    # Nothing new: nothing written, not even a run.
    quiet = snapshot()
    assert password not in repr(quiet) and dav_password not in repr(quiet)  # every column of every table
    assert "A body tieline never reads" not in repr(quiet)
    said = cli.ok("sync").stdout
    assert "mail: nothing new" in said and "calendar: nothing new" in said
    assert snapshot() == quiet
    runs = cli.json("import", "runs")
    assert sorted(r["format"] for r in runs) == ["caldav", "imap", "imap"]


def test_a_wrong_password_is_one_line_exit_1_and_only_the_status_changes(
    cli: Cli, dovecot: Dovecot, snapshot: Snapshot
) -> None:
    user, _ = dovecot.new_user()
    wrong = "not-" + secrets.token_hex(8)
    cli.ok(
        "connect", "imap", "mail", "--host", dovecot.host, "--port", str(dovecot.tls_port), "--user", user,
        "--ca-file", dovecot.ca_file, "--password-stdin", input=wrong + "\n",
    )  # fmt: skip
    before = snapshot()
    line = cli.user_error("sync", "mail", code=1)
    assert line.startswith("error: mail: wrong user name or password") and wrong not in line
    after = snapshot()
    assert {t for t in before if before[t] != after[t]} == {"connection"}
    assert wrong not in repr(after)
    (mail_connection,) = cli.json("connections")
    assert mail_connection["last_error"].startswith("wrong user name or password")
