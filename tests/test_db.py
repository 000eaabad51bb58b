"""The schema (tieline.db and the Alembic migrations) on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.orm import Session

from tieline.config import Settings
from tieline.db import (
    FTS_TABLES,
    HAND_MADE_INDEXES,
    MIGRATIONS_DIR,
    SCHEMA_HEAD,
    SQLITE_CACHE_KIB,
    SQLITE_IMPORT_CACHE_KIB,
    Database,
    alembic_config,
    create_engine_for,
    current_revision,
    downgrade,
    lean_page_cache,
    models_describe,
    open_database,
    upgrade,
)
from tieline.errors import ConfigError
from tieline.models import LOCAL_OWNER_ID, Base
from tieline.models.search import SaidSearch
from tieline.repo import said as said_repo


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(sa.create_engine("sqlite://")))


def test_schema_head_names_the_newest_migration() -> None:
    script = script_directory()
    assert script.dir == str(MIGRATIONS_DIR)
    assert script.get_heads() == [SCHEMA_HEAD]


def user_tables(engine: sa.Engine) -> set[str]:
    names = set(sa.inspect(engine).get_table_names())
    # SQLite's full-text indexes live in virtual tables and their shadow tables.
    return {n for n in names if not n.startswith(FTS_TABLES)} - {"alembic_version"}


def test_migrations_upgrade_downgrade_and_upgrade_again(fresh_database_url: str) -> None:
    engine = create_engine_for(fresh_database_url)
    try:
        revisions = [r.revision for r in reversed(list(script_directory().walk_revisions()))]
        for revision in revisions:
            upgrade(engine, revision)
            assert current_revision(engine) == revision
        assert user_tables(engine) == set(Base.metadata.tables)

        for expected in reversed([None, *revisions[:-1]]):
            downgrade(engine, "-1")
            assert current_revision(engine) == expected
        assert user_tables(engine) == set()
        assert not any(n.startswith(FTS_TABLES) for n in sa.inspect(engine).get_table_names())

        upgrade(engine)
        assert current_revision(engine) == SCHEMA_HEAD
        assert user_tables(engine) == set(Base.metadata.tables)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT id FROM owner")).scalars().all() == [LOCAL_OWNER_ID]
    finally:
        engine.dispose()


def test_widening_interaction_kinds_keeps_every_interaction_and_participant(fresh_database_url: str) -> None:
    # 0005 rebuilds the interaction table on SQLite; with foreign keys on, dropping the old table
    # would have cascade-deleted every participant.
    engine = create_engine_for(fresh_database_url)
    try:
        upgrade(engine, "0004_contact_strength")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO person (id, owner_id, display_name, sort_name, tier, archived, created_at, updated_at) "
                    "VALUES (1, 1, 'Ana', 'ana', 2, false, '2026-01-01 10:00:00', '2026-01-01 10:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO interaction (id, owner_id, kind, occurred_at, created_at, updated_at) "
                    "VALUES (7, 1, 'coffee', '2026-01-02 10:00:00', '2026-01-02 10:00:00', '2026-01-02 10:00:00')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO interaction_participant (owner_id, interaction_id, person_id, occurred_at) "
                    "VALUES (1, 7, 1, '2026-01-02 10:00:00')"
                )
            )
        upgrade(engine)
        with engine.begin() as conn:
            assert conn.execute(
                sa.text("SELECT interaction_id, person_id FROM interaction_participant")
            ).all() == [(7, 1)]
            conn.execute(sa.text("UPDATE interaction SET kind = 'mentoring' WHERE id = 7"))
            with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():
                conn.execute(sa.text("UPDATE interaction SET kind = 'lunch' WHERE id = 7"))
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(db: Database) -> None:
    # The full-text indexes are made by hand in the migrations: an FTS5 table on SQLite, a GIN
    # expression index on PostgreSQL; so are the expression indexes. Everything else must be exactly
    # what the models say.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": models_describe}
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_only_the_hand_made_structures_are_left_out_of_the_comparison(db: Database) -> None:
    assert models_describe("person", "table", None)
    assert models_describe("ix_person_owner_name", "index", None)
    assert not models_describe("person_fts_data", "table", None)
    assert not models_describe("said_fts_idx", "table", None)
    # Each index left out is one the migrations really make (the GIN index only on PostgreSQL).
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'index'"
            expected = HAND_MADE_INDEXES - {"ix_person_search_fts", "ix_said_search_fts"}
        else:
            sql = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            expected = HAND_MADE_INDEXES
        made = set(conn.execute(sa.text(sql)).scalars())
    assert expected <= made
    assert not any(models_describe(name, "index", None) for name in expected)


def test_lean_page_cache_shrinks_sqlite_cache_for_a_write_and_restores_it_after_commit(db: Database) -> None:
    with db.sessions() as session:
        session.begin()
        if session.get_bind().dialect.name != "sqlite":
            with lean_page_cache(session):  # PostgreSQL: nothing to change
                session.commit()
            return
        driver = session.connection().connection.dbapi_connection
        assert driver is not None

        def cache_size() -> int:
            return int(driver.execute("PRAGMA cache_size").fetchone()[0])

        assert cache_size() == -SQLITE_CACHE_KIB
        with lean_page_cache(session):
            assert cache_size() == -SQLITE_IMPORT_CACHE_KIB
            session.commit()
        assert cache_size() == -SQLITE_CACHE_KIB


def test_open_database_migrates_a_new_database_on_first_use(fresh_database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = open_database(Settings(data_dir=tmp_path, database_url=fresh_database_url))
    try:
        assert current_revision(database.engine) == SCHEMA_HEAD
    finally:
        database.dispose()


def test_unreachable_database_is_a_config_error_not_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(ConfigError, match="cannot open database"):
        open_database(settings)


def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.execute(
            sa.text("INSERT INTO owner (id, name, created_at) VALUES (2, 'x', CURRENT_TIMESTAMP)")
        )
        raise RuntimeError("boom")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM owner")).scalar() == 1


def test_upgrading_indexes_what_was_already_said(fresh_database_url: str) -> None:
    # 0007 backfills said_search: notes written before the upgrade are found after it.
    engine = create_engine_for(fresh_database_url)
    stamp = "'2026-01-02 10:00:00'"
    try:
        upgrade(engine, "0006_agenda_indexes")
        with engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO person (id, owner_id, display_name, sort_name, tier, archived, created_at, updated_at) "
                    f"VALUES (1, 1, 'Ana', 'ana', 2, false, {stamp}, {stamp}), (2, 1, 'Bo', 'bo', 2, false, {stamp}, {stamp})"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO interaction (id, owner_id, kind, occurred_at, subject, notes, created_at, updated_at) "
                    f"VALUES (7, 1, 'coffee', {stamp}, NULL, 'She went Kayák-ing', {stamp}, {stamp}), "
                    f"(8, 1, 'call', {stamp}, NULL, NULL, {stamp}, {stamp})"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO event (id, owner_id, name, kind, starts_on, notes, created_at, updated_at) "
                    f"VALUES (3, 1, 'Fjord meetup', 'meetup', '2026-02-01', NULL, {stamp}, {stamp})"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO introduction (id, owner_id, person_a_id, person_b_id, why, state, created_at, updated_at) "
                    f"VALUES (4, 1, 1, 2, 'both love kayaks', 'proposed', {stamp}, {stamp})"
                )
            )
        upgrade(engine)
        with Session(engine) as session:
            rows = said_repo.find(session, owner_id=LOCAL_OWNER_ID, tokens=["kayak"])
            assert sorted((r.item, r.id) for r in rows) == [("interaction", 7), ("introduction", 4)]
            fjord = said_repo.find(session, owner_id=LOCAL_OWNER_ID, tokens=["fjord"])
            assert [(r.item, r.id) for r in fjord] == [("event", 3)]
            # Three rows: the call with nothing written in it has none.
            assert session.scalar(sa.select(sa.func.count()).select_from(SaidSearch)) == 3
        downgrade(engine, "0006_agenda_indexes")
        assert "said_search" not in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
