"""Web figures at `large` (issue 7): server-side page times for Today, People (first page, a search)
and a Person, then a bounded load from a second local process, each beside a static file served by
the same server (the floor).

The load models people using the app: each of `--clients` users opens a page (Today, People, a
search, a Person, in turn), reads it for a think time drawn at random with a mean of `--think`
seconds (exponential, so arrivals bunch up as real ones do; seeded, so runs repeat), then opens the
next. A user never has more than one request in flight, so the rate is bounded: at most
clients / think requests a second, fewer when the server slows down. The static floor is measured
under the same model. `--think 0` gives the closed loop instead (each client asks again the moment
an answer arrives), which measures how long a queue of `--clients` requests takes to drain on this
machine rather than what a user waits.

python -m bench.web [--seed 42] [--runs 30] [--clients 20] [--seconds 30] [--think 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import dataset
from bench.report import Figure, latency_figures, median_ms, p95_ms, render

PAGES = ("/", "/people", "/people?q=kim", "/people/{pid}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _person_id(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT person_id FROM tie ORDER BY strength DESC LIMIT 1").fetchone()[0])


def page_times(base: str, pid: int, runs: int) -> list[Figure]:
    """Median and p95 of each page, one request at a time, beside the static stylesheet."""
    figures = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for _ in range(3):
            for page in PAGES:
                client.get(page.format(pid=pid))
        floor = []
        for _ in range(runs):
            started = time.perf_counter()
            assert client.get("/static/app.css").status_code == 200
            floor.append(time.perf_counter() - started)
        for page in PAGES:
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(page.format(pid=pid))
                samples.append(time.perf_counter() - started)
                assert response.status_code == 200, (page, response.status_code)
            figures += latency_figures(f"page {page}", samples, floor, target_ms=100, max_ratio=None)
    return figures


async def _load(
    base: str, pid: int, *, clients: int, seconds: float, think: float, seed: int, static: bool
) -> tuple[dict[str, list[float]], int]:
    """Latencies by page and errors of `clients` users, each waiting a think time (mean `think` s)
    between pages."""
    deadline = time.monotonic() + seconds
    samples: dict[str, list[float]] = {}
    errors = 0
    pages = ["/static/app.css"] if static else list(PAGES)

    async def pause(rng: random.Random) -> None:
        if think > 0:
            await asyncio.sleep(min(rng.expovariate(1 / think), max(0.0, deadline - time.monotonic())))

    async def user(n: int) -> None:
        nonlocal errors
        rng = random.Random(seed * 1000 + n)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            i = n
            await pause(rng)  # users arrive spread out, not all in the first millisecond
            while time.monotonic() < deadline:
                page = pages[i % len(pages)]
                started = time.perf_counter()
                try:
                    response = await client.get(page.format(pid=pid))
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                samples.setdefault(page, []).append(time.perf_counter() - started)
                i += 1
                await pause(rng)

    await asyncio.gather(*(user(n) for n in range(clients)))
    return samples, errors


def load_label(clients: int, seconds: float, think: float) -> str:
    """The load figure's name, which says the model it was measured under."""
    if think > 0:
        return f"load: {clients} users, think {think:g} s (mean), {seconds:g} s, pages p95"
    return f"load: {clients} closed-loop clients (no think), {seconds:g} s, pages p95"


def run(seed: int, runs: int, clients: int, seconds: float, think: float) -> list[Figure]:
    """Start the app on the large network in its own process and measure it."""
    path, _, _ = dataset.ensure(seed)
    pid = _person_id(path)
    port = _free_port()
    env = {**os.environ, "TIELINE_NOW": dataset.NOW.isoformat()}
    base = f"http://127.0.0.1:{port}"
    # The server's errors go to a file: a pipe nobody reads would fill up and stall it under load.
    with tempfile.TemporaryFile() as errors_log:
        server = subprocess.Popen(
            [sys.executable, "-m", "tieline", "--database", str(path), "serve", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=errors_log,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/static/app.css", timeout=1)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        errors_log.seek(0)
                        tail = errors_log.read()[-2000:].decode(errors="replace")
                        raise RuntimeError(f"the server did not start:\n{tail}") from None
                    time.sleep(0.2)
            figures = page_times(base, pid, runs)
            figures.append(load_figure(base, pid, clients=clients, seconds=seconds, think=think, seed=seed))
            return figures
        finally:
            server.terminate()
            server.wait(timeout=20)


def load_figure(base: str, pid: int, *, clients: int, seconds: float, think: float, seed: int) -> Figure:
    """p95 of the pages under the load model, beside the static file's under the same model."""
    model = {"clients": clients, "think": think, "seed": seed}
    floor_by_page, floor_errors = asyncio.run(
        _load(base, pid, seconds=min(seconds, 10), static=True, **model)
    )
    by_page, errors = asyncio.run(_load(base, pid, seconds=seconds, static=False, **model))
    floor = [t for times in floor_by_page.values() for t in times]
    samples = [t for times in by_page.values() for t in times]
    pages = ", ".join(f"{page} {p95_ms(times):.0f}" for page, times in by_page.items() if len(times) > 1)
    return Figure(
        load_label(clients, seconds, think), p95_ms(samples), p95_ms(floor), "ms",
        "< 250 ms, 0 errors", "ok" if p95_ms(samples) < 250 and errors == 0 else "MISS",
        f"{len(samples):,} requests ({len(samples) / seconds:.1f}/s), median {median_ms(samples):.1f} ms, "
        f"{errors} errors (static floor: {floor_errors} errors); p95 ms by page: {pages}",
    )  # fmt: skip


def main() -> None:
    """Print the web figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.web")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a user reads a page; 0 for the closed loop"
    )
    args = parser.parse_args()
    if args.think < 0:
        parser.error("--think cannot be negative")
    figures = run(args.seed, args.runs, args.clients, args.seconds, args.think)
    print(render(figures, title="tieline web app at large (requests from a second local process)"))


if __name__ == "__main__":
    main()
