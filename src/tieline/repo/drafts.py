"""Queries behind message drafts: the record an agenda line points at, a person's latest role change."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Milestone

ROLE_CHANGE_KINDS = ("new_job", "promotion")

Row = TypeVar("Row")


def owned_row(session: Session, model: type[Row], *, owner_id: int, row_id: int) -> Row | None:
    """The row of `model` with this id, if it belongs to the owner."""
    stmt = sa.select(model).where(model.id == row_id, model.owner_id == owner_id)  # type: ignore[attr-defined]
    return session.scalars(stmt).first()


def latest_role_change(session: Session, *, owner_id: int, person_id: int, since: date) -> Milestone | None:
    """The person's newest new-job or promotion milestone on or after `since`."""
    stmt = (
        sa.select(Milestone)
        .where(
            Milestone.owner_id == owner_id,
            Milestone.person_id == person_id,
            Milestone.kind.in_(ROLE_CHANGE_KINDS),
            Milestone.occurred_on >= since,
        )
        .order_by(Milestone.occurred_on.desc(), Milestone.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()
