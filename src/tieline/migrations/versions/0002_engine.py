"""relationship engine

Revision ID: 0002_engine
Revises: 0001_core
Create Date: 2026-11-25 18:25:51.025915
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_engine"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agenda_listing",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=200), nullable=False),
        sa.Column("shown_for", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_agenda_listing_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("owner_id", "number", name=op.f("pk_agenda_listing")),
    )
    op.create_table(
        "agenda_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("acted_at", sa.DateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "state IN ('done', 'snoozed', 'dismissed')", name=op.f("ck_agenda_state_state_known")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_agenda_state_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_state")),
        sa.UniqueConstraint("owner_id", "item_key", name="uq_agenda_state_key"),
    )
    with op.batch_alter_table("agenda_state", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_state_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "setting",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_setting_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("owner_id", "key", name=op.f("pk_setting")),
    )
    op.create_table(
        "ask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('planned', 'asked', 'dropped')", name=op.f("ck_ask_status_known")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_ask_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_ask_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ask")),
    )
    with op.batch_alter_table("ask", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ask_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ask_person_id"), ["person_id"], unique=False)

    op.create_table(
        "favour",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("thanked_at", sa.DateTime(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("direction IN ('given', 'received')", name=op.f("ck_favour_direction_known")),
        sa.CheckConstraint(
            "kind IN ('introduction', 'advice', 'referral', 'recommendation', 'resource', 'job_lead', 'feedback', 'help', 'other')",
            name=op.f("ck_favour_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_favour_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_favour_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favour")),
    )
    with op.batch_alter_table("favour", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_favour_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_favour_owner_thanks", ["owner_id", "direction", "thanked_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_favour_person_id"), ["person_id"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=True),
        sa.Column("is_promise", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'done', 'dismissed')", name=op.f("ck_follow_up_status_known")),
        sa.CheckConstraint("every_days IS NULL OR every_days > 0", name=op.f("ck_follow_up_every_positive")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_follow_up_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_follow_up_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_follow_up_owner_status_due", ["owner_id", "status", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_person_id"), ["person_id"], unique=False)

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('birthday', 'work_anniversary', 'new_job', 'promotion', 'award', 'publication', 'other')",
            name=op.f("ck_milestone_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_milestone_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_milestone_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index("ix_milestone_owner_date", ["owner_id", "occurred_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestone_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestone_person_id"), ["person_id"], unique=False)

    op.create_table(
        "tie",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("intensity", sa.Float(), nullable=False),
        sa.Column("intensity_at", sa.DateTime(), nullable=True),
        sa.Column("half_life_days", sa.Float(), nullable=False),
        sa.Column("first_contact_at", sa.DateTime(), nullable=True),
        sa.Column("interactions", sa.Integer(), nullable=False),
        sa.Column("initiated_by_me", sa.Integer(), nullable=False),
        sa.Column("initiated_by_them", sa.Integer(), nullable=False),
        sa.Column("favours_given", sa.Integer(), nullable=False),
        sa.Column("favours_received", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Float(), nullable=False),
        sa.Column("strength_at", sa.DateTime(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_tie_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_tie_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_tie")),
    )
    with op.batch_alter_table("tie", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tie_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tie", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tie_owner_id"))

    op.drop_table("tie")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_person_id"))
        batch_op.drop_index(batch_op.f("ix_milestone_owner_id"))
        batch_op.drop_index("ix_milestone_owner_date")

    op.drop_table("milestone")
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_person_id"))
        batch_op.drop_index("ix_follow_up_owner_status_due")
        batch_op.drop_index(batch_op.f("ix_follow_up_owner_id"))

    op.drop_table("follow_up")
    with op.batch_alter_table("favour", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_favour_person_id"))
        batch_op.drop_index("ix_favour_owner_thanks")
        batch_op.drop_index(batch_op.f("ix_favour_owner_id"))

    op.drop_table("favour")
    with op.batch_alter_table("ask", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ask_person_id"))
        batch_op.drop_index(batch_op.f("ix_ask_owner_id"))

    op.drop_table("ask")
    op.drop_table("setting")
    with op.batch_alter_table("agenda_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_state_owner_id"))

    op.drop_table("agenda_state")
    op.drop_table("agenda_listing")
