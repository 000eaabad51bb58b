"""Files other local users cannot read: the data folder 0700, and the database, backups, exports,
reports and uploads 0600, made so from the start. Every test runs under umask 022, the usual one, under
which a file made the ordinary way comes out 0644 and a folder 0755."""

from __future__ import annotations

import io
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import UploadFile
from typer.testing import CliRunner, Result

from tests.conftest import FIXED_NOW, Cli
from tieline.cli.main import app
from tieline.private_files import open_private, replaced_privately
from tieline.web.uploads import save_upload

ENV = {
    "TIELINE_NOW": FIXED_NOW.isoformat(),
    "TIELINE_DATABASE_URL": None,
    "COLUMNS": "200",
}


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """umask 022 for the test, the previous one back afterwards."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str, data_dir: Path) -> Result:
    result = CliRunner().invoke(app, list(args), env={**ENV, "TIELINE_DATA_DIR": str(data_dir)})
    assert result.exit_code == 0, result.output
    return result


def test_a_new_data_folder_and_its_database_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    run("add", "Ana Lima", data_dir=data_dir)
    database = data_dir / "tieline.db"
    assert mode(data_dir) == 0o700
    assert mode(database) == 0o600
    # SQLite makes the -wal and -shm files while a connection reads; they take the database's mode.
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM person").fetchone() == (1,)
        companions = [data_dir / f"tieline.db-{suffix}" for suffix in ("wal", "shm")]
        assert all(path.exists() for path in companions)
        assert [mode(path) for path in companions] == [0o600, 0o600]
    connection.close()


def test_a_data_folder_an_older_version_left_open_is_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data_dir = home / "data"
    data_dir.mkdir(mode=0o755, parents=True)
    home.chmod(0o755)
    run("list", data_dir=data_dir)
    assert mode(data_dir) == 0o700
    assert mode(home) == 0o755  # only the data folder itself, never a folder above it


def test_a_database_the_user_names_is_private_and_its_folder_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    run("--database", str(shared / "work.db"), "add", "Ana Lima", data_dir=tmp_path / "unused")
    assert mode(shared / "work.db") == 0o600
    assert mode(shared) == 0o755
    assert not (tmp_path / "unused").exists()


def test_backups_exports_and_reports_are_private(cli: Cli, tmp_path: Path) -> None:
    cli.ok("add", "Ana Lima", "--email", "ana@example.com", "--tier", "1")
    cli.ok("log", "coffee", "Ana Lima", "--date", "10 days ago")
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    earlier = out / "people.vcf"  # an earlier export, readable by everyone, is replaced by a private one
    earlier.write_text("old\n", encoding="utf-8")
    assert mode(earlier) == 0o644
    written = {
        "backup.json": ("backup",),
        "people.vcf": ("export", "vcard"),
        "people.csv": ("export", "csv"),
        "people.json": ("export", "json"),
        "reminders.ics": ("export", "calendar"),
    }
    for name, command in written.items():
        cli.ok(*command, str(out / name))
    cli.ok("report", "--html", str(out / "network.html"), "--png", str(out / "charts"))
    files = [out / name for name in [*written, "network.html"]] + sorted((out / "charts").iterdir())
    assert len(files) > 6
    assert {path.name: oct(mode(path)) for path in files} == {path.name: "0o600" for path in files}
    assert earlier.read_text(encoding="utf-8") != "old\n"
    assert mode(out) == 0o755  # the folder the user chose keeps its mode
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no partial files


def test_an_upload_is_saved_private(tmp_path: Path) -> None:
    upload = UploadFile(io.BytesIO(b"BEGIN:VCARD\r\nEND:VCARD\r\n"), filename="people.vcf")
    assert mode(save_upload(upload, tmp_path)) == 0o600


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "backup.json"
    target.write_text("previous\n", encoding="utf-8")
    with pytest.raises(RuntimeError), replaced_privately(target, encoding="utf-8") as out:
        out.write("half")
        raise RuntimeError("killed half way")
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]


def test_a_private_file_is_never_opened_through_a_name_already_there(tmp_path: Path) -> None:
    # A symlink planted where the file goes would otherwise lend its target's mode, or redirect the write.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("theirs\n", encoding="utf-8")
    (tmp_path / "planted").symlink_to(elsewhere)
    with pytest.raises(FileExistsError):
        open_private(tmp_path / "planted")
    assert elsewhere.read_text(encoding="utf-8") == "theirs\n"
