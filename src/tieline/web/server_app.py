"""The app as `tieline serve --workers N` has each of its processes build it: uvicorn imports this
module in every worker and calls `app()`, which reads what `tieline serve` set in the environment
(TIELINE_DATABASE_URL, TIELINE_DATA_DIR, TIELINE_ALLOWED_HOSTS: the Host names it answers to,
comma-separated)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from tieline.config import load_settings
from tieline.web.app import LOOPBACK_HOSTS, create_app

ALLOWED_HOSTS_VARIABLE = "TIELINE_ALLOWED_HOSTS"


def allowed_hosts(env: dict[str, str] | os._Environ[str] | None = None) -> list[str]:
    """The Host names from the environment; loopback's when none are set."""
    text = (os.environ if env is None else env).get(ALLOWED_HOSTS_VARIABLE, "")
    return [name.strip() for name in text.split(",") if name.strip()] or list(LOOPBACK_HOSTS)


def app() -> FastAPI:
    """A new app over the database the environment names (uvicorn's factory)."""
    return create_app(load_settings(), allowed_hosts=allowed_hosts())
