"""`tieline serve` as a real process on a loopback port, and signing in to it over real HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.sync.servers import free_port, stop, wait_for_port
from tieline.db import Database
from tieline.services import accounts

USER, PASSWORD = "ana", "correct horse battery staple"


def add_account(db: Database) -> None:
    """An account, as `tieline user add ana` makes one."""
    with db.transaction(writes=True) as session:
        accounts.add_user(session, username=USER, password=PASSWORD, now=datetime.now(UTC))


def tieline(
    database_url: str, data_dir: Path, *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `tieline --database URL ARGS` to its end."""
    return subprocess.run(
        [sys.executable, "-m", "tieline", "--database", database_url, *args],
        env=environment(data_dir), capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TIELINE_", "FORWARDED_ALLOW_IPS"))}
    return {**env, "TIELINE_DATA_DIR": str(data_dir), "NO_COLOR": "1", "COLUMNS": "200"}


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serving(database_url: str, data_dir: Path, *args: str, host: str = "127.0.0.1") -> Iterator[Served]:
    """`tieline serve` on a free port until the block ends (stopped then, politely)."""
    port = free_port()
    log = data_dir.parent / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tieline", "--database", database_url, "serve",
             "--host", host, "--port", str(port), *args],
            env=environment(data_dir), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_port(port, process, log, seconds=60)
        yield Served(process, port, log)
    finally:
        stop(process)


def sign_in(client: httpx.Client, base: str, **headers: str) -> httpx.Response:
    """Sign in through the login form as a browser would (its CSRF token, its Origin); the answer."""
    page = client.get(f"{base}/login", headers=headers)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF field on the login page"
    return client.post(
        f"{base}/login",
        data={"csrf_token": token.group(1), "username": USER, "password": PASSWORD, "next": "/"},
        headers={"Origin": base, "Sec-Fetch-Site": "same-origin", **headers},
    )


def session_cookie(response: httpx.Response) -> str:
    """The Set-Cookie line of the session a sign-in gave."""
    [line] = [v for v in response.headers.get_list("set-cookie") if v.startswith("tieline_session=")]
    return line
