"""Figures of growing the network on purpose (issue 5) at `large`, each beside a floor measured in the
same run: `tieline goals` (every goal's progress) and `tieline event show` (an event's return).

The cached large network is copied to a scratch file first (the cache itself is never written; the
growth migration runs on the copy), then given 20 events with 200 people met at each, 200
introductions, 300 opportunities and one goal of each of the five kinds.

python -m bench.growth [--seed 42] [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench import dataset
from bench.report import Figure, latency_figures, render
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Introduction, Opportunity
from tieline.models.growth import OPPORTUNITY_KINDS, OPPORTUNITY_STAGES
from tieline.repo import people as people_repo
from tieline.services import events, goals

EVENTS, MET_PER_EVENT, INTRODUCTIONS, OPPORTUNITIES = 20, 200, 200, 300
TARGET_MS = 200

# The floor of `tieline goals`: the five measures in one statement on a raw connection (the quarter
# 2026-01-01..2026-03-31, dormant after 365 days, tier 1 overdue after 7 days without contact).
GOALS_SQL = """
SELECT
  (SELECT COUNT(*) FROM person WHERE owner_id = 1 AND ((met_on BETWEEN :first AND :last)
      OR (met_on IS NULL AND created_at >= :since AND created_at < :until))) AS met,
  (SELECT COUNT(*) FROM event WHERE owner_id = 1 AND starts_on BETWEEN :period_first AND :today) AS events,
  (SELECT COUNT(*) FROM (
      SELECT (SELECT MIN(ip.occurred_at) FROM interaction_participant ip
              WHERE ip.person_id = p.id AND ip.occurred_at >= :since AND ip.occurred_at < :until) AS first_at,
             (SELECT MAX(b.occurred_at) FROM interaction_participant b
              WHERE b.person_id = p.id AND b.occurred_at < :since) AS previous_at
      FROM person p WHERE p.owner_id = 1 AND p.last_contact_at >= :since)
   WHERE julianday(first_at) - julianday(previous_at) > 365) AS reconnected,
  (SELECT COUNT(*) FROM introduction WHERE owner_id = 1 AND made_at >= :since AND made_at < :until) AS intros,
  (SELECT COUNT(*) FROM person WHERE owner_id = 1 AND tier = 1 AND NOT archived) AS tier1,
  (SELECT COUNT(*) FROM person WHERE owner_id = 1 AND tier = 1 AND NOT archived AND cadence_days IS NULL
      AND COALESCE(last_contact_at, created_at) <= :cutoff) AS tier1_overdue
"""

# The floor of `tieline event show`: the people met with their follow-up, tie and latest contact
# since meeting, and the event's opportunities.
EVENT_SQL = """
SELECT p.id, p.display_name, p.title, p.company, ea.met, ea.note, ea.met_at, f.status, f.due_on, f.done_at,
       t.strength, t.intensity, t.interactions,
       (SELECT MAX(ip.occurred_at) FROM interaction_participant ip
        WHERE ip.person_id = ea.person_id AND ip.occurred_at > ea.met_at) AS since_met
