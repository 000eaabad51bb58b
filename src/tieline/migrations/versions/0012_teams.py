"""Teams (issue 19): teams, members, single-use invitations, what each member chose to share, the
shared entries and their keyed hashes, introduction requests between members and the audit of what was
asked of each member's shares; and agenda_cache.data_stamp, which changes with every write
to an owner's data, so a member's shared entries are computed again only when it moved.

Revision ID: 0012_teams
Revises: 0011_accounts
Create Date: 2026-12-14 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tieline.models.base import UTCDateTime

revision = "0012_teams"
down_revision = "0011_accounts"
branch_labels = None
depends_on = None


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["team_id", "owner_id"],
        ["team_member.team_id", "team_member.owner_id"],
        name=f"fk_{table}_member",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("agenda_cache", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data_stamp", sa.String(length=16), nullable=True))
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("hash_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
    )
    op.create_table(
        "team_member",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=False),
        sa.Column("shares_at", UTCDateTime(), nullable=True),
        sa.Column("shares_stamp", sa.String(length=16), nullable=True),
        sa.CheckConstraint("role IN ('owner', 'member')", name=op.f("ck_team_member_role_known")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_team_member_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_member_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "owner_id", name=op.f("pk_team_member")),
    )
    op.create_index(op.f("ix_team_member_owner_id"), "team_member", ["owner_id"], unique=False)
    op.create_table(
        "team_invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["owner.id"], name=op.f("fk_team_invite_created_by_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_invite_team_id_team"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["used_by"], ["owner.id"], name=op.f("fk_team_invite_used_by_owner"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_team_invite_token_hash")),
    )
    op.create_index(op.f("ix_team_invite_team_id"), "team_invite", ["team_id"], unique=False)
    op.create_index(op.f("ix_team_invite_created_by"), "team_invite", ["created_by"], unique=False)
    op.create_index(op.f("ix_team_invite_used_by"), "team_invite", ["used_by"], unique=False)
    op.create_table(
        "team_share_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IN ('all', 'tier', 'tag', 'person')", name=op.f("ck_team_share_rule_kind_known")
        ),
        _member_fk("team_share_rule"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_share_rule")),
        sa.UniqueConstraint("team_id", "owner_id", "kind", "value", name=op.f("uq_team_share_rule")),
    )
    op.create_table(
        "team_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=True),
        sa.Column("organisation_key", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("band", sa.String(length=10), nullable=False),
        sa.Column("since_year", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("band IN ('strong', 'medium', 'weak')", name=op.f("ck_team_share_band_known")),
        _member_fk("team_share"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_team_share_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_share")),
        sa.UniqueConstraint("team_id", "owner_id", "person_id", name=op.f("uq_team_share_person")),
    )
    op.create_index(op.f("ix_team_share_person_id"), "team_share", ["person_id"], unique=False)
    op.create_index("ix_team_share_team_organisation", "team_share", ["team_id", "organisation_key"])
    op.create_index("ix_team_share_team_name", "team_share", ["team_id", "name_key"])
    op.create_table(
        "team_share_key",
        sa.Column("share_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["share_id"],
            ["team_share.id"],
            name=op.f("fk_team_share_key_share_id_team_share"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("share_id", "key_hash", name=op.f("pk_team_share_key")),
    )
    op.create_index(op.f("ix_team_share_key_key_hash"), "team_share_key", ["key_hash"], unique=False)
    op.create_table(
        "intro_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("share_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("person_name", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=True),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('asked', 'accepted', 'declined', 'withdrawn')",
            name=op.f("ck_intro_request_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["asker_id"], ["owner.id"], name=op.f("fk_intro_request_asker_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introduction.id"],
            name=op.f("fk_intro_request_introduction_id_introduction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_intro_request_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_intro_request_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["share_id"],
            ["team_share.id"],
            name=op.f("fk_intro_request_share_id_team_share"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_intro_request_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intro_request")),
    )
    op.create_index(op.f("ix_intro_request_asker_id"), "intro_request", ["asker_id"], unique=False)
    op.create_index(op.f("ix_intro_request_share_id"), "intro_request", ["share_id"], unique=False)
    op.create_index(op.f("ix_intro_request_person_id"), "intro_request", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_intro_request_introduction_id"), "intro_request", ["introduction_id"], unique=False
    )
    op.create_index("ix_intro_request_team_asker", "intro_request", ["team_id", "asker_id"])
    op.create_index("ix_intro_request_owner_state", "intro_request", ["owner_id", "state"])
    op.create_table(
        "team_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "what IN ('who_organisation', 'who_person', 'intro_request')",
            name=op.f("ck_team_audit_what_known"),
        ),
        sa.ForeignKeyConstraint(
            ["asker_id"], ["owner.id"], name=op.f("fk_team_audit_asker_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_team_audit_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_team_audit_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_audit")),
    )
    op.create_index(op.f("ix_team_audit_owner_id"), "team_audit", ["owner_id"], unique=False)
    op.create_index(op.f("ix_team_audit_asker_id"), "team_audit", ["asker_id"], unique=False)
    op.create_index("ix_team_audit_team_owner_at", "team_audit", ["team_id", "owner_id", "at"])


def downgrade() -> None:
    op.drop_table("team_audit")  # its indexes go with it
    op.drop_table("intro_request")
    op.drop_index(op.f("ix_team_share_key_key_hash"), table_name="team_share_key")
    op.drop_table("team_share_key")
    op.drop_index("ix_team_share_team_name", table_name="team_share")
    op.drop_index("ix_team_share_team_organisation", table_name="team_share")
    op.drop_index(op.f("ix_team_share_person_id"), table_name="team_share")
    op.drop_table("team_share")
    op.drop_table("team_share_rule")
    op.drop_index(op.f("ix_team_invite_used_by"), table_name="team_invite")
    op.drop_index(op.f("ix_team_invite_created_by"), table_name="team_invite")
    op.drop_index(op.f("ix_team_invite_team_id"), table_name="team_invite")
    op.drop_table("team_invite")
    op.drop_index(op.f("ix_team_member_owner_id"), table_name="team_member")
    op.drop_table("team_member")
    op.drop_table("team")
    with op.batch_alter_table("agenda_cache", schema=None) as batch_op:
        batch_op.drop_column("data_stamp")
