"""MCP figures at `large` (issue 18): a search through `tieline mcp` over stdio, the client already
connected, beside the same search service called in this process (the floor: the work itself), and
what the protocol adds beside a bare round trip (a ping).

The server is a real `python -m tieline mcp` child process on the cached `large` network (read-only:
a reading tool's transaction is rolled back). Each query is run once untimed on both sides, then
timed with the MCP call and the in-process call alternating, so both see the same machine.

python -m bench.mcp_search [--seed 42] [--queries 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters, stdio_client

from bench import dataset, workload
from bench.__main__ import load_note
from bench.report import Figure, latency_figures, render
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.services import search as search_service

TARGET_MS = 100.0  # the issue: an MCP round trip for search under 100 ms
LIMIT = 20  # what the search_people tool returns by default


def in_process(db: Database, query: str) -> Any:
    """The tool's work without the protocol: the search service in a transaction rolled back."""
    with db.sessions() as session:
        try:
            return search_service.search(
                session, owner_id=LOCAL_OWNER_ID, query=query, limit=LIMIT, said_limit=LIMIT
            )
        finally:
            session.rollback()


async def measure(url: str, db: Database, queries: list[str]) -> dict[str, list[float]]:
    """Seconds per call: MCP search, in-process search, MCP ping; and the server's start-up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
    env.update(TIELINE_DATA_DIR=str(dataset.CACHE), TIELINE_NOW=dataset.NOW.isoformat())
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "tieline", "mcp", "--database", url], env=env
    )
    times: dict[str, list[float]] = {"mcp": [], "service": [], "ping": [], "start": []}
    started = time.perf_counter()
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        times["start"].append(time.perf_counter() - started)
        for query in queries:  # warm both sides: statement caches, pages
            result = await session.call_tool("search_people", {"query": query, "limit": LIMIT})
            assert not result.is_error, result.content
            in_process(db, query)
        for query in queries:
            started = time.perf_counter()
            await session.call_tool("search_people", {"query": query, "limit": LIMIT})
            times["mcp"].append(time.perf_counter() - started)
            started = time.perf_counter()
            in_process(db, query)
            times["service"].append(time.perf_counter() - started)
            started = time.perf_counter()
            await session.send_ping()
            times["ping"].append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> None:
    """Run the MCP figures and print their table."""
    parser = argparse.ArgumentParser(prog="python -m bench.mcp_search", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42, help="Seed of the large network (default 42).")
    parser.add_argument("--queries", type=int, default=200, help="Search queries to time (default 200).")
    args = parser.parse_args(argv)
    path, _gen, _fresh = dataset.ensure(args.seed)
    url = f"sqlite:///{path}"
    db = dataset.open_at(url)
    try:
        queries = workload.search_queries(db, count=args.queries)
        times = anyio.run(measure, url, db, queries)
    finally:
        db.dispose()
    label = f"search over MCP ({len(queries)} queries)"
    figures = latency_figures(label, times["mcp"], times["service"], target_ms=TARGET_MS, max_ratio=None)
    # What the protocol adds (the JSON answer written, sent and parsed) beside a bare round trip.
    added = [m - s for m, s in zip(times["mcp"], times["service"], strict=True)]
    figures.append(Figure("MCP added to a search, median", statistics.median(added) * 1000,
                          statistics.median(times["ping"]) * 1000, "ms", note="floor: a ping's round trip"))  # fmt: skip
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tieline", "--help"], capture_output=True, check=True)
    cli_start = time.perf_counter() - started
    figures.append(Figure("server start-up to initialized", times["start"][0] * 1000, cli_start * 1000, "ms",
                          note="once per assistant session; floor: `python -m tieline --help`"))  # fmt: skip
    print(render(figures, title="tieline MCP server (large: 30,000 people, 1,000,000 interactions)"))
    print("floor of the search figures: the same search service called in this process")
    print(load_note())


if __name__ == "__main__":
    main()
