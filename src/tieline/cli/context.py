"""What every command shares: settings, the database (opened on first use), the clock, output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from tieline import clock
from tieline.config import Settings
from tieline.db import Database, open_database
from tieline.models import LOCAL_OWNER_ID


@dataclass
class AppContext:
    """Per-invocation state, stored on Typer's context object by the root callback."""

    settings: Settings
    console: Console = field(default_factory=Console)
    owner_id: int = LOCAL_OWNER_ID
    _db: Database | None = None

    @property
    def db(self) -> Database:
        """The database, created and migrated on first use."""
        if self._db is None:
            self._db = open_database(self.settings)
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction for the whole command: it lands whole or not at all."""
        with self.db.transaction() as session:
            yield session

    def now(self) -> datetime:
        """The current time; TIELINE_NOW (ISO 8601) fixes it for tests and 'what if' planning."""
        return clock.now()

    def today(self) -> date:
        """Today's date in the user's local time zone."""
        return self.now().astimezone().date()

    def close(self) -> None:
        """Release the database connections."""
        if self._db is not None:
            self._db.dispose()


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext the root callback stored."""
    root = ctx.find_root()
    assert isinstance(root.obj, AppContext)
    return root.obj


def print_json(data: Any) -> None:
    """Write a `--json` document to stdout: UTF-8, not escaped, one document per command."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
