"""Import and duplicate-detection figures at LinkedIn's cap of 30,000 connections, each beside a floor.

    python -m bench.imports [--rows 30000] [--database sqlite|postgresql|URL]

Figures: importing a generated Connections.csv (target < 5 s), importing it again with nothing
changed (< 3 s, no row written), and duplicate detection over everyone (< 10 s). Floors: parsing
the same file with the csv module alone, and inserting the same rows with one executemany.

Each figure and floor is timed in wall and CPU seconds. On SQLite, where the database works in
this process, targets and ratios are judged on CPU time, which a machine busy with other work
inflates far less than wall time (as in `bench.parsers`); on PostgreSQL, whose work is done by
the server, on wall time.
"""

from __future__ import annotations

import argparse
import csv
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from tieline.config import Settings
from tieline.db import open_database
from tieline.models import LOCAL_OWNER_ID, Base
from tieline.services import duplicates, imports
from tieline.services.demo_names import CULTURES

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
COMPANIES = [
    "Acme",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Initech",
    "Globex",
    "Umbrella",
    "Hooli",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
]
TITLES = ["Engineer", "Designer", "Analyst", "Manager", "Director", "Consultant", "Researcher", "Recruiter"]
NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'
)


@dataclass
class Took:
    """Seconds a block took: wall clock and this process's CPU."""

    wall: float = 0.0
    cpu: float = 0.0


@dataclass
class Figure:
    """One measured figure, its target and its floor, judged on CPU or on wall time."""

    name: str
    took: Took
    target: float | None
    floor_name: str
    floor: Took
    on_cpu: bool = True

    @property
    def seconds(self) -> float:
        """The figure's judged time."""
        return self.took.cpu if self.on_cpu else self.took.wall

    def line(self) -> str:
        """The figure as one printed line."""
        floor = self.floor.cpu if self.on_cpu else self.floor.wall
        verdict = "" if self.target is None else ("  ok" if self.seconds < self.target else "  SLOW")
        target = f" (target < {self.target:.0f} s)" if self.target else ""
        other = f"wall {self.took.wall:.2f}" if self.on_cpu else f"CPU {self.took.cpu:.2f}"
        return (
            f"{self.name:<44} {self.seconds:7.2f} s {'CPU ' if self.on_cpu else 'wall'} ({other}){target:<18}"
            f" floor {self.floor_name}: {floor:6.2f} s  (x{self.seconds / floor if floor else float('inf'):.1f})"
            f"{verdict}"
        )


def write_connections(path: Path, rows: int, seed: int = 4) -> None:
    """A Connections.csv in the newest layout: notes above the header, URLs, few emails."""
    rng = random.Random(seed)
    start = date(2012, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(NOTES)
        out = csv.writer(handle)
        out.writerow(
            ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
        )
        for i in range(rows):
            culture = rng.choices(CULTURES, weights=[c.weight for c in CULTURES])[0]
            given = rng.choice(culture.given_m + culture.given_f)
            family = rng.choice(culture.family)
            slug = f"{given}-{family}-{i}".lower().replace(" ", "-")
            email = f"{slug}@example.com" if rng.random() < 0.1 else ""
            connected = (start + timedelta(days=rng.randrange(5000))).strftime("%d %b %Y")
            out.writerow(
                [
                    given,
                    family,
                    f"https://www.linkedin.com/in/{slug}",
                    email,
                    rng.choice(COMPANIES),
                    rng.choice(TITLES),
                    connected,
                ]
            )


@contextmanager
def timed() -> Iterator[Took]:
    """Wall and CPU seconds spent in the block, read after it."""
    took = Took()
    wall, cpu = time.perf_counter(), time.process_time()
    yield took
    took.wall, took.cpu = time.perf_counter() - wall, time.process_time() - cpu


def floor_parse(path: Path) -> Took:
    """Reading the file with the csv module and nothing else."""
    with timed() as took, path.open(newline="", encoding="utf-8") as handle:
        for _ in csv.reader(handle):
            pass
    return took


def floor_insert(path: Path, directory: Path) -> Took:
    """Inserting the same rows into a bare SQLite table with one executemany."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle) if len(r) == 7][1:]
    conn = sqlite3.connect(directory / "floor.db")
    conn.execute(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, first TEXT, last TEXT, url TEXT, email TEXT, company TEXT, title TEXT, connected TEXT)"
    )
    with timed() as took:
        conn.executemany(
            "INSERT INTO person (first, last, url, email, company, title, connected) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.commit()
    conn.close()
    return took


def row_count(engine: sa.Engine) -> int:
    """Every row of every tieline table."""
    with engine.connect() as conn:
        return sum(
            conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        )


def run(rows: int = 30000, database_url: str | None = None) -> list[Figure]:
    """Measure the figures on a fresh database; returns them (and prints nothing)."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        source = directory / "Connections.csv"
        write_connections(source, rows)
        url = database_url or f"sqlite:///{directory / 'bench.db'}"
        db = open_database(Settings(data_dir=directory, database_url=url))
        parse_floor, insert_floor = floor_parse(source), floor_insert(source, directory)
        try:
            with timed() as first:
                report = imports.import_path(db, source, owner_id=LOCAL_OWNER_ID, now=NOW)
            assert report.counts["people"]["added"] == rows, report.to_dict(limit=3)
            before = row_count(db.engine)
            with timed() as again:
                second = imports.import_path(db, source, owner_id=LOCAL_OWNER_ID, now=NOW)
            assert second.run_id is None and not second.changed and row_count(db.engine) == before
            with db.sessions() as session, timed() as load:
                duplicates.load_facts(session, owner_id=LOCAL_OWNER_ID)
            with db.sessions() as session, timed() as dedupe:
                found = duplicates.find(session, owner_id=LOCAL_OWNER_ID)
        finally:
            db.dispose()
    on_cpu = url.startswith("sqlite")
    return [
        Figure(
            f"import Connections.csv ({rows:,} rows)", first, 5.0, "one executemany", insert_floor, on_cpu
        ),
        Figure(
            "re-import, nothing changed, 0 rows written", again, 3.0, "csv module parse", parse_floor, on_cpu
        ),
        Figure(
            f"duplicate detection ({rows:,} people, {len(found)} pairs)",
            dedupe,
            10.0,
            "load identity facts",
            load,
            on_cpu,
        ),
    ]


def main(argv: list[str] | None = None) -> None:
    """Run the import bench and print each figure beside its floor."""
    parser = argparse.ArgumentParser(prog="python -m bench.imports", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30000)
    parser.add_argument("--database", default=None, help="a database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    for figure in run(args.rows, args.database):
        print(figure.line())


if __name__ == "__main__":
    main()
