"""`tieline digest`: printed by default, emailed with --send."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Cli
from tests.mail import Inbox, smtp_server


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on loopback that keeps what it receives."""
    with smtp_server() as server:
        yield server


def small_network(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--tier", "2")
    cli.ok("log", "coffee", "Ana", "--date", "45 days ago")
    cli.ok("add", "Bo Chen", "--tier", "5")
    cli.ok("log", "call", "Bo", "--date", "2 days ago", "--note", "<script>alert(1)</script> plans")


def test_digest_prints_the_text_version(cli: Cli) -> None:
    small_network(cli)
    out = cli.ok("digest").stdout
    assert out.startswith("Your week with tieline: Tuesday 10 March to Monday 16 March 2026\n")
    assert "  * Get in touch with Ana Lima\n" in out
    assert "call with Bo Chen: <script>alert(1)</script> plans" in out


def test_digest_date_moves_the_week(cli: Cli) -> None:
    small_network(cli)
    out = cli.ok("digest", "--date", "2026-04-01").stdout
    assert "Wednesday 1 April to Tuesday 7 April 2026" in out


def test_digest_send_emails_text_and_html(cli: Cli, inbox: Inbox) -> None:
    small_network(cli)
    cli.ok("config", "smtp.host", inbox.host)
    cli.ok("config", "smtp.port", str(inbox.port))
    cli.ok("config", "smtp.to", "me@example.org")

    out = cli.ok("digest", "--send", "--to", "Other@Example.org").stdout

    assert "to other@example.org" in out
    [received] = inbox.messages
    assert received.rcpt_tos == ["other@example.org"]
    html = received.message.get_body(preferencelist=("html",))
    assert html is not None
    assert "&lt;script&gt;alert(1)&lt;/script&gt; plans" in html.get_content()


def test_digest_send_without_a_server_is_a_config_error(cli: Cli) -> None:
    small_network(cli)
    message = cli.user_error("digest", "--send", code=2)
    assert "smtp.host is not set" in message


def test_digest_rejects_a_bad_to_address(cli: Cli) -> None:
    assert "not an email address" in cli.user_error("digest", "--send", "--to", "nobody", code=2)
