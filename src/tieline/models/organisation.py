"""Organisations (companies, schools, associations...) and memberships of people in them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tieline.models.base import Base, OwnedMixin, ProvenanceMixin, TimestampMixin

ORGANISATION_KINDS = (
    "company",
    "department",
    "association",
    "school",
    "alumni_network",
    "team",
    "community",
)


class Organisation(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """A company, department, professional association, school, alumni network, team or community."""

    __tablename__ = "organisation"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "kind", "match_name", name="uq_organisation_kind_name"),
        sa.CheckConstraint(
            "kind IN ('company', 'department', 'association', 'school', 'alumni_network', 'team', "
            "'community')",
            name="kind_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Text)
    # Lower-cased, accent-free name: "ACME" and "Acme" are one organisation.
    match_name: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[str] = mapped_column(sa.String(20), default="company")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id", ondelete="SET NULL"))
    industry: Mapped[str | None] = mapped_column(sa.Text)
    location: Mapped[str | None] = mapped_column(sa.Text)
    website: Mapped[str | None] = mapped_column(sa.Text)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    parent: Mapped[Organisation | None] = relationship(remote_side="Organisation.id")


class Membership(OwnedMixin, ProvenanceMixin, TimestampMixin, Base):
    """A person's place in an organisation over time; person_id NULL means the owner themself."""

    __tablename__ = "membership"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates"),
        sa.Index("ix_membership_org", "organisation_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(sa.Text)
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    end_date: Mapped[date | None] = mapped_column(sa.Date)
    notes: Mapped[str | None] = mapped_column(sa.Text)

    organisation: Mapped[Organisation] = relationship()
