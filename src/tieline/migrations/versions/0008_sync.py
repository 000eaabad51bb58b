"""Capture that keeps itself current: connections (mail and calendar accounts, never their secrets),
the cursor each sync leaves per folder or calendar, the discovered queue of correspondents who match
nobody, and on each interaction whether it was a message to you alone (a reply owed).

Revision ID: 0008_sync
Revises: 0007_said_search
Create Date: 2026-12-07 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tieline.models.base import UTCDateTime

revision = "0008_sync"
down_revision = "0007_said_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: no table rebuild of a million interactions on SQLite.
    op.add_column(
        "interaction",
        sa.Column("to_me_alone", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # The reply-owed agenda line reads the few messages to you alone of the last weeks: a partial
    # index holds only those (repo/replies.py writes `to_me_alone = true` so the planners use it). Made
    # here only, not on the model (db.HAND_MADE_INDEXES says why).
    op.create_index(
        "ix_interaction_to_me_alone",
        "interaction",
        ["owner_id", "occurred_at"],
        unique=False,
        sqlite_where=sa.text("to_me_alone = 1"),
        postgresql_where=sa.text("to_me_alone = true"),
    )
    op.create_table(
        "connection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_run_at", UTCDateTime(), nullable=True),
        sa.Column("last_ok_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_counts", sa.JSON(), nullable=True),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_run_at", UTCDateTime(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('imap', 'caldav', 'ics')", name=op.f("ck_connection_kind_known")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_connection_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_connection")),
        sa.UniqueConstraint("owner_id", "name", name="uq_connection_name"),
    )
    op.create_index(op.f("ix_connection_owner_id"), "connection", ["owner_id"], unique=False)
    op.create_table(
        "sync_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_sync_cursor_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_sync_cursor_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_cursor")),
        sa.UniqueConstraint("connection_id", "key", name="uq_sync_cursor_key"),
    )
    op.create_index(op.f("ix_sync_cursor_owner_id"), "sync_cursor", ["owner_id"], unique=False)
    op.create_table(
        "discovered",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("messages", sa.Integer(), server_default="0", nullable=False),
        sa.Column("meetings", sa.Integer(), server_default="0", nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(length=10), server_default="new", nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("state IN ('new', 'ignored')", name=op.f("ck_discovered_state_known")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_discovered_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discovered")),
        sa.UniqueConstraint("owner_id", "email", name="uq_discovered_email"),
    )
    op.create_index(op.f("ix_discovered_owner_id"), "discovered", ["owner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_discovered_owner_id"), table_name="discovered")
    op.drop_table("discovered")
    op.drop_index(op.f("ix_sync_cursor_owner_id"), table_name="sync_cursor")
    op.drop_table("sync_cursor")
    op.drop_index(op.f("ix_connection_owner_id"), table_name="connection")
    op.drop_table("connection")
    op.drop_index("ix_interaction_to_me_alone", table_name="interaction")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_column("to_me_alone")
