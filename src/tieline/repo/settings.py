"""Stored settings (only those that differ from the defaults)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Setting
from tieline.repo import upserts

_setting = Setting.__table__
# Read on every page and command: built once, run as a plain Core statement.
_STORED = sa.select(_setting.c.key, _setting.c.value).where(_setting.c.owner_id == sa.bindparam("owner_id"))


def stored(session: Session, *, owner_id: int) -> dict[str, Any]:
    """Every stored setting of the owner."""
    return {key: value for key, value in session.execute(_STORED, {"owner_id": owner_id})}


def put(session: Session, *, owner_id: int, key: str, value: Any) -> None:
    """Insert or replace a setting, in one statement: two saves at once (a double click, two tabs)
    must not both try to insert the same key, which the second would fail on PostgreSQL."""
    statement = upserts.insert(session, _setting).values(owner_id=owner_id, key=key, value=value)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["owner_id", "key"], set_={"value": statement.excluded.value}
        )
    )
    # A Setting loaded earlier in this session no longer says what is stored.
    if (row := session.identity_map.get(session.identity_key(Setting, (owner_id, key)))) is not None:
        session.expire(row)


def delete(session: Session, *, owner_id: int, key: str) -> None:
    """Remove a stored setting (the default applies again)."""
    session.execute(sa.delete(Setting).where(Setting.owner_id == owner_id, Setting.key == key))


def owners_with(session: Session, *, key: str) -> list[tuple[int, Any]]:
    """Every owner's stored value of one setting (e.g. whose calendar feed secret is which)."""
    statement = sa.select(_setting.c.owner_id, _setting.c.value).where(_setting.c.key == key)
    return [(owner_id, value) for owner_id, value in session.execute(statement)]
