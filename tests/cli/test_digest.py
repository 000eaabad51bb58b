"""`tieline digest`: printed by default, emailed with --send."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Cli
from tests.mail import Inbox, Login, smtp_server

PASSWORD = "s3cret-Pa55word"


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


def point_at(cli: Cli, server: Inbox, *, username: str | None = None) -> None:
    """The smtp.* settings for `server`, and the password in the environment when logging in."""
    cli.ok("config", "smtp.host", server.host)
    cli.ok("config", "smtp.port", str(server.port))
    cli.ok("config", "smtp.to", "me@example.org")
    if username:
        cli.ok("config", "smtp.username", username)
        cli.env["TIELINE_SMTP_PASSWORD"] = PASSWORD


def test_digest_send_emails_text_and_html(cli: Cli, inbox: Inbox) -> None:
    small_network(cli)
    point_at(cli, inbox)

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


def test_smtp_defaults_to_starttls_on_the_submission_port(cli: Cli) -> None:
    settings = cli.json("config")
    assert (settings["smtp.port"], settings["smtp.starttls"]) == (587, True)


def test_digest_send_logs_in_and_sends_only_after_starttls_by_default(cli: Cli) -> None:
    with smtp_server(tls="starttls", account=("me", PASSWORD)) as server:
        point_at(cli, server, username="me")
        cli.ok("digest", "--send")
    assert server.logins == [Login("PLAIN", "me", PASSWORD, tls=True)]
    [received] = server.messages
    assert received.tls
    assert received.rcpt_tos == ["me@example.org"]


def test_digest_send_refuses_a_login_over_a_plain_connection(cli: Cli) -> None:
    # A server that would take the password in the clear: tieline must not offer it.
    with smtp_server(tls="none", account=("me", PASSWORD), login_in_the_clear=True) as server:
        point_at(cli, server, username="me")
        cli.ok("config", "smtp.starttls", "false")
        line = cli.user_error("digest", "--send", code=2)  # the whole of stderr
    assert "smtp.starttls is off" in line and "nothing was sent" in line
    assert PASSWORD not in line
    assert server.logins == [] and server.messages == []


def test_digest_send_stops_when_the_server_offers_no_starttls(cli: Cli) -> None:
    with smtp_server(tls="none") as server:
        point_at(cli, server)
        line = cli.user_error("digest", "--send", code=2)
    assert f"{server.host}:{server.port} does not offer STARTTLS: nothing was sent" in line
    assert server.messages == []


def test_digest_send_refuses_an_untrusted_certificate(cli: Cli) -> None:
    with smtp_server(tls="starttls", trusted=False, account=("me", PASSWORD)) as server:
        point_at(cli, server, username="me")
        line = cli.user_error("digest", "--send", code=2)  # the whole of stderr
    assert f"the certificate of {server.host}:{server.port} is not trusted" in line
    assert "SSL_CERT_FILE" in line
    assert PASSWORD not in line
    assert server.logins == [] and server.messages == []


def test_digest_send_over_implicit_tls_on_port_465(cli: Cli) -> None:
    with smtp_server(tls="implicit", account=("me", PASSWORD)) as server:
        point_at(cli, server, username="me")
        cli.ok("digest", "--send")
    assert server.logins == [Login("PLAIN", "me", PASSWORD, tls=True)]
    assert [m.tls for m in server.messages] == [True]


def test_digest_send_without_a_login_may_use_a_plain_relay(cli: Cli) -> None:
    with smtp_server(tls="none") as relay:
        point_at(cli, relay)
        cli.ok("config", "smtp.starttls", "false")
        cli.ok("digest", "--send")
    assert [m.tls for m in relay.messages] == [False]


def test_a_refused_login_does_not_show_the_password(cli: Cli) -> None:
    with smtp_server(tls="starttls", account=("me", "another password")) as server:
        point_at(cli, server, username="me")
        line = cli.user_error("digest", "--send", code=2)  # the whole of stderr
    assert f"{server.host}:{server.port} refused the login of me: 535" in line
    assert PASSWORD not in line
    assert server.logins and all(login.tls for login in server.logins)  # smtplib tries PLAIN, then LOGIN
    assert server.messages == []
