"""Nothing is lost or half-written when `tieline` is killed mid-command (one transaction per command).

Each test runs the real command in a child process on this test's database, SIGKILLs it while its
transaction has written but not committed, and checks that every table is exactly as before.

The child runs the `tieline` module as `python -m tieline` does (through runpy), after importing
it while the test fills the database (the imports take most of a command's start-up time).

- A pausing child stops at the command's COMMIT (every row already sent to the database), so the
  kill lands at the worst moment, deterministically.
- An unhooked child is killed while the database reports it holding a write lock (SQLite: the
  write lock of the WAL; PostgreSQL: row-exclusive locks), as soon as the load is seen writing.

Pausing at the first COMMIT would miss a command that commits in several steps, so the last test
counts the commits of each writing command: exactly one.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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
LAUNCHER = r"""
import os, runpy, sys, time
import sqlalchemy as sa
import tieline.cli.main  # the slow imports, done while the test fills the database

deadline = time.monotonic() + 120
while not os.path.exists(os.environ["TIELINE_TEST_GO"]):
    if time.monotonic() > deadline:
        sys.exit(3)
    time.sleep(0.005)

def pause(conn):
    with open(os.environ["TIELINE_TEST_MARKER"], "w") as marker:
        marker.write(str(os.getpid()))
    time.sleep(120)

if os.environ.get("TIELINE_TEST_PAUSE"):  # stop at the first COMMIT: the command's one transaction
    sa.event.listen(sa.engine.Engine, "commit", pause)
