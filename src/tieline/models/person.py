"""A person and the many-valued facts about them: emails, phones, links, tags and topics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tieline.models.base import Base, OwnedMixin, ProvenanceMixin, TimestampMixin, UTCDateTime

TOPIC_KINDS = ("interest", "expertise", "need")


class Person(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """Someone in the owner's network."""

    __tablename__ = "person"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_person_provenance"),
        sa.CheckConstraint("tier BETWEEN 1 AND 5", name="tier_range"),
        sa.CheckConstraint("closeness IS NULL OR closeness BETWEEN 1 AND 5", name="closeness_range"),
        sa.CheckConstraint("cadence_days IS NULL OR cadence_days > 0", name="cadence_positive"),
        sa.Index("ix_person_owner_name", "owner_id", "sort_name"),
        sa.Index("ix_person_owner_last_contact", "owner_id", "last_contact_at"),
        # The People list (live people by name) and its count; birthdays due on given days.
        sa.Index("ix_person_owner_live_name", "owner_id", "archived", "sort_name"),
        sa.Index("ix_person_owner_birthday", "owner_id", "birthday_month", "birthday_day"),
        sa.Index("ix_person_owner_cadence", "owner_id", "cadence_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.Text)
    # Lower-cased, accent-free form of display_name: exact and prefix lookups use it.
    sort_name: Mapped[str] = mapped_column(sa.Text)
    given_name: Mapped[str | None] = mapped_column(sa.Text)
    middle_name: Mapped[str | None] = mapped_column(sa.Text)
    family_name: Mapped[str | None] = mapped_column(sa.Text)
    name_prefix: Mapped[str | None] = mapped_column(sa.Text)
    name_suffix: Mapped[str | None] = mapped_column(sa.Text)
    nickname: Mapped[str | None] = mapped_column(sa.Text)
    title: Mapped[str | None] = mapped_column(sa.Text)
    company: Mapped[str | None] = mapped_column(sa.Text)
    department: Mapped[str | None] = mapped_column(sa.Text)
    industry: Mapped[str | None] = mapped_column(sa.Text)
    location: Mapped[str | None] = mapped_column(sa.Text)
    birthday_year: Mapped[int | None]
    birthday_month: Mapped[int | None]
    birthday_day: Mapped[int | None]
    met_how: Mapped[str | None] = mapped_column(sa.Text)
    met_where: Mapped[str | None] = mapped_column(sa.Text)
    met_on: Mapped[date | None] = mapped_column(sa.Date)
    tier: Mapped[int] = mapped_column(sa.SmallInteger, default=4)
    cadence_days: Mapped[int | None]
    closeness: Mapped[int | None] = mapped_column(sa.SmallInteger)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    archived: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # Kept current by the interaction repository so "losing touch" sorts without a join.
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Fields an import found that have no column of their own; exports write them back.
    extra: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    emails: Mapped[list[PersonEmail]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonEmail.position"
    )
    phones: Mapped[list[PersonPhone]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonPhone.position"
    )
    links: Mapped[list[PersonLink]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonLink.position"
    )
    tags: Mapped[list[PersonTag]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonTag.tag"
    )
    topics: Mapped[list[PersonTopic]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonTopic.position"
    )

    def topic_values(self, kind: str) -> list[str]:
        """The person's interests, expertise or needs, in the order they were given."""
        return [t.value for t in self.topics if t.kind == kind]


class PersonEmail(OwnedMixin, Base):
    """An email address of a person (stored lower-cased for matching)."""

    __tablename__ = "person_email"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "address", name="uq_person_email_address"),
        sa.Index("ix_person_email_owner_address", "owner_id", "address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(sa.Text)
    label: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    person: Mapped[Person] = relationship(back_populates="emails")


class PersonPhone(OwnedMixin, Base):
    """A phone number as the user typed it, with a digits-only key for matching."""

    __tablename__ = "person_phone"
    __table_args__ = (sa.Index("ix_person_phone_owner_key", "owner_id", "match_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(sa.Text)
    match_key: Mapped[str] = mapped_column(sa.Text)
    label: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    person: Mapped[Person] = relationship(back_populates="phones")


class PersonLink(OwnedMixin, Base):
    """A web address of a person: LinkedIn profile, website, social account."""

    __tablename__ = "person_link"
    __table_args__ = (sa.Index("ix_person_link_owner_url", "owner_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(30), default="website")
    label: Mapped[str | None] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    person: Mapped[Person] = relationship(back_populates="links")


class PersonTag(OwnedMixin, Base):
    """A free label the user puts on people to group them."""

    __tablename__ = "person_tag"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "tag", name="uq_person_tag"),
        sa.Index("ix_person_tag_owner_tag", "owner_id", "tag"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(sa.Text)
    person: Mapped[Person] = relationship(back_populates="tags")


class PersonTopic(OwnedMixin, Base):
    """An interest, an area of expertise (what they offer) or a need (what they look for)."""

    __tablename__ = "person_topic"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('interest', 'expertise', 'need')", name="kind_known"),
        sa.Index("ix_person_topic_owner_value", "owner_id", "kind", "value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    value: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)
    person: Mapped[Person] = relationship(back_populates="topics")
