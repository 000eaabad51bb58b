"""Docs that can drift are checked: the CLI reference is regenerated, the JSON shapes compared."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parents[1]


def documented_keys() -> dict[str, list[str]]:
    """Heading -> the keys listed in its ```keys block, from docs/json.md."""
    text = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    found = {}
    for heading, block in re.findall(r"^## (.+?)\n.*?```keys\n(.*?)```", text, re.S | re.M):
        found[heading] = [k.strip() for k in block.replace("\n", " ").split(",") if k.strip()]
    return found


def test_cli_reference_is_generated_from_the_current_help() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_json_shapes_match_the_documentation(cli: Cli) -> None:
    docs = documented_keys()
    person = cli.json("add", "Ana Lima", "--company", "Acme", "--tier", "1")
    assert list(person) == docs["person"]
    assert list(cli.json("list")[0]) == docs["person summary"]
    logged = cli.json("log", "coffee", "Ana Lima", "--date", "10 days ago")
    assert [k for k in logged if k != "with"] == docs["interaction"]
    page = cli.json("show", "Ana Lima")
    assert list(page) == docs["person"] + docs["person page"]
    assert list(page["strength"]) == docs["strength"]
    assert [k for k in page["timeline"][0] if k != "with"] == docs["interaction"]
    assert list(page["memberships"][0]) == docs["membership"]
    org = cli.json("org", "list")[0]
    assert [k for k in org if k != "members"] == docs["organisation"]
    agenda = cli.json("today")
    assert list(agenda) == ["date", "total", "items"]
    assert [k for k in agenda["items"][0] if k != "number"] == docs["agenda"]
    cli.run("received", "Ana Lima", "advice", "CV review")
    ledger = cli.json("favours", "Ana Lima")
    assert [k for k in ledger if k not in ("favours", "thanks_owed")] == docs["favour balance"]
    assert list(ledger["favours"][0]) == docs["favour"]
    assert list(cli.json("follow-up", "Ana Lima", "send the deck")) == docs["follow-up"]
    assert list(cli.json("follow-ups")[0]) == docs["follow-up"]
