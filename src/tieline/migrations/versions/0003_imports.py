"""import runs and their change log, person source ids, merge records, distinct pairs

Revision ID: 0003_imports
Revises: 0002_engine
Create Date: 2026-11-25 18:34:42.576201
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_imports"
down_revision = "0002_engine"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=40), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_import_run_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_run")),
    )
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_run_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "merge_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("unmerged_at", sa.DateTime(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_merge_record_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merge_record")),
    )
    with op.batch_alter_table("merge_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merge_record_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "distinct_pair",
        sa.Column("low_id", sa.Integer(), nullable=False),
        sa.Column("high_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("low_id < high_id", name=op.f("ck_distinct_pair_ordered")),
        sa.ForeignKeyConstraint(
            ["high_id"], ["person.id"], name=op.f("fk_distinct_pair_high_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["low_id"], ["person.id"], name=op.f("fk_distinct_pair_low_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_distinct_pair_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("low_id", "high_id", name=op.f("pk_distinct_pair")),
    )
    with op.batch_alter_table("distinct_pair", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_distinct_pair_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "import_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.CheckConstraint("action IN ('insert', 'update')", name=op.f("ck_import_change_action_known")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["import_run.id"], name=op.f("fk_import_change_run_id_import_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_change")),
    )
    with op.batch_alter_table("import_change", schema=None) as batch_op:
        batch_op.create_index("ix_import_change_run", ["run_id", "id"], unique=False)

    op.create_table(
        "person_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_source_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_source_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_source")),
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_person_source_key"),
    )
    with op.batch_alter_table("person_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_source_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_person_source_person", ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_source", schema=None) as batch_op:
        batch_op.drop_index("ix_person_source_person")
        batch_op.drop_index(batch_op.f("ix_person_source_owner_id"))

    op.drop_table("person_source")
    with op.batch_alter_table("import_change", schema=None) as batch_op:
        batch_op.drop_index("ix_import_change_run")

    op.drop_table("import_change")
    with op.batch_alter_table("distinct_pair", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_distinct_pair_owner_id"))

    op.drop_table("distinct_pair")
    with op.batch_alter_table("merge_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_record_owner_id"))

    op.drop_table("merge_record")
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_run_owner_id"))

    op.drop_table("import_run")
