"""Import runs and what each changed (so a run can be undone whole), source identities, merges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, UTCDateTime, utcnow


class ImportRun(OwnedMixin, Base):
    """One `tieline import`: which file, in which format, when, and the report's counts."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(sa.String(40))
    path: Mapped[str] = mapped_column(sa.Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counts: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ImportChange(Base):
    """What a run did to one table: the ids of the rows it created, or one row's before-image.

    Created rows are listed by id in one entry per table (a 30,000-row import logs a handful of
    entries, not 30,000); an updated row keeps the values of the columns the run changed.
    """

    __tablename__ = "import_change"
    __table_args__ = (
        sa.CheckConstraint("action IN ('insert', 'update')", name="action_known"),
        sa.Index("ix_import_change_run", "run_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(sa.ForeignKey("import_run.id", ondelete="CASCADE"))
    table_name: Mapped[str] = mapped_column(sa.String(60))
    action: Mapped[str] = mapped_column(sa.String(10))
    # insert: {"ids": [...]} (or {"keys": [[...], ...]} for composite keys);
    # update: {"key": [...], "before": {column: value}}
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)


class PersonSource(OwnedMixin, Base):
    """A (source, source id) known to be a person, with what the source said last time.

    A person can be known to several sources (a LinkedIn URL, a vCard UID, an email address in
    mail); a re-import looks the id up here and compares digests, so nothing unchanged is rewritten.
    """

    __tablename__ = "person_source"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_person_source_key"),
        sa.Index("ix_person_source_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(sa.String(40))
    source_id: Mapped[str] = mapped_column(sa.Text)
    digest: Mapped[str] = mapped_column(sa.String(40))
    # The source's values as last imported (JSON text, hashed into `digest`): a field the source
    # changed since is news (a new job); one it did not change and the user edited stays as edited.
    fields: Mapped[str] = mapped_column(sa.Text)


class MergeRecord(OwnedMixin, Base):
    """One `tieline merge A B`: both people exactly as they were, so `unmerge` can restore B."""

    __tablename__ = "merge_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int] = mapped_column(sa.Integer)
    merged_id: Mapped[int] = mapped_column(sa.Integer)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    evidence: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # {"kept": {table: [rows]}, "merged": {table: [rows]}}: every row of either person, any table.
    before: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    unmerged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DistinctPair(OwnedMixin, Base):
    """Two people the owner said are not the same: `tieline duplicates` stops proposing them."""

    __tablename__ = "distinct_pair"
    __table_args__ = (sa.CheckConstraint("low_id < high_id", name="ordered"),)

    low_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    high_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
