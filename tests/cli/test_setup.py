"""`tieline init`, where the database lives, and failures of the setup itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tieline.cli.main import app
from tieline.db import SCHEMA_HEAD, create_engine_for, current_revision

ENV = {
    "TIELINE_NOW": "2026-03-10T10:00:00+00:00",
    "TIELINE_DATABASE_URL": None,
    "TIELINE_DATA_DIR": None,
    "COLUMNS": "300",
}


def run(*args: str, **env: str | None) -> Result:
    return CliRunner().invoke(app, list(args), env={**ENV, **env})


def test_init_creates_the_database_in_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    result = run("init", TIELINE_DATA_DIR=str(data_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"database ready: sqlite:///{data_dir / 'tieline.db'}"
    engine = create_engine_for(f"sqlite:///{data_dir / 'tieline.db'}")
    try:
        assert current_revision(engine) == SCHEMA_HEAD
    finally:
        engine.dispose()


def test_commands_use_the_data_dir_database_by_default(tmp_path: Path) -> None:
    assert run("add", "Ana", TIELINE_DATA_DIR=str(tmp_path)).exit_code == 0
    assert (tmp_path / "tieline.db").exists()
    assert "Ana" in run("list", TIELINE_DATA_DIR=str(tmp_path)).stdout


def test_init_with_tieline_database_url_migrates_that_database(
    fresh_database_url: str, tmp_path: Path
) -> None:
    for _ in range(2):  # a second init finds the schema current and changes nothing
        result = run("init", TIELINE_DATABASE_URL=fresh_database_url, TIELINE_DATA_DIR=str(tmp_path))
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("database ready: ")
    engine = create_engine_for(fresh_database_url)
    try:
        assert current_revision(engine) == SCHEMA_HEAD
    finally:
        engine.dispose()
    assert not (tmp_path / "tieline.db").exists()


def test_the_database_flag_takes_a_plain_file_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert (
        run("--database", "work.db", "add", "Ana", TIELINE_DATA_DIR=str(tmp_path / "unused")).exit_code == 0
    )
    assert (tmp_path / "work.db").exists()
    assert not (tmp_path / "unused").exists()


def test_an_unreachable_database_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run("--database", "postgresql://nobody@127.0.0.1:1/none", "list", TIELINE_DATA_DIR=str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: cannot open database postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_malformed_tieline_now_is_reported(tmp_path: Path) -> None:
    result = run("log", "call", "Ana", TIELINE_NOW="next tuesday", TIELINE_DATA_DIR=str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: TIELINE_NOW is not an ISO 8601 time: 'next tuesday'"


def test_help_lists_the_core_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in (
        "init",
        "add",
        "show",
        "edit",
        "archive",
        "delete",
        "list",
        "search",
        "log",
        "org",
        "member",
    ):
        assert f" {command} " in result.stdout, command
