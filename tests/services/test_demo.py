"""The demo network (tieline.services.demo): deterministic, realistic, consistent with the models."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.db import Database
from tieline.errors import InvalidInput
from tieline.models import (
    INTERACTION_KINDS,
    LOCAL_OWNER_ID,
    Interaction,
    InteractionParticipant,
    Membership,
    Organisation,
    Person,
    PersonSearch,
    Tie,
)
from tieline.repo import people as people_repo
from tieline.repo.search import document_for
from tieline.services import demo
from tieline.services import people as people_service
from tieline.text import fold

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
SMALL = demo.SCALES["small"]
Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]


def load(db: Database, *, seed: int = 42, if_exists: demo.IfExists = "error") -> demo.LoadResult:
    with db.transaction() as session:
        return demo.load(
            session, owner_id=LOCAL_OWNER_ID, scale=SMALL, seed=seed, now=NOW, if_exists=if_exists
        )


def plan_rows(seed: int) -> list[tuple[str, list[tuple[object, ...]]]]:
    plan = demo.DemoPlan(SMALL, seed=seed, today=TODAY)
    first_ids = dict.fromkeys(demo.ID_TABLES, 1)
    return [(b.table, b.rows) for b in plan.batches(owner_id=1, first_ids=first_ids, existing_orgs={})]


# Determinism (pure: no database)


def test_same_seed_and_day_plan_identical_rows() -> None:
    assert plan_rows(42) == plan_rows(42)


def test_another_seed_plans_another_network() -> None:
    assert plan_rows(42) != plan_rows(43)


def test_small_plan_has_the_promised_size_and_a_heavy_tail() -> None:
    plan = demo.DemoPlan(SMALL, seed=42, today=TODAY)
    assert len(plan.cast.people) == 300
    assert len(plan.times) == 6000
    contacts = Counter(i for part in plan.parts for i in (part if isinstance(part, tuple) else (part,)))
    busiest = sum(n for _, n in contacts.most_common(30))
    # The 10% most contacted people account for most of the contact.
    assert busiest > 0.5 * sum(contacts.values())
    assert Counter(p.tier for p in plan.cast.people)[1] == 5
    assert any(isinstance(part, tuple) for part in plan.parts)


def test_names_come_from_many_cultures_and_scripts() -> None:
    plan = demo.DemoPlan(demo.Scale("mid", 3000, 10), seed=42, today=TODAY)
    names = [p.display_name for p in plan.cast.people]
    assert any(fold(n) != n.lower() for n in names)  # accents
    assert any("\u4e00" <= ch <= "\u9fff" for n in names for ch in n)  # Chinese characters
    assert any("\u0600" <= ch <= "\u06ff" for n in names for ch in n)  # Arabic script
    assert len({p.culture.key for p in plan.cast.people}) >= 15


# Loading


def test_loads_the_small_network_with_consistent_rows(db: Database) -> None:
    result = load(db)
    assert result.counts["person"] == 300
    assert result.counts["interaction"] == 6000
    with db.sessions() as session:
        assert people_repo.count(session, owner_id=LOCAL_OWNER_ID) == 300
        # last_contact_at is exactly the latest interaction of each person, and never-contacted
        # people have none.
        latest = (
            sa.select(sa.func.max(InteractionParticipant.occurred_at))
            .where(InteractionParticipant.person_id == Person.id)
            .scalar_subquery()
        )
        mismatched = session.scalar(
            sa.select(sa.func.count()).where(
                sa.or_(
                    Person.last_contact_at != latest,
                    sa.and_(Person.last_contact_at.is_(None), latest.is_not(None)),
                    sa.and_(Person.last_contact_at.is_not(None), latest.is_(None)),
                )
            )
        )
        assert mismatched == 0
        # Each participant row repeats its interaction's time.
        copied = session.scalar(
            sa.select(sa.func.count())
            .select_from(InteractionParticipant)
            .join(Interaction, Interaction.id == InteractionParticipant.interaction_id)
            .where(Interaction.occurred_at != InteractionParticipant.occurred_at)
        )
        assert copied == 0
        assert set(session.scalars(sa.select(Interaction.kind).distinct())) <= set(INTERACTION_KINDS)
        assert session.scalar(sa.select(sa.func.count()).where(Person.source != "demo")) == 0


def test_every_person_gets_a_scored_tie(db: Database) -> None:
    result = load(db)
    assert result.counts["tie"] == 300
    with db.sessions() as session:
        per_person = dict(
            session.execute(
                sa.select(InteractionParticipant.person_id, sa.func.count()).group_by(
                    InteractionParticipant.person_id
                )
            ).all()
        )
        ties = session.scalars(sa.select(Tie)).all()
    assert len(ties) == 300
    assert all(t.interactions == per_person.get(t.person_id, 0) for t in ties)
    assert max(t.strength for t in ties) > 0


def test_loaded_values_match_what_the_models_store(db: Database) -> None:
    load(db)
    with db.sessions() as session:
        people = session.scalars(sa.select(Person).options(*people_repo.with_details())).all()
        documents = {row.person_id: row for row in session.scalars(sa.select(PersonSearch))}
        for person in people:
            assert person.sort_name == fold(person.display_name)
            stored = documents[person.id]
            expected = document_for(person)
            assert {k: getattr(stored, k) for k in expected} == expected, person.display_name
        # A time bound through the ORM finds the row the loader wrote: same storage format.
        contacted = next(p for p in people if p.last_contact_at is not None)
        found = session.scalars(
            sa.select(Person.id).where(Person.last_contact_at == contacted.last_contact_at)
        )
        assert contacted.id in set(found)


def test_current_company_membership_follows_company_and_title(db: Database) -> None:
    load(db)
    with db.sessions() as session:
        rows = session.execute(
            sa.select(Person.company, Person.title, Organisation.name, Membership.role)
            .join(Membership, Membership.person_id == Person.id)
            .join(Organisation, Organisation.id == Membership.organisation_id)
            .where(Organisation.kind == "company", Membership.end_date.is_(None))
        ).all()
        employed = session.scalar(sa.select(sa.func.count()).where(Person.company.is_not(None)))
    assert len(rows) == employed
    assert all(company == org and title == role for company, title, org, role in rows)


def test_loaded_rows_pass_every_constraint(db: Database) -> None:
    # The SQLite loader skips CHECK constraints for speed; prove the rows satisfy them anyway.
    load(db)
    if db.dialect != "sqlite":
        pytest.skip("PostgreSQL checks every constraint while copying")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def test_search_finds_a_generated_person_by_name_without_accents(db: Database) -> None:
    load(db)
    with db.sessions() as session:
        names = session.scalars(sa.select(Person.display_name).order_by(Person.id)).all()
        accented = next(n for n in names if fold(n) != n.lower() and fold(n).isascii())
        found = people_service.search(session, owner_id=LOCAL_OWNER_ID, query=fold(accented))
    assert accented in [p.display_name for p, _ in found]


def test_same_seed_loads_identical_rows(db: Database, snapshot: Snapshot) -> None:
    load(db)
    first = snapshot()
    load(db, if_exists="replace")
    assert snapshot() == first


def test_refuses_a_database_that_has_people(db: Database, session: Session) -> None:
    load(db)
    with pytest.raises(InvalidInput, match="already has 300 people"):
        demo.load(session, owner_id=LOCAL_OWNER_ID, scale=SMALL, seed=42, now=NOW)


def test_the_refusal_counts_one_person_in_the_singular(session: Session, add_person) -> None:  # type: ignore[no-untyped-def]
    add_person("Ana Lima")
    with pytest.raises(InvalidInput, match=r"already has 1 person; the demo goes into an empty database"):
        demo.load(session, owner_id=LOCAL_OWNER_ID, scale=SMALL, seed=42, now=NOW)


def test_if_empty_leaves_a_database_with_people_alone(db: Database, snapshot: Snapshot) -> None:
    load(db)
    before = snapshot()
    result = load(db, seed=7, if_exists="skip")
    assert result.skipped_people == 300
    assert result.counts == {}
    assert snapshot() == before


def test_reuses_organisations_the_owner_already_has(db: Database) -> None:
    plan = demo.DemoPlan(SMALL, seed=42, today=TODAY)
    company = plan.cast.orgs[0]
    with db.transaction() as session:
        session.add(Organisation(owner_id=LOCAL_OWNER_ID, name=company.name, match_name=fold(company.name)))
    load(db)
    with db.sessions() as session:
        matches = session.scalars(
            sa.select(Organisation).where(Organisation.match_name == fold(company.name))
        )
        assert len(matches.all()) == 1


def test_unknown_scale_is_a_user_error() -> None:
    with pytest.raises(InvalidInput, match="small, large"):
        demo.scale_named("huge")


def test_after_a_bulk_load_every_connection_of_the_pool_can_delete_what_was_said(db: Database) -> None:
    # A bulk load drops and re-creates indexes (SQLite). Connections that were open beforehand must
    # not be handed out again: on SQLite the first delete from said_search there failed with "no
    # such table: said_search" (its FTS5 trigger), which a server would answer with a 500.
    earlier = [db.engine.connect() for _ in range(3)]
    for conn in earlier:
        conn.execute(sa.text("SELECT count(*) FROM owner")).scalar()
    for conn in earlier:
        conn.close()
    load(db, seed=5)
    after = [db.engine.connect() for _ in range(4)]
    try:
        for conn in after:
            with conn.begin() as transaction:
                assert conn.execute(sa.text("DELETE FROM said_search")).rowcount > 0
                transaction.rollback()
    finally:
        for conn in after:
            conn.close()
