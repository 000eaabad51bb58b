"""Server mode: accounts, login sessions, failed sign-ins, personal access tokens; and what app
processes share through the database instead of their memory: idempotency keys, the agenda cache,
background job claims, and web imports as far as they got.

Revision ID: 0011_accounts
Revises: 0010_carddav
Create Date: 2026-12-07 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tieline.models.base import UTCDateTime

revision = "0011_accounts"
down_revision = "0010_carddav"
branch_labels = None
depends_on = None


def _owner_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["owner_id"], ["owner.id"], name=op.f(f"fk_{table}_owner_id_owner"), ondelete="CASCADE"
    )


def upgrade() -> None:
    # 0001 inserted the local owner with its id given (1), which leaves PostgreSQL's id sequence
    # unused: the next owner it makes (a second account) would be given 1 again. Move it past.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('owner', 'id'), (SELECT coalesce(max(id), 1) FROM owner))"
        )
    op.create_table(
        "account",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("username_key", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("password_changed_at", UTCDateTime(), nullable=False),
        sa.Column("disabled_at", UTCDateTime(), nullable=True),
        _owner_fk("account"),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_account")),
        sa.UniqueConstraint("username_key", name=op.f("uq_account_username_key")),
    )
    op.create_table(
        "login_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        _owner_fk("login_session"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_login_session_token_hash")),
    )
    op.create_index(op.f("ix_login_session_owner_id"), "login_session", ["owner_id"], unique=False)
    op.create_table(
        "login_failure",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failure")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_used_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('read', 'write')", name=op.f("ck_api_token_scope_known")),
        _owner_fk("api_token"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_owner_id"), "api_token", ["owner_id"], unique=False)
    op.create_table(
        "request_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        _owner_fk("request_key"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_key")),
        sa.UniqueConstraint("owner_id", "key", name="uq_request_key"),
    )
    op.create_index(op.f("ix_request_key_owner_id"), "request_key", ["owner_id"], unique=False)
    op.create_table(
        "agenda_cache",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("computed_at", UTCDateTime(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        _owner_fk("agenda_cache"),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_agenda_cache")),
    )
    op.create_table(
        "import_job",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        _owner_fk("import_job"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
    )
    op.create_index(op.f("ix_import_job_owner_id"), "import_job", ["owner_id"], unique=False)
    op.create_table(
        "job_claim",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_claim")),
    )


def downgrade() -> None:
    op.drop_table("job_claim")
    op.drop_index(op.f("ix_import_job_owner_id"), table_name="import_job")
    op.drop_table("import_job")
    op.drop_table("agenda_cache")
    op.drop_index(op.f("ix_request_key_owner_id"), table_name="request_key")
    op.drop_table("request_key")
    op.drop_index(op.f("ix_api_token_owner_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_table("login_failure")
    op.drop_index(op.f("ix_login_session_owner_id"), table_name="login_session")
    op.drop_table("login_session")
    op.drop_table("account")
