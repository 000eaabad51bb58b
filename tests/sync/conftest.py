"""Fixtures of the sync tests: real servers started once per run (tests/sync/servers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import in_ci
from tests.sync.servers import (
    DOVECOT,
    Dovecot,
    IcsSite,
    Radicale,
    Xandikos,
    running_dovecot,
    running_radicale,
    running_xandikos,
    serving_ics,
)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """A Radicale CalDAV server for the whole run; each test takes its own user (`new_user()`)."""
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture(scope="session")
def xandikos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Xandikos]:
    """A Xandikos CardDAV server for the whole run (one address book: tests empty it first)."""
    with running_xandikos(tmp_path_factory.mktemp("xandikos")) as server:
        yield server


@pytest.fixture
def ics_site(tmp_path: Path) -> Iterator[IcsSite]:
    """A local HTTP server for this test's .ics files, with ETag, Last-Modified and 304."""
    with serving_ics(tmp_path / "site") as site:
        yield site


@pytest.fixture
def ics_tls_site(tmp_path: Path) -> Iterator[IcsSite]:
    """The same over TLS, with a certificate from the tests' CA (`ics_tls_site.ca_file`)."""
    with serving_ics(tmp_path / "tls-site", tls=True) as site:
        yield site


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dovecot]:
    """A Dovecot IMAP server for the whole run; each test takes its own user (`new_user()`).

    Without Dovecot installed its tests fail in CI (scripts/test installs it) and skip elsewhere.
    """
    if not DOVECOT.exists():
        message = f"dovecot not found at {DOVECOT} (apt-get install dovecot-imapd; scripts/test does)"
        if in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message + " (set CI=true to make this a failure)")
    with running_dovecot(tmp_path_factory.mktemp("dovecot")) as server:
        yield server
