"""The load of `python -m bench.server`, run as a process of its own (asyncio + httpx), as browsers
and scripts on other machines would be: separate from the server it measures.

Every virtual user signs in once through the sign-in form (GET /login for the CSRF cookie, POST
/login), untimed by the window; then, until the window closes, waits a think time (exponential with
the mean given; seeded per user) and does one action drawn from MIX:

- today: GET / (the agenda);
- person: GET /people/ID of one of their own people, chosen at random;
- search: GET /people?q=FAMILY NAME of one of their own people;
- log: POST /log, a coffee with one of their own people (#ID), with the CSRF header;
- api agenda: GET /api/v1/agenda with their API token (Authorization: Bearer), no cookies;
- foreign person: GET /people/ID of another user's person, which must answer 404.

The agenda (today and api agenda) is reported in two parts: the user's first read of it in the run,
or the first after a log of theirs, when the server computes it (unless another process did just
before); and the later ones, which the agenda cache answers.

Each answer is checked to belong to the user who asked: every person a page links to
(/people/ID) and every person_id of the API's agenda is one of theirs; every full page says
"Signed in as" them and nobody else; a person page, and a log's confirmation, name that person.
An answer with another status than the one expected (or none) is an error.

CPU over the window is read from /proc at its start and end: the server's processes (the one
given and its children), the PostgreSQL backends of the database given, this process, and the whole
machine.

python -m bench.server_load PLAN.json --base URL --users N --seconds S --think T --seed K
                            --server-pid PID --database NAME --out OUT.json
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

MIX = {"today": 30, "person": 25, "search": 15, "log": 10, "api agenda": 15, "foreign person": 5}
PERSON_LINK = re.compile(r'href="/people/(\d+)')
SIGNED_IN = re.compile(r'title="Signed in as ([^"]*)"')
SIGN_IN_AT_ONCE = 8  # sign-ins in flight at once, before the window (each is an Argon2 check)
TICK = os.sysconf("SC_CLK_TCK")
KEEP_ALIVE = 4.0  # seconds a client keeps an idle connection (uvicorn's default keep-alive is 5 s)


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent, CPU seconds: user + system) of a live process, from /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def cpu_snapshot(server_pid: int, database: str) -> dict[str, Any]:
    """CPU seconds so far of each server process and each backend of the database, and the machine's
    busy and total CPU seconds (all cores)."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (found := _stat(int(name))) is not None:
            stats[int(name)] = found
    server = {server_pid}
    grew = True
    while grew:  # the server's descendants: uvicorn's workers and whatever they start
        more = {pid for pid, (parent, _) in stats.items() if parent in server} - server
        server |= more
        grew = bool(more)
    backends = {pid for pid in stats if f" {database} " in f" {_cmdline(pid)} "}
    with open("/proc/stat", encoding="ascii") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return {
        "server": {pid: stats[pid][1] for pid in server if pid in stats},
        "postgres": {pid: stats[pid][1] for pid in backends},
        "busy": (sum(ticks[:8]) - idle) / TICK,
        "total": sum(ticks[:8]) / TICK,
    }


