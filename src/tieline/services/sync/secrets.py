"""Where a connection's password lives: the system keyring when there is a real one, else a file only
its owner can read in the data directory. Never the database, a backup, a log line or an error.

A `--password-command` is not a secret (it is stored in the connection's settings): it is run at
sync time, without a shell, and its output is the password.
"""

from __future__ import annotations

import shlex
import subprocess
from contextlib import suppress
from pathlib import Path
from typing import Any

from tieline.private_files import make_private_dir, replaced_privately

SERVICE = "tieline"
COMMAND_TIMEOUT_SECONDS = 30


class SecretUnavailable(Exception):
    """A connection's password could not be had; the message says why, never what it holds."""


def _keyring() -> Any | None:
    """The system keyring, or None when there is no real one (only the `fail` or `null` backends)."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    stand_ins = (fail.Keyring,)
    try:
        from keyring.backends import null

        stand_ins = (fail.Keyring, null.Keyring)
    except ImportError:  # pragma: no cover - older keyring
        pass
    if isinstance(backend, stand_ins):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not [
        b for b in backend.backends if not isinstance(b, stand_ins)
    ]:
        return None
    return backend


def _account(data_dir: Path, owner_id: int, name: str) -> str:
    # The data directory is part of the key: two tieline databases may each have a "work" account.
    return f"{data_dir.resolve()}:{owner_id}:{name}"


def _file(data_dir: Path, owner_id: int, name: str) -> Path:
    return data_dir / "secrets" / f"{owner_id}-{name}"


def store_secret(data_dir: Path, owner_id: int, name: str, secret: str) -> str:
    """Keep a connection's password; where it went ("keyring" or "file")."""
    backend = _keyring()
    if backend is not None:
        backend.set_password(SERVICE, _account(data_dir, owner_id, name), secret)
        return "keyring"
    path = _file(data_dir, owner_id, name)
    make_private_dir(path.parent)
    with replaced_privately(path, encoding="utf-8") as out:
        out.write(secret)
    return "file"


def read_secret(data_dir: Path, owner_id: int, name: str) -> str | None:
    """A connection's stored password, or None when none was stored."""
    backend = _keyring()
    if backend is not None:
        found = backend.get_password(SERVICE, _account(data_dir, owner_id, name))
        if found is not None:
            return str(found)
    path = _file(data_dir, owner_id, name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def delete_secret(data_dir: Path, owner_id: int, name: str) -> None:
    """Forget a connection's password wherever it is kept."""
    backend = _keyring()
    if backend is not None:
        # keyring raises PasswordDeleteError (or a backend's own error) when there is none.
        with suppress(Exception):
            backend.delete_password(SERVICE, _account(data_dir, owner_id, name))
    _file(data_dir, owner_id, name).unlink(missing_ok=True)


def run_password_command(command: str) -> str:
    """The password a command prints (its first line), run without a shell and with a time limit."""
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise SecretUnavailable(f"the password command cannot be read ({exc})") from None
    if not argv:
        raise SecretUnavailable("the password command is empty")
    try:
        done = subprocess.run(  # the user's own command, split without a shell
            argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError:
        raise SecretUnavailable(f"the password command {argv[0]!r} was not found") from None
    except subprocess.TimeoutExpired:
        raise SecretUnavailable(
            f"the password command did not finish within {COMMAND_TIMEOUT_SECONDS} s"
        ) from None
    except OSError as exc:
        raise SecretUnavailable(f"the password command could not run ({exc.strerror})") from None
    # Its output is never quoted: it may hold the password, or part of it.
    if done.returncode != 0:
        raise SecretUnavailable(f"the password command failed (exit {done.returncode})")
    password = done.stdout.split("\n", 1)[0].rstrip("\r")
    if not password:
        raise SecretUnavailable("the password command printed nothing")
    return password
