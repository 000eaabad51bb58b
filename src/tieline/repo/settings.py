"""Stored settings (only those that differ from the defaults)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Setting

_setting = Setting.__table__
# Read on every page and command: built once, run as a plain Core statement.
_STORED = sa.select(_setting.c.key, _setting.c.value).where(_setting.c.owner_id == sa.bindparam("owner_id"))


def stored(session: Session, *, owner_id: int) -> dict[str, Any]:
    """Every stored setting of the owner."""
    return {key: value for key, value in session.execute(_STORED, {"owner_id": owner_id})}


def put(session: Session, *, owner_id: int, key: str, value: Any) -> None:
    """Insert or replace a setting."""
    row = session.get(Setting, (owner_id, key))
    if row is None:
        session.add(Setting(owner_id=owner_id, key=key, value=value))
    else:
        row.value = value
    session.flush()


def delete(session: Session, *, owner_id: int, key: str) -> None:
    """Remove a stored setting (the default applies again)."""
    session.execute(sa.delete(Setting).where(Setting.owner_id == owner_id, Setting.key == key))
