"""Real servers the sync tests run against, each on a loopback port with a throw-away config.

- Radicale (CalDAV and CardDAV, from PyPI): `running_radicale`; `Radicale.new_user()` gives each
  test its own principal, so tests never see one another's calendars and address books.
- Xandikos (CardDAV, from PyPI, a second implementation): `running_xandikos`, one principal
  (`/user/`) with its address book; it has no passwords of its own.
- An ICS URL: `serving_ics` serves the files of a directory over stdlib http.server, with ETag and
  Last-Modified, answering 304 to a conditional GET that matches.
- Dovecot (IMAP, Debian's dovecot-imapd): `running_dovecot`; STARTTLS and implicit TLS with a
  certificate from the tests' CA (tests/mail.py), a passwd-file per user (`Dovecot.new_user()`),
  Maildir in a temporary folder, a \\Sent special-use mailbox, its log in a file; mail goes in by
  APPEND (`Dovecot.deliver`).
"""

from __future__ import annotations

import email.utils
import grp
import hashlib
import http.server
import os
import pwd
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from imapclient import IMAPClient

from tests.mail import trusted_ca


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server started here: politely, then for good if it lingers."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, *, seconds: float = 20) -> None:
    """Return once something accepts connections on the port; fail with the server's log if it died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited ({process.returncode}):\n{log.read_text(errors='replace')}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the server did not listen on {port}:\n{log.read_text(errors='replace')}")


# --- Radicale (CalDAV) -------------------------------------------------------------------------

_RADICALE_CONFIG = """\
[server]
hosts = 127.0.0.1:{port}

[auth]
type = htpasswd
htpasswd_filename = {users}
htpasswd_encryption = plain
# A wrong password is answered at once; the default one-second delay only slows the tests.
delay = 0

[rights]
type = owner_only

[storage]
filesystem_folder = {storage}

[web]
type = none

[logging]
level = warning
"""


@dataclass
class Radicale:
    """A running Radicale: its base URL and the htpasswd file its users are read from."""

    url: str
    port: int
    users_file: Path

    def new_user(self) -> tuple[str, str]:
        """A fresh (user, password): Radicale reads the htpasswd file on every request."""
        user = "u" + secrets.token_hex(4)
        password = secrets.token_urlsafe(12)
        with self.users_file.open("a") as users:
            users.write(f"{user}:{password}\n")
        return user, password


@contextmanager
def running_radicale(root: Path) -> Iterator[Radicale]:
    """Radicale from PyPI (`python -m radicale`) with storage and users under `root`, stopped after."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    users = root / "users"
    users.write_text("")
    config = root / "radicale.conf"
    config.write_text(_RADICALE_CONFIG.format(port=port, users=users, storage=root / "collections"))
    log = root / "radicale.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for_port(port, process, log)
        yield Radicale(url=f"http://127.0.0.1:{port}/", port=port, users_file=users)
    finally:
        stop(process)


# --- a proxy that drops the connection ---------------------------------------------------------


@dataclass
class DroppingProxy:
    """A loopback HTTP proxy in front of a server: after `drop_after` PUTs have been forwarded, it
    forwards the next one and hangs up before answering (the card is written, the answer lost), and
    every request after it too, as a network cut would; `drop_after = None` heals it."""

    target: str
    port: int = 0
    drop_after: int | None = None
    puts: int = 0

    @property
    def url(self) -> str:
        """The proxy's base URL."""
        return f"http://127.0.0.1:{self.port}/"


def _forwarding(proxy: DroppingProxy) -> type[http.server.BaseHTTPRequestHandler]:
    import httpx

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            cut = proxy.drop_after is not None and proxy.puts >= proxy.drop_after
            if self.command == "PUT":
                proxy.puts += 1
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            answer = httpx.request(
                self.command, proxy.target.rstrip("/") + self.path, content=body, headers=headers
            )
            if cut:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(answer.status_code)
            for key, value in answer.headers.items():
                if key.lower() not in (
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "content-encoding",
                ):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_MKCOL = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def dropping_proxy(target: str) -> Iterator[DroppingProxy]:
    """A DroppingProxy to `target` in a thread until the block ends."""
    proxy = DroppingProxy(target=target)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _forwarding(proxy))
    proxy.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- Xandikos (CardDAV) ------------------------------------------------------------------------


