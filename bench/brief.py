"""The meeting brief at `large` (issue 18) alone: `services.brief.brief_for` for the show workload's
people (the 50 most contacted and the rest at random), beside the person page's hand-written SQL
floor in the same run. `python -m bench` prints the same figure with the others.

python -m bench.brief [--seed 42] [--people 200]
"""

from __future__ import annotations

import argparse

from bench import dataset, floors, measure, workload
from bench.__main__ import BRIEF_TARGET_MS, load_note
from bench.report import Figure, latency_figures, median_ms, render


def main(argv: list[str] | None = None) -> None:
    """Time the brief beside its floor on the cached large network (built first if missing)."""
    parser = argparse.ArgumentParser(prog="python -m bench.brief", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42, help="Seed of the large network (default 42).")
    parser.add_argument("--people", type=int, default=200, help="People to brief (default 200, at least 50).")
    args = parser.parse_args(argv)
    path, _gen, _fresh = dataset.ensure(args.seed)
    db = dataset.open_at(f"sqlite:///{path}")
    floor = floors.sqlite_floor(str(path))
    try:
        people = workload.show_targets(db, count=args.people)
        t = measure.compare(people, measure.brief_service_of(db, now=dataset.NOW), floor.show)
    finally:
        floor.close()
        db.dispose()
    label = f"brief PERSON data ({len(people)} people), SQLite"
    figures = latency_figures(label, t.service, t.floor, target_ms=BRIEF_TARGET_MS, max_ratio=None)
    figures.append(Figure(f"{label} median CPU", median_ms(t.service_cpu), median_ms(t.floor_cpu), "ms"))
    print(render(figures, title="tieline brief (large: 30,000 people, 1,000,000 interactions)"))
    print(load_note())


if __name__ == "__main__":
    main()
