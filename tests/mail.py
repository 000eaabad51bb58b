"""A real SMTP server on loopback for tests that send mail (aiosmtpd), and a way to read what it got.

By default it is what a submission server looks like: it offers STARTTLS and takes no mail before
it, with a certificate for its address issued by a throw-away test CA. The client is pointed at that
CA the way a user points it at a private one: SSL_CERT_FILE, set for the duration of the block.
"""

from __future__ import annotations

import os
import random
import socket
import ssl
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cache
from typing import Any, Literal

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

Tls = Literal["starttls", "implicit", "none"]
IMPLICIT_TLS_PORT = 465  # the client chooses TLS from the start by this port alone


@dataclass
class Received:
    """One message as the server received it: the envelope, the parsed message, and whether over TLS."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool = False


@dataclass
class Login:
    """One AUTH the server saw, whatever came of it."""

    mechanism: str
    username: str
    password: str
    tls: bool


@dataclass
class Inbox:
    """What the test server received, and where it listens; it accepts the one `account` it knows."""

    host: str
    port: int
    account: tuple[str, str] | None = None
    messages: list[Received] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # the name aiosmtpd calls
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed, _is_tls(server)))
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        """aiosmtpd's authenticator: note the attempt, accept only `account`."""
        assert isinstance(data, LoginPassword)
        username, password = data.login.decode(), data.password.decode()
        self.logins.append(Login(mechanism, username, password, _is_tls(server)))
        # handled=False: aiosmtpd answers a refusal itself (535).
        return AuthResult(success=(username, password) == self.account, handled=False)


def _is_tls(server: Any) -> bool:
    # STARTTLS swaps the transport for one over TLS; implicit TLS has one from the start.
    return server.transport.get_extra_info("ssl_object") is not None


@cache
def trusted_ca() -> trustme.CA:
    """The throw-away CA that signs the test servers' certificates (one per test run)."""
    return trustme.CA()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on `host` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _implicit_tls_address() -> tuple[str, int]:
    """Port 465 on a loopback address of its own, so parallel runs and a local mail server don't clash."""
    for _ in range(20):
        host = f"127.{random.randrange(1, 255)}.{random.randrange(0, 256)}.{random.randrange(1, 255)}"
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, IMPLICIT_TLS_PORT))
            except PermissionError:
                pytest.skip("listening on port 465 needs root (or net.ipv4.ip_unprivileged_port_start)")
            except OSError:
                continue
        return host, IMPLICIT_TLS_PORT
    raise RuntimeError("no loopback address had port 465 free")


@contextmanager
def smtp_server(
    *,
    tls: Tls = "starttls",
    trusted: bool = True,
    account: tuple[str, str] | None = None,
    login_in_the_clear: bool = False,
) -> Iterator[Inbox]:
    """An SMTP server on loopback for the duration of the block.

    `tls`: "starttls" (offered, and required before MAIL), "implicit" (TLS from the first byte, on
    port 465) or "none". `trusted=False` signs its certificate by a CA the client is not told of.
    `login_in_the_clear` offers AUTH before TLS, as a badly set up server would.
    """
    host, port = _implicit_tls_address() if tls == "implicit" else ("127.0.0.1", free_port())
    inbox = Inbox(host=host, port=port, account=account)
    ca = trusted_ca() if trusted else trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(host, "localhost").configure_cert(server_context)
    options: dict[str, Any] = {
        "authenticator": inbox.authenticate,
        # aiosmtpd counts only STARTTLS as TLS here; a server with implicit TLS offers AUTH at once.
        "auth_require_tls": tls != "implicit" and not login_in_the_clear,
    }
    if tls == "starttls":
        options.update(tls_context=server_context, require_starttls=True)
    elif tls == "implicit":
        options.update(ssl_context=server_context)
    controller = Controller(inbox, hostname=host, port=port, **options)
    with ExitStack() as stack:
        if trusted:
            stack.enter_context(_trusting(stack.enter_context(ca.cert_pem.tempfile())))
        controller.start()
        stack.callback(controller.stop)
        yield inbox


@contextmanager
def _trusting(cafile: str) -> Iterator[None]:
    """SSL_CERT_FILE names `cafile` for the block: ssl.create_default_context() then trusts it."""
    before = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = cafile
    try:
        yield
    finally:
        if before is None:
            del os.environ["SSL_CERT_FILE"]
        else:
            os.environ["SSL_CERT_FILE"] = before
