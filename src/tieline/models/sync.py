"""Capture that keeps itself current: the accounts synced (mail, calendars, address books), where
each sync left off, the correspondents met there who match nobody yet, and for an address book
synced both ways each card's link to its person and the fields both sides last agreed on.

A connection holds what is needed to reach an account (host, port, user, folders, URL) but never
its secret: passwords live in the system keyring or an owner-only file (services/sync/secrets.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, UTCDateTime, utcnow

CONNECTION_KINDS = ("imap", "caldav", "ics", "carddav")
DISCOVERED_STATES = ("new", "ignored")


class Connection(OwnedMixin, Base):
    """An account to sync: `settings` holds how to reach it, the last run what became of it."""

    __tablename__ = "connection"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "name", name="uq_connection_name"),
        sa.CheckConstraint("kind IN ('imap', 'caldav', 'ics', 'carddav')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(10))
    # Host, port, TLS, user, folders, URL, months back, the password command: never the secret.
    settings: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last run's error in words ("wrong password", "host unreachable"...), NULL after a success.
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    last_counts: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    failures: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SyncCursor(OwnedMixin, Base):
    """Where a connection's last sync left off, per folder or calendar (UIDVALIDITY and last UID, a
    sync token, an ETag): the next sync fetches only what is new."""

    __tablename__ = "sync_cursor"
    __table_args__ = (sa.UniqueConstraint("connection_id", "key", name="uq_sync_cursor_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(sa.ForeignKey("connection.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(500))
    state: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Discovered(OwnedMixin, Base):
    """Someone who wrote to you or met you, by address, who matches nobody yet: to add, link or ignore."""

    __tablename__ = "discovered"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "email", name="uq_discovered_email"),
        sa.CheckConstraint("state IN ('new', 'ignored')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320))  # as folded for matching
    name: Mapped[str | None] = mapped_column(sa.Text)
    messages: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    meetings: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(sa.String(10), default="new", server_default="new")
    source: Mapped[str | None] = mapped_column(sa.String(100))  # the connection or import it came from


class CardLink(OwnedMixin, Base):
    """A card of a CardDAV address book and the person it is: where it lives (href), its UID, the
    ETag last seen, and `base`, the fields both sides held after the last sync (the merge's base).

    `person_id` is NULL once the person is deleted in tieline (the card is then removed from the
    server); `etag` is NULL for a card tieline is writing whose answer was not seen yet."""

    __tablename__ = "card_link"
    __table_args__ = (
        sa.UniqueConstraint("connection_id", "href", name="uq_card_link_href"),
        sa.Index("ix_card_link_person", "connection_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(sa.ForeignKey("connection.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    href: Mapped[str] = mapped_column(sa.String(1000))
    uid: Mapped[str] = mapped_column(sa.String(500))
    etag: Mapped[str | None] = mapped_column(sa.String(300))
    base: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CardConflict(OwnedMixin, Base):
    """A field changed on both sides since the last sync: tieline's value was kept, the server's is
    here until the user resolves it (`tieline sync resolve ID --keep tieline|server`)."""

    __tablename__ = "card_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(sa.ForeignKey("connection.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(sa.String(30))
    tieline_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    server_value: Mapped[Any] = mapped_column(sa.JSON, nullable=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    kept: Mapped[str | None] = mapped_column(sa.String(10))  # "tieline" / "server" once resolved


class UpcomingMeeting(OwnedMixin, Base):
    """A meeting still to come in a synced calendar (the next days only), for the agenda's "read the
    brief" line; the set of a calendar object is replaced each time a sync reads that object."""

    __tablename__ = "upcoming_meeting"
    __table_args__ = (
        sa.Index("ix_upcoming_meeting_object", "connection_id", "calendar", "href"),
        sa.Index("ix_upcoming_meeting_owner_start", "owner_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(sa.ForeignKey("connection.id", ondelete="CASCADE"))
    calendar: Mapped[str] = mapped_column(sa.String(500))  # the calendar's cursor key
    href: Mapped[str] = mapped_column(sa.String(1000), default="", server_default="")  # its object
    uid: Mapped[str] = mapped_column(sa.Text)
    recurrence_id: Mapped[str] = mapped_column(sa.String(40))  # the occurrence's original start
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    title: Mapped[str | None] = mapped_column(sa.Text)


class UpcomingAttendee(OwnedMixin, Base):
    """Someone invited to an upcoming meeting besides the owner, by address (folded) and name."""

    __tablename__ = "upcoming_attendee"
    __table_args__ = (sa.Index("ix_upcoming_attendee_owner_email", "owner_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("upcoming_meeting.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(320))
    name: Mapped[str | None] = mapped_column(sa.Text)
