"""The search document: one row per person with the text search looks at, by column weight.

The table is the same on every dialect; the full-text index over it is dialect-specific and
created by the migrations (an FTS5 table on SQLite, a GIN index on PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin


class PersonSearch(OwnedMixin, Base):
    """Normalised (lower-case, accent-free) words about a person, one column per weight."""

    __tablename__ = "person_search"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    names: Mapped[str] = mapped_column(sa.Text, default="")
    handles: Mapped[str] = mapped_column(sa.Text, default="")
    work: Mapped[str] = mapped_column(sa.Text, default="")
    topics: Mapped[str] = mapped_column(sa.Text, default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
