"""`python -m bench`: the demo network, search (people, and what was said), the person page and the
meeting brief, each figure beside its floor.

python -m bench [--seed 42] [--rebuild] [--queries 200] [--people 200] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import dataset, floors, measure, postgres, said, workload
from bench.report import Figure, latency_figures, median_ms, render

GENERATE_TARGET_S = 180.0  # `tieline demo --scale large` in under 3 minutes
LATENCY_TARGET_MS = 20.0
SAID_TARGET_MS = 30.0  # what was said: a million interactions' notes and subjects (issue 14)
BRIEF_TARGET_MS = 50.0  # the meeting brief (issue 18)
MAX_RATIO = 3.0


def generation_figures(gen: dataset.Generation, *, fresh: bool, engine: str) -> list[Figure]:
    """Total time and rate of writing the large network, beside one plain executemany of as many rows."""
    note = "" if fresh else f"measured when the cache was built ({gen.built_at}); --rebuild measures again"
    return [
        Figure(f"generate large, {engine}: total", gen.seconds, gen.floor_seconds, "s",
               f"< {GENERATE_TARGET_S:g} s", "ok" if gen.seconds < GENERATE_TARGET_S else "MISS", note),
        Figure(f"generate large, {engine}: rate", gen.rows / gen.seconds, gen.rows / gen.floor_seconds, "rows/s"),
    ]  # fmt: skip


def latency(db: dataset.Database, floor: floors.Floor, args: argparse.Namespace, engine: str) -> list[Figure]:
    """Search, said-search and person-page latencies on one database, each beside its floor."""
    queries = workload.search_queries(db, count=args.queries)
    said_queries = said.said_queries(db, count=args.queries)
    people = workload.show_targets(db, count=args.people)
    timings = measure.search_and_show(db, floor, queries, people)
    timings["said"] = measure.compare(said_queries, said.said_service(db), floor.said)
    # The brief's floor is the person page's: the brief reads that page and more (see bench/README).
    timings["brief"] = measure.compare(people, measure.brief_service_of(db, now=dataset.NOW), floor.show)
    figures = []
    for key, label, target in (
        ("search", f"search ({len(queries)} queries)", LATENCY_TARGET_MS),
        ("said", f"search what was said ({len(said_queries)} queries)", SAID_TARGET_MS),
        ("show", f"show PERSON data ({len(people)} people)", LATENCY_TARGET_MS),
        ("brief", f"brief PERSON data ({len(people)} people)", BRIEF_TARGET_MS),
    ):
        t = timings[key]
        ratio = None if key == "brief" else MAX_RATIO  # the brief does more than its floor reads
        figures += latency_figures(
            f"{label}, {engine}", t.service, t.floor, target_ms=target, max_ratio=ratio
        )
        figures.append(
            Figure(f"{label}, {engine} median CPU", median_ms(t.service_cpu), median_ms(t.floor_cpu), "ms")
        )
    return figures


def load_note() -> str:
    """The machine's load: figures taken on a busy machine are slower, floors included."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def size_note(path: Path) -> str:
    """The database file and its WAL, as `ls` would count them."""
    wal = Path(f"{path}-wal")
    total = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return f"SQLite database {path.name}: {total / 2**20:,.0f} MiB (database + WAL)"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42, help="Seed of the large network (default 42).")
    parser.add_argument("--rebuild", action="store_true", help="Generate the network again, timed.")
    parser.add_argument("--queries", type=int, default=200, help="Search queries to time (default 200).")
    parser.add_argument("--people", type=int, default=200, help="People to show (default 200).")
    parser.add_argument("--postgres", metavar="URL", help="Also measure on the PostgreSQL server at URL "
                        "(a scratch database is created there and dropped).")  # fmt: skip
    parser.add_argument("--imports", action="store_true", help="Also run the import figures (bench.imports).")
    args = parser.parse_args(argv)

    path, gen, fresh = dataset.ensure(args.seed, rebuild=args.rebuild)
    figures = generation_figures(gen, fresh=fresh, engine="SQLite")
    db = dataset.open_at(f"sqlite:///{path}")
    floor = floors.sqlite_floor(str(path))
    try:
        figures += latency(db, floor, args, "SQLite")
    finally:
        floor.close()
        db.dispose()
    print(render(figures, title="tieline benchmark (large: 30,000 people, 1,000,000 interactions)"))
    print(size_note(path))
    print(load_note())
    if args.postgres:
        with postgres.scratch_database(args.postgres) as url:
            db = dataset.open_at(url)
            floor = floors.postgres_floor(url)
            try:
                pg = generation_figures(dataset.generate(db, seed=args.seed), fresh=True, engine="PostgreSQL")
                pg += latency(db, floor, args, "PostgreSQL")
            finally:
                floor.close()
                db.dispose()
        print()
        print(render(pg, title="PostgreSQL (floor of generation: SQLite executemany, as above)"))
        print(load_note())
    if args.imports:
        from bench import imports

        print()
        imports.main([])


if __name__ == "__main__":
    main()
