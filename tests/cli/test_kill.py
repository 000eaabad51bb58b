"""Nothing is lost or half-written when `tieline` is killed mid-command (one transaction per command).

Each test runs the real command in a child process on this test's database, SIGKILLs it while its
transaction has written but not committed, and checks that every table is exactly as before.

- The pausing child runs `python -m tieline` with a hook that stops at the command's COMMIT (every
  row already sent to the database), so the kill lands at the worst moment, deterministically.
- The unhooked child is killed while the database reports it holding a write lock (SQLite: the
  write lock of the WAL; PostgreSQL: row-exclusive locks), a fraction of a second into a load that
  writes for seconds.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import FIXED_NOW, Cli
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import agenda, preferences
from tieline.services import demo as demo_service
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.recompute import recompute_all

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]
DEADLINE_SECONDS = 30.0
# Stops the child at the first COMMIT (the command's one transaction) and says so through a file.
PAUSE_AT_COMMIT = r"""
import os, runpy, sys, time
import sqlalchemy as sa

def pause(conn):
    with open(os.environ["TIELINE_TEST_MARKER"], "w") as marker:
        marker.write(str(os.getpid()))
    time.sleep(120)

sa.event.listen(sa.engine.Engine, "commit", pause)
runpy.run_module("tieline", run_name="__main__", alter_sys=True)
"""


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
    env.update(
        TIELINE_DATA_DIR=str(tmp_path / "data"),
        TIELINE_NOW=FIXED_NOW.isoformat(),
        TIELINE_TEST_MARKER=str(tmp_path / "paused"),
        TZ="UTC",
        COLUMNS="200",
    )
    return {**env, **extra}


def start(database_url: str, tmp_path: Path, *args: str, pause: bool) -> subprocess.Popen[bytes]:
    prefix = [sys.executable, "-c", PAUSE_AT_COMMIT] if pause else [sys.executable, "-m", "tieline"]
    return subprocess.Popen(
        [*prefix, "--database", database_url, *args],
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_until(condition: Callable[[], bool], child: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if child.poll() is not None:
            _, err = child.communicate()
            pytest.fail(f"the child ended (exit {child.returncode}) before {what}: {err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            child.kill()
            child.wait()
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.005)


def kill(child: subprocess.Popen[bytes]) -> None:
    assert child.poll() is None, "the child finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=10) == -signal.SIGKILL


def writing(db: Database) -> Callable[[], bool]:
    """A probe: does another connection hold a write lock on the database right now?"""
    if db.dialect == "sqlite":
        path = db.engine.url.database
        assert path

        def sqlite_probe() -> bool:
            conn = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                return "locked" in str(exc)
            else:
                conn.execute("ROLLBACK")
                return False
            finally:
                conn.close()

        return sqlite_probe

    def postgres_probe() -> bool:
        with db.engine.connect() as conn:
            return bool(
                conn.scalar(
                    sa.text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                        "WHERE d.datname = current_database() AND l.mode = 'RowExclusiveLock' "
                        "AND l.pid <> pg_backend_pid()"
                    )
                )
            )

    return postgres_probe


def settle(db: Database) -> None:
    """Wait for PostgreSQL to notice the dead client and roll its transaction back."""
    if db.dialect != "postgresql":
        return
    probe = writing(db)
    deadline = time.monotonic() + 10
    while probe():
        assert time.monotonic() < deadline, "the killed child's transaction is still open"
        time.sleep(0.02)


def hand_made(db: Database) -> None:
    """A few people, interactions, a setting and an agenda state: the 'before' to come back to."""
    with db.transaction() as session:
        people = []
        for n, (name, tier) in enumerate((("Ana Lima", 1), ("Bo Chen", 2), ("Cy Dorn", 3))):
            changes = PersonChanges(set={"tier": tier})
            person = people_service.add_person(
                session, owner_id=LOCAL_OWNER_ID, name=name, changes=changes, today=FIXED_NOW.date()
            )
            session.flush()
            when = FIXED_NOW - timedelta(days=12 + 40 * n)
            interactions_service.log_interaction(
                session, owner_id=LOCAL_OWNER_ID, kind="coffee", people=[person], when=when, now=FIXED_NOW
            )
            people.append(person)
        preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.daily_cap", value="2")
        agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=FIXED_NOW.date(), now=FIXED_NOW)


def test_a_recompute_killed_before_its_commit_leaves_every_tie_as_it_was(
    db: Database, database_url: str, tmp_path: Path, snapshot: Snapshot
) -> None:
    with db.transaction() as session:
        demo_service.load(
            session, owner_id=LOCAL_OWNER_ID, scale=demo_service.Scale("kill", 1500, 6000), seed=5, now=FIXED_NOW
        )
    with db.transaction() as session:  # settings that change most ties once everyone is rescored
        preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="kind_weight.message", value="4")
        preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="cadence.tier3", value="45")
    before = snapshot()
    assert len(before["tie"]) == 1500

    child = start(database_url, tmp_path, "recompute", pause=True)
    wait_until((tmp_path / "paused").exists, child, "the recompute reached its commit")
    assert writing(db)()  # every tie row is deleted and inserted again, uncommitted
    kill(child)
    settle(db)
    assert snapshot() == before

    # Run to the end, the same command gives all new values: the kill did stop a real change.
    with db.transaction() as session:
        prefs = preferences.load(session, owner_id=LOCAL_OWNER_ID)
        assert recompute_all(session, owner_id=LOCAL_OWNER_ID, prefs=prefs, now=FIXED_NOW) == 1500
    changed = set(snapshot()["tie"]) - set(before["tie"])
    assert len(changed) > 1000


def test_a_demo_load_killed_while_writing_leaves_the_database_as_it_was(
    db: Database, database_url: str, tmp_path: Path, snapshot: Snapshot
) -> None:
    hand_made(db)
    before = snapshot()
    started = time.monotonic()
    child = start(database_url, tmp_path, "demo", "--replace", "--seed", "7", pause=False)
    probe = writing(db)
    wait_until(probe, child, "the demo load started writing")
    time.sleep(0.3)  # well into the load: the old rows deleted, thousands of new ones written
    assert probe()
    kill(child)
    settle(db)
    assert snapshot() == before
    assert time.monotonic() - started < 20


def test_done_killed_before_its_commit_leaves_the_line_undone(
    db: Database, database_url: str, tmp_path: Path, snapshot: Snapshot, cli: Cli
) -> None:
    hand_made(db)
    before = snapshot()
    with db.sessions() as session:
        [first, _] = agenda.agenda_for(
            session, owner_id=LOCAL_OWNER_ID, day=FIXED_NOW.date(), now=FIXED_NOW, remember=False
        ).items

    child = start(database_url, tmp_path, "done", "1", "--kind", "call", pause=True)
    wait_until((tmp_path / "paused").exists, child, "done reached its commit")
    assert writing(db)()  # the contact and the done state are written, uncommitted
    kill(child)
    settle(db)
    assert snapshot() == before  # no interaction, no state, nothing rescored

    assert cli.json("today")["items"][0]["key"] == first.key
    assert cli.ok("done", "1", "--kind", "call").stdout == f"done: {first.title}\n"
    assert first.key not in [i["key"] for i in cli.json("today")["items"]]
    timeline = cli.json("show", f"#{first.person_id}")["timeline"]
    assert [(t["kind"], t["occurred_at"]) for t in timeline][0] == ("call", FIXED_NOW.isoformat())


def test_the_pause_hook_really_commits_when_left_alone(
    db: Database, database_url: str, tmp_path: Path, snapshot: Snapshot
) -> None:
    """Control: without the pause the same command commits, so the kills above are what stopped it."""
    hand_made(db)
    before = snapshot()
    result = subprocess.run(
        [sys.executable, "-m", "tieline", "--database", database_url, "done", "1"],
        env=child_env(tmp_path),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    after = snapshot()
    assert after["agenda_state"] != before["agenda_state"]
    assert len(after["interaction"]) == len(before["interaction"]) + 1

