"""Address book sync (issue 16) against a local Radicale, each figure beside a floor measured in the
same run.

- First sync, tieline to the phone: `--people` (10,000) made-up people imported into tieline
  (untimed), then `tieline sync` of a new, empty address book, which writes a card for each, as a
  user runs it (a whole process, a new copy of the data folder each run). The floor: the same cards,
  made by tieline's own card writer, PUT one by one with If-None-Match by one plain httpx client
  (Radicale closes the connection after each answer), to another empty book of the same server,
  with nothing else done. Target: within 2x the floor. Every book must hold every card after.
- First sync, the phone to tieline: `--cards` (10,000) phone cards written into Radicale's storage
  (untimed), `tieline sync` into an empty tieline, beside the floor of the same REPORTs
  (sync-collection, then addressbook-multiget by 500) over plain httpx with no parsing.
- A sync with no change on either side, after each: `tieline sync` again (under 2 s), beside one
  plain sync-collection REPORT from the newest token.

Radicale is the tests' own (tests/sync/servers.py's config) with one change: its storage is
`bench.radicale_storage`, stock `multifilesystem` without the two steps of a PUT that read the whole
book (the new card's UID checked against every card; the history cache scanned for deleted cards),
same files and answers otherwise. Stock, each PUT is O(n) in the book's size, so filling a book is
O(n^2): 10,000 cards took about an hour per side, nearly all of it the server's. Both sides run
against that one server, so the ratio stays fair; `--stock-storage` runs stock Radicale.

Every measured command is a whole child process through `bench.sync`'s measuring child (peak memory
and CPU its own).
`python -m bench.carddav [--people N] [--cards N] [--runs N] [--folder DIR] [--stock-storage]`
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from bench.report import Figure, finish
from bench.sync import ROOT, _env, _first_sync_figures, _median, _tieline, _verdict, measured

STORAGE = "bench.radicale_storage"  # Radicale's storage for these runs unless --stock-storage

_MKCOL = (
    '<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
    "<d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>"
)
_SYNC = (
    '<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>{}</d:sync-token>'
    "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"
)


# --- the floors, each a child process ------------------------------------------------------------


def _floor_put(spec: dict[str, Any]) -> None:
    """PUT every card of the file, one by one, If-None-Match: *, by one httpx client; with the
    seconds each quarter of them took (a PUT that slows as the book grows shows here)."""
    cards = json.loads(Path(spec["cards"]).read_text())
    quarters, started = [], time.perf_counter()
    with httpx.Client(auth=(spec["user"], os.environ["BENCH_PASSWORD"]), timeout=60) as client:
        for n, (name, text) in enumerate(cards, 1):
            answer = client.put(
                spec["book"] + name, content=text.encode(),
                headers={"Content-Type": "text/vcard; charset=utf-8", "If-None-Match": "*"},
            )  # fmt: skip
            answer.raise_for_status()
            if n * 4 // len(cards) > len(quarters):
                quarters.append(time.perf_counter() - started)
                started = time.perf_counter()
    print(json.dumps({"cards": len(cards), "quarters": quarters}))


def _floor_pull(spec: dict[str, Any]) -> None:
    """sync-collection from no token, then addressbook-multiget of every card, 500 at a time."""
    from xml.etree import ElementTree as ET

    headers = {"Content-Type": "application/xml"}
    with httpx.Client(auth=(spec["user"], os.environ["BENCH_PASSWORD"]), timeout=300) as client:
        listing = client.request(
            "REPORT", spec["book"], content=_SYNC.format("").encode(), headers={**headers, "Depth": "0"}
        )
        listing.raise_for_status()
        hrefs = [h.text or "" for h in ET.fromstring(listing.content).iter("{DAV:}href")]
        hrefs = [h for h in hrefs if h.endswith(".vcf")]
        got = 0
        for start in range(0, len(hrefs), 500):
            body = "".join(f"<d:href>{h}</d:href>" for h in hrefs[start : start + 500])
            answer = client.request(
                "REPORT", spec["book"], headers={**headers, "Depth": "1"},
                content=(
                    '<?xml version="1.0" encoding="utf-8"?><c:addressbook-multiget xmlns:d="DAV:" '
                    'xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><c:address-data/></d:prop>'
                    f"{body}</c:addressbook-multiget>"
                ).encode(),
            )  # fmt: skip
            answer.raise_for_status()
            got += answer.text.count("BEGIN:VCARD")
    print(json.dumps({"cards": got}))


def _floor_quiet(spec: dict[str, Any]) -> None:
    """One sync-collection REPORT from the newest token."""
    with httpx.Client(auth=(spec["user"], os.environ["BENCH_PASSWORD"]), timeout=60) as client:
        answer = client.request(
            "REPORT", spec["book"], content=_SYNC.format(spec["token"]).encode(),
            headers={"Depth": "0", "Content-Type": "application/xml"},
        )  # fmt: skip
        answer.raise_for_status()
    print(json.dumps({"bytes": len(answer.content)}))


# --- the parent ----------------------------------------------------------------------------------


@contextmanager
def _radicale(root: Path, *, stock: bool) -> Iterator[Any]:
    """The tests' Radicale (their config, users file and readiness check: tests/sync/servers.py) with
    its storage set: `bench.radicale_storage` (imported from the repository: the server runs in it),
    or stock `multifilesystem`."""
    from tests.sync import servers

    root.mkdir(parents=True, exist_ok=True)
    port = servers.free_port()
    users = root / "users"
    users.write_text("")
    config = root / "radicale.conf"
    text = servers._RADICALE_CONFIG.format(port=port, users=users, storage=root / "collections")
    storage = "multifilesystem" if stock else STORAGE
    config.write_text(text.replace("[storage]\n", f"[storage]\ntype = {storage}\n", 1))
    log = root / "radicale.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        servers.wait_for_port(port, process, log)
        yield servers.Radicale(url=f"http://127.0.0.1:{port}/", port=port, users_file=users)
    finally:
        servers.stop(process)


def _book(radicale: Any, name: str) -> tuple[str, str, str]:
    """A new Radicale user with an empty address book: (book URL, user, password)."""
    user, password = radicale.new_user()
    url = f"{radicale.url}{user}/{name}/"
    httpx.request("MKCOL", url, content=_MKCOL, auth=(user, password)).raise_for_status()
    return url, user, password


def _people_file(path: Path, count: int) -> Path:
    """`count` made-up people as one vCard file: names, an email, a phone, an employer and title."""
    from bench import sync_data

    lines = []
    for i, person in enumerate(sync_data.people(count)):
        given, family = person.name.split(" ", 1)
        lines.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{person.name}\r\nN:{family};{given};;;\r\n"
            f"EMAIL;TYPE=work:{person.email}\r\nTEL;TYPE=cell:+44 20 7946 {i:04d}\r\n"
            f"ORG:Company {i % 97}\r\nTITLE:Engineer {i % 7}\r\nEND:VCARD\r\n"
        )
    path.write_text("".join(lines), newline="")
    return path


def _cards_file(template: Path, out: Path) -> int:
    """The cards tieline writes for the template's people, made by its own card writer (untimed)."""
    from tieline.config import Settings
    from tieline.connectors.carddav import AddressBook, card_url
    from tieline.db import open_database
    from tieline.exporters.vcard import uid
    from tieline.exporters.vcard_sync import new_card
    from tieline.models import LOCAL_OWNER_ID
    from tieline.repo import carddav as carddav_repo
    from tieline.services.sync.card_fields import of_person

    database = open_database(Settings(data_dir=template, database_url=f"sqlite:///{template / 'tieline.db'}"))
    book = AddressBook(url="http://x.invalid/book/", name="")
    with database.transaction() as session:
        ids = sorted(carddav_repo.chosen(session, owner_id=LOCAL_OWNER_ID, tier=None, tag=None))
        people = carddav_repo.people(session, owner_id=LOCAL_OWNER_ID, person_ids=ids)
        cards = [
            (card_url(book, uid(p)).rsplit("/", 1)[1], new_card(of_person(p, notes=False), uid=uid(p)))
            for p in people.values()
        ]
    database.engine.dispose()
    out.write_text(json.dumps(cards))
    return len(cards)


