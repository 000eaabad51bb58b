"""Address books synced both ways over CardDAV: the connection kind "carddav", each card's link to
its person with the fields both sides last agreed on (the merge's base), and the conflicts a sync
found (a field changed on both sides) until the user resolves them.

Revision ID: 0010_carddav
Revises: 0009_upcoming_meetings
Create Date: 2026-12-07 12:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tieline.models.base import UTCDateTime

revision = "0010_carddav"
down_revision = "0009_upcoming_meetings"
branch_labels = None
depends_on = None

OLD_KINDS = ("imap", "caldav", "ics")


def _connection_kinds(kinds: tuple[str, ...]) -> None:
    """Replace the check on connection.kind (on SQLite the small table is rebuilt)."""
    allowed = ", ".join(f"'{k}'" for k in kinds)
    with op.batch_alter_table("connection", schema=None) as batch_op:
        batch_op.drop_constraint("kind_known", type_="check")
        batch_op.create_check_constraint("kind_known", sa.text(f"kind IN ({allowed})"))


def upgrade() -> None:
    _connection_kinds((*OLD_KINDS, "carddav"))
    op.create_table(
        "card_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("href", sa.String(length=1000), nullable=False),
        sa.Column("uid", sa.String(length=500), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_card_link_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_card_link_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_card_link_person_id_person"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_link")),
        sa.UniqueConstraint("connection_id", "href", name="uq_card_link_href"),
    )
    op.create_index("ix_card_link_person", "card_link", ["connection_id", "person_id"], unique=False)
    op.create_index(op.f("ix_card_link_owner_id"), "card_link", ["owner_id"], unique=False)
    op.create_table(
        "card_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("tieline_value", sa.JSON(), nullable=True),
        sa.Column("server_value", sa.JSON(), nullable=True),
        sa.Column("found_at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
        sa.Column("kept", sa.String(length=10), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["connection.id"],
            name=op.f("fk_card_conflict_connection_id_connection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_card_conflict_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_card_conflict_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_conflict")),
    )
    op.create_index(op.f("ix_card_conflict_owner_id"), "card_conflict", ["owner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_card_conflict_owner_id"), table_name="card_conflict")
    op.drop_table("card_conflict")
    op.drop_index(op.f("ix_card_link_owner_id"), table_name="card_link")
    op.drop_index("ix_card_link_person", table_name="card_link")
    op.drop_table("card_link")
    op.execute("DELETE FROM connection WHERE kind = 'carddav'")
    _connection_kinds(OLD_KINDS)
