"""tie.contact_strength: the strength as of the last contact, so dormant ties are found by index

Revision ID: 0004_contact_strength
Revises: 0003_imports
Create Date: 2026-11-25 19:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_contact_strength"
down_revision = "0003_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tie", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact_strength", sa.Float(), server_default="0", nullable=False))
        batch_op.create_index("ix_tie_owner_contact_strength", ["owner_id", "contact_strength"], unique=False)
    # Existing ties get their value from `tieline recompute` (ties are derived data); until then
    # dormant-tie suggestions fall back to nothing rather than to a wrong ranking.


def downgrade() -> None:
    with op.batch_alter_table("tie", schema=None) as batch_op:
        batch_op.drop_index("ix_tie_owner_contact_strength")
        batch_op.drop_column("contact_strength")
