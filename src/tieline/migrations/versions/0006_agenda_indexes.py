"""Indexes the Today page and the People list read through: live people by name, birthdays by
month and day, people by tier and the start of their silence and by their own cadence (who is
overdue), and current company roles by the month and day they started. The two expression indexes
are written exactly as the queries write them (repo.agenda.silent_since, repo.milestones.month_day).

Revision ID: 0006_agenda_indexes
Revises: 0005_growth
Create Date: 2026-11-26 02:05:00
"""

from __future__ import annotations

from alembic import op

revision = "0006_agenda_indexes"
down_revision = "0005_growth"
branch_labels = None
depends_on = None

MONTH_DAY = {
    "sqlite": "CAST(strftime('%m%d', start_date) AS INTEGER)",
    "postgresql": "(CAST(EXTRACT(MONTH FROM start_date) AS INTEGER) * 100 + CAST(EXTRACT(DAY FROM start_date) AS INTEGER))",
}


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_owner_live_name", ["owner_id", "archived", "sort_name"], unique=False
        )
        batch_op.create_index(
            "ix_person_owner_birthday", ["owner_id", "birthday_month", "birthday_day"], unique=False
        )
        batch_op.create_index("ix_person_owner_cadence", ["owner_id", "cadence_days"], unique=False)
    op.execute(
        "CREATE INDEX ix_person_owner_tier_silence ON person "
        "(owner_id, tier, (coalesce(last_contact_at, created_at)))"
    )
    expression = MONTH_DAY[op.get_bind().dialect.name]
    # The day first: led by owner_id, SQLite would take it for any owner_id = ? query on
    # memberships (a person's memberships among them) and read every membership of the owner.
    op.execute(f"CREATE INDEX ix_membership_start_month_day ON membership (({expression}), owner_id)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_membership_start_month_day")
    op.execute("DROP INDEX ix_person_owner_tier_silence")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_owner_cadence")
        batch_op.drop_index("ix_person_owner_birthday")
        batch_op.drop_index("ix_person_owner_live_name")
