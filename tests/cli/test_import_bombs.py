"""`tieline import` of a zip bomb: refused with one line, exit 2, nothing written, and the process
never holds what the bomb expands to (measured on the real command in a child process)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_subprocess import SCRIPT, child_env
from tests.conftest import Cli
from tests.zip_bombs import refusal

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]
MAX_RSS_MB = 300
# Runs a command and prints the peak resident size of its process tree's largest member, in KB: a
# fresh process, so no other child of the test run counts.
PEAK_OF = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(f'{done.returncode} {peak}'); sys.stderr.write(done.stderr)\n"
)


@pytest.mark.parametrize("kind", ["zeros", "rows"])
def test_a_zip_bomb_is_refused_with_one_line_exit_2_and_nothing_written(
    cli: Cli, snapshot: Snapshot, bombs: dict[str, Path], kind: str
) -> None:
    before = snapshot()

    line = cli.user_error("import", str(bombs[kind]), code=2)

    assert line == f"error: {refusal(bombs[kind])}"
    assert snapshot() == before


def test_the_real_command_stays_under_300_mb_on_a_bomb(bombs: dict[str, Path], tmp_path: Path) -> None:
    # Not per backend: the refusal comes before any row; the default SQLite file in the data dir does.
    assert SCRIPT.exists(), "the package is not installed in this environment (pip install -e .)"
    measured = subprocess.run(
        [sys.executable, "-c", PEAK_OF, str(SCRIPT), "import", str(bombs["zeros"])],
        env=child_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    code, peak_kb = map(int, measured.stdout.split())
    assert peak_kb / 1024 < MAX_RSS_MB, f"peak {peak_kb / 1024:.0f} MB"
    assert (code, measured.stderr) == (2, f"error: {refusal(bombs['zeros'])}\n")