def _child(kind: str, spec: dict[str, Any], password: str) -> dict[str, Any]:
    env = {**os.environ, "BENCH_PASSWORD": password}
    result = measured([sys.executable, "-m", "bench.carddav", "--floor", kind, json.dumps(spec)], env)
    return {**result, **json.loads(result["stdout"].strip().splitlines()[-1])}


def _listing(book: str, user: str, password: str) -> tuple[str, int]:
    """The book's sync token and how many cards it holds (one sync-collection REPORT, untimed)."""
    answer = httpx.request(
        "REPORT", book, content=_SYNC.format("").encode(), auth=(user, password),
        headers={"Depth": "0", "Content-Type": "application/xml"}, timeout=300,
    )  # fmt: skip
    answer.raise_for_status()
    return answer.text.split("sync-token>")[1].split("<")[0], answer.text.count(".vcf</")


def _phone_cards(collection: Path, count: int) -> None:
    """`count` cards as a phone keeps them, written straight into Radicale's storage (untimed)."""
    from bench import sync_data

    for i, person in enumerate(sync_data.people(count)):
        given, family = person.name.split(" ", 1)
        (collection / f"phone-{i}.vcf").write_text(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Phone//Contacts//EN\r\nUID:phone-{i}\r\n"
            f"FN:{person.name}\r\nN:{family};{given};;;\r\nEMAIL;TYPE=home:{person.email}\r\n"
            f"TEL;TYPE=cell:+44 20 7946 {i:04d}\r\nORG:Company {i % 97}\r\nTITLE:Engineer {i % 7}\r\n"
            "END:VCARD\r\n",
            newline="",
        )


