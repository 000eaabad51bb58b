"""The accounts to sync: adding one (its password to the keyring or an owner-only file, never the
database), listing them with how their last run went, removing one, and which are due."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import event
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import CONNECTION_KINDS, Connection
from tieline.repo import meetings as meetings_repo
from tieline.repo import sync as sync_repo
from tieline.services.sync.secrets import delete_secret, store_secret

# A name is part of a file name (the secret's) and of commands: keep it plain.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
TLS_MODES = ("ssl", "starttls", "none")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_MONTHS = 12
# Words `tieline sync` takes as its own sub-commands, so never a connection's name.
RESERVED = frozenset({"conflicts", "resolve", "run"})


@dataclass(frozen=True)
class ConnectionView:
    """A connection as the Sync page and `tieline connections` show it: where, never the secret."""

    name: str
    kind: str
    where: str
    last_run_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    last_counts: dict[str, Any]
    next_run_at: datetime | None
    failures: int


def check_name(name: str) -> str:
    """A connection name, or InvalidInput saying what one may hold."""
    if not NAME.fullmatch(name):
        raise InvalidInput(
            f"connection name {name!r}: use letters, digits, '.', '_' and '-' (up to 100, no spaces)"
        )
    if name in RESERVED:
        raise InvalidInput(f"connection name {name!r} is taken by `tieline sync {name}`: choose another")
    return name


def imap_settings(
    *, host: str, port: int, tls: str, user: str, folders: list[str] | None, months: int,
    ca_file: str | None, password_command: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The settings of an IMAP connection, checked."""
    host = host.strip()
    if not host or "/" in host:
        raise InvalidInput(f"host {host!r}: give a host name such as imap.example.org")
    if tls not in TLS_MODES:
        raise InvalidInput(f"--tls {tls!r}: use one of {', '.join(TLS_MODES)}")
    if tls == "none" and host not in LOOPBACK:
        raise InvalidInput("--tls none sends the password in clear: only for 127.0.0.1 or localhost")
    if not 0 < port < 65536:
        raise InvalidInput(f"--port {port}: not a port number")
    if not user.strip():
        raise InvalidInput("--user: give the account's user name")
    return _without_none(
        {
            "host": host, "port": port, "tls": tls, "user": user.strip(), "folders": folders or None,
            "months": _months(months), "ca_file": ca_file, "password_command": password_command,
        }
    )  # fmt: skip


def caldav_settings(
    *, url: str, user: str | None, calendars: list[str] | None, months: int, ca_file: str | None,
    password_command: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The settings of a CalDAV connection, checked."""
    return _without_none(
        {
            "url": check_url(url), "user": user, "calendars": calendars or None, "months": _months(months),
            "ca_file": ca_file, "password_command": password_command,
        }
    )  # fmt: skip


def ics_settings(*, url: str, months: int, ca_file: str | None) -> dict[str, Any]:
    """The settings of an ICS feed: only where it is. The URL itself is kept as the secret, since a
    calendar's private address (Google's "secret address") is as good as a password."""
    check_url(url)
    parts = urlsplit(url)
    return _without_none(
        {"site": f"{parts.scheme}://{parts.netloc}", "months": _months(months), "ca_file": ca_file}
    )


def check_url(url: str) -> str:
    """An http(s) address without credentials in it, stripped, or InvalidInput."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"--url {url!r}: give an http:// or https:// address")
    if parts.username or parts.password:
        raise InvalidInput("--url: leave the user and password out of the address (use --user)")
    return url.strip()


def _months(months: int) -> int:
    if not 0 < months <= 600:
        raise InvalidInput(f"--months {months}: between 1 and 600")
    return months


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def add_connection(
    session: Session,
    *,
    owner_id: int,
    kind: str,
    name: str,
    settings: dict[str, Any],
    secret: str | None,
    data_dir: Path,
    now: datetime,
) -> Connection:
    """Add an account to sync; its secret goes to the keyring or an owner-only file, never here."""
    if kind not in CONNECTION_KINDS:
        raise InvalidInput(f"unknown connection kind {kind!r}: use one of {', '.join(CONNECTION_KINDS)}")
    check_name(name)
    if sync_repo.connection(session, owner_id=owner_id, name=name) is not None:
        raise InvalidInput(f"a connection named {name!r} exists: choose another name or disconnect it first")
    connection = Connection(owner_id=owner_id, kind=kind, name=name, settings=settings, created_at=now)
    session.add(connection)
    session.flush()
    if secret:
        # Kept now, so a failure to keep it undoes the connection; forgotten if the connection is not
        # committed after all, so no password outlives a connect that did not happen.
        store_secret(data_dir, owner_id, name, secret)
        _on_rollback(session, lambda: delete_secret(data_dir, owner_id, name))
    return connection


def get_connection(session: Session, *, owner_id: int, name: str) -> Connection:
    """The connection of that name, or NotFound."""
    connection = sync_repo.connection(session, owner_id=owner_id, name=name)
    if connection is None:
        raise NotFound(f"no connection named {name!r} (see tieline connections)")
    return connection


def where(kind: str, settings: dict[str, Any]) -> str:
    """Where a connection reaches, in words, without any secret."""
    if kind == "imap":
        return f"{settings.get('user')}@{settings.get('host')}:{settings.get('port')}"
    if kind == "ics":
        return str(settings.get("site", ""))
    if kind == "carddav":
        return str(settings.get("book_url") or settings.get("url", ""))
    return str(settings.get("url", ""))


def view(connection: Connection) -> ConnectionView:
    """A connection as listed."""
    return ConnectionView(
        name=connection.name,
        kind=connection.kind,
        where=where(connection.kind, connection.settings),
        last_run_at=connection.last_run_at,
        last_ok_at=connection.last_ok_at,
        last_error=connection.last_error,
        last_counts=dict(connection.last_counts or {}),
        next_run_at=connection.next_run_at,
        failures=connection.failures or 0,
    )


def list_connections(session: Session, *, owner_id: int) -> list[ConnectionView]:
    """Every connection, by name, with its last run."""
    return [view(c) for c in sync_repo.connections(session, owner_id=owner_id)]


def remove_connection(session: Session, *, owner_id: int, name: str, data_dir: Path) -> None:
    """Remove a connection, its cursors, its meetings to come and its secret; what it synced stays."""
    connection = get_connection(session, owner_id=owner_id, name=name)
    sync_repo.delete_cursors(session, connection_id=connection.id)
    meetings_repo.forget(session, connection_id=connection.id)
    session.delete(connection)
    session.flush()
    # Forgotten once the removal is committed: a disconnect rolled back keeps a working connection.
    event.listen(session, "after_commit", lambda _s: delete_secret(data_dir, owner_id, name), once=True)


def _on_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Run `undo` if the session's transaction rolls back; drop it once it commits."""

    def rolled_back(_session: Session) -> None:
        undo()
        event.remove(session, "after_commit", committed)

    def committed(_session: Session) -> None:
        event.remove(session, "after_rollback", rolled_back)

    event.listen(session, "after_rollback", rolled_back, once=True)
    event.listen(session, "after_commit", committed, once=True)


def due_connections(session: Session, *, owner_id: int, now: datetime) -> list[str]:
    """Names of the connections to run now (one in back-off after a failure waits its turn)."""
    return sync_repo.due_names(session, owner_id=owner_id, now=now)
