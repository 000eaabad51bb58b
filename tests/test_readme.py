"""The README's tour runs as written, so it cannot drift from the commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.conftest import Cli

README = Path(__file__).resolve().parents[1] / "README.md"


def tour_commands() -> list[list[str]]:
    """The `tieline ...` lines of the README's tour, as argument lists, comments dropped."""
    tour = README.read_text(encoding="utf-8").split("## A short tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", tour, re.S)
    assert block, "the tour has no ```sh block"
    return [
        shlex.split(line, comments=True)[1:]
        for line in block.group(1).splitlines()
        if line.startswith("tieline ")
    ]


def test_readme_names_the_two_commands_at_the_top() -> None:
    top = README.read_text(encoding="utf-8").split("##", 1)[0]
    assert "./scripts/start" in top and "./scripts/test" in top
    for script in ("scripts/start", "scripts/test", ".ci/run"):
        assert (README.parent / script).stat().st_mode & 0o111, f"{script} is not executable"


def test_readme_tour_runs(cli: Cli) -> None:
    commands = tour_commands()
    assert len(commands) >= 10
    for args in commands:
        if args[0] == "demo":  # generates a whole network; tested on its own
            continue
        cli.ok(*args)
    assert [p["name"] for p in cli.json("list", "--archived")] == ["Ana Lima"]
