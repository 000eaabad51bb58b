"""Start-up stays light: `tieline --help` imports no command, and a command loads only its own.

Nothing here is timed (`python -m bench.cli` times it): what a fresh process has imported is what
its start-up costs, so an eager import that creeps back fails a test rather than a benchmark.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import tieline.cli
from tests.conftest import Cli
from tieline.cli.main import COMMANDS, module_commands

# What no everyday command needs: the web app, the report's charts, the graph library, migrations
# (the database is at the newest schema), templates, calendars, cards, phone numbers, fuzzy matching,
# and pydantic (Typer's coercion builds an adapter per parameter unless tieline short-cuts it).
HEAVY = (
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic",
    "matplotlib",
    "numpy",
    "igraph",
    "alembic",
    "jinja2",
    "icalendar",
    "vobject",
    "phonenumbers",
    "rapidfuzz",
)

# Runs `tieline ARGS...` in this process as the console script does, then prints what it imported
# and whether the cyclic garbage collector is on again (`run` turns it off while the command loads).
PROBE = """
import gc, json, sys
from tieline.cli.main import run
sys.argv = ["tieline", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
print(json.dumps({"modules": sorted(sys.modules), "gc": gc.isenabled()}))
"""


def probe(*args: str, env: dict[str, str] | None = None, code: str = PROBE) -> dict[str, Any]:
    """What a fresh `tieline ARGS...` process has imported, and its collector's state, when done
    (or what another probe `code` prints)."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
        check=False,
    )
    assert result.stdout, result.stderr
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def imported_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh `tieline ARGS...` process has imported when it is done."""
    return set(probe(*args, env=env)["modules"])


def command_modules(modules: set[str]) -> set[str]:
    """The `tieline.cli` modules that define commands, among these modules."""
    groups = {f"tieline.cli.{module}" for module, _summary in COMMANDS.values()}
    return modules & groups


def test_the_command_table_is_what_the_modules_register() -> None:
    registered: dict[str, tuple[str, str]] = {}
    for module in dict.fromkeys(module for module, _summary in COMMANDS.values()):
        for name, command in module_commands(module).commands.items():
            assert name not in registered, f"{name} is registered by two modules"
            registered[name] = (module, command.get_short_help_str(limit=10**6))
    assert registered == COMMANDS


def test_every_module_with_commands_is_in_the_table() -> None:
    listed = {module for module, _summary in COMMANDS.values()}
    for info in pkgutil.iter_modules(tieline.cli.__path__):
        source = (Path(tieline.cli.__path__[0]) / f"{info.name}.py").read_text(encoding="utf-8")
        if "\ndef register(app" in source:
            assert info.name in listed, f"tieline.cli.{info.name} registers commands COMMANDS does not list"


def test_help_lists_every_command_without_importing_one() -> None:
    modules = imported_by("--help")
    assert not command_modules(modules)
    assert not {m for m in modules if m.split(".")[0] in ("sqlalchemy", "rich", *HEAVY)}


def test_the_full_help_of_a_command_still_comes_from_its_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tieline", "today", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": "100"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--drafts" in result.stdout
    assert "Whom to reach out to today, and why, most important first." in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("today",),
        ("search", "Lima"),
        ("show", "Ana Lima"),
        ("log", "coffee", "Ana Lima", "--note", "start-up"),
    ],
    ids=["today", "search", "show", "log"],
)
def test_an_everyday_command_loads_its_own_module_and_nothing_heavy(
    cli: Cli, database_url: str, tmp_path: Path, args: tuple[str, ...]
) -> None:
    cli.ok("add", "Ana Lima", "--company", "Acme")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
    env |= {"TIELINE_DATA_DIR": str(tmp_path / "data"), "TIELINE_NOW": "2026-03-10T10:00:00+00:00"}
    found = probe("--database", database_url, *args, env=env)
    modules = set(found["modules"])
    assert f"tieline.cli.{COMMANDS[args[0]][0]}" in modules, "the command did not run"
    assert found["gc"], "the command ran without the garbage collector"
    # Only the command's own module, and the command modules it imports itself.
    own = imported_by_importing(f"tieline.cli.{COMMANDS[args[0]][0]}")
    assert command_modules(modules) <= command_modules(own)
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


# The same, counting whether SQLAlchemy configured the mappers (relationships, ORM compile state):
# about 26 ms of a start-up, paid by the first statement that names a mapped class or attribute.
MAPPER_PROBE = """
import json, sys
from sqlalchemy import event
from sqlalchemy.orm import Mapper
from tieline.cli.main import run
configured = []
event.listen(Mapper, "before_configured", lambda: configured.append(True))
sys.argv = ["tieline", *sys.argv[1:]]
try:
    run()
except SystemExit:
    pass
print(json.dumps({"configured": bool(configured)}))
"""


def test_the_agenda_reads_rows_without_configuring_the_orm(
    cli: Cli, database_url: str, tmp_path: Path
) -> None:
    # Lines of every kind, so each agenda source runs its query: an overdue tie, a birthday, a
    # follow-up, a favour to thank, a planned ask, an introduction, a mentee. (A give-first line,
    # for an ask of someone you owe, loads that person whole through the ORM: rare, and allowed.)
    cli.ok("add", "Ana Lima", "--company", "Acme", "--tier", "1", "--birthday", "03-10")
    cli.ok("add", "Ben Okafor", "--tier", "2")
    cli.ok("log", "coffee", "Ana Lima", "--date", "2025-06-01")
    cli.ok("follow-up", "Ana Lima", "send the deck", "--due", "2026-03-09", "--promise")
    cli.ok("received", "Ben Okafor", "advice", "a hint about Acme")
    cli.ok("ask", "Ana Lima", "a reference")
    cli.ok("intro", "propose", "Ana Lima", "Ben Okafor", "--why", "both in data")
    cli.ok("mentor", "Ben Okafor", "--kind", "mentee", "--since", "2025-01-01")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIELINE_")}
    env |= {"TIELINE_DATA_DIR": str(tmp_path / "data"), "TIELINE_NOW": "2026-03-10T10:00:00+00:00"}
    found = probe("--database", database_url, "today", "--limit", "20", env=env, code=MAPPER_PROBE)
    assert found == {"configured": False}


def imported_by_importing(module: str) -> set[str]:
    """The modules a fresh process has imported once it has imported this one."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(result.stdout))


def test_a_number_typed_in_still_gets_typers_checks(cli: Cli) -> None:
    # A value the short cut does not keep as given goes through Typer's own coercion and bounds.
    result = cli.run("today", "--limit", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--limit'" in result.output
    assert cli.run("today", "--limit", "x").exit_code == 2
    assert cli.ok("today", "--limit", "3")


def test_texts_given_reach_the_command_as_typed(cli: Cli) -> None:
    added = cli.json("add", "Ana Lima", "--email", "ana@example.com", "--email", "a.lima@example.com")
    assert [e["address"] for e in added["emails"]] == ["ana@example.com", "a.lima@example.com"]
    assert cli.json("show", "Ana Lima", "--limit", "5")["name"] == "Ana Lima"


def test_importing_the_models_loads_no_sql_dialect() -> None:
    # A dialect keyword on a model (`sqlite_where=`, `postgresql_using=`) makes SQLAlchemy load every
    # dialect as the models load: ~30 ms of every command. Such indexes live in the migrations only.
    loaded = imported_by_importing("tieline.models")
    assert not {m for m in loaded if m.startswith("sqlalchemy.dialects.")}