runpy.run_module("tieline", run_name="__main__", alter_sys=True)
"""


class Child:
    """`tieline --database URL ARGS` in a child process that waits for go() before running."""

    def __init__(self, database_url: str, tmp_path: Path, *args: str, pause: bool) -> None:
        self.go_file, self.marker = tmp_path / "go", tmp_path / "paused"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
        env.update(
            TIELINE_DATA_DIR=str(tmp_path / "data"),
            TIELINE_NOW=FIXED_NOW.isoformat(),
            TIELINE_TEST_GO=str(self.go_file),
            TIELINE_TEST_MARKER=str(self.marker),
            TZ="UTC",
            COLUMNS="200",
        )
        if pause:
            env["TIELINE_TEST_PAUSE"] = "1"
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, "--database", database_url, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def go(self) -> None:
        self.go_file.touch()

    def paused(self) -> bool:
        return self.marker.exists()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@pytest.fixture
def launch(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Child]]:
    """Start a child now (it imports while the test goes on); any left running are killed afterwards."""
    children: list[Child] = []

    def start(*args: str, pause: bool) -> Child:
        children.append(Child(database_url, tmp_path, *args, pause=pause))
        return children[-1]

    yield start
    for child in children:
        child.stop()


def wait_until(condition: Callable[[], bool], child: Child, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if child.process.poll() is not None:
            _, err = child.process.communicate()
            code = child.process.returncode
            pytest.fail(f"the child ended (exit {code}) before {what}: {err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            child.stop()
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.005)


def kill(child: Child) -> None:
    assert child.process.poll() is None, "the child finished before it could be killed"
    os.kill(child.process.pid, signal.SIGKILL)
    assert child.process.wait(timeout=10) == -signal.SIGKILL


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


def ties(db: Database) -> set[tuple[object, ...]]:
    with db.engine.connect() as conn:
        return {tuple(row) for row in conn.execute(sa.text("SELECT * FROM tie"))}


def test_a_recompute_killed_before_its_commit_leaves_every_tie_as_it_was(
    db: Database, launch: Callable[..., Child], snapshot: Snapshot
) -> None:
    child = launch("recompute", pause=True)
    with db.transaction() as session:
        demo_service.load(
            session,
            owner_id=LOCAL_OWNER_ID,
            scale=demo_service.Scale("kill", 1000, 3000),
            seed=5,
            now=FIXED_NOW,
        )
    with db.transaction() as session:  # new half-lives for every tier: every tie changes once rescored
        for key, value in (("cadence.tier1", "8"), ("cadence.tier2", "31"), ("cadence.tier3", "91"),
                           ("cadence.tier4", "366"), ("half_life.no_cadence", "731")):  # fmt: skip
            preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key=key, value=value)
    before = snapshot()
    old_ties = ties(db)
    assert len(old_ties) == 1000

    child.go()
    wait_until(child.paused, child, "the recompute reached its commit")
    assert writing(db)()  # every tie row deleted and inserted again, not committed
    kill(child)
    settle(db)
    assert snapshot() == before

    # Run to the end, the same rescoring replaces every row: the kill did stop a real change.
    with db.transaction() as session:
        prefs = preferences.load(session, owner_id=LOCAL_OWNER_ID)
        assert recompute_all(session, owner_id=LOCAL_OWNER_ID, prefs=prefs, now=FIXED_NOW) == 1000
    new_ties = ties(db)
    assert len(new_ties) == 1000
    # Only people with a cadence of their own keep the same half-life, so only they may score the same.
    unchanged = {row[0] for row in new_ties & old_ties}
    with db.engine.connect() as conn:
        own_cadence = set(conn.scalars(sa.text("SELECT id FROM person WHERE cadence_days IS NOT NULL")))
    assert unchanged <= own_cadence
    assert len(new_ties - old_ties) > 900


def test_a_demo_load_killed_while_writing_leaves_the_database_as_it_was(
    db: Database, launch: Callable[..., Child], snapshot: Snapshot
) -> None:
    child = launch("demo", "--replace", "--seed", "7", pause=False)
    hand_made(db)
    before = snapshot()
    probe = writing(db)
    child.go()
    wait_until(probe, child, "the demo load started writing")
    kill(child)  # at once: on a quiet machine the small load writes for well under a second
    settle(db)
    assert snapshot() == before


def test_done_killed_before_its_commit_leaves_the_line_undone(
    db: Database, launch: Callable[..., Child], snapshot: Snapshot, cli: Cli
) -> None:
    child = launch("done", "1", "--kind", "call", pause=True)
    hand_made(db)
    before = snapshot()
    with db.sessions() as session:
        [first, _] = agenda.agenda_for(
            session, owner_id=LOCAL_OWNER_ID, day=FIXED_NOW.date(), now=FIXED_NOW, remember=False
        ).items

    child.go()
    wait_until(child.paused, child, "done reached its commit")
    assert writing(db)()  # the contact, the rescored tie and the done state: written, not committed
    kill(child)
    settle(db)
    assert snapshot() == before

    # Nothing was lost either: the line is still there, and done works.
    assert cli.json("today")["items"][0]["key"] == first.key
    assert cli.ok("done", "1", "--kind", "call").stdout == f"done: {first.title}\n"
    assert first.key not in [i["key"] for i in cli.json("today")["items"]]
    timeline = cli.json("show", f"#{first.person_id}")["timeline"]
    assert (timeline[0]["kind"], timeline[0]["occurred_at"]) == ("call", FIXED_NOW.isoformat())


@pytest.mark.parametrize(
    "args",
    [
        ("recompute",),
        ("done", "1", "--kind", "call"),
        ("snooze", "2", "--days", "3"),
        ("dismiss", "1"),
        ("today",),
        ("config", "agenda.daily_cap", "4"),
        ("demo", "--replace", "--seed", "3"),
    ],
    ids=lambda args: args[0],
)
def test_each_command_commits_once(db: Database, cli: Cli, args: tuple[str, ...]) -> None:
    """With the kills above, this makes a command atomic: its one COMMIT is the only way in."""
    hand_made(db)
    commits: list[object] = []

    def count(conn: object) -> None:
        commits.append(conn)

    sa.event.listen(db.engine, "commit", count)
    try:
        cli.ok(*args)
    finally:
        sa.event.remove(db.engine, "commit", count)
    assert len(commits) == 1