def _pull(radicale: Any, folder: Path, *, cards: int, runs: int) -> tuple[list[Figure], list[str]]:
    """The phone's cards into an empty tieline, beside the REPORTs that fetch them; then no change."""
    url, user, password = _book(radicale, "phone")
    _phone_cards(folder / "radicale" / "collections" / "collection-root" / user / "phone", cards)
    spec = {"book": url, "user": user}
    _child("pull", spec, password)  # untimed: Radicale builds its item cache
    empty = folder / "empty"
    _tieline("init", env=_env(empty))
    ours, floor = [], []
    for n in range(runs):
        floor.append(_child("pull", spec, password))
        copy = folder / f"pull-{n}"
        shutil.copytree(empty, copy)
        env = _env(copy)
        _tieline(
            "connect", "carddav", "phone", "--url", url, "--user", user, "--password-stdin",
            env=env, stdin=password + "\n",
        )  # fmt: skip
        ours.append(measured([sys.executable, "-m", "tieline", "sync", "phone"], env))
    notes = [f"phone's cards: {ours[-1]['stdout'].strip()}; the floor read {floor[-1]['cards']:,} cards"]
    token, _ = _listing(url, user, password)
    quiet, quiet_floor = [], []
    for _ in range(runs):
        quiet.append(measured([sys.executable, "-m", "tieline", "sync", "phone"], env))
        quiet_floor.append(_child("quiet", {**spec, "token": token}, password))
    assert all("nothing new" in r["stdout"] for r in quiet), quiet[-1]["stdout"]
    figures = _first_sync_figures(f"first sync of a phone's {cards:,} cards", ours, floor, target_ratio=2.0)
    figures.append(_quiet(f"sync of {cards:,} cards, no change", quiet, quiet_floor))
    return figures, notes


def _quiet(name: str, quiet: list[dict[str, Any]], floor: list[dict[str, Any]]) -> Figure:
    wall = _median(quiet, "seconds")
    return Figure(
        f"{name} (median of {len(quiet)})", wall, _median(floor, "seconds"), "s", "< 2 s",
        _verdict([("2 s", wall < 2)]),
    )  # fmt: skip


