"""Parser throughput, each figure beside a floor: the standard library doing the least it could.

- mbox: 200,000 messages through `importers.mbox.parse` (target > 10,000 messages/s, peak memory
  < 300 MB) beside `mailbox.mbox` + `email.parser.BytesHeaderParser` reading only the headers.
- mbox import: the same mailbox through `tieline import --create-people` into a new SQLite
  database, as a user runs it (parse, match, write, one transaction; same targets), then again
  (nothing changes), beside the parse floor above.
- vCard: 10,000 cards through `importers.vcard.parse` (target well under 5 s) beside merely reading
  the file and splitting it into cards and lines.

Each measurement runs in a child process so its peak memory (max RSS) is its own.
`python -m bench.parsers [--messages N] [--cards N] [--folder DIR]`; `run()` returns the figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.gen_files import write_mbox, write_vcards

ROOT = Path(__file__).resolve().parents[1]


def _mbox_ours(path: Path) -> int:
    from tieline.importers import mbox
    from tieline.importers.records import ImportOptions

    options = ImportOptions(own_emails=frozenset({"me@example.com"}))
    return sum(1 for _ in mbox.parse(path, options=options))


def _mbox_floor(path: Path) -> int:
    import email.parser
    import email.policy
    import mailbox

    parser = email.parser.BytesHeaderParser(policy=email.policy.compat32)
    box = mailbox.mbox(str(path), create=False)
    count = 0
    for key in box.iterkeys():
        with box.get_file(key) as message:
            lines = []
            for line in message:
                if line in (b"\n", b"\r\n"):
                    break
                lines.append(line)
        headers = parser.parsebytes(b"".join(lines))
        headers.get("from"), headers.get("date")
        count += 1
    return count


def _vcard_ours(path: Path) -> int:
    from tieline.importers import vcard

    return sum(1 for _ in vcard.parse(path))


def _vcard_floor(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    return sum(1 for card in text.split("END:VCARD") if card.strip() and card.splitlines())


def _cli(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "tieline", *args], env=env, check=True, capture_output=True)


def import_twice(path: Path, folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """`tieline import` of the mailbox into a new database, then again: each run's wall and CPU
    seconds and peak memory, read from the operating system's accounts of the child process."""
    import os
    import resource

    data = folder / "data"
    env = {
        **os.environ,
        "TIELINE_DATA_DIR": str(data),
        "TIELINE_DATABASE_URL": f"sqlite:///{data / 'import.db'}",
    }
    _cli("config", "me.emails", "me@example.com", env=env)
    runs = []
    for _ in range(2):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        # A child of its own, so the peak (the largest of any child so far) is this run's.
        out = subprocess.run(
            [sys.executable, "-m", "bench.parsers", "--child-import", str(path)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        runs.append({"seconds": seconds, "cpu": cpu, **json.loads(out.stdout.strip().splitlines()[-1])})
    return runs[0], runs[1]


def _import_child(path: Path) -> None:
    """Run `tieline import` as a grandchild and report its peak memory and the report's counts."""
    import resource

    out = subprocess.run(
        [sys.executable, "-m", "tieline", "import", "--json", "--create-people", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    report = json.loads(out.stdout)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"peak_mb": peak_mb, "counts": report["counts"]}))


_TASKS = {"mbox": _mbox_ours, "mbox-floor": _mbox_floor, "vcard": _vcard_ours, "vcard-floor": _vcard_floor}


def _child(task: str, path: Path) -> None:
    import resource

    started, cpu_started = time.perf_counter(), time.process_time()
    count = _TASKS[task](path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"count": count, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb}))


def measure(task: str, path: Path) -> dict[str, Any]:
    """Run one task in a fresh interpreter: {"count", "seconds" (wall), "cpu" (seconds), "peak_mb"}."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.parsers", "--child", task, str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mbox_figure(
    name: str, messages: int, ours: dict[str, Any], floor: dict[str, Any], records: int, *, ok: bool = True
) -> dict[str, Any]:
    """A mailbox figure in messages per second of CPU, beside the standard library's header parse."""
    rate = messages / ours["cpu"]
    return {
        "name": name,
        "value": rate,
        "wall": messages / ours["seconds"],
        "unit": "messages/s",
        "floor": messages / floor["cpu"],
        "floor_what": "stdlib mailbox + BytesHeaderParser, headers only",
        "target": "> 10,000 messages/s, peak < 300 MB",
        "ok": ok and rate > 10_000 and ours["peak_mb"] < 300,
        "peak_mb": ours["peak_mb"],
        "records": records,
    }


def run(folder: Path, *, messages: int = 200_000, cards: int = 10_000) -> list[dict[str, Any]]:
    """Generate the files in `folder`, measure, and return one figure per parser with its floor."""
    mail = write_mbox(folder / "mail.mbox", messages)
    contacts = write_vcards(folder / "contacts.vcf", cards)
    ours, floor = measure("mbox", mail), measure("mbox-floor", mail)
    first, again = import_twice(mail, folder)
    vc, vc_floor = measure("vcard", contacts), measure("vcard-floor", contacts)
    # Targets are judged on CPU time, which a busy machine (parallel test runs) does not inflate much;
    # wall time is printed beside it.
    return [
        _mbox_figure(f"mbox parse, {messages:,} messages", messages, ours, floor, ours["count"]),
        _mbox_figure(
            f"mbox import (tieline import, new database), {messages:,} messages",
            messages,
            first,
            floor,
            first["counts"]["interactions"]["added"],
        ),
        _mbox_figure(
            f"mbox re-import, nothing changed, {messages:,} messages",
            messages,
            again,
            floor,
            again["counts"]["interactions"]["unchanged"],
            ok=again["counts"]["interactions"]["added"] == 0,
        ),
        {
            "name": f"vCard parse, {cards:,} cards",
            "value": vc["cpu"],
            "wall": vc["seconds"],
            "unit": "s",
            "floor": vc_floor["cpu"],
            "floor_what": "read the file and split it into cards",
            "target": "< 5 s",
            "ok": vc["cpu"] < 5,
            "peak_mb": vc["peak_mb"],
            "records": vc["count"],
        },
    ]


def main() -> None:
    """Print each figure beside its floor; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--child-import", type=Path, metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument(
        "--folder", type=Path, help="where to write the generated files (default: a temp dir)"
    )
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    if args.child_import:
        _import_child(args.child_import)
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        figures = run(folder, messages=args.messages, cards=args.cards)
    for f in figures:
        mark = "ok  " if f["ok"] else "SLOW"
        print(
            f"{mark} {f['name']}: {f['value']:,.2f} {f['unit']} CPU, {f['wall']:,.2f} wall (target {f['target']}; "
            f"floor {f['floor']:,.2f} {f['unit']}: {f['floor_what']}); peak {f['peak_mb']:.0f} MB"
        )
    sys.exit(0 if all(f["ok"] for f in figures) else 1)


if __name__ == "__main__":
    main()
