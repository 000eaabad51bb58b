"""The `world` fixture: a small network on the session's database (SQLite, then PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.services.agenda.scenarios.world import World


@pytest.fixture
def world(session: Session) -> World:
    """An empty network for one owner, on the fixed Tuesday 10 March 2026."""
    return World(session)
