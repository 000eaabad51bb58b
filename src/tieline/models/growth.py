"""Growing the network on purpose: events and who you met there, mentorship, "knows" links between
people, introductions, opportunities, resources worth passing on, and networking goals.

Each feeds the agenda and the favour ledger (see services/agenda/sources.py and services/favours.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, ProvenanceMixin, TimestampMixin, UTCDateTime

EVENT_KINDS = ("conference", "workshop", "seminar", "meetup", "team_building", "alumni", "social", "other")
# person_id is the owner's mentor / mentee / coach / sponsor; with other_id set, person_id is that
# to other_id (a relation between two people the owner knows).
RELATION_KINDS = ("mentor", "mentee", "coach", "sponsor")
INTRODUCTION_STATES = ("proposed", "asked_a", "asked_b", "made", "declined")
KNOWS_SOURCES = ("manual", "introduction")
OPPORTUNITY_KINDS = ("job", "partnership", "collaboration", "speaking", "mentoring", "client", "other")
OPPORTUNITY_STAGES = ("spotted", "exploring", "applied", "proposed", "won", "lost")
RESOURCE_KINDS = ("article", "talk", "report", "job_opening", "other")
GOAL_KINDS = ("meet_people", "attend_events", "reconnect_dormant", "make_introductions", "tier_on_cadence")


def _known(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Event(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """A conference, workshop, seminar, meetup, team-building, alumni or social event."""

    __tablename__ = "event"
    __table_args__ = (
        sa.CheckConstraint(_known("kind", EVENT_KINDS), name="kind_known"),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_event_provenance"),
        sa.Index("ix_event_owner_starts", "owner_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20), default="conference")
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date | None] = mapped_column(sa.Date)
    place: Mapped[str | None] = mapped_column(sa.Text)
    organiser_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    goals: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)


class EventAttendee(OwnedMixin, TimestampMixin, Base):
    """A person at an event: someone you met there (and owe a follow-up), or simply saw attend."""

    __tablename__ = "event_attendee"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "person_id", name="uq_event_attendee_person"),
        sa.Index("ix_event_attendee_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    met: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The follow-up opened when you met them (done / dismissed through the agenda like any other).
    follow_up_id: Mapped[int | None] = mapped_column(sa.ForeignKey("follow_up.id", ondelete="SET NULL"))


class Relation(OwnedMixin, TimestampMixin, Base):
    """Mentorship: a mentor, mentee, coach or sponsor of the owner (or of another person)."""

    __tablename__ = "relation"
    __table_args__ = (
        sa.CheckConstraint(_known("kind", RELATION_KINDS), name="kind_known"),
        sa.CheckConstraint("other_id IS NULL OR other_id <> person_id", name="two_people"),
        sa.Index("ix_relation_owner_kind", "owner_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    goals: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)


class Knows(OwnedMixin, TimestampMixin, Base):
    """Two people who know each other; person_id < other_id, one row per pair and source."""

    __tablename__ = "knows"
    __table_args__ = (
        sa.CheckConstraint("person_id < other_id", name="ordered_pair"),
        sa.CheckConstraint(_known("source", KNOWS_SOURCES), name="source_known"),
        sa.CheckConstraint("strength IS NULL OR (strength >= 0 AND strength <= 1)", name="strength_range"),
        sa.UniqueConstraint("owner_id", "person_id", "other_id", "source", name="uq_knows_pair_source"),
        sa.Index("ix_knows_other", "other_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(sa.String(20), default="manual")
    strength: Mapped[float | None] = mapped_column(sa.Float)
    note: Mapped[str | None] = mapped_column(sa.Text)


class Introduction(OwnedMixin, TimestampMixin, Base):
    """A double opt-in introduction: proposed -> asked A -> asked B -> made (or declined), then an outcome."""

    __tablename__ = "introduction"
    __table_args__ = (
        sa.CheckConstraint(_known("state", INTRODUCTION_STATES), name="state_known"),
        sa.CheckConstraint("person_a_id <> person_b_id", name="two_people"),
        sa.Index("ix_introduction_owner_state", "owner_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_a_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    person_b_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    why: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.String(10), default="proposed")
    asked_a_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    asked_b_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    made_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_by: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Opportunity(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """A job, partnership, collaboration, speaking slot, mentoring or client, and where it came from."""

    __tablename__ = "opportunity"
    __table_args__ = (
        sa.CheckConstraint(_known("kind", OPPORTUNITY_KINDS), name="kind_known"),
        sa.CheckConstraint(_known("stage", OPPORTUNITY_STAGES), name="stage_known"),
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_opportunity_provenance"),
        sa.Index("ix_opportunity_owner_stage", "owner_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20), default="job")
    stage: Mapped[str] = mapped_column(sa.String(10), default="spotted")
    # Where it came from: the person it came through, the organisation, an event, an introduction.
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="SET NULL"), index=True)
    introduction_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("introduction.id", ondelete="SET NULL"), index=True
    )
    spotted_on: Mapped[date] = mapped_column(sa.Date)
    stage_on: Mapped[date] = mapped_column(sa.Date)  # when it reached its current stage
    due_on: Mapped[date | None] = mapped_column(sa.Date)  # a deadline (application, proposal)
    notes: Mapped[str | None] = mapped_column(sa.Text)


class Resource(OwnedMixin, TimestampMixin, Base):
    """An article, talk, report or job opening worth passing on, with its topics."""

    __tablename__ = "resource"
    __table_args__ = (
        sa.CheckConstraint(_known("kind", RESOURCE_KINDS), name="kind_known"),
        sa.UniqueConstraint("owner_id", "url", name="uq_resource_url"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.Text)
    title: Mapped[str | None] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20), default="article")
    topics: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str | None] = mapped_column(sa.Text)


class ResourceShare(OwnedMixin, Base):
    """A resource passed on to a person: logged as a favour given and an interaction."""

    __tablename__ = "resource_share"
    __table_args__ = (
        sa.UniqueConstraint("resource_id", "person_id", name="uq_resource_share_person"),
        sa.Index("ix_resource_share_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(sa.ForeignKey("resource.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime)
    favour_id: Mapped[int | None] = mapped_column(sa.ForeignKey("favour.id", ondelete="SET NULL"))
    interaction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interaction.id", ondelete="SET NULL"))


class Goal(OwnedMixin, TimestampMixin, Base):
    """A measurable networking goal, computed from the data rather than ticked by hand.

    `target` is a count over [starts_on, ends_on] ("meet 5 new people in data science"), or with
    `per_days` a count per period ("attend 2 events a month": target 2, per_days 30); for
    tier_on_cadence it is a percentage of the tier kept on cadence. `scope` narrows what counts
    (an industry, a tag, a tier), as {"industry": "data science"} or {"tier": 1}.
    """

    __tablename__ = "goal"
    __table_args__ = (
        sa.CheckConstraint(_known("kind", GOAL_KINDS), name="kind_known"),
        sa.CheckConstraint("target > 0", name="target_positive"),
        sa.CheckConstraint("per_days IS NULL OR per_days > 0", name="per_days_positive"),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    target: Mapped[int] = mapped_column(sa.Integer)
    per_days: Mapped[int | None] = mapped_column(sa.Integer)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    scope: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    label: Mapped[str | None] = mapped_column(sa.Text)
