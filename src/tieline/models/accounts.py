"""Server mode (issue 17): accounts that sign in, their login sessions and access tokens, the
failed sign-ins that throttle guessing, and what every app process must share instead of keeping
it in memory: the keys of requests already done (a retried send never logs twice), the agenda
computed once per change of the data or the day, which process runs a background job, and how far
each web import got."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tieline.models.base import Base, OwnedMixin, UTCDateTime, utcnow

TOKEN_SCOPES = ("read", "write")


class Account(Base):
    """A person who signs in; their data is the rows of their owner. Local mode has none."""

    __tablename__ = "account"

    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), primary_key=True)
    # Kept as typed (trimmed); unique and looked up case-folded.
    username: Mapped[str] = mapped_column(sa.String(100))
    username_key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginSession(OwnedMixin, Base):
    """A signed-in browser: the cookie holds a random token, the row only its SHA-256."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginFailure(Base):
    """Failed sign-ins counted per key ("account:NAME" or "address:IP") within a window."""

    __tablename__ = "login_failure"

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiToken(OwnedMixin, Base):
    """A personal access token for the REST API: shown once, stored as its SHA-256."""

    __tablename__ = "api_token"
    __table_args__ = (sa.CheckConstraint("scope IN ('read', 'write')", name="scope_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    prefix: Mapped[str] = mapped_column(sa.String(20))
    scope: Mapped[str] = mapped_column(sa.String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RequestKey(OwnedMixin, Base):
    """An idempotency key already handled (a quick log sent again after a lost connection)."""

    __tablename__ = "request_key"
    __table_args__ = (sa.UniqueConstraint("owner_id", "key", name="uq_request_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    result: Mapped[str | None] = mapped_column(sa.Text)


class AgendaCache(Base):
    """An owner's agenda for a day, computed once per change of their data or of the day."""

    __tablename__ = "agenda_cache"

    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("owner.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    payload: Mapped[str] = mapped_column(sa.Text)
    # A new random value with every commit that writes the owner's data (db.py's stale stamp), kept
    # when an agenda is stored: a team member's shared entries were computed from the value they
    # saw, and are computed again once it differs (services/team_shares.py).
    data_stamp: Mapped[str | None] = mapped_column(sa.String(16))


class JobClaim(Base):
    """Which app process runs a background job until when, so each job runs once however many
    processes serve the app."""

    __tablename__ = "job_claim"

    name: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(200))
    until: Mapped[datetime] = mapped_column(UTCDateTime)


class ImportJob(OwnedMixin, Base):
    """An import started from the web app, as far as it got: any app process can answer its poll."""

    __tablename__ = "import_job"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(sa.Text)
    records: Mapped[int] = mapped_column(default=0)
    done: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(sa.Text)
    report: Mapped[dict | None] = mapped_column(sa.JSON)  # type: ignore[type-arg]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
