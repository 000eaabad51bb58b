"""Fixtures for the web app: an in-process client, and a live server for the browser tests."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.conftest import FIXED_NOW
from tests.sync.conftest import radicale
from tieline.config import Settings
from tieline.db import Database
from tieline.web.app import create_app
from tieline.web.csrf import COOKIE

__all__ = ["radicale"]  # the sync tests' Radicale, one for the web tests' address books


class WebClient(TestClient):
    """A TestClient that sends the CSRF token back the way the pages do (header)."""

    def csrf(self) -> str:
        """The token, fetching a page first if no cookie was set yet."""
        if COOKIE not in self.cookies:
            self.get("/settings")
        return self.cookies[COOKIE]

    def form(self, url: str, data: dict[str, object], **kwargs: object):  # type: ignore[no-untyped-def]
        """POST a form the way a page does, with the CSRF header."""
        return self.post(
            url, data=data, headers={"X-CSRF-Token": self.csrf(), "HX-Request": "true"}, **kwargs
        )


@pytest.fixture
def web_settings(db: Database, database_url: str, tmp_path: Path) -> Settings:
    """Settings for the app under test, on the test's database."""
    return Settings(data_dir=tmp_path / "data", database_url=database_url)


@pytest.fixture
def client(db: Database, web_settings: Settings) -> Iterator[WebClient]:
    """The app in-process, on this test's database, with the fixed clock."""
    app = create_app(web_settings, database=db, now=lambda: FIXED_NOW)
    with WebClient(app, base_url="http://127.0.0.1") as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(app: FastAPI) -> Iterator[tuple[str, uvicorn.Server]]:
    """The app served by uvicorn on a free loopback port, in a thread: its base URL and server."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(db: Database, web_settings: Settings) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    with served(create_app(web_settings, database=db, now=lambda: FIXED_NOW)) as (url, _):
        yield url


@dataclass(frozen=True)
class AppRoute:
    """A route as a client sees it: its full path template and methods."""

    path: str
    methods: frozenset[str]


def app_routes() -> list[AppRoute]:
    """Every route of the app (pages, HTMX partials, the API), from its router; building the app
    touches no database, so none is opened (its data folder gets the CSRF secret: a scratch one)."""
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(data_dir=Path(scratch), database_url="sqlite://")
        app = create_app(settings, database=object())  # type: ignore[arg-type]
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI lists included routes flat in app.routes, prefixes applied
        return [AppRoute(r.path, frozenset(r.methods)) for r in app.routes if isinstance(r, APIRoute)]
    return [
        AppRoute(str(c.path), frozenset(c.original_route.methods))
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute)
    ]
