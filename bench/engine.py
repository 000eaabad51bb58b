"""Figures of the relationship engine (issue 3) at `large`, each beside a floor measured in the same run:
the daily agenda (in process, and its ranking against one hand-written SQL query), logging one
interaction with its score update (against the raw inserts), and a full recompute.

python -m bench.engine [--seed 42] [--runs 20]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from datetime import UTC, timedelta

from bench import dataset
from bench.report import Figure, latency_figures, render
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import people as people_repo
from tieline.services import agenda, interactions, preferences
from tieline.services.agenda import keep_in_touch
from tieline.services.agenda.build import rank
from tieline.services.agenda.items import end_of_day
from tieline.services.recompute import recompute_all

# The hand-written floor of the ranking: the same answer as the service's keep-in-touch ranking (the
# default settings): people silent for at least their cadence in whole days up to the end of the local
# day, due ratio capped at 3 x (0.5 + strength / 100), ties broken by the line's key, top 5. The
# strength is the stored one, exact here because the recompute above stored it as of the same `now`
# (the service computes it afresh); `run` checks that both give the same five lines.
RANKING_SQL = """
WITH due AS (
  SELECT p.id, p.last_contact_at, COALESCE(t.strength, 0) AS strength,
         CAST(julianday(:end_of_day) - julianday(COALESCE(p.last_contact_at, p.created_at)) AS INTEGER) AS silent,
         COALESCE(p.cadence_days, CASE p.tier WHEN 1 THEN 7 WHEN 2 THEN 30 WHEN 3 THEN 90 WHEN 4 THEN 365 END)
           AS cadence
  FROM person p LEFT JOIN tie t ON t.person_id = p.id
  WHERE p.owner_id = 1 AND NOT p.archived
)
SELECT 'keep:' || id || ':' || COALESCE(date(last_contact_at, 'localtime'), 'never') AS key,
       MIN(silent * 1.0 / cadence, 3.0) * (0.5 + strength / 100.0) AS priority
FROM due WHERE silent >= cadence
ORDER BY priority DESC, key LIMIT 5
"""


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Wall seconds of each of `runs` calls."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def run(seed: int = 42, runs: int = 20) -> list[Figure]:
    """Measure and return the figures."""
    path, _, _ = dataset.ensure(seed)
    db = dataset.open_at(f"sqlite:///{path}")
    now = dataset.NOW
    figures: list[Figure] = []

    # Full recompute (also fills values added by later migrations), against a plain scan of the
    # same participations.
    started = time.perf_counter()
    with db.transaction() as session:
        prefs = preferences.load(session, owner_id=LOCAL_OWNER_ID)
        scored = recompute_all(session, owner_id=LOCAL_OWNER_ID, prefs=prefs, now=now)
    recompute_s = time.perf_counter() - started
    raw = sqlite3.connect(str(path))
    started = time.perf_counter()
    raw.execute(
        "SELECT ip.person_id, i.kind, i.occurred_at, i.initiated_by FROM interaction_participant ip "
        "JOIN interaction i ON i.id = ip.interaction_id ORDER BY ip.person_id, ip.occurred_at"
    ).fetchall()
    scan_s = time.perf_counter() - started
    figures.append(
        Figure(
            f"recompute all ({scored:,} people)",
            recompute_s,
            scan_s,
            "s",
            "< 30 s",
            "ok" if recompute_s < 30 else "MISS",
        )
    )

    # The agenda, as `tieline today` builds it in the process (cap 5), against the SQL floor.
    day = now.astimezone().date()

    def build() -> None:
        with db.transaction() as session:
            agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=day, now=now, remember=False)

    build()  # warm the caches once, as a second `tieline today` would find them
    service = timed(build, runs)
    bounds = {"end_of_day": end_of_day(day).astimezone(UTC).replace(tzinfo=None).isoformat(" ")}
    floor_keys = [key for key, _ in raw.execute(RANKING_SQL, bounds)]
    service_keys = _keep_in_touch_only(db, day, now)
    if floor_keys != service_keys:
        raise AssertionError(f"the ranking floor answers {floor_keys}, the service {service_keys}")
    floor = timed(lambda: raw.execute(RANKING_SQL, bounds).fetchall(), runs)
    figures += latency_figures("today (agenda, in process)", service, floor, target_ms=300, max_ratio=None)
    ranking = timed(lambda: _keep_in_touch_only(db, day, now), runs)
    figures += latency_figures(
        "today ranking query (keep in touch)", ranking, floor, target_ms=300, max_ratio=3
    )

    # Logging one interaction updates the tie at once; rolled back so the dataset stays as it was.
    with db.transaction() as session:
        ids = [p for p, _ in people_repo.all_names(session, owner_id=LOCAL_OWNER_ID)]
    rng = random.Random(seed)
    log_samples, floor_samples = [], []
    for _ in range(runs * 5):
        pid = rng.choice(ids)
        with db.sessions() as session:
            session.begin()
            person = people_repo.get(session, owner_id=LOCAL_OWNER_ID, person_id=pid, details=False)
            started = time.perf_counter()
            interactions.log_interaction(
                session, owner_id=LOCAL_OWNER_ID, kind="coffee", people=[person],
                when=now - timedelta(hours=1), notes="bench", initiated_by="me", now=now,
            )  # fmt: skip
            log_samples.append(time.perf_counter() - started)
            session.rollback()
        started = time.perf_counter()
        raw.execute("BEGIN")
        cur = raw.execute(
            "INSERT INTO interaction (owner_id, kind, occurred_at, initiated_by, notes, created_at, updated_at) "
            "VALUES (1, 'coffee', :t, 'me', 'bench', :t, :t)",
            {"t": now.isoformat()},
        )
        raw.execute(
            "INSERT INTO interaction_participant (interaction_id, person_id, owner_id, occurred_at) VALUES (?, ?, 1, ?)",
            (cur.lastrowid, pid, now.isoformat()),
        )
        raw.execute("UPDATE person SET last_contact_at = ? WHERE id = ?", (now.isoformat(), pid))
        raw.execute("UPDATE tie SET strength = strength WHERE person_id = ?", (pid,))
        floor_samples.append(time.perf_counter() - started)
        raw.execute("ROLLBACK")
    figures += latency_figures("log one interaction + score update", log_samples, floor_samples,
                               target_ms=20, max_ratio=None)  # fmt: skip
    raw.close()
    db.dispose()
    return figures


def _keep_in_touch_only(db, day, now) -> list[str]:  # type: ignore[no-untyped-def]
    """Keys of the top five keep-in-touch lines, ranked and built as `tieline today` does."""
    with db.transaction() as session:
        ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=now)
        lines = [line for line in keep_in_touch.lines(ctx) if line.kind == keep_in_touch.KIND]
        return [line.build().key for line in rank(lines)[:5]]


def main() -> None:
    """Print the engine figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.engine")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    figures = run(args.seed, args.runs)
    print(render(figures, title="tieline engine at large (30,000 people, 1,000,000 interactions)"))


if __name__ == "__main__":
    main()
