"""Settings: built by a factory from the environment and flags, never at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "tieline"


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about where data lives."""

    data_dir: Path
    database_url: str

    @property
    def is_sqlite(self) -> bool:
        """True when the database is an embedded SQLite file."""
        return self.database_url.startswith("sqlite")


def default_data_dir(env: Mapping[str, str]) -> Path:
    """The per-user data directory (platform conventions), or TIELINE_DATA_DIR when set."""
    override = env.get("TIELINE_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def load_settings(database: str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Build settings from an explicit --database flag, then TIELINE_DATABASE_URL, then defaults."""
    env = os.environ if env is None else env
    data_dir = default_data_dir(env)
    url = database or env.get("TIELINE_DATABASE_URL") or ""
    if not url:
        url = f"sqlite:///{data_dir / 'tieline.db'}"
    elif "://" not in url:
        # A bare path is taken as an SQLite file, so `--database ./work.db` does what it says.
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    url = normalise_url(url)
    return Settings(data_dir=data_dir, database_url=url)


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
