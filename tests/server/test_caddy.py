"""tieline behind Debian's Caddy, as docs/deploy.md sets it up: Caddy terminates TLS (here with its own
throw-away CA, `tls internal`) and proxies to `tieline serve --forwarded-allow-ips 127.0.0.1`. A
request over HTTPS through Caddy reaches the app, which knows it came over HTTPS (the session cookie
it sets is Secure); the same X-Forwarded-Proto sent straight to tieline from an address not listed is
not believed. scripts/test installs the `caddy` package when it is missing."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.server.serving import add_account, serving, session_cookie, sign_in
from tests.sync.servers import free_port, stop, wait_for_port
from tieline.db import Database

CADDYFILE = """\
{{
	admin off
	local_certs
	skip_install_trust
	auto_https disable_redirects
	http_port {http_port}
	https_port {https_port}
}}

localhost:{https_port} {{
	tls internal
	reverse_proxy 127.0.0.1:{app_port}
}}
"""


def caddy_binary() -> str:
    found = shutil.which("caddy") or ("/usr/bin/caddy" if Path("/usr/bin/caddy").exists() else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("caddy is missing (scripts/test installs Debian's package)", pytrace=False)
        pytest.skip("caddy is missing (scripts/test installs Debian's package)")
    return found


@contextmanager
def caddy_in_front(app_port: int, folder: Path) -> Iterator[tuple[str, ssl.SSLContext]]:
    """Caddy on loopback proxying HTTPS to the app; its base URL and a TLS context trusting its CA."""
    binary = caddy_binary()
    folder.mkdir()
    https_port, http_port = free_port(), free_port()
    config = folder / "Caddyfile"
    config.write_text(CADDYFILE.format(http_port=http_port, https_port=https_port, app_port=app_port))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(folder),  # its CA and certificates go here, never to the machine's own
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
    }
    log = folder / "caddy.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "run", "--config", str(config), "--adapter", "caddyfile"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_port(https_port, process, log, seconds=30)
        root = folder / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        deadline = time.monotonic() + 30
        while not root.exists():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        trust = ssl.create_default_context(cafile=str(root))
        base = f"https://localhost:{https_port}"
        while True:  # its certificate for localhost is issued just after it starts listening
            try:
                httpx.get(f"{base}/login", verify=trust, timeout=5)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield base, trust
    finally:
        stop(process)


def test_over_https_through_caddy_the_app_knows_the_request_was_https(
    db: Database, database_url: str, tmp_path: Path
) -> None:
    add_account(db)
    with (
        serving(database_url, tmp_path / "data", "--forwarded-allow-ips", "127.0.0.1") as served,
        caddy_in_front(served.port, tmp_path / "caddy") as (base, trust),
    ):
        with httpx.Client(verify=trust, timeout=10) as browser:
            page = browser.get(f"{base}/")
            assert page.status_code == 303 and page.headers["location"].startswith("/login")
            signed_in = sign_in(browser, base)
            assert signed_in.status_code == 303, signed_in.text[:500]
            assert "; secure" in session_cookie(signed_in).lower()
            assert browser.get(f"{base}/").status_code == 200  # signed in: Today, not the sign-in page
        # The same header straight to tieline from an address it was not given is not believed.
        straight = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10)
        cookie = session_cookie(sign_in(straight, served.url, **{"X-Forwarded-Proto": "https"}))
        assert "secure" not in cookie.lower()
