"""`tieline serve` as a server: it will not listen beyond loopback before an account exists (and says
how to make one), starts once one does, believes a proxy's X-Forwarded-Proto only from the addresses
it is given, and with --workers serves from several processes. Real processes, real HTTP on loopback."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx

from tests.server.serving import add_account, serving, session_cookie, sign_in, tieline
from tests.sync.servers import free_port
from tieline.db import Database


def test_listening_beyond_loopback_without_an_account_is_refused_and_says_how_to_make_one(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    done = tieline(database_url, tmp_path / "data", "serve", "--host", "0.0.0.0", "--port", str(port))
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert (
        lines[0].startswith("error: refusing to listen on 0.0.0.0:") and "`tieline user add NAME`" in lines[0]
    )
    with socket.socket() as probe:  # nothing was left listening
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    # Behind a proxy, on loopback, others reach it all the same.
    behind = tieline(database_url, tmp_path / "data", "serve", "--forwarded-allow-ips", "127.0.0.1")
    assert behind.returncode == 2, behind.stderr
    [line] = behind.stderr.strip().splitlines()
    assert line.startswith("error: refusing to serve behind a proxy") and "`tieline user add NAME`" in line


def test_with_an_account_it_listens_beyond_loopback_and_asks_to_sign_in(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    add_account(db)
    with serving(database_url, tmp_path / "data", host="0.0.0.0") as served:
        page = httpx.get(f"{served.url}/", timeout=10)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert sign_in(httpx.Client(timeout=10), served.url).status_code == 303
    said = served.log.read_text()
    assert "Listening on 0.0.0.0" in said and "sign-in" in said and "WARNING" not in said
    assert served.process.returncode is not None  # stopped


def test_a_forwarded_scheme_is_believed_only_from_the_addresses_given(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    add_account(db)
    forwarded = {"X-Forwarded-Proto": "https"}
    # Not told of any proxy: not even loopback's headers are believed (uvicorn's default would).
    with serving(database_url, tmp_path / "data") as served:
        cookie = session_cookie(sign_in(httpx.Client(timeout=10), served.url, **forwarded))
        assert "secure" not in cookie.lower()
    with serving(database_url, tmp_path / "data", "--forwarded-allow-ips", "127.0.0.1") as served:
        cookie = session_cookie(sign_in(httpx.Client(timeout=10), served.url, **forwarded))
        assert "; secure" in cookie.lower()  # from the proxy's address: the request was HTTPS
        # From another address (127.0.0.2 is loopback too, but not the one named): not believed.
        elsewhere = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10)
        cookie = session_cookie(sign_in(elsewhere, served.url, **forwarded))
        assert "secure" not in cookie.lower()


def test_an_address_that_is_not_one_is_refused(db: Database, database_url: str, tmp_path: Path) -> None:
    done = tieline(database_url, tmp_path / "data", "serve", "--forwarded-allow-ips", "127.0.0.1,*")
    assert done.returncode != 0
    assert "'*' is not an IP address or network" in done.stderr


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def answering_process(server_port: int, client_port: int, candidates: set[int]) -> int | None:
    """Which of the processes holds the server's end of this loopback connection."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16)
        if local == server_port and remote == client_port:
            inodes.add(f"socket:[{fields[9]}]")
    for pid in candidates:
        fd_dir = Path(f"/proc/{pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                if fd.readlink().as_posix() in inodes:
                    return pid
            except OSError:
                continue
    return None


def test_workers_serve_from_several_processes(db: Database, database_url: str, tmp_path: Path) -> None:
    with serving(database_url, tmp_path / "data", "--workers", "2") as served:
        workers = children(served.process.pid)
        answered: set[int] = set()
        deadline = time.monotonic() + 30
        while len(answered) < 2 and time.monotonic() < deadline:
            with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
                conn.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                head = conn.recv(4096)
                assert head.startswith((b"HTTP/1.1 200", b"HTTP/1.1 303")), head[:200]
                pid = answering_process(
                    served.port, conn.getsockname()[1], workers | children(served.process.pid)
                )
                assert pid is not None and pid != served.process.pid
                answered.add(pid)
        assert len(answered) == 2, f"only {answered} answered of {workers}"
        assert answered <= children(served.process.pid)
