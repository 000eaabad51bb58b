"""The current time, which TIELINE_NOW can fix (for tests, and for planning "what if" views)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime

from tieline.errors import InvalidInput


def now(env: Mapping[str, str] | None = None) -> datetime:
    """Aware current time; TIELINE_NOW (ISO 8601, local time if no offset) overrides it."""
    fixed = (os.environ if env is None else env).get("TIELINE_NOW")
    if not fixed:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(fixed)
    except ValueError as exc:
        raise InvalidInput(f"TIELINE_NOW is not an ISO 8601 time: {fixed!r}") from exc
    return moment if moment.tzinfo else moment.astimezone()


def today(env: Mapping[str, str] | None = None) -> date:
    """Today's date in the user's local time zone."""
    return now(env).astimezone().date()