def run(
    folder: Path, *, people: int, cards: int, runs: int, stock: bool = False
) -> tuple[list[Figure], list[str]]:
    """Start Radicale, set up the owner, measure; the figures with their floors, and notes."""
    notes = [
        "Radicale's storage: stock multifilesystem (a new card's UID checked against every card)"
        if stock
        else f"Radicale's storage: {STORAGE} (stock, without the O(n) UID check and history scan of a PUT)"
    ]
    with _radicale(folder / "radicale", stock=stock) as radicale:
        template = folder / "template"
        started = time.perf_counter()
        _tieline("import", str(_people_file(folder / "people.vcf", people)), env=_env(template))
        count = _cards_file(template, folder / "cards.json")
        notes.append(
            f"{count:,} people imported and their cards made in {time.perf_counter() - started:.0f} s"
        )
        ours, floor, held = [], [], []
        for n in range(runs):
            url, user, password = _book(radicale, f"floor{n}")
            floor.append(
                _child("put", {"book": url, "user": user, "cards": str(folder / "cards.json")}, password)
            )
            held.append(_listing(url, user, password)[1])
            url, user, password = _book(radicale, f"book{n}")
            copy = folder / f"run-{n}"
            shutil.copytree(template, copy)
            env = _env(copy)
            _tieline(
                "connect", "carddav", "book", "--url", url, "--user", user, "--password-stdin",
                env=env, stdin=password + "\n",
            )  # fmt: skip
            ours.append(measured([sys.executable, "-m", "tieline", "sync", "book"], env))
            held.append(_listing(url, user, password)[1])
        assert held == [count] * len(held), f"cards in each book (floor, tieline, ...): {held}, not {count}"
        per_card = "/".join(f"{1000 * s * 4 / count:.1f}" for s in floor[-1]["quarters"])
        notes.append(f"the floor's PUTs, ms a card in each quarter of the book (last run): {per_card}")
        notes.append(f"first sync: {ours[-1]['stdout'].strip()}; every book holds {count:,} cards after")
        token, _ = _listing(url, user, password)
        quiet, quiet_floor = [], []
        for _ in range(runs):
            quiet.append(measured([sys.executable, "-m", "tieline", "sync", "book"], env))
            quiet_floor.append(_child("quiet", {"book": url, "user": user, "token": token}, password))
        assert all("nothing new" in r["stdout"] for r in quiet), quiet[-1]["stdout"]
        notes.append(f"again: {quiet[-1]['stdout'].strip()}")
        pulled: list[Figure] = []
        if cards:
            pulled, pull_notes = _pull(radicale, folder, cards=cards, runs=runs)
            notes += pull_notes
    figures = _first_sync_figures(
        f"first sync of {count:,} people to an empty book", ours, floor, target_ratio=2.0
    )
    figures.append(_quiet(f"sync of {count:,} people, no change", quiet, quiet_floor))
    figures += pulled
    return figures, notes


def main() -> None:
    """Print each figure beside its floor; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--floor", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--people", type=int, default=10_000, help="tieline's people sent to an empty book")
    parser.add_argument(
        "--cards", type=int, default=10_000, help="a phone's cards synced into an empty tieline"
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each figure (the median is shown)")
    parser.add_argument(
        "--folder", type=Path, help="where the server and data folders live (default: a temp dir)"
    )
    parser.add_argument(
        "--stock-storage", action="store_true",
        help="stock Radicale storage (each PUT O(n) in the book's size: about an hour per side at 10,000)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.floor:
        kind, spec = args.floor
        {"put": _floor_put, "pull": _floor_pull, "quiet": _floor_quiet}[kind](json.loads(spec))
        return
    with tempfile.TemporaryDirectory(prefix="tieline-bench-carddav-") as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        figures, notes = run(
            folder, people=args.people, cards=args.cards, runs=args.runs, stock=args.stock_storage
        )
    server = "stock Radicale" if args.stock_storage else f"Radicale, storage {STORAGE}"
    title = (
        f"tieline address book sync benchmark ({args.people:,} people out, {args.cards:,} cards in; "
        f"local {server})"
    )
    finish(figures, title=title, notes=notes, seconds=time.perf_counter() - started)


if __name__ == "__main__":
    main()
