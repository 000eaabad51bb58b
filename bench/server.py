"""Server mode under load (issue 17): `tieline serve --workers N` on PostgreSQL, many accounts each
with their own network, a mixed load of pages and quick logs from a second local process, every
response checked to belong to the user who asked; beside the same per-user behaviour from one user
on the same, otherwise idle server (the floor).

The data: `--users` accounts user000, user001, ... each with its own demo network (`--people`
people, `--interactions` interactions over six years; seed `--seed`*1000 + the user's number), kept
in the PostgreSQL database tieline_bench_server (another name for other sizes) and reused while its
stamp (sizes, seed, generator version, schema) matches. Every run works on a fresh copy of it
(CREATE DATABASE ... TEMPLATE), dropped afterwards, so the quick logs of one run never reach the next.
Every agenda starts uncomputed; the windows begin once the server's agenda warmers have computed
them all, as they do just after midnight, so a morning's users find them ready (how long that took
after the start is printed). Before this wait, the warmers' first pass, a minute after the start,
landed inside one window or the other depending on the run, and its p95 with it.

python -m bench.server [--users 200] [--people 2000] [--seconds 60] [--workers 4] [--think 5]
                       [--floor-seconds 60] [--floor-think 0.5] [--postgres URL] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from tests.sync.servers import free_port, stop

from bench import dataset, kept_database
from bench.report import Figure, finish
from tieline.db import SCHEMA_HEAD
from tieline.services import accounts, demo, tokens
from tieline.services.agenda import warm
from tieline.web import agenda_warmer

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE = "tieline_bench_server"
NOW = dataset.NOW  # the data's history ends here and the server's clock is fixed to it (TIELINE_NOW)
TARGET_P95_MS = 250.0
DEFAULTS = {"users": 200, "people": 2000, "seconds": 60.0, "workers": 4, "think": 5.0}
PER_PERSON = 5  # interactions per person by default: a few each, heavy-tailed (the demo's history)


def username(n: int) -> str:
    return f"user{n:03d}"


def password(n: int) -> str:
    return f"bench-password-{n:03d}"


@dataclass(frozen=True)
class Size:
    """What the kept database holds."""

    users: int
    people: int
    interactions: int
    seed: int

    @property
    def stamp(self) -> str:
        """Everything the rows depend on: a kept database with another stamp is built again."""
        return (
            f"users={self.users} people={self.people} interactions={self.interactions} seed={self.seed} "
            f"generator={demo.GENERATOR_VERSION} schema={SCHEMA_HEAD} now={NOW.isoformat()}"
        )

    @property
    def database(self) -> str:
        default = (self.users, self.people, self.interactions, self.seed) == (
            DEFAULTS["users"], DEFAULTS["people"], DEFAULTS["people"] * PER_PERSON, 42,
        )  # fmt: skip
        return (
            DATABASE if default else f"{DATABASE}_{self.users}x{self.people}x{self.interactions}s{self.seed}"
        )


def ensure_network(admin: sa.Engine, size: Size, *, rebuild: bool, data_dir: Path) -> dict[str, Any]:
    """The kept database for `size` (built now if missing, stale or asked): its build record."""

    def build(partial: str) -> None:
        print(f"building {size.database}: {size.users} accounts, each {size.people:,} people and "
              f"{size.interactions:,} interactions", flush=True)  # fmt: skip
        started = time.perf_counter()
        db = kept_database.open_at(kept_database.url_of(admin, partial), data_dir)
        try:
            with db.transaction() as session:
                # The migrations write the local owner with an explicit id 1 and leave PostgreSQL's
                # sequence at 1, so the second account's new owner would take id 1 again (reported).
                session.execute(
                    sa.text(
                        "SELECT setval(pg_get_serial_sequence('owner', 'id'), (SELECT max(id) FROM owner))"
                    )
                )
            for n in range(size.users):
                with db.transaction() as session:
                    info = accounts.add_user(session, username=username(n), password=password(n), now=NOW)
                    scale = demo.Scale("server", size.people, size.interactions)
                    demo.load(
                        session, owner_id=info.owner_id, scale=scale, seed=size.seed * 1000 + n, now=NOW
                    )
                if (n + 1) % 10 == 0 or n + 1 == size.users:
                    spent = time.perf_counter() - started
                    left = spent / (n + 1) * (size.users - n - 1)
                    print(
                        f"  {n + 1}/{size.users} accounts, {spent:.0f} s, about {left:.0f} s left", flush=True
                    )
        finally:
            db.dispose()

    return kept_database.ensure(admin, size.database, stamp=size.stamp, rebuild=rebuild, build=build)


@contextmanager
def run_copy(admin: sa.Engine, name: str) -> Iterator[tuple[str, float]]:
    """A fresh copy of the kept database for this run (its URL, and how long the copy took); dropped after."""
    copy = f"{name}_run"
    started = time.perf_counter()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{copy}" TEMPLATE "{name}" STRATEGY FILE_COPY'))
    try:
        yield kept_database.url_of(admin, copy), time.perf_counter() - started
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)'))


def prepare_run(url: str, size: Size, data_dir: Path, plan_path: Path) -> None:
    """In the run's copy: a read-only API token for each user, and a warm-up account with a small
    network of its own; the plan for the load process (each user's sign-in, token and own people)."""
    db = kept_database.open_at(url, data_dir)
    try:
        with db.transaction() as session:
            owners = {
                name: owner
                for name, owner in session.execute(sa.text("SELECT username, owner_id FROM account"))
            }
            users = []
            for n in range(size.users):
                owner_id = owners[username(n)]
                _, secret = tokens.create(session, owner_id=owner_id, name="bench", scope="read", now=NOW)
                users.append({"username": username(n), "password": password(n), "token": secret,
                              "owner_id": owner_id, "people": []})  # fmt: skip
            by_owner = {u["owner_id"]: u for u in users}
            rows = session.execute(sa.text("SELECT owner_id, id, display_name, archived FROM person"))
            for owner_id, pid, name, archived in rows:
                if owner_id in by_owner:
                    by_owner[owner_id]["people"].append([pid, name, bool(archived)])
            info = accounts.add_user(session, username="warmup", password=password(999), now=NOW)
            demo.load(session, owner_id=info.owner_id, scale=demo.Scale("warmup", 200, 1000), seed=1, now=NOW)
            warm = session.execute(
                sa.text("SELECT min(id) FROM person WHERE owner_id = :o"), {"o": info.owner_id}
            ).scalar()
    finally:
        db.dispose()
    plan_path.write_text(json.dumps({"users": users, "warmup": {"password": password(999), "person": warm}}))


@contextmanager
def served(
    url: str, *, workers: int, data_dir: Path, log: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`tieline serve --workers N` as a child process on a free port: its base URL and process."""
    port = free_port()
    env = {**os.environ, "TIELINE_NOW": NOW.isoformat(), "TIELINE_DATA_DIR": str(data_dir)}
    env.pop("TIELINE_DATABASE_URL", None)
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "tieline", "--database", url, "serve", "--port", str(port)]
    with log.open("wb") as errors:  # a file: a pipe nobody reads would fill up and stall the server
        server = subprocess.Popen(
            [*command, "--workers", str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    httpx.get(base + "/login", timeout=2)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(f"the server did not start:\n{log.read_text()[-3000:]}") from None
                    time.sleep(0.3)
            yield base, server
        finally:
            stop(server)


def warm_up(base: str, warm: dict[str, Any], *, rounds: int) -> None:
    """The warm-up account's pages over new connections, so every worker has built its templates
    and opened its database connections before anything is timed."""
    with httpx.Client(base_url=base, timeout=60) as signer:
        signer.get("/login")
        answer = signer.post(
            "/login",
            data={"username": "warmup", "password": warm["password"], "next": "/"},
            headers={"X-CSRF-Token": signer.cookies.get("tieline_csrf") or ""},
        )
        if answer.status_code != 303:
            raise RuntimeError(f"the warm-up account could not sign in: {answer.status_code}")
        cookies = dict(signer.cookies)
    pages = ["/", f"/people/{warm['person']}", "/people?q=a", "/static/app.css"]
    for _ in range(rounds):
        for page in pages:
            with httpx.Client(base_url=base, timeout=60, cookies=cookies) as client:  # a new connection
                client.get(page)


def wait_for_agendas(url: str, data_dir: Path, *, since: float, limit: float = 1200.0) -> tuple[float, int]:
    """Wait until the server's agenda warmers have computed every account's agenda for today, as
    they do just after midnight before anyone signs in: the state a morning's users meet. How long
    after `since` (the server answering) that took, and how many were missing when the wait began."""
    db = kept_database.open_at(url, data_dir)
    try:
        missing = waiting = len(warm.owners_to_warm(db, now=NOW))
        while waiting:
            if time.perf_counter() - since > limit:
                raise RuntimeError(
                    f"the agendas were not all computed {limit:.0f} s after the server started"
                )
            time.sleep(1.0)
            waiting = len(warm.owners_to_warm(db, now=NOW))
    finally:
        db.dispose()
    return time.perf_counter() - since, missing


def load(plan: Path, base: str, server: subprocess.Popen[bytes], database: str, *, users: int, seconds: float,
         think: float, seed: int, out: Path) -> dict[str, Any]:  # fmt: skip
    """Run the load process (bench/server_load.py) to the end and read what it saw."""
    command = [
        sys.executable, "-m", "bench.server_load", str(plan), "--base", base, "--users", str(users),
        "--seconds", str(seconds), "--think", str(think), "--seed", str(seed),
        "--server-pid", str(server.pid), "--database", database, "--out", str(out),
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=Path(__file__).parent.parent)
    return dict(json.loads(out.read_text()))


def percentile(samples: list[float], q: int) -> float:
    """The q-th percentile of samples in seconds, in milliseconds (the one sample, when only one)."""
    if not samples:
        return float("nan")
    if len(samples) == 1:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


def _by_label(run: dict[str, Any]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for label, seconds, *_ in run["rows"]:
        out.setdefault(label, []).append(seconds)
    return out


def _slices(run: dict[str, Any], width: float) -> list[list[float]]:
    """Every request's time, grouped by when it was sent: the first `width` seconds, the next..."""
    parts: list[list[float]] = [[] for _ in range(max(1, math.ceil(run["seconds"] / width - 0.05)))]
    for _, seconds, _, sent in run["rows"]:
        parts[min(len(parts) - 1, int(sent / width))].append(seconds)
    return parts


def _spread(samples: list[float]) -> str:
    return (f"p50 {percentile(samples, 50):.0f}, p95 {percentile(samples, 95):.0f}, "
            f"p99 {percentile(samples, 99):.0f} ms ({len(samples)})")  # fmt: skip


LABELS = ("today (first)", "today (kept)", "person", "search", "log", "api agenda (first)",
          "api agenda (kept)", "foreign person")  # fmt: skip


def figures(loaded: dict[str, Any], floor: dict[str, Any], *, users: int, think: float) -> list[Figure]:
    """Every request's p95 under the load (the target) beside the one user's, then each kind's."""
    samples = [row[1] for row in loaded["rows"]]
    floor_samples = [row[1] for row in floor["rows"]]
    p95 = percentile(samples, 95)
    missed = []
    if not p95 < TARGET_P95_MS:
        missed.append(f"p95 {p95:.0f} ms")
    if loaded["errors"] or not samples:
        missed.append(f"{len(loaded['errors'])} errors")
    if loaded["not_theirs"]:
        missed.append(f"{len(loaded['not_theirs'])} not theirs")
    out = [
        Figure(
            f"{users} users (think {think:g} s mean): every request p95", p95, percentile(floor_samples, 95), "ms",
            f"< {TARGET_P95_MS:g} ms, 0 errors, all theirs", "MISS " + ", ".join(missed) if missed else "ok",
            f"{_spread(samples)}; one user: {_spread(floor_samples)}",
        ),
        Figure("  every request p50", percentile(samples, 50), percentile(floor_samples, 50), "ms"),
        Figure("  every request p99", percentile(samples, 99), percentile(floor_samples, 99), "ms"),
    ]  # fmt: skip
    by_label, floor_by_label = _by_label(loaded), _by_label(floor)
    for label in [*LABELS, *sorted(set(by_label) - set(LABELS))]:
        if label in by_label:
            mine, one = by_label[label], floor_by_label.get(label, [])
            out.append(Figure(f"  {label} p95", percentile(mine, 95), percentile(one, 95), "ms",
                              note=f"{_spread(mine)}; one user: {_spread(one)}"))  # fmt: skip
    return out


def _cpu_note(run: dict[str, Any], workers: int) -> str:
    cpu, seconds = run["cpu"], run["seconds"]
    cores = os.cpu_count() or 1
    return (
        f"CPU over the window, in cores busy (of {cores}): tieline's {workers} workers "
        f"{cpu['server'] / seconds:.2f}, PostgreSQL (this database's backends) {cpu['postgres'] / seconds:.2f}, "
        f"the load process {cpu['load'] / seconds:.2f}; the whole machine "
        f"{cores * cpu['machine busy'] / cpu['machine total']:.2f}; server processes gone "
        f"{cpu['server processes gone']:.0f}, started {cpu['server processes started']:.0f}"
    )


def main() -> None:
    """Build or reuse the data, serve a copy of it, measure one user then all of them, report."""
    parser = argparse.ArgumentParser(prog="python -m bench.server")
    parser.add_argument("--users", type=int, default=DEFAULTS["users"])
    parser.add_argument("--people", type=int, default=DEFAULTS["people"])
    parser.add_argument("--interactions", type=int, help=f"per user; default {PER_PERSON} per person")
    parser.add_argument("--seconds", type=float, default=DEFAULTS["seconds"])
    parser.add_argument("--workers", type=int, default=DEFAULTS["workers"])
    parser.add_argument("--think", type=float, default=DEFAULTS["think"], help="mean seconds between actions")
    parser.add_argument("--floor-seconds", type=float, help="the one user's run; default --seconds")
    parser.add_argument(
        "--floor-think",
        type=float,
        default=0.5,
        help="the one user's mean think time: shorter, for enough samples (see bench/README)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--postgres", default=ADMIN_URL, help="a database URL on the server to use")
    parser.add_argument("--rebuild", action="store_true", help="build the kept database again")
    args = parser.parse_args()
    if args.users < 2 or args.people < 10 or args.seconds <= 0 or args.think < 0 or args.floor_think < 0:
        parser.error("need at least 2 users, 10 people each, a positive --seconds and think times >= 0")
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    size = Size(args.users, args.people, args.interactions or args.people * PER_PERSON, args.seed)
    admin = kept_database.admin_engine(args.postgres)
    with tempfile.TemporaryDirectory(prefix="tieline-bench-server-") as scratch:
        folder = Path(scratch)
        record = ensure_network(admin, size, rebuild=args.rebuild, data_dir=folder / "build")
        with run_copy(admin, size.database) as (url, copy_seconds):
            plan = folder / "plan.json"
            prepare_run(url, size, folder / "data", plan)
            database = sa.engine.make_url(url).database or ""
            log = folder / "server.log"
            with served(url, workers=args.workers, data_dir=folder / "data", log=log) as (base, server):
                up = time.perf_counter()
                warm_up(base, json.loads(plan.read_text())["warmup"], rounds=3 * args.workers)
                ready_after, agendas = wait_for_agendas(url, folder / "data", since=up)
                common = {"seed": args.seed}
                floor = load(plan, base, server, database, users=1, seconds=args.floor_seconds or args.seconds,
                             think=args.floor_think, out=folder / "floor.json", **common)  # fmt: skip
                loaded = load(plan, base, server, database, users=args.users, seconds=args.seconds,
                              think=args.think, out=folder / "load.json", **common)  # fmt: skip
            server_log = log.read_text(errors="replace")
    rate = len(loaded["rows"]) / loaded["seconds"]
    sign_in = loaded["sign_in"]
    notes = [
        f"{len(loaded['rows']):,} requests in {loaded['seconds']:.0f} s ({rate:.1f}/s) from {args.users} users; "
        f"the one user (think {args.floor_think:g} s mean): {len(floor['rows'])} in {floor['seconds']:.0f} s",
        f"errors: {len(loaded['errors'])} (one user: {len(floor['errors'])}); answers checked for their owner: "
        f"{loaded['checked']:,}, not theirs: {len(loaded['not_theirs'])} (one user: {len(floor['not_theirs'])}); "
        f"another user's person asked for: {loaded['foreign_refused']} answered 404",
        *[f"  error: {e}" for e in (loaded["errors"] + floor["errors"])[:5]],
        *[f"  not theirs: {e}" for e in (loaded["not_theirs"] + floor["not_theirs"])[:5]],
        "every request's p95 by when it was sent, 10 s at a time: "
        + ", ".join(f"{percentile(part, 95):.0f}" for part in _slices(loaded, 10.0))
        + " ms",
        f"sign-in before the window: {len(sign_in)} users, median {percentile(sign_in, 50):.0f} ms, "
        f"p95 {percentile(sign_in, 95):.0f} ms ({8} at once)",
        _cpu_note(loaded, args.workers) + f"; one user: {_cpu_note(floor, args.workers).split(': ', 1)[1]}",
        f"before the windows: every account's agenda for today computed by the warmers, {agendas} of them, "
        f"ready {ready_after:.0f} s after the server answered (their first pass starts "
        f"{agenda_warmer.FIRST_DELAY_SECONDS:.0f} s after start), as after midnight before a morning's users",
        f"tracebacks in the server's log: {server_log.count('Traceback')}",
        f"data: {size.users} accounts x {size.people:,} people, {size.interactions:,} interactions each "
        f"(PostgreSQL database {size.database}, {record.get('bytes', 0) / 2**20:,.0f} MiB, built in "
        f"{record.get('seconds', 0):.0f} s on {str(record.get('built_at', '?'))[:16]}); this run's copy took "
        f"{copy_seconds:.1f} s",
        f"load average when the bench started: {load_before:.1f} (1 min)",
    ]
    title = (f"tieline serve --workers {args.workers} on PostgreSQL: {args.users} users from a second process, "
             "beside one user (floor)")  # fmt: skip
    finish(figures(loaded, floor, users=args.users, think=args.think), title=title, notes=notes,
           seconds=time.perf_counter() - started)  # fmt: skip


if __name__ == "__main__":
    main()
