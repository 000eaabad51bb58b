"""Search what was said: said_search holds the folded words of every interaction's subject and notes
(and of events, introductions and opportunities), with a full-text index over them: an FTS5 table
kept by triggers on SQLite, a GIN index over a weighted tsvector on PostgreSQL, as for people.
Existing rows are indexed here, so a database upgraded with years of notes finds them at once.

Revision ID: 0007_said_search
Revises: 0006_agenda_indexes
Create Date: 2026-12-07 09:30:00
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from alembic import op

from tieline.text import search_words

revision = "0007_said_search"
down_revision = "0006_agenda_indexes"
branch_labels = None
depends_on = None

ITEMS = ("interaction", "event", "introduction", "opportunity")
ONE_ITEM = " + ".join(f"(CASE WHEN {item}_id IS NULL THEN 0 ELSE 1 END)" for item in ITEMS) + " = 1"

SQLITE_FTS = [
    # External content over said_search, as person_fts over person_search; the words are folded in
    # Python already, unicode61 folds again as a second line.
    """CREATE VIRTUAL TABLE said_fts USING fts5(
        subject, notes, content='said_search', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER said_search_ai AFTER INSERT ON said_search BEGIN
        INSERT INTO said_fts(rowid, subject, notes) VALUES (new.id, new.subject, new.notes);
    END""",
    """CREATE TRIGGER said_search_ad AFTER DELETE ON said_search BEGIN
        INSERT INTO said_fts(said_fts, rowid, subject, notes) VALUES ('delete', old.id, old.subject, old.notes);
    END""",
    """CREATE TRIGGER said_search_au AFTER UPDATE ON said_search BEGIN
        INSERT INTO said_fts(said_fts, rowid, subject, notes) VALUES ('delete', old.id, old.subject, old.notes);
        INSERT INTO said_fts(rowid, subject, notes) VALUES (new.id, new.subject, new.notes);
    END""",
]

# repo/said.py repeats this expression exactly so the planner uses the index.
POSTGRES_FTS = """CREATE INDEX ix_said_search_fts ON said_search USING gin ((
    setweight(to_tsvector('simple', subject), 'A') || setweight(to_tsvector('simple', notes), 'D')))"""

# Each item's text as the backfill reads it: (table, when, subject, notes columns).
SOURCES = {
    "interaction": ("interaction", "occurred_at", "subject", ("notes",)),
    "event": ("event", "starts_on", "name", ("notes", "goals")),
    "introduction": ("introduction", "created_at", None, ("why", "outcome")),
    "opportunity": ("opportunity", "spotted_on", "title", ("notes",)),
}
BATCH = 5_000


def upgrade() -> None:
    op.create_table(
        "said_search",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=False, nullable=False
        ),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("introduction_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(ONE_ITEM, name=op.f("ck_said_search_one_item")),
        *(
            sa.ForeignKeyConstraint(
                [f"{item}_id"],
                [f"{item}.id"],
                name=op.f(f"fk_said_search_{item}_id_{item}"),
                ondelete="CASCADE",
            )
            for item in ITEMS
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["owner.id"], name=op.f("fk_said_search_owner_id_owner"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_said_search")),
        *(sa.UniqueConstraint(f"{item}_id", name=op.f(f"uq_said_search_{item}_id")) for item in ITEMS),
    )
    with op.batch_alter_table("said_search", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_said_search_owner_id"), ["owner_id"], unique=False)
    conn = op.get_bind()
    _backfill(conn)
    # The full-text index is built once over the backfilled rows: faster than row by row.
    if conn.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO said_fts(said_fts) VALUES ('rebuild')")
    else:
        op.execute(POSTGRES_FTS)


def _backfill(conn: sa.Connection) -> None:
    """A said_search row for every existing item with something written in it."""
    said = sa.table(
        "said_search",
        sa.column("id", sa.BigInteger),
        *(sa.column(f"{item}_id", sa.Integer) for item in ITEMS),
        sa.column("owner_id", sa.Integer),
        sa.column("occurred_at", sa.DateTime),
        sa.column("subject", sa.Text),
        sa.column("notes", sa.Text),
    )
    for item, (name, when, subject, notes) in SOURCES.items():
        texts = ((subject,) if subject else ()) + notes
        source = sa.table(name, sa.column("id", sa.Integer), sa.column("owner_id", sa.Integer),
                          sa.column(when), *(sa.column(c, sa.Text) for c in texts))  # fmt: skip
        c = source.c
        anything = sa.or_(*(c[t].is_not(None) for t in texts))
        last = 0
        while True:
            stmt = (
                sa.select(c.id, c.owner_id, c[when], *(c[t] for t in texts))
                .where(anything, c.id > last)
                .order_by(c.id)
                .limit(BATCH)
            )
            batch = conn.execute(stmt).all()
            if not batch:
                break
            rows = [_row(item, r, subject is not None) for r in batch]
            rows = [r for r in rows if r["subject"] or r["notes"]]
            if rows:
                conn.execute(sa.insert(said), rows)
            last = batch[-1][0]


def _row(item: str, row: Any, has_subject: bool) -> dict[str, Any]:
    item_id, owner_id, when, *texts = row
    subject = search_words(texts[0]) if has_subject else ""
    notes = " ".join(w for w in map(search_words, texts[1:] if has_subject else texts) if w)
    return {
        "id": item_id * len(ITEMS) + ITEMS.index(item),  # models.search.said_id, frozen here
        **{f"{other}_id": None for other in ITEMS},
        f"{item}_id": item_id,
        "owner_id": owner_id,
        "occurred_at": _moment(when),
        "subject": subject,
        "notes": notes,
    }


def _moment(value: Any) -> datetime:
    """A stored time or date (SQLite hands back text) as a naive UTC datetime."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, time())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("said_search_ai", "said_search_ad", "said_search_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS said_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_said_search_fts")
    with op.batch_alter_table("said_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_said_search_owner_id"))
    op.drop_table("said_search")
