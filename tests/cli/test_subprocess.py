"""The real command in a child process: the installed `tieline` script and `python -m tieline`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tieline.db import Database

SCRIPT = Path(sys.executable).parent / "tieline"


def tieline(*args: str, env: dict[str, str], script: bool = False) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if script else [sys.executable, "-m", "tieline"]
    return subprocess.run(
        [*command, *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=60, check=False
    )


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The parent's environment without TIELINE_* settings, plus a fixed clock and a private data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
    env.update(
        TIELINE_DATA_DIR=str(tmp_path / "data"),
        TIELINE_NOW="2026-03-10T10:00:00+00:00",
        TZ="UTC",
        PYTHONIOENCODING="utf-8",
        COLUMNS="200",
    )
    return {**env, **extra}


@pytest.fixture
def env(db: Database, database_url: str, tmp_path: Path) -> dict[str, str]:
    """A child environment that reaches this test's database through TIELINE_DATABASE_URL."""
    return child_env(tmp_path, TIELINE_DATABASE_URL=database_url)


def test_smoke_path_init_add_log_show_search(env: dict[str, str]) -> None:
    assert SCRIPT.exists(), "the package is not installed in this environment (pip install -e .)"
    init = tieline("init", env=env, script=True)
    assert init.returncode == 0, init.stderr
    assert init.stdout.startswith("database ready: ")

    added = tieline("add", "José Álvarez", "--company", "Acme", "--tag", "friend", env=env)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added José Álvarez (#1, Acme)"

    logged = tieline("log", "coffee", "jose", "--date", "3 days ago", "--note", "☕ talked shop", env=env)
    assert logged.returncode == 0, logged.stderr
    assert logged.stdout.strip() == "logged coffee with José Álvarez on 2026-03-07 12:00"

    shown = tieline("show", "José", "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert (doc["name"], doc["company"], doc["tags"]) == ("José Álvarez", "Acme", ["friend"])
    assert [(t["kind"], t["notes"]) for t in doc["timeline"]] == [("coffee", "☕ talked shop")]
    assert doc["last_contact_at"] == "2026-03-07T12:00:00+00:00"

    found = tieline("search", "alvarez", "--json", env=env)
    assert found.returncode == 0, found.stderr
    assert [p["name"] for p in json.loads(found.stdout)["people"]] == ["José Álvarez"]


def test_a_user_mistake_exits_1_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    # Not per backend: this is about the entry point, so the default SQLite file in the data dir will do.
    result = tieline("show", "Zed Quist", env=child_env(tmp_path))
    assert result.returncode == 1
    assert result.stderr == "error: no person matches 'Zed Quist'\n"
    assert result.stdout == ""
    assert (tmp_path / "data" / "tieline.db").exists()
