"""The search documents: one row per person with the text search looks at, by column weight, and
one row per interaction (event, introduction, opportunity) with what was said in it.

The tables are the same on every dialect; the full-text indexes over them are dialect-specific and
created by the migrations (FTS5 tables on SQLite, GIN indexes on PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, UTCDateTime


class PersonSearch(OwnedMixin, Base):
    """Normalised (lower-case, accent-free) words about a person, one column per weight."""

    __tablename__ = "person_search"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    names: Mapped[str] = mapped_column(sa.Text, default="")
    handles: Mapped[str] = mapped_column(sa.Text, default="")
    work: Mapped[str] = mapped_column(sa.Text, default="")
    topics: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")


# What "what was said" indexes, each with its own key column in said_search.
SAID_ITEMS = ("interaction", "event", "introduction", "opportunity")


def said_id(item: str, item_id: int) -> int:
    """The said_search id of an item's words: the item's own id, and which kind of item it is."""
    return item_id * len(SAID_ITEMS) + SAID_ITEMS.index(item)


_ONE_ITEM = " + ".join(f"(CASE WHEN {item}_id IS NULL THEN 0 ELSE 1 END)" for item in SAID_ITEMS) + " = 1"


class SaidSearch(OwnedMixin, Base):
    """Normalised words of what was said: the subject and notes of one interaction (or an event's,
    an introduction's or an opportunity's), for the full-text index over them.

    One key column per item, each a foreign key that cascades, so deleting the item (by any path:
    an undo, a person deleted with their interactions) deletes its words too. The id is made from
    the item's (`said_id`), so rewriting the words, a rebuild or a restore gives the same rows.
    """

    __tablename__ = "said_search"
    __table_args__ = (sa.CheckConstraint(_ONE_ITEM, name="one_item"),)

    # 64 bits: four ids of items to one of said_search (INTEGER on SQLite, which is 64 bits there
    # and must be spelled so to name the rowid the full-text index points at).
    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    interaction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interaction.id", ondelete="CASCADE"), unique=True
    )
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), unique=True)
    introduction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("introduction.id", ondelete="CASCADE"), unique=True
    )
    opportunity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("opportunity.id", ondelete="CASCADE"), unique=True
    )
    # When it was said: ranks equal matches newest first.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    subject: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
