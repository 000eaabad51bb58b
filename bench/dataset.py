"""The `large` demo network, built once into bench/.cache and reused while the generator is unchanged."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from tieline.config import Settings
from tieline.db import Database, open_database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import demo

CACHE = Path(__file__).parent / ".cache"
# A fixed clock, so the cached network is the same whatever day the benchmark runs.
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Generation:
    """How long writing the network took, and the floor: as many plain rows in one executemany."""

    seconds: float
    rows: int
    floor_seconds: float
    built_at: str


def cache_path(seed: int) -> Path:
    """Where the network for this seed and generator version is kept."""
    return CACHE / f"large-v{demo.GENERATOR_VERSION}-seed{seed}.db"


def open_at(url: str) -> Database:
    """The tieline database at `url`, migrated."""
    return open_database(Settings(data_dir=CACHE, database_url=url))


def generate(db: Database, *, seed: int) -> Generation:
    """Write the large network into an empty database, timed (commit included), with the floor."""
    started = time.perf_counter()
    with db.transaction() as session:
        result = demo.load(session, owner_id=LOCAL_OWNER_ID, scale=demo.SCALES["large"], seed=seed, now=NOW)
    seconds = time.perf_counter() - started
    return Generation(seconds, result.rows, insert_floor(result.rows), datetime.now(UTC).isoformat())


def insert_floor(rows: int) -> float:
    """Seconds to insert `rows` plain 4-tuples into a fresh scratch SQLite table with one executemany."""
    data = [(i, "message", "2024-01-01 10:00:00.000000", i % 30_000) for i in range(rows)]
    with tempfile.TemporaryDirectory() as directory:
        conn = sqlite3.connect(Path(directory) / "floor.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, kind TEXT, at TEXT, person INTEGER)")
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO scratch VALUES (?, ?, ?, ?)", data)
        conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
    return seconds


def ensure(seed: int, *, rebuild: bool = False) -> tuple[Path, Generation, bool]:
    """The cached SQLite network (built now if missing or asked), its generation figures, and
    whether they were measured in this run."""
    path, record = cache_path(seed), cache_path(seed).with_suffix(".json")
    if path.exists() and record.exists() and not rebuild:
        return path, Generation(**json.loads(record.read_text())), False
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    db = open_at(f"sqlite:///{partial}")
    try:
        figures = generate(db, seed=seed)
    finally:
        db.dispose()
    os.replace(partial, path)  # only a complete network is ever found in the cache
    record.write_text(json.dumps(asdict(figures)))
    return path, figures, True
