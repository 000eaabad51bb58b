"""Write docs/cli.md from the CLI's own --help, so the reference cannot drift from the code.

Run `.venv/bin/python scripts/cli_reference.py` after changing a command; tests/test_docs.py fails
when the file is out of date.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "cli.md"
JSON_NOTE = ROOT / "docs" / "json.md"


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as the words that invoke it."""
    import typer

    from tieline.cli.main import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(group, prefix: list[str]) -> None:  # type: ignore[no-untyped-def]
        for name in sorted(group.commands):
            command = group.commands[name]
            paths.append([*prefix, name])
            if hasattr(command, "commands"):
                walk(command, [*prefix, name])

    walk(root, [])
    return paths


def render() -> str:
    """The whole reference as Markdown."""
    from tieline.cli.main import app

    env = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    runner = CliRunner()
    parts = [
        "# tieline command reference",
        "",
        "Generated from `--help` by `scripts/cli_reference.py`; do not edit by hand.",
        "The `--json` output shapes are described in [json.md](json.md).",
        "",
    ]
    main_help = runner.invoke(app, ["--help"], env=env).stdout
    parts += ["## tieline", "", "```text", main_help.rstrip(), "```", ""]
    for path in command_paths():
        result = runner.invoke(app, [*path, "--help"], env=env)
        parts += [f"## tieline {' '.join(path)}", "", "```text", result.stdout.rstrip(), "```", ""]
    return "\n".join(line.rstrip() for line in parts) + "\n"


def main() -> int:
    """Write the file (or, with --check, say whether it is current)."""
    os.environ.setdefault("COLUMNS", "100")
    text = render()
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print("docs/cli.md is out of date: run scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