@dataclass
class Xandikos:
    """A running Xandikos: its base URL and the address book `--defaults` made."""

    url: str
    port: int

    @property
    def book_url(self) -> str:
        """The address book of its one principal."""
        return f"{self.url}user/contacts/addressbook/"


@contextmanager
def running_xandikos(root: Path) -> Iterator[Xandikos]:
    """Xandikos from PyPI (`python -m xandikos serve`) storing under `root`, stopped after."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = root / "xandikos.log"
    command = [
        sys.executable, "-m", "xandikos", "serve", "-d", str(root / "data"), "--defaults",
        "-l", "127.0.0.1", "-p", str(port), "--current-user-principal", "/user/",
        "--state-dir", str(root / "state"), "--no-detect-systemd",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
        yield Xandikos(url=f"http://127.0.0.1:{port}/", port=port)
    finally:
        stop(process)


# --- an ICS URL (stdlib http.server) -----------------------------------------------------------


@dataclass
class IcsSite:
    """A directory served over HTTP: `url(name)` for a file in it, `requests` as (path, headers)."""

    root: Path
    port: int
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    ca_file: str | None = None  # set when served over TLS with a certificate from the tests' CA

    def url(self, name: str) -> str:
        """The address of `root/name`."""
        scheme = "https" if self.ca_file else "http"
        return f"{scheme}://127.0.0.1:{self.port}/{name}"


def _handler(site: IcsSite) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        """GET a file with ETag (its content's hash) and Last-Modified (its mtime); 304 when unchanged."""

        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers.items())))
            path = site.root / self.path.lstrip("/").split("?", 1)[0]
            if not path.is_file() or path.parent != site.root:
                self.send_error(404)
                return
            body = path.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            modified = int(path.stat().st_mtime)
            if self._unchanged(etag, modified):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
            self.end_headers()
            self.wfile.write(body)

        def _unchanged(self, etag: str, modified: int) -> bool:
            if "If-None-Match" in self.headers:  # RFC 9110: If-None-Match wins over If-Modified-Since
                return etag in [t.strip() for t in self.headers["If-None-Match"].split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                parsed = email.utils.parsedate_to_datetime(since)
                return parsed is not None and modified <= parsed.timestamp()
            return False

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output clean

    return Handler


@contextmanager
def serving_ics(root: Path, *, tls: bool = False) -> Iterator[IcsSite]:
    """Serve `root` on a loopback port in a thread until the block ends; over TLS when asked, with a
    certificate from the tests' CA (its file in `site.ca_file`)."""
    root.mkdir(parents=True, exist_ok=True)
    site = IcsSite(root=root, port=0)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.port = int(server.server_address[1])
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        trusted_ca().issue_cert("127.0.0.1", "localhost").configure_cert(context)
        trusted_ca().cert_pem.write_to_path(str(root.parent / "ics-ca.pem"))
        site.ca_file = str(root.parent / "ics-ca.pem")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- Dovecot (IMAP) ----------------------------------------------------------------------------

DOVECOT = Path("/usr/sbin/dovecot")
DOVEADM = Path("/usr/bin/doveadm")
# Dovecot refuses mail access as root; under a root test run the mailboxes belong to this user.
MAIL_USER_WHEN_ROOT = "nobody"


@dataclass
class Dovecot:
    """A running Dovecot: where it listens, the CA that signed its certificate, and its users."""

    host: str
    port: int  # plain IMAP, offering STARTTLS
    tls_port: int  # IMAP over TLS from the first byte
    ca_file: str
    config: Path
    users_dir: Path  # one passwd-file per user
    users: dict[str, str] = field(default_factory=dict, repr=False)  # user -> password

    def new_user(self) -> tuple[str, str]:
        """A fresh (user, password) with an empty mailbox.

        A passwd-file of its own per user: Dovecot looks at a changed file at most once a second,
        too late for a test that adds a user and logs in at once.
        """
        user, password = "u" + secrets.token_hex(4), secrets.token_urlsafe(12)
        self.users[user] = password
        (self.users_dir / user).write_text(f"{user}:{{PLAIN}}{password}::::::\n")
        return user, password

    def client(self, user: str) -> IMAPClient:
        """A logged-in client over TLS, as a test delivering or inspecting mail uses it."""
        context = ssl.create_default_context(cafile=self.ca_file)
        client = IMAPClient(self.host, port=self.tls_port, ssl=True, ssl_context=context, timeout=10)
        client.login(user, self.users[user])
        return client

    def deliver(
        self, user: str, message: bytes, *, folder: str = "INBOX", when: datetime | None = None
    ) -> int:
        """APPEND one message to a folder (created if missing), dated `when` on the server; its UID."""
        with self.client(user) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            answer = client.append(folder, message, msg_time=when)
        # "[APPENDUID <uidvalidity> <uid>] Append completed": UIDPLUS names the new message.
        return int(answer.split(b"]", 1)[0].split()[-1])

    def kick(self, user: str) -> None:
        """Drop every connection of a user at once, as a server restart or a network cut would."""
        command = [str(DOVEADM), "-c", str(self.config), "kick", user]
        subprocess.run(command, check=True, capture_output=True, timeout=10)


def dovecot_config(root: Path, mail: Path, *, port: int, tls_port: int) -> str:
    """A Dovecot config that touches nothing outside `root` and `mail` and listens on loopback only."""
    if os.geteuid() == 0:
        mail_user = pwd.getpwnam(MAIL_USER_WHEN_ROOT)
        identity = f"uid={mail_user.pw_uid} gid={mail_user.pw_gid}"
        # The passwd-file sits in pytest's 0700 folder, which only root may open.
        unprivileged = f"first_valid_uid = {mail_user.pw_uid}\nservice auth {{\n  user = root\n}}\n"
    else:  # run by an ordinary user: every process stays that user, and no chroot
        me, group = pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
        identity = f"uid={os.geteuid()} gid={os.getegid()}"
        unprivileged = (
            f"default_login_user = {me}\ndefault_internal_user = {me}\ndefault_internal_group = {group}\n"
            f"first_valid_uid = {os.geteuid()}\nservice imap-login {{\n  chroot =\n}}\n"
        )
    return f"""\
base_dir = {root}/base
state_dir = {root}/state
instance_name = tieline-test-{root.name}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain login
# A wrong password is answered at once: the default two seconds only slow the tests.
auth_failure_delay = 0
# ...and the logins after it are not held back (anvil's penalty for failures from one address).
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
disable_plaintext_auth = no
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users/%u
}}
userdb {{
  driver = static
  args = {identity} home={mail}/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
{unprivileged}"""


@contextmanager
def running_dovecot(root: Path) -> Iterator[Dovecot]:
    """Debian's Dovecot (`dovecot -F`) with its config, state and users under `root`, stopped after."""
    for folder in ("base", "state", "users"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    # The mailboxes' owner must reach them: under root that is `nobody`, for whom pytest's 0700
    # temporary folders are closed, so the mail lives in a folder of its own under the system tmp.
    mail = Path(tempfile.mkdtemp(prefix="tieline-dovecot-mail-"))
    if os.geteuid() == 0:
        mail_user = pwd.getpwnam(MAIL_USER_WHEN_ROOT)
        os.chown(mail, mail_user.pw_uid, mail_user.pw_gid)
    cert = trusted_ca().issue_cert("127.0.0.1", "localhost")
    (root / "cert.pem").write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    cert.private_key_pem.write_to_path(str(root / "key.pem"))
    trusted_ca().cert_pem.write_to_path(str(root / "ca.pem"))
    port, tls_port = free_port(), free_port()
    config = root / "dovecot.conf"
    config.write_text(dovecot_config(root, mail, port=port, tls_port=tls_port))
    log = root / "dovecot.log"
    log.write_text("")
    process = subprocess.Popen([str(DOVECOT), "-F", "-c", str(config)], stdin=subprocess.DEVNULL)
    try:
        wait_for_port(tls_port, process, log)
        yield Dovecot("127.0.0.1", port, tls_port, str(root / "ca.pem"), config, root / "users")
    finally:
        stop(process)
        shutil.rmtree(mail, ignore_errors=True)
