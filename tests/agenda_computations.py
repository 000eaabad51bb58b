"""Counting the agendas services/agenda/cache.py computes (the real computation, each call noted), for
the tests of the cache, of the warmer's passes and of the web app's warmer."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tieline.services.agenda import build
from tieline.services.agenda import cache as agenda_cache


def count_computations(monkeypatch: pytest.MonkeyPatch, noted: str, *, delay: float = 0.0) -> list[Any]:
    """The `noted` argument ("owner_id", "day") of each agenda the cache computes, in order; each
    computation starts `delay` seconds late (long enough for another process to try meanwhile)."""
    seen: list[Any] = []
    real = build.agenda_for

    def counted(session: Session, **kw: Any) -> build.AgendaView:
        seen.append(kw[noted])
        time.sleep(delay)
        return real(session, **kw)

    monkeypatch.setattr(agenda_cache, "agenda_for", counted)
    return seen
