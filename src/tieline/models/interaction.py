"""Interactions (a coffee, a call, an email...) and who took part in them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tieline.models.base import Base, OwnedMixin, ProvenanceMixin, TimestampMixin, UTCDateTime

INTERACTION_KINDS = (
    "meeting",
    "coffee",
    "call",
    "video_call",
    "message",
    "email",
    "event",
    "social",
    "mentoring",
    "other",
)
INITIATORS = ("me", "them")


class Interaction(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """One contact between the owner and one or more people."""

    __tablename__ = "interaction"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_interaction_provenance"),
        sa.CheckConstraint(
            "kind IN ('meeting', 'coffee', 'call', 'video_call', 'message', 'email', 'event', "
            "'social', 'mentoring', 'other')",
            name="kind_known",
        ),
        sa.CheckConstraint("initiated_by IS NULL OR initiated_by IN ('me', 'them')", name="initiator"),
        sa.Index("ix_interaction_owner_when", "owner_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    initiated_by: Mapped[str | None] = mapped_column(sa.String(10))
    channel: Mapped[str | None] = mapped_column(sa.Text)
    subject: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # A message from one person to you alone (no one else on To or Cc): a reply is owed until you
    # are next in touch with them (services/agenda/reply_owed.py).
    to_me_alone: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())

    participants: Mapped[list[InteractionParticipant]] = relationship(
        back_populates="interaction", cascade="all, delete-orphan"
    )


class InteractionParticipant(OwnedMixin, Base):
    """A person who took part in an interaction.

    `occurred_at` repeats the interaction's time so "a person's last 50 interactions" is one
    index range scan instead of a join over a million rows.
    """

    __tablename__ = "interaction_participant"
    __table_args__ = (sa.Index("ix_participant_person_when", "person_id", "occurred_at"),)

    interaction_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)

    interaction: Mapped[Interaction] = relationship(back_populates="participants")
