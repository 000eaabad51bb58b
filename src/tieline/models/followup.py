"""Follow-ups and promises, milestones, favours and planned asks: what the agenda is made of."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, ProvenanceMixin, TimestampMixin, UTCDateTime

FOLLOWUP_STATUSES = ("open", "done", "dismissed")
MILESTONE_KINDS = ("birthday", "work_anniversary", "new_job", "promotion", "award", "publication", "other")
FAVOUR_KINDS = (
    "introduction",
    "advice",
    "referral",
    "recommendation",
    "resource",
    "job_lead",
    "feedback",
    "help",
    "other",
)
FAVOUR_DIRECTIONS = ("given", "received")


class FollowUp(OwnedMixin, TimestampMixin, Base):
    """A dated thing to do for or about a person ("send her the article"), optionally recurring."""

    __tablename__ = "follow_up"
    __table_args__ = (
        sa.CheckConstraint("status IN ('open', 'done', 'dismissed')", name="status_known"),
        sa.CheckConstraint("every_days IS NULL OR every_days > 0", name="every_positive"),
        sa.Index("ix_follow_up_owner_status_due", "owner_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    due_on: Mapped[date] = mapped_column(sa.Date)
    every_days: Mapped[int | None]
    is_promise: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Milestone(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """Something worth congratulating: a new job, a promotion, an award, a publication."""

    __tablename__ = "milestone"
    __table_args__ = (
        sa.CheckConstraint(
            "kind IN ('birthday', 'work_anniversary', 'new_job', 'promotion', 'award', 'publication', "
            "'other')",
            name="kind_known",
        ),
        sa.Index("ix_milestone_owner_date", "owner_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    occurred_on: Mapped[date] = mapped_column(sa.Date)
    text: Mapped[str | None] = mapped_column(sa.Text)


class Favour(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """Help given to or received from a person; help received is owed a thank-you."""

    __tablename__ = "favour"
    __table_args__ = (
        sa.CheckConstraint("direction IN ('given', 'received')", name="direction_known"),
        sa.CheckConstraint(
            "kind IN ('introduction', 'advice', 'referral', 'recommendation', 'resource', 'job_lead', "
            "'feedback', 'help', 'other')",
            name="kind_known",
        ),
        sa.Index("ix_favour_owner_thanks", "owner_id", "direction", "thanked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(sa.String(10))
    kind: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str | None] = mapped_column(sa.Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # For help received: when a thank-you was logged; NULL while thanks are owed.
    thanked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Ask(OwnedMixin, TimestampMixin, Base):
    """Something the owner plans to ask of a person; the agenda may suggest giving first."""

    __tablename__ = "ask"
    __table_args__ = (sa.CheckConstraint("status IN ('planned', 'asked', 'dropped')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(10), default="planned")
