"""Today's agenda kept in `agenda_cache` (issue 17) at `large`: a view that finds it kept, beside the
floor of reading the row and parsing its JSON by hand, and beside computing it afresh (what every
view cost before).

Everything runs in one transaction that is rolled back, so the cached network is never written.

python -m bench.agenda_cache [--seed 42] [--runs 50]
"""

from __future__ import annotations

import argparse
import json

from bench import dataset
from bench.engine import timed
from bench.report import Figure, latency_figures, median_ms, render
from tieline.models import LOCAL_OWNER_ID
from tieline.services import agenda
from tieline.services.agenda.cache import cached_agenda


def run(seed: int = 42, runs: int = 50) -> list[Figure]:
    """Measure and return the figures."""
    path, _, _ = dataset.ensure(seed)
    db = dataset.open_at(f"sqlite:///{path}")
    now = dataset.NOW
    day = now.astimezone().date()
    with db.sessions() as session:
        session.begin()
        fresh = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=day, now=now, remember=False)
        if cached_agenda(session, owner_id=LOCAL_OWNER_ID, day=day, now=now) != fresh:  # computed, kept
            raise AssertionError("the first cached view differs from the agenda computed afresh")
        if cached_agenda(session, owner_id=LOCAL_OWNER_ID, day=day, now=now) != fresh:  # read back
            raise AssertionError("the kept agenda differs from the agenda computed afresh")
        driver = session.connection().connection.dbapi_connection
        assert driver is not None

        def floor() -> None:
            (payload,) = driver.execute("SELECT payload FROM agenda_cache WHERE owner_id = 1").fetchone()
            json.loads(payload)

        kept = timed(lambda: cached_agenda(session, owner_id=LOCAL_OWNER_ID, day=day, now=now), runs)
        floor_samples = timed(floor, runs)
        uncached = timed(
            lambda: agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=day, now=now, remember=False),
            max(runs // 5, 3),
        )
        session.rollback()
    db.dispose()
    figures = latency_figures(
        "today, agenda kept (cached view)", kept, floor_samples, target_ms=5, max_ratio=None
    )
    figures.append(
        Figure(
            "today, agenda computed (uncached) median",
            median_ms(uncached),
            median_ms(kept),
            "ms",
            note="its floor column is the cached view's median",
        )
    )
    return figures


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.agenda_cache")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    print(render(run(args.seed, args.runs), title="today's agenda kept vs computed at large"))


if __name__ == "__main__":
    main()
