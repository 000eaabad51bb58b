"""The running state behind a person's tie strength, kept current one interaction at a time.

Exponential decay makes an incremental update exact: the decayed intensity at any time t is
`intensity * 2^-((t - intensity_at) / half_life)`, so adding an interaction never needs a rescan.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, UTCDateTime


class Tie(OwnedMixin, Base):
    """Counters and the decayed intensity of the owner's relationship with one person."""

    __tablename__ = "tie"
    __table_args__ = (sa.Index("ix_tie_owner_contact_strength", "owner_id", "contact_strength"),)

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    # Sum of kind weights, each decayed to `intensity_at` with `half_life_days`.
    intensity: Mapped[float] = mapped_column(sa.Float, default=0.0)
    intensity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    half_life_days: Mapped[float] = mapped_column(sa.Float, default=90.0)
    first_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    interactions: Mapped[int] = mapped_column(default=0)
    initiated_by_me: Mapped[int] = mapped_column(default=0)
    initiated_by_them: Mapped[int] = mapped_column(default=0)
    favours_given: Mapped[int] = mapped_column(default=0)
    favours_received: Mapped[int] = mapped_column(default=0)
    # The score as of `strength_at`, for sorting; the exact value is recomputed when shown.
    strength: Mapped[float] = mapped_column(sa.Float, default=0.0)
    strength_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The strength as of the latest interaction: the "past strength" of a dormant tie, so finding
    # once-strong dormant ties is one indexed filter instead of scoring everyone.
    contact_strength: Mapped[float] = mapped_column(sa.Float, default=0.0, server_default="0")
