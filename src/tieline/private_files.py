"""Folders and files only their owner can open: tieline's data folder (0700) and every file tieline
writes (0600). The database, its backups, exports, reports and uploads all hold the same private data.

A file gets its mode when it is created (os.open with O_CREAT), never by a chmod once written, which
would leave a moment in which another user could open it. SQLite gives a database's -wal and -shm files
the database file's own mode, so creating that file first covers them too.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_GROUP_OR_OTHERS = 0o077
# Text files are still written through Python's own newline handling; O_BINARY only stops Windows'
# C library from translating them a second time.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def make_private_dir(path: Path) -> None:
    """Create a folder only its owner can enter, with any missing parents (those get the usual mode).
    A folder that is already there is left as it is."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)


def tighten_dir(path: Path) -> None:
    """Take group and others' access away from tieline's own data folder, if it is there: versions
    before this one created it 0755. Only ever called on the data folder, never on a folder a user
    names for an export, whose sharing is theirs to decide. One tieline may not change (another
    user's) is left as it is."""
    with suppress(FileNotFoundError, PermissionError):
        found = path.stat()
        mode = stat.S_IMODE(found.st_mode)
        if stat.S_ISDIR(found.st_mode) and mode & _GROUP_OR_OTHERS:
            path.chmod(mode & ~_GROUP_OR_OTHERS)


def create_private_file(path: Path) -> None:
    """Create `path` empty and 0600 (its folder 0700 if missing), unless it exists: what SQLite then
    opens keeps that mode. An existing file (a database the user named) keeps its own."""
    make_private_dir(path.parent)
    with suppress(FileExistsError):
        os.close(os.open(path, _NEW_FILE, PRIVATE_FILE))


def create_database_file(path: Path) -> None:
    """An SQLite database file made 0600 (its folder 0700 if missing) before SQLite first opens it,
    so its -wal and -shm files get that mode too. One that cannot be made is left for SQLite to
    report, with the database's name, when it opens it."""
    with suppress(OSError):
        create_private_file(path)


def open_private(path: Path, mode: str = "w", **options: Any) -> IO[Any]:
    """Open a new file for writing, 0600 from its first byte; refuses one that exists, so a mode
    set by someone else (or a symlink planted at the name) is never inherited."""
    descriptor = os.open(path, _NEW_FILE, PRIVATE_FILE)
    try:
        return open(descriptor, mode, **options)
    except BaseException:
        os.close(descriptor)
        raise


@contextmanager
def replaced_privately(target: Path, mode: str = "w", **options: Any) -> Iterator[IO[Any]]:
    """A 0600 file that replaces `target` once written whole: a failure half way leaves the previous
    file in place and no partial one behind. `options` are open()'s (encoding, newline, buffering)."""
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)  # left by a killed run that had this process id
    try:
        with open_private(partial, mode, **options) as out:
            yield out
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
