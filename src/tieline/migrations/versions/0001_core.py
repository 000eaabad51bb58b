"""core tables: people, organisations, interactions, search

Revision ID: 0001_core
Revises:
Create Date: 2026-11-25 18:17:51.564573
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


SQLITE_FTS = [
    # External-content FTS5 over person_search; unicode61 folds case and strips diacritics again
    # as a second line after the normalisation done in Python.
    """CREATE VIRTUAL TABLE person_fts USING fts5(
        names, handles, work, topics, notes,
        content='person_search', content_rowid='person_id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER person_search_ai AFTER INSERT ON person_search BEGIN
        INSERT INTO person_fts(rowid, names, handles, work, topics, notes)
        VALUES (new.person_id, new.names, new.handles, new.work, new.topics, new.notes);
    END""",
    """CREATE TRIGGER person_search_ad AFTER DELETE ON person_search BEGIN
        INSERT INTO person_fts(person_fts, rowid, names, handles, work, topics, notes)
        VALUES ('delete', old.person_id, old.names, old.handles, old.work, old.topics, old.notes);
    END""",
    """CREATE TRIGGER person_search_au AFTER UPDATE ON person_search BEGIN
        INSERT INTO person_fts(person_fts, rowid, names, handles, work, topics, notes)
        VALUES ('delete', old.person_id, old.names, old.handles, old.work, old.topics, old.notes);
        INSERT INTO person_fts(rowid, names, handles, work, topics, notes)
        VALUES (new.person_id, new.names, new.handles, new.work, new.topics, new.notes);
    END""",
]

# The same weighted document as the FTS5 columns, as a GIN-indexed expression; repo/search.py
# repeats this expression exactly so the planner uses the index.
POSTGRES_FTS = """CREATE INDEX ix_person_search_fts ON person_search USING gin ((
    setweight(to_tsvector('simple', names), 'A') ||
    setweight(to_tsvector('simple', handles), 'B') ||
    setweight(to_tsvector('simple', work), 'B') ||
    setweight(to_tsvector('simple', topics), 'C') ||
    setweight(to_tsvector('simple', notes), 'D')))"""


def upgrade() -> None:
    op.create_table(
        "owner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owner")),
    )
    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("initiated_by", sa.String(length=10), nullable=True),
        sa.Column("channel", sa.Text(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "initiated_by IS NULL OR initiated_by IN ('me', 'them')", name=op.f("ck_interaction_initiator")
        ),
        sa.CheckConstraint(
            "kind IN ('meeting', 'coffee', 'call', 'video_call', 'message', 'email', 'event', 'social', 'other')",
            name=op.f("ck_interaction_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_interaction_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction")),
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_interaction_provenance"),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interaction_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_interaction_owner_when", ["owner_id", "occurred_at"], unique=False)

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("match_name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('company', 'department', 'association', 'school', 'alumni_network', 'team', 'community')",
            name=op.f("ck_organisation_kind_known"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_organisation_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_parent_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("owner_id", "kind", "match_name", name="uq_organisation_kind_name"),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("sort_name", sa.Text(), nullable=False),
        sa.Column("given_name", sa.Text(), nullable=True),
        sa.Column("middle_name", sa.Text(), nullable=True),
        sa.Column("family_name", sa.Text(), nullable=True),
        sa.Column("name_prefix", sa.Text(), nullable=True),
        sa.Column("name_suffix", sa.Text(), nullable=True),
        sa.Column("nickname", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("company", sa.Text(), nullable=True),
        sa.Column("department", sa.Text(), nullable=True),
        sa.Column("industry", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("birthday_year", sa.Integer(), nullable=True),
        sa.Column("birthday_month", sa.Integer(), nullable=True),
        sa.Column("birthday_day", sa.Integer(), nullable=True),
        sa.Column("met_how", sa.Text(), nullable=True),
        sa.Column("met_where", sa.Text(), nullable=True),
        sa.Column("met_on", sa.Date(), nullable=True),
        sa.Column("tier", sa.SmallInteger(), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=True),
        sa.Column("closeness", sa.SmallInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("last_contact_at", sa.DateTime(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "cadence_days IS NULL OR cadence_days > 0", name=op.f("ck_person_cadence_positive")
        ),
        sa.CheckConstraint(
            "closeness IS NULL OR closeness BETWEEN 1 AND 5", name=op.f("ck_person_closeness_range")
        ),
        sa.CheckConstraint("tier BETWEEN 1 AND 5", name=op.f("ck_person_tier_range")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("owner_id", "source", "source_id", name="uq_person_provenance"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_person_owner_last_contact", ["owner_id", "last_contact_at"], unique=False)
        batch_op.create_index("ix_person_owner_name", ["owner_id", "sort_name"], unique=False)

    op.create_table(
        "interaction_participant",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_interaction_participant_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["owner.id"],
            name=op.f("fk_interaction_participant_owner_id_owner"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_interaction_participant_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "person_id", name=op.f("pk_interaction_participant")),
    )
    with op.batch_alter_table("interaction_participant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interaction_participant_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_participant_person_when", ["person_id", "occurred_at"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=True),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
            name=op.f("ck_membership_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_membership_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_membership_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_membership_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index("ix_membership_org", ["organisation_id", "person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_person_id"), ["person_id"], unique=False)

    op.create_table(
        "person_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_email_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_email_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_email")),
        sa.UniqueConstraint("person_id", "address", name="uq_person_email_address"),
    )
    with op.batch_alter_table("person_email", schema=None) as batch_op:
        batch_op.create_index("ix_person_email_owner_address", ["owner_id", "address"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_email_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "person_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_link_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_link_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_link")),
    )
    with op.batch_alter_table("person_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_link_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_person_link_owner_url", ["owner_id", "url"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_link_person_id"), ["person_id"], unique=False)

    op.create_table(
        "person_phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("match_key", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_phone_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_phone_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_phone")),
    )
    with op.batch_alter_table("person_phone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_phone_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_person_phone_owner_key", ["owner_id", "match_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_phone_person_id"), ["person_id"], unique=False)

    op.create_table(
        "person_search",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("names", sa.Text(), nullable=False),
        sa.Column("handles", sa.Text(), nullable=False),
        sa.Column("work", sa.Text(), nullable=False),
        sa.Column("topics", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_search_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_search_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_person_search")),
    )
    with op.batch_alter_table("person_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_search_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "person_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_tag_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_tag_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_tag")),
        sa.UniqueConstraint("person_id", "tag", name="uq_person_tag"),
    )
    with op.batch_alter_table("person_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_tag_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_person_tag_owner_tag", ["owner_id", "tag"], unique=False)

    op.create_table(
        "person_topic",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('interest', 'expertise', 'need')", name=op.f("ck_person_topic_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_person_topic_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_topic_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_topic")),
    )
    with op.batch_alter_table("person_topic", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_topic_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_person_topic_owner_value", ["owner_id", "kind", "value"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_topic_person_id"), ["person_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(POSTGRES_FTS)
    op.execute("INSERT INTO owner (id, name, created_at) VALUES (1, 'me', CURRENT_TIMESTAMP)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS person_fts")
    with op.batch_alter_table("person_topic", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_topic_person_id"))
        batch_op.drop_index("ix_person_topic_owner_value")
        batch_op.drop_index(batch_op.f("ix_person_topic_owner_id"))

    op.drop_table("person_topic")
    with op.batch_alter_table("person_tag", schema=None) as batch_op:
        batch_op.drop_index("ix_person_tag_owner_tag")
        batch_op.drop_index(batch_op.f("ix_person_tag_owner_id"))

    op.drop_table("person_tag")
    with op.batch_alter_table("person_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_search_owner_id"))

    op.drop_table("person_search")
    with op.batch_alter_table("person_phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_phone_person_id"))
        batch_op.drop_index("ix_person_phone_owner_key")
        batch_op.drop_index(batch_op.f("ix_person_phone_owner_id"))

    op.drop_table("person_phone")
    with op.batch_alter_table("person_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_link_person_id"))
        batch_op.drop_index("ix_person_link_owner_url")
        batch_op.drop_index(batch_op.f("ix_person_link_owner_id"))

    op.drop_table("person_link")
    with op.batch_alter_table("person_email", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_email_owner_id"))
        batch_op.drop_index("ix_person_email_owner_address")

    op.drop_table("person_email")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_person_id"))
        batch_op.drop_index(batch_op.f("ix_membership_owner_id"))
        batch_op.drop_index("ix_membership_org")

    op.drop_table("membership")
    with op.batch_alter_table("interaction_participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_person_when")
        batch_op.drop_index(batch_op.f("ix_interaction_participant_owner_id"))

    op.drop_table("interaction_participant")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_owner_name")
        batch_op.drop_index("ix_person_owner_last_contact")
        batch_op.drop_index(batch_op.f("ix_person_owner_id"))

    op.drop_table("person")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_owner_id"))

    op.drop_table("organisation")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_owner_when")
        batch_op.drop_index(batch_op.f("ix_interaction_owner_id"))

    op.drop_table("interaction")
    op.drop_table("owner")
