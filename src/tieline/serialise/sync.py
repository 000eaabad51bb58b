"""The shapes of sync: a connection with how its last run went, one sync's outcome, an entry of the
discovered queue, and a conflict an address book sync found. None of them ever holds a secret."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models import Discovered
    from tieline.services.sync.conflicts import ConflictView
    from tieline.services.sync.connections import ConnectionView
    from tieline.services.sync.run import SyncOutcome


class ConnectionOut(TypedDict):
    """An account synced: where it reaches (never its secret), its last run and the next."""

    name: str
    kind: str
    where: str
    last_run_at: str | None
    last_ok_at: str | None
    last_error: str | None
    last_counts: dict[str, Any]
    next_run_at: str | None
    failures: int


class SyncOutcomeOut(TypedDict):
    """What one sync of one connection did; `error` in words when it failed."""

    name: str
    kind: str
    ok: bool
    error: str | None
    run_id: int | None
    added: int
    skipped: int
    discovered: int


class DiscoveredOut(TypedDict):
    """Someone met in mail or a calendar who matches nobody: how often and how recently."""

    email: str
    name: str | None
    messages: int
    meetings: int
    first_seen_at: str
    last_seen_at: str
    state: str
    source: str | None


class ConflictOut(TypedDict):
    """A field changed on both sides since an address book's last sync: tieline's value (kept,
    and sent to the server) and the server's, to resolve."""

    id: int
    connection: str
    person_id: int
    person: str
    field: str
    tieline_value: Any
    server_value: Any
    found_at: str


def conflict(view: ConflictView) -> ConflictOut:
    """A conflict as listed."""
    return {
        "id": view.id,
        "connection": view.connection,
        "person_id": view.person_id,
        "person": view.person,
        "field": view.field,
        "tieline_value": view.tieline_value,
        "server_value": view.server_value,
        "found_at": view.found_at.isoformat(),
    }


def connection(view: ConnectionView) -> ConnectionOut:
    """A connection as listed."""
    return {
        "name": view.name,
        "kind": view.kind,
        "where": view.where,
        "last_run_at": iso(view.last_run_at),
        "last_ok_at": iso(view.last_ok_at),
        "last_error": view.last_error,
        "last_counts": view.last_counts,
        "next_run_at": iso(view.next_run_at),
        "failures": view.failures,
    }


def outcome(done: SyncOutcome) -> SyncOutcomeOut:
    """One sync's outcome."""
    return {
        "name": done.name,
        "kind": done.kind,
        "ok": done.ok,
        "error": done.error,
        "run_id": done.run_id,
        "added": done.added,
        "skipped": done.skipped,
        "discovered": done.discovered,
    }


def discovered(entry: Discovered) -> DiscoveredOut:
    """An entry of the discovered queue."""
    return {
        "email": entry.email,
        "name": entry.name,
        "messages": entry.messages,
        "meetings": entry.meetings,
        "first_seen_at": entry.first_seen_at.isoformat(),
        "last_seen_at": entry.last_seen_at.isoformat(),
        "state": entry.state,
        "source": entry.source,
    }