FROM event_attendee ea JOIN person p ON p.id = ea.person_id
LEFT JOIN follow_up f ON f.id = ea.follow_up_id LEFT JOIN tie t ON t.person_id = ea.person_id
WHERE ea.event_id = :event_id
"""
EVENT_OPPORTUNITIES_SQL = (
    "SELECT id, title, stage FROM opportunity WHERE owner_id = 1 AND event_id = :event_id"
)


def scratch_copy(source: Path, directory: Path) -> Path:
    """A copy of the cached network to write to (sqlite3's backup API: consistent, cache untouched)."""
    target = directory / "growth.db"
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def populate(db: Database, *, seed: int) -> list[int]:
    """Add the events, people met, introductions, opportunities and goals; the event ids."""
    rng = random.Random(seed)
    now = dataset.NOW
    today = now.astimezone().date()
    with db.transaction() as session:
        ids = [pid for pid, _ in people_repo.all_names(session, owner_id=LOCAL_OWNER_ID)]
        org_ids = [oid for (oid,) in session.execute(sa.text("SELECT id FROM organisation LIMIT 200"))]
        event_rows = []
        for n in range(EVENTS):
            starts = today - timedelta(days=7 * n + 1)
            event = events.add_event(
                session, owner_id=LOCAL_OWNER_ID, name=f"Bench Conference {n + 1}", starts_on=starts,
                kind="conference",
            )  # fmt: skip
            met = rng.sample(ids, MET_PER_EVENT)
            events.meet(
                session, owner_id=LOCAL_OWNER_ID, event=event, names=[f"#{pid}" for pid in met],
                now=now - timedelta(days=7 * n),
            )  # fmt: skip
            event_rows.append(event.id)
        intros = []
        for n in range(INTRODUCTIONS):
            a, b = rng.sample(ids, 2)
            made = n % 5 != 0
            intro = Introduction(
                owner_id=LOCAL_OWNER_ID, person_a_id=a, person_b_id=b, why="bench",
                state="made" if made else "proposed",
                made_at=now - timedelta(days=rng.randint(0, 200)) if made else None,
            )  # fmt: skip
            session.add(intro)
            intros.append(intro)
        session.flush()
        for n in range(OPPORTUNITIES):
            spotted = today - timedelta(days=rng.randint(0, 300))
            session.add(
                Opportunity(
                    owner_id=LOCAL_OWNER_ID, title=f"Bench opportunity {n}", kind=rng.choice(OPPORTUNITY_KINDS),
                    stage=rng.choice(OPPORTUNITY_STAGES), person_id=rng.choice(ids),
                    organisation_id=rng.choice(org_ids) if org_ids and n % 2 else None,
                    event_id=rng.choice(event_rows) if n % 3 == 0 else None,
                    introduction_id=rng.choice(intros).id if n % 4 == 0 else None,
                    spotted_on=spotted, stage_on=spotted, due_on=spotted + timedelta(days=30),
                )
            )  # fmt: skip
        quarter = goals.period_bounds("quarter", today)
        assert quarter is not None
        first, last = quarter
        for kind, extra in (
            ("meet_people", {"ends_on": last}),
            ("attend_events", {"per": "month"}),
            ("reconnect_dormant", {"ends_on": last}),
            ("make_introductions", {"ends_on": last}),
            ("tier_on_cadence", {"tier": 1}),
        ):
            goals.add_goal(
                session, owner_id=LOCAL_OWNER_ID, kind=kind, target=90 if kind == "tier_on_cadence" else 10,
                starts_on=first, **extra,  # type: ignore[arg-type]
            )  # fmt: skip
    return event_rows


def timed_pairs(service, floor, runs: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Service and floor alternating, each once untimed first."""
    service()
    floor()
    s, f = [], []
    for _ in range(runs):
        started = time.perf_counter()
        service()
        s.append(time.perf_counter() - started)
        started = time.perf_counter()
        floor()
        f.append(time.perf_counter() - started)
    return s, f


def run(seed: int = 42, runs: int = 20) -> list[Figure]:
    """Measure and return the figures."""
    cached, _, _ = dataset.ensure(seed)
    with tempfile.TemporaryDirectory(prefix="tieline-growth-") as directory:
        path = scratch_copy(cached, Path(directory))
        db = dataset.open_at(f"sqlite:///{path}")
        started = time.perf_counter()
        event_ids = populate(db, seed=seed)
        setup_s = time.perf_counter() - started
        raw = sqlite3.connect(str(path))
        now = dataset.NOW
        today = now.astimezone().date()
        figures = _goals_figures(db, raw, today, runs) + _event_figures(db, raw, event_ids, runs)
        figures[0] = replace(figures[0], note=f"setup (copy migrated, data added) {setup_s:.1f} s")
        raw.close()
        db.dispose()
    return figures


def _goals_figures(db: Database, raw: sqlite3.Connection, today: date, runs: int) -> list[Figure]:
    first, last = goals.period_bounds("quarter", today) or (today, today)
    since, until = goals.day_bounds(first, last)
    cutoff = goals.day_bounds(today, today)[1] - timedelta(days=7, microseconds=1)
    params = {
        "first": first.isoformat(), "last": last.isoformat(), "today": today.isoformat(),
        "period_first": (first + timedelta(days=30 * ((today - first).days // 30))).isoformat(),
        "since": _naive_utc(since), "until": _naive_utc(until), "cutoff": _naive_utc(cutoff),
    }  # fmt: skip

    def service() -> None:
        with db.transaction() as session:
            goals.all_progress(session, owner_id=LOCAL_OWNER_ID, today=today)

    s, f = timed_pairs(service, lambda: raw.execute(GOALS_SQL, params).fetchall(), runs)
    return latency_figures("goals (5 goals, one per kind)", s, f, target_ms=TARGET_MS, max_ratio=None)


def _event_figures(db: Database, raw: sqlite3.Connection, event_ids: list[int], runs: int) -> list[Figure]:
    now = dataset.NOW
    names = []
    with db.transaction() as session:
        for event_id in event_ids:
            names.append(events.resolve_event(session, owner_id=LOCAL_OWNER_ID, text=f"#{event_id}").name)
    order = iter(range(10**9))

    def service() -> None:
        name = names[next(order) % len(names)]
        with db.transaction() as session:
            event = events.resolve_event(session, owner_id=LOCAL_OWNER_ID, text=name)
            events.report(session, event, now=now)

    floor_order = iter(range(10**9))

    def floor() -> None:
        event_id = event_ids[next(floor_order) % len(event_ids)]
        raw.execute(EVENT_SQL, {"event_id": event_id}).fetchall()
        raw.execute(EVENT_OPPORTUNITIES_SQL, {"event_id": event_id}).fetchall()

    s, f = timed_pairs(service, floor, runs)
    return latency_figures(
        f"event show ({MET_PER_EVENT} people met)", s, f, target_ms=TARGET_MS, max_ratio=None
    )


def _naive_utc(moment) -> str:  # type: ignore[no-untyped-def]
    """A time as tieline stores it in SQLite: naive UTC text."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def main() -> None:
    """Print the growth figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.growth")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    figures = run(args.seed, args.runs)
    print(render(figures, title="tieline growth at large (30,000 people, 1,000,000 interactions)"))


if __name__ == "__main__":
    main()