def cpu_used(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
    """CPU seconds spent between two snapshots (a process started in between counts from zero)."""
    out = {}
    for part in ("server", "postgres"):
        out[part] = sum(seconds - before[part].get(pid, 0.0) for pid, seconds in after[part].items())
    # A worker uvicorn restarted (it kills one that misses its health check for 5 s) is a new process.
    out["server processes started"] = len(set(after["server"]) - set(before["server"]))
    out["server processes gone"] = len(set(before["server"]) - set(after["server"]))
    out["machine busy"] = after["busy"] - before["busy"]
    out["machine total"] = after["total"] - before["total"]
    return out


@dataclass
class User:
    """One account of the plan: how it signs in, the people that are its own (id -> name), and the
    ids of those not archived (the ones its actions pick)."""

    username: str
    password: str
    token: str
    people: dict[int, str]
    ids: list[int] = field(default_factory=list)


@dataclass
class Results:
    """What the run saw: one row per request, sign-in times, and what failed, with details."""

    # action, seconds, status, when it was sent (seconds into the window)
    rows: list[tuple[str, float, int, float]] = field(default_factory=list)
    sign_in: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    not_theirs: list[str] = field(default_factory=list)
    checked: int = 0
    foreign_refused: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds over the window, by part


def load_plan(path: str, count: int) -> list[User]:
    with open(path, encoding="utf-8") as f:
        plan = json.load(f)
    users = []
    for entry in plan["users"][:count]:
        people = {int(pid): name for pid, name, _ in entry["people"]}
        live = sorted(int(pid) for pid, _, archived in entry["people"] if not archived)
        users.append(User(entry["username"], entry["password"], entry["token"], people, live))
    return users


def check_html(user: User, page: str, body: str, results: Results, *, full_page: bool) -> None:
    """Every linked person is the user's own; a full page says it is signed in as them."""
    results.checked += 1
    strangers = {int(pid) for pid in PERSON_LINK.findall(body)} - user.people.keys()
    if strangers:
        results.not_theirs.append(
            f"{user.username} {page}: links to people not theirs {sorted(strangers)[:5]}"
        )
    if full_page:
        shown = set(SIGNED_IN.findall(body))
        if shown != {user.username}:
            results.not_theirs.append(f"{user.username} {page}: signed in as {sorted(shown)}")


def person_ids(value: Any) -> Iterator[int]:
    """Every person_id anywhere in a JSON answer."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "person_id" and isinstance(item, int):
                yield item
            else:
                yield from person_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from person_ids(item)


async def sign_in(client: httpx.AsyncClient, user: User, results: Results) -> bool:
    started = time.perf_counter()
    try:
        form = await client.get("/login")
        csrf = client.cookies.get("tieline_csrf")
        answer = await client.post(
            "/login",
            data={"username": user.username, "password": user.password, "next": "/"},
            headers={"X-CSRF-Token": csrf or ""},
        )
    except httpx.HTTPError as exc:
        results.errors.append(f"{user.username} sign-in: {type(exc).__name__} {exc}")
        return False
    results.sign_in.append(time.perf_counter() - started)
    if form.status_code != 200 or answer.status_code != 303 or "tieline_session" not in client.cookies:
        results.errors.append(f"{user.username} sign-in: {form.status_code}, then {answer.status_code}")
        return False
    return True


async def act(
    action: str, user: User, client: httpx.AsyncClient, api: httpx.AsyncClient, rng: random.Random,
    others: list[User], results: Results,
) -> tuple[str, int, bool]:  # fmt: skip
    """Do one action; (the label it is reported under, the status, whether the status was expected)."""
    if action == "today":
        answer = await client.get("/")
        if answer.status_code == 200:
            check_html(user, "/", answer.text, results, full_page=True)
        return action, answer.status_code, answer.status_code == 200
    if action == "person":
        pid = rng.choice(user.ids)
        answer = await client.get(f"/people/{pid}")
        if answer.status_code == 200:
            check_html(user, f"/people/{pid}", answer.text, results, full_page=True)
            if user.people[pid] not in html.unescape(answer.text):
                results.not_theirs.append(f"{user.username} /people/{pid}: {user.people[pid]!r} not on it")
        return action, answer.status_code, answer.status_code == 200
    if action == "search":
        words = user.people[rng.choice(user.ids)].split()
        answer = await client.get("/people", params={"q": words[-1]})
        if answer.status_code == 200:
            check_html(user, f"/people?q={words[-1]}", answer.text, results, full_page=True)
            if not PERSON_LINK.search(answer.text):
                results.not_theirs.append(f"{user.username} /people?q={words[-1]}: found none of theirs")
        return action, answer.status_code, answer.status_code == 200
    if action == "log":
        pid = rng.choice(user.ids)
        answer = await client.post(
            "/log",
            data={"people": f"#{pid}", "kind": "coffee", "note": "bench.server"},
            headers={
                "X-CSRF-Token": client.cookies.get("tieline_csrf") or "",
                "HX-Request": "true",
                "Idempotency-Key": f"bench-{rng.getrandbits(64):016x}",  # as static/pwa.js sends one
            },
        )
        if answer.status_code == 200:
            check_html(user, "/log", answer.text, results, full_page=False)
            if f'href="/people/{pid}"' not in answer.text:
                results.not_theirs.append(f"{user.username} /log #{pid}: the confirmation names someone else")
        return action, answer.status_code, answer.status_code == 200
    if action == "api agenda":
        answer = await api.get("/api/v1/agenda", headers={"Authorization": f"Bearer {user.token}"})
        if answer.status_code == 200:
            results.checked += 1
            strangers = set(person_ids(answer.json())) - user.people.keys()
            if strangers:
                results.not_theirs.append(
                    f"{user.username} /api/v1/agenda: people not theirs {sorted(strangers)[:5]}"
                )
        return action, answer.status_code, answer.status_code == 200
    if action == "foreign person":
        other = rng.choice(others)
        pid = rng.choice(other.ids)
        answer = await client.get(f"/people/{pid}")
        results.checked += 1
        if answer.status_code == 404:
            results.foreign_refused += 1
        elif answer.status_code == 200:
            results.not_theirs.append(f"{user.username} /people/{pid}: {other.username}'s person shown")
        return action, answer.status_code, answer.status_code == 404
    raise ValueError(action)


async def run(
    users: list[User], everyone: list[User], base: str, *, seconds: float, think: float, seed: int,
    server_pid: int, database: str,
) -> tuple[Results, float]:  # fmt: skip
    """Sign everyone in, then the window: the results and how long the window ran."""
    results = Results()
    # An idle connection is let go after KEEP_ALIVE s, before uvicorn closes it (after 5 s): reusing
    # one the server is closing at that moment fails without an answer, which a browser would retry.
    idle = httpx.Limits(max_keepalive_connections=1, keepalive_expiry=KEEP_ALIVE)
    clients = [httpx.AsyncClient(base_url=base, timeout=60, limits=idle) for _ in users]
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None, keepalive_expiry=KEEP_ALIVE)
    api = httpx.AsyncClient(base_url=base, timeout=60, limits=limits)
    gate = asyncio.Semaphore(SIGN_IN_AT_ONCE)

    async def signed_in(client: httpx.AsyncClient, user: User) -> bool:
        async with gate:
            return await sign_in(client, user, results)

    ok = await asyncio.gather(*(signed_in(c, u) for c, u in zip(clients, users, strict=True)))
    actions, weights = list(MIX), list(MIX.values())
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    snapshot = cpu_snapshot(server_pid, database)
    opened = time.monotonic()
    deadline = opened + seconds

    async def pause(rng: random.Random) -> None:
        if think > 0:
            await asyncio.sleep(min(rng.expovariate(1 / think), max(0.0, deadline - time.monotonic())))

    async def user_loop(n: int, user: User, client: httpx.AsyncClient) -> None:
        rng = random.Random(seed * 100_003 + n)
        others = [u for u in everyone if u.username != user.username] or [user]
        first = True  # the next agenda read is the first of the run, or the first after a log of theirs
        await pause(rng)  # users arrive spread out, not all in the first millisecond
        while time.monotonic() < deadline:
            action = rng.choices(actions, weights)[0]
            started = time.perf_counter()
            try:
                label, status, expected = await act(action, user, client, api, rng, others, results)
            except httpx.HTTPError as exc:
                label, status, expected = action, 0, False
                results.errors.append(f"{user.username} {action}: {type(exc).__name__} {exc}")
            spent = time.perf_counter() - started
            if action in ("today", "api agenda"):
                label = f"{action} ({'first' if first else 'kept'})"
                first = False
            elif action == "log":
                first = True
            if status and not expected:
                results.errors.append(f"{user.username} {action}: status {status}")
            results.rows.append((label, spent, status, time.monotonic() - opened - spent))
            await pause(rng)

    await asyncio.gather(
        *(user_loop(n, u, c) for n, (u, c, good) in enumerate(zip(users, clients, ok, strict=True)) if good)
    )
    ran = time.monotonic() - opened
    results.cpu = cpu_used(snapshot, cpu_snapshot(server_pid, database))
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    results.cpu["load"] = sum(
        getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("ru_utime", "ru_stime")
    )
    for client in [*clients, api]:
        await client.aclose()
    return results, ran


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.server_load")
    parser.add_argument("plan")
    parser.add_argument("--base", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--think", type=float, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.plan, encoding="utf-8") as f:
        count = len(json.load(f)["users"])
    everyone = load_plan(args.plan, count)
    users = everyone[: args.users]
    results, ran = asyncio.run(
        run(
            users, everyone, args.base, seconds=args.seconds, think=args.think, seed=args.seed,
            server_pid=args.server_pid, database=args.database,
        )
    )  # fmt: skip
    out = {
        "rows": results.rows,
        "sign_in": results.sign_in,
        "errors": results.errors,
        "not_theirs": results.not_theirs,
        "checked": results.checked,
        "foreign_refused": results.foreign_refused,
        "seconds": ran,
        "cpu": results.cpu,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
