"""Upcoming meetings from synced calendars (the next days only) and who is invited, for the agenda's
"meeting today: read the brief" line; each calendar object's set is replaced when a sync reads it.

Revision ID: 0009_upcoming_meetings
Revises: 0008_sync
Create Date: 2026-12-07 12:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tieline.models.base import UTCDateTime

revision = "0009_upcoming_meetings"
down_revision = "0008_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "upcoming_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("calendar", sa.String(length=500), nullable=False),
        sa.Column("href", sa.String(length=1000), server_default="", nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column("recurrence_id", sa.String(length=40), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_upcoming_meeting_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_upcoming_meeting_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upcoming_meeting")),
    )
    op.create_index(op.f("ix_upcoming_meeting_owner_id"), "upcoming_meeting", ["owner_id"], unique=False)
    op.create_index(
        "ix_upcoming_meeting_object", "upcoming_meeting", ["connection_id", "calendar", "href"], unique=False
    )
    op.create_index(
        "ix_upcoming_meeting_owner_start", "upcoming_meeting", ["owner_id", "starts_at"], unique=False
    )
    op.create_table(
        "upcoming_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["upcoming_meeting.id"],
            name=op.f("fk_upcoming_attendee_meeting_id_upcoming_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_upcoming_attendee_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upcoming_attendee")),
    )
    op.create_index(op.f("ix_upcoming_attendee_owner_id"), "upcoming_attendee", ["owner_id"], unique=False)
    op.create_index(
        op.f("ix_upcoming_attendee_meeting_id"), "upcoming_attendee", ["meeting_id"], unique=False
    )
    op.create_index(
        "ix_upcoming_attendee_owner_email", "upcoming_attendee", ["owner_id", "email"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_upcoming_attendee_owner_email", table_name="upcoming_attendee")
    op.drop_index(op.f("ix_upcoming_attendee_meeting_id"), table_name="upcoming_attendee")
    op.drop_index(op.f("ix_upcoming_attendee_owner_id"), table_name="upcoming_attendee")
    op.drop_table("upcoming_attendee")
    op.drop_index("ix_upcoming_meeting_owner_start", table_name="upcoming_meeting")
    op.drop_index("ix_upcoming_meeting_object", table_name="upcoming_meeting")
    op.drop_index(op.f("ix_upcoming_meeting_owner_id"), table_name="upcoming_meeting")
    op.drop_table("upcoming_meeting")
