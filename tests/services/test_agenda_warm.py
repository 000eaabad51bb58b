"""The agenda warmer's passes (services/agenda/warm.py): a stale agenda is computed before anyone
views it, once however many processes warm, fresh ones are left alone, and a pass with nothing to do
writes nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.agenda_computations import count_computations
from tieline.config import Settings
from tieline.db import AGENDA_STALE, Database, open_database
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import agenda_cache as cache_repo
from tieline.services import accounts, agenda, interactions, people
from tieline.services.agenda import cache as agenda_cache
from tieline.services.agenda import warm
from tieline.services.people import PersonChanges
from tieline.services.sync import claims as claims_service

OWNER = LOCAL_OWNER_ID
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


def clock() -> datetime:
    return NOW


@pytest.fixture
def ana(db: Database) -> int:
    """A tier-1 person not seen for two months: on today's agenda."""
    with db.transaction(writes=True) as s:
        person = people.add_person(
            s, owner_id=OWNER, name="Ana Lima", changes=PersonChanges(set={"tier": 1}), today=TODAY
        )
        s.flush()
        when = NOW - timedelta(days=60)
        interactions.log_interaction(s, owner_id=OWNER, kind="coffee", people=[person], when=when, now=when)
        return person.id


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The owners whose agenda the cache computed, in order (the real computation, counted)."""
    return count_computations(monkeypatch, "owner_id")


def view(db: Database, owner_id: int = OWNER) -> agenda.AgendaView:
    with db.transaction() as s:
        return agenda_cache.cached_agenda(s, owner_id=owner_id, day=TODAY, now=NOW)


def payload(db: Database) -> str:
    with db.transaction() as s:
        row = cache_repo.read(s, owner_id=OWNER)
    assert row is not None
    return row.payload


def met(db: Database, person_id: int) -> None:
    """A coffee with the person just now: a write to the owner's data (their agenda goes stale)."""
    with db.transaction(writes=True) as s:
        person = people.get_person(s, owner_id=OWNER, person_id=person_id)
        interactions.log_interaction(s, owner_id=OWNER, kind="coffee", people=[person], when=NOW, now=NOW)


def claims_held(db: Database) -> dict[str, str]:
    with db.transaction() as s:
        return claims_service.running(
            s, names=[warm.claim_name(OWNER, TODAY)], now=claims_service.wall_clock()
        )


def test_a_pass_computes_a_stale_agenda_so_the_next_view_computes_nothing(
    db: Database, ana: int, computations: list[int]
) -> None:
    assert any(item.person_id == ana for item in view(db).items)
    met(db, ana)
    assert payload(db).startswith(AGENDA_STALE)
    assert computations == [OWNER]

    assert warm.warm_pass(db, clock=clock, holder="this process") == 1
    assert computations == [OWNER, OWNER]
    assert not payload(db).startswith(AGENDA_STALE)
    shown = view(db)
    assert computations == [OWNER, OWNER]  # the view read what the pass kept
    assert all(item.person_id != ana for item in shown.items), "the pass computed after the write"
    assert claims_held(db) == {}  # given back once done


def test_a_missing_agenda_is_computed_and_a_fresh_one_is_left_alone(
    db: Database, ana: int, computations: list[int]
) -> None:
    assert warm.owners_to_warm(db, now=NOW) == [OWNER]  # no row yet
    assert warm.warm_pass(db, clock=clock, holder="this process") == 1
    kept = payload(db)
    assert warm.owners_to_warm(db, now=NOW) == []
    assert warm.owners_to_warm(db, now=NOW + timedelta(minutes=5)) == []
    assert warm.warm_pass(db, clock=clock, holder="this process") == 0
    assert computations == [OWNER]
    assert payload(db) == kept
    # No longer true (past its validity), or for another day: computed again.
    assert warm.owners_to_warm(db, now=NOW + agenda_cache.MAX_AGE) == [OWNER]
    assert warm.owners_to_warm(db, now=NOW + timedelta(days=1)) == [OWNER]
    assert warm.warm_pass(db, clock=lambda: NOW + agenda_cache.MAX_AGE, holder="this process") == 1
    assert computations == [OWNER, OWNER]


def test_a_pass_with_nothing_to_do_writes_nothing(db: Database, ana: int) -> None:
    warm.warm_pass(db, clock=clock, holder="this process")
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert warm.warm_pass(db, clock=clock, holder="this process") == 0
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements.count("SELECT") == 1, statements
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements), statements


def test_an_agenda_another_process_is_computing_is_left_to_it(
    db: Database, ana: int, computations: list[int]
) -> None:
    name = warm.claim_name(OWNER, TODAY)
    assert claims_service.claim(db, name=name, holder="another process", now=claims_service.wall_clock())
    assert warm.warm_pass(db, clock=clock, holder="this process") == 0
    assert computations == []
    assert claims_held(db) == {name: "another process"}
    claims_service.release(db, name=name, holder="another process")
    assert warm.warm_pass(db, clock=clock, holder="this process") == 1
    assert computations == [OWNER]


def test_while_another_process_makes_its_pass_this_one_computes_nothing(
    db: Database, ana: int, computations: list[int]
) -> None:
    held = claims_service.claim(
        db, name=warm.PASS_CLAIM, holder="another process", now=claims_service.wall_clock()
    )
    assert held
    assert warm.warm_pass(db, clock=clock, holder="this process") == 0
    assert computations == []
    claims_service.release(db, name=warm.PASS_CLAIM, holder="another process")
    assert warm.warm_pass(db, clock=clock, holder="this process") == 1
    assert computations == [OWNER]
    with db.transaction() as s:  # given back after the pass: the next one may be any process's
        assert claims_service.running(s, names=[warm.PASS_CLAIM], now=claims_service.wall_clock()) == {}


@pytest.fixture
def second_database(db: Database, database_url: str, tmp_path: Path) -> Iterator[Database]:
    """Another process's connection pool on the same database."""
    other = open_database(Settings(data_dir=tmp_path / "other", database_url=database_url), migrate=False)
    yield other
    other.dispose()


def test_two_warmers_at_once_compute_an_agenda_once(
    db: Database, second_database: Database, ana: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Slow: long enough for the other warmer to try while this one computes.
    computed = count_computations(monkeypatch, "owner_id", delay=0.5)
    start = threading.Barrier(2)
    claimed: list[int] = []

    def warmer(database: Database, holder: str) -> None:
        start.wait()
        claimed.append(warm.warm_pass(database, clock=clock, holder=holder))

    threads = [
        threading.Thread(target=warmer, args=(database, holder))
        for database, holder in ((db, "process one"), (second_database, "process two"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(claimed) == [0, 1]
    assert computed == [OWNER]
    assert not payload(db).startswith(AGENDA_STALE)


def test_the_owners_warmed_are_the_enabled_accounts_most_recently_signed_in_first(db: Database) -> None:
    with db.transaction(writes=True) as s:
        ids = {
            name: accounts.add_user(s, username=name, password="a long password", now=NOW).owner_id
            for name in ("ann", "bea", "cat", "dan")
        }
        accounts.set_disabled(s, username="cat", disabled=True, now=NOW)
    for name, at in (("ann", NOW - timedelta(hours=2)), ("bea", NOW - timedelta(minutes=5))):
        with db.transaction(writes=True) as s:
            signed = accounts.sign_in(
                s, username=name, password="a long password", address="127.0.0.1", now=at
            )
            assert signed.owner_id == ids[name]
    assert ids["ann"] == LOCAL_OWNER_ID  # the first account took the local owner
    assert warm.owners_to_warm(db, now=NOW) == [ids["bea"], ids["ann"], ids["dan"]]
