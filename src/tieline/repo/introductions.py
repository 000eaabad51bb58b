"""Queries about introductions: one by id, an open one between two people, listings, those waiting on you."""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tieline.models import Introduction, Person

OPEN_STATES = ("proposed", "asked_a", "asked_b")


def get(session: Session, *, owner_id: int, introduction_id: int) -> Introduction | None:
    """The introduction with this id, if the owner has it."""
    stmt = sa.select(Introduction).where(
        Introduction.id == introduction_id, Introduction.owner_id == owner_id
    )
    return session.scalars(stmt).first()


def open_between(session: Session, *, owner_id: int, a_id: int, b_id: int) -> Introduction | None:
    """An introduction of these two people (either way round) that is neither made nor declined."""
    stmt = sa.select(Introduction).where(
        Introduction.owner_id == owner_id,
        Introduction.state.in_(OPEN_STATES),
        sa.or_(
            sa.and_(Introduction.person_a_id == a_id, Introduction.person_b_id == b_id),
            sa.and_(Introduction.person_a_id == b_id, Introduction.person_b_id == a_id),
        ),
    )
    return session.scalars(stmt.order_by(Introduction.id)).first()


class ListedIntroduction(NamedTuple):
    """An introduction with the names of the two people it brings together."""

    introduction: Introduction
    a_name: str
    b_name: str


def listing(
    session: Session, *, owner_id: int, open_only: bool = False, ids: list[int] | None = None
) -> list[ListedIntroduction]:
    """Introductions with A's and B's names, newest first."""
    a, b = aliased(Person), aliased(Person)
    stmt = (
        sa.select(Introduction, a.display_name, b.display_name)
        .join(a, a.id == Introduction.person_a_id)
        .join(b, b.id == Introduction.person_b_id)
        .where(Introduction.owner_id == owner_id)
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())
    )
    if open_only:
        stmt = stmt.where(Introduction.state.in_(OPEN_STATES))
    if ids is not None:
        stmt = stmt.where(Introduction.id.in_(ids))
    return [ListedIntroduction._make(row) for row in session.execute(stmt)]


def waiting(session: Session, *, owner_id: int) -> list[Any]:
    """Open introductions, and made ones without an outcome, between live people (for the agenda).

    Each row: the introduction's `id`, `state`, `why`, `created_at`, `asked_a_at`, `asked_b_at`,
    `made_at`, `person_a_id`, `person_b_id`, and `a_name`, `b_name`.
    """
    # Core, not the ORM: the agenda's path reads rows (see repo/agenda.py on start-up).
    intro = Introduction.__table__.c
    a_table, b_table = Person.__table__.alias("a"), Person.__table__.alias("b")
    a, b = a_table.c, b_table.c
    stmt = (
        sa.select(
            intro.id,
            intro.state,
            intro.why,
            intro.created_at,
            intro.asked_a_at,
            intro.asked_b_at,
            intro.made_at,
            intro.person_a_id,
            intro.person_b_id,
            a.display_name.label("a_name"),
            b.display_name.label("b_name"),
        )
        .join(a_table, a.id == intro.person_a_id)
        .join(b_table, b.id == intro.person_b_id)
        .where(
            intro.owner_id == owner_id,
            sa.or_(
                intro.state.in_(OPEN_STATES),
                sa.and_(intro.state == "made", intro.outcome.is_(None)),
            ),
            a.archived.is_(False),
            b.archived.is_(False),
        )
        .order_by(intro.id)
    )
    return list(session.execute(stmt))
