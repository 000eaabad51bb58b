"""What the owner did with agenda items (done, snoozed, dismissed) and the last listing shown."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, UTCDateTime, utcnow


class AgendaState(OwnedMixin, Base):
    """An agenda item acted on. Items are computed, so their state is keyed by a stable item key."""

    __tablename__ = "agenda_state"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "item_key", name="uq_agenda_state_key"),
        sa.CheckConstraint("state IN ('done', 'snoozed', 'dismissed')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(sa.String(200))
    state: Mapped[str] = mapped_column(sa.String(10))
    # The item stays away until this date (snoozed), or for good when NULL (done / dismissed).
    until: Mapped[date | None] = mapped_column(sa.Date)
    acted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaListing(Base):
    """The numbered lines of the last agenda shown, so `tieline done 2` means what the user saw."""

    __tablename__ = "agenda_listing"

    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(sa.String(200))
    shown_for: Mapped[date] = mapped_column(sa.Date)


class Setting(Base):
    """One user setting (a score weight, a cadence, the daily cap...), stored as JSON."""

    __tablename__ = "setting"

    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[object] = mapped_column(sa.JSON)
