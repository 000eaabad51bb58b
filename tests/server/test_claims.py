"""Claims on background jobs (`job_claim`): however many processes ask at once, one runs the job; a
claim that ran out (its process died) or was given back can be taken again. Each taker is a thread
with its own connection, all let go together, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from tests.conftest import FIXED_NOW
from tieline.db import Database
from tieline.services.sync import claims

HOLD = timedelta(minutes=30)


def race(db: Database, name: str, holders: list[str], now: datetime) -> dict[str, bool]:
    """Every holder asks for the job at the same moment; who won."""
    start = threading.Barrier(len(holders))
    won: dict[str, bool] = {}

    def take(holder: str) -> None:
        start.wait()
        won[holder] = claims.claim(db, name=name, holder=holder, now=now, hold=HOLD)

    threads = [threading.Thread(target=take, args=(h,)) for h in holders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(won) == len(holders), "a taker never answered"
    return won


def holder_of(db: Database, name: str, now: datetime) -> str | None:
    with db.transaction() as session:
        return claims.running(session, names=[name], now=now).get(name)


def test_of_claims_asked_at_once_exactly_one_wins(db: Database) -> None:
    holders = [f"process-{i}" for i in range(6)]
    won = race(db, "sync:1:work", holders, FIXED_NOW)
    [winner] = [h for h, ok in won.items() if ok]
    assert holder_of(db, "sync:1:work", FIXED_NOW) == winner
    # Held: nobody else gets it before it runs out, not even a moment before.
    assert not claims.claim(
        db, name="sync:1:work", holder="late", now=FIXED_NOW + HOLD - timedelta(seconds=1)
    )
    # Another job is another claim.
    assert claims.claim(db, name="sync:1:home", holder="late", now=FIXED_NOW)


def test_an_expired_claim_is_taken_by_one_of_those_asking_at_once(db: Database) -> None:
    assert claims.claim(db, name="sync:1:work", holder="died", now=FIXED_NOW, hold=HOLD)
    later = FIXED_NOW + HOLD + timedelta(seconds=1)
    won = race(db, "sync:1:work", [f"process-{i}" for i in range(6)], later)
    [winner] = [h for h, ok in won.items() if ok]
    assert holder_of(db, "sync:1:work", later) == winner
    # The dead process's late release does not free the new holder's claim.
    claims.release(db, name="sync:1:work", holder="died")
    assert holder_of(db, "sync:1:work", later) == winner


def test_a_released_claim_can_be_taken_at_once(db: Database) -> None:
    assert claims.claim(db, name="sync-pass:1", holder="a", now=FIXED_NOW)
    assert not claims.claim(db, name="sync-pass:1", holder="b", now=FIXED_NOW)
    claims.release(db, name="sync-pass:1", holder="a")
    assert holder_of(db, "sync-pass:1", FIXED_NOW) is None
    assert claims.claim(db, name="sync-pass:1", holder="b", now=FIXED_NOW)
    assert holder_of(db, "sync-pass:1", FIXED_NOW) == "b"


def test_a_claim_held_in_a_block_is_renewed_while_it_runs_and_given_back_after(db: Database) -> None:
    clock = [FIXED_NOW]
    hold = timedelta(seconds=0.3)  # renewed every 0.1 s
    with claims.claimed(db, name="sync:1:work", holder="a", hold=hold, clock=lambda: clock[0]) as ours:
        assert ours
        with claims.claimed(db, name="sync:1:work", holder="b", clock=lambda: clock[0]) as theirs:
            assert not theirs
        clock[0] = FIXED_NOW + timedelta(minutes=5)  # long past the first hold: only renewal keeps it
        threading.Event().wait(0.5)
        assert holder_of(db, "sync:1:work", clock[0]) == "a"
    assert holder_of(db, "sync:1:work", clock[0]) is None
    assert claims.claim(db, name="sync:1:work", holder="b", now=clock[0])
