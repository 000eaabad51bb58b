"""Web figures at `large` (issue 7): server-side page times for Today, People (first page, a search)
and a Person, then a bounded load from a second local process, each beside a static file served by
the same server (the floor).

python -m bench.web [--seed 42] [--runs 30] [--clients 20] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench import dataset
from bench.report import Figure, latency_figures, p95_ms, render

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


async def _load(base: str, pid: int, clients: int, seconds: float, static: bool) -> tuple[list[float], int]:
    deadline = time.monotonic() + seconds
    samples: list[float] = []
    errors = 0
    paths = ["/static/app.css"] if static else [p.format(pid=pid) for p in PAGES]

    async def client_loop(n: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            i = n
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(paths[i % len(paths)])
                    if response.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                samples.append(time.perf_counter() - started)
                i += 1

    await asyncio.gather(*(client_loop(n) for n in range(clients)))
    return samples, errors


def run(seed: int, runs: int, clients: int, seconds: float) -> list[Figure]:
    """Start the app on the large network in its own process and measure it."""
    path, _, _ = dataset.ensure(seed)
    pid = _person_id(path)
    port = _free_port()
    env = {**os.environ, "TIELINE_NOW": dataset.NOW.isoformat()}
    server = subprocess.Popen(
        [sys.executable, "-m", "tieline", "--database", str(path), "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/static/app.css", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        figures = page_times(base, pid, runs)
        floor, floor_errors = asyncio.run(_load(base, pid, clients, min(seconds, 10), static=True))
        samples, errors = asyncio.run(_load(base, pid, clients, seconds, static=False))
        figures.append(
            Figure(f"load: {clients} clients x {seconds:g} s, pages p95", p95_ms(samples), p95_ms(floor), "ms",
                   "< 250 ms, 0 errors", "ok" if p95_ms(samples) < 250 and errors == 0 else "MISS",
                   f"{len(samples):,} requests, {errors} errors (static floor: {floor_errors} errors)")
        )  # fmt: skip
        return figures
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    """Print the web figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.web")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    figures = run(args.seed, args.runs, args.clients, args.seconds)
    print(render(figures, title="tieline web app at large (requests from a second local process)"))


if __name__ == "__main__":
    main()
