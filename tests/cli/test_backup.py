"""`tieline backup PATH` and `tieline restore PATH [--replace]`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pytest

from tests.conftest import Cli, scratch_database
from tests.exporters.network import build_network
from tieline.db import Database
from tieline.errors import InvalidInput
from tieline.services import backup_restore as backup_service


def small_network(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--email", "ana@example.com", "--tag", "climbing", "--tier", "2")
    cli.ok("add", "José Álvarez", "--company", "Acme", "--birthday", "03-15")
    cli.ok("log", "coffee", "Ana", "José", "--date", "3 days ago", "--note", "☕ and plans")


def test_backup_then_restore_into_a_new_database_gives_back_the_same_file(
    cli: Cli, backend: str, cli_env: dict[str, str | None], tmp_path: Path
) -> None:
    small_network(cli)
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    out = cli.ok("backup", str(first)).stdout
    assert out.startswith("backed up ") and out.endswith(f" to {first}\n")
    with scratch_database(backend, tmp_path) as url:
        other = Cli(database_url=url, env=cli_env)
        restored = other.ok("restore", str(first)).stdout
        other.ok("backup", str(second))
        assert other.ok("search", "alvarez").stdout.count("José Álvarez") == 1
        assert "#3" in other.ok("add", "Mei Chen").stdout

    assert restored.startswith("restored ") and "(schema " in restored
    assert second.read_bytes() == first.read_bytes()


def test_restore_refuses_a_database_with_data_unless_replace(
    cli: Cli, tmp_path: Path, snapshot: Callable[[], object]
) -> None:
    small_network(cli)
    path = tmp_path / "backup.json"
    cli.ok("backup", str(path))
    cli.ok("add", "Mei Chen")
    before = snapshot()

    message = cli.user_error("restore", str(path), code=1)

    assert "already holds data" in message and "--replace" in message
    assert snapshot() == before
    cli.ok("restore", "--replace", str(path))
    again = tmp_path / "again.json"
    cli.ok("backup", str(again))
    assert again.read_bytes() == path.read_bytes()


def test_backup_to_stdout_and_restore_from_stdin(cli: Cli, db: Database) -> None:
    small_network(cli)
    text = cli.ok("backup", "-").stdout
    assert text.startswith('{"format":"tieline-backup"')
    cli.ok("restore", "--replace", "-", input=text)
    assert cli.ok("backup", "-").stdout == text


def test_the_full_network_survives_the_command_line_round_trip(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    with db.transaction() as session:
        build_network(session)
    path, again = tmp_path / "b.json", tmp_path / "again.json"
    cli.ok("backup", str(path))
    cli.ok("restore", "--replace", str(path))
    cli.ok("backup", str(again))
    assert again.read_bytes() == path.read_bytes()


def test_restore_names_a_missing_or_broken_file(cli: Cli, tmp_path: Path) -> None:
    assert "cannot read" in cli.user_error("restore", str(tmp_path / "nope.json"), code=2)
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe not json")
    assert f"{broken}" in cli.user_error("restore", str(broken), code=2)
    broken.write_text("{}\n", encoding="utf-8")
    assert "not a tieline backup" in cli.user_error("restore", str(broken), code=2)


def test_a_failed_backup_leaves_the_earlier_file_whole(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "b.json"
    path.write_text("earlier", encoding="utf-8")

    def fail_half_way(session: object, out: TextIO) -> None:
        out.write('{"format":"tieline-backup",')
        raise InvalidInput("the disk is full")

    monkeypatch.setattr(backup_service, "write_backup", fail_half_way)

    assert "the disk is full" in cli.user_error("backup", str(path), code=2)
    assert path.read_text(encoding="utf-8") == "earlier"
    assert not list(tmp_path.glob(".b.json.partial-*"))
    assert "cannot write" in cli.user_error("backup", str(tmp_path / "missing" / "b.json"), code=2)
