"""`tieline` as a user runs it: whole processes, start-up included, each beside two floors.

    python -m bench.cli [--runs 9] [--rows 10000]

Builds the small demo network in a scratch folder (`tieline demo --scale small`) and a LinkedIn
Connections.csv of made-up people (the "Notes:" preamble above the header, as LinkedIn writes it),
then runs the installed `tieline` script as a child process, with a fixed clock (TIELINE_NOW) and
the scratch data directory: `--help`, `today`, `search NAME`, `show NAME`, `log coffee NAME --note
...` (each run adds one interaction: ten coffees more among 6,000 interactions change nothing
measurable) and `import Connections.csv` (each run into a fresh copy of the demo network, copied
untimed). NAME is the first demo person whose name no one else shares. Every round runs each command once, in turn, so all see the same machine; each figure is
the median over the rounds, after one untimed round that fills the bytecode cache.

Floors, timed in the same rounds: `python -c pass` (the interpreter alone) and `python -c "import
sqlalchemy, typer, rich"` (the libraries every command but `--help` needs). The bytecode cache is
a folder of the scratch directory (PYTHONPYCACHEPREFIX), written on the first round, so every run
reads compiled modules as an installed tieline does, whatever PYTHONDONTWRITEBYTECODE says.

Targets (issue 13): `--help` under 0.3 s; `today`, `search`, `show` and `log` under 0.4 s; the
10,000-row import under 2 s. They are judged on wall time; the CPU time of the child (user +
system) is printed beside it, as a busy machine inflates wall time far more than CPU time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.imports import write_connections
from bench.report import Figure, render

NOW = "2026-03-10T10:00:00+00:00"
TIELINE = Path(sys.executable).with_name("tieline")


@dataclass
class Case:
    """One command line to time, and what it must stay under."""

    name: str
    argv: list[str]
    target_s: float | None = None
    fresh_copy: bool = False  # run on a fresh copy of the demo database
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def run_timed(argv: list[str], env: dict[str, str], case: Case | None = None) -> None:
    """Run one child process to its end; record its wall and CPU seconds on the case."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if case is not None:
        case.wall.append(wall)
        case.cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (its WAL included), through SQLite's backup API."""
    target.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def demo_name(database: Path) -> str:
    """A demo person's full name that no one else shares, so `show NAME` finds exactly them."""
    conn = sqlite3.connect(database)
    try:
        (name,) = conn.execute(
            "SELECT min(display_name) FROM person GROUP BY sort_name HAVING count(*) = 1 "
            "ORDER BY min(id) LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return str(name)


def cases(folder: Path, *, rows: int) -> tuple[list[Case], dict[str, str]]:
    """The scratch folder set up (demo network, Connections.csv) and the command lines to time."""
    data = folder / "data"
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "TIELINE_DATABASE_URL")
    }
    env |= {
        "TIELINE_NOW": NOW,
        "TIELINE_DATA_DIR": str(data),
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
        "COLUMNS": "100",
    }
    demo = data / "demo.db"
    run_timed([str(TIELINE), "--database", str(demo), "demo", "--scale", "small"], env)
    connections = folder / "Connections.csv"
    write_connections(connections, rows)
    name = demo_name(demo)
    words = name.split()
    tl = [str(TIELINE), "--database", str(demo)]
    floors = [
        Case("python -c pass", [sys.executable, "-c", "pass"]),
        Case("import sqlalchemy, typer, rich", [sys.executable, "-c", "import sqlalchemy, typer, rich"]),
    ]
    commands = [
        Case("tieline --help", [str(TIELINE), "--help"], 0.3),
        Case("tieline today", [*tl, "today"], 0.4),
        Case(f"tieline search {words[0]}", [*tl, "search", words[0]], 0.4),
        Case("tieline show NAME", [*tl, "show", name], 0.4),
        Case("tieline log coffee NAME --note x", [*tl, "log", "coffee", name, "--note", "bench"], 0.4),
        Case(
            f"tieline import Connections.csv ({rows:,} rows)",
            [str(TIELINE), "--database", str(data / "import.db"), "import", str(connections)],
            2.0,
            fresh_copy=True,
        ),
    ]
    return floors + commands, env


def measure(all_cases: list[Case], env: dict[str, str], folder: Path, *, runs: int) -> None:
    """One untimed round (it fills the bytecode cache), then `runs` rounds of every case in turn."""
    demo, fresh = folder / "data" / "demo.db", folder / "data" / "import.db"
    for round_ in range(runs + 1):
        for case in all_cases:
            if case.fresh_copy:
                copy_database(demo, fresh)
            run_timed(case.argv, env, case if round_ else None)


def figures(all_cases: list[Case]) -> list[Figure]:
    """Each command's median wall time beside the floor of the libraries it loads."""
    pass_floor, import_floor = all_cases[0], all_cases[1]
    found = [
        Figure(case.name, _ms(case.wall), _ms(pass_floor.wall), "ms", note=_cpu_note(case))
        for case in all_cases[:2]
    ]
    for case in all_cases[2:]:
        median = statistics.median(case.wall)
        target = f"< {case.target_s:g} s" if case.target_s else ""
        verdict = ("ok" if median < case.target_s else "MISS") if case.target_s else ""
        floor = pass_floor if case.name == "tieline --help" else import_floor
        found.append(
            Figure(case.name, _ms(case.wall), _ms(floor.wall), "ms", target, verdict, _cpu_note(case))
        )
    return found


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _cpu_note(case: Case) -> str:
    return f"CPU median {_ms(case.cpu):.0f} ms, wall min {min(case.wall) * 1000:.0f} ms"


def run(*, runs: int = 9, rows: int = 10_000) -> list[Figure]:
    """Set up a scratch folder, time every case, and return the figures."""
    with tempfile.TemporaryDirectory(prefix="tieline-bench-cli-") as tmp:
        folder = Path(tmp)
        all_cases, env = cases(folder, rows=rows)
        measure(all_cases, env, folder, runs=runs)
    return figures(all_cases)


def main(argv: list[str] | None = None) -> None:
    """Print the table: each command's median beside its floor, with the target and verdict."""
    parser = argparse.ArgumentParser(prog="python -m bench.cli", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed rounds (default 9)")
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the Connections.csv")
    args = parser.parse_args(argv)
    title = (
        f"tieline start-up: whole processes, median of {args.runs} rounds "
        "(floor: `python -c pass` for --help, else `import sqlalchemy, typer, rich`)"
    )
    print(render(run(runs=args.runs, rows=args.rows), title=title))


if __name__ == "__main__":
    main()
