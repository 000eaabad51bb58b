"""One sync of one connection: read its cursors, fetch outside any transaction, then store what came
in ONE transaction (an import run, so `tieline import undo` takes it back; strangers to the
discovered queue; the cursors). A failure writes only the connection's status and its back-off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tieline.connectors.base import FetchResult, SyncError
from tieline.db import Database, lean_page_cache
from tieline.importers.records import Record
from tieline.repo import sync as sync_repo
from tieline.services.importing.save import save
from tieline.services.imports import options_for
from tieline.services.sync import discovered, first_meetings
from tieline.services.sync.connections import DEFAULT_MONTHS, get_connection
from tieline.services.sync.secrets import SecretUnavailable, read_secret, run_password_command

FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
# (done, total) messages of a mail fetch, for a progress bar.
Progress = Callable[[int, int], None]


@dataclass
class SyncOutcome:
    """What one sync did: whether it worked (else the error in words) and what it changed."""

    name: str
    kind: str
    ok: bool
    error: str | None = None
    run_id: int | None = None
    added: int = 0
    skipped: int = 0
    discovered: int = 0
    wrote: bool = False
    counts: dict[str, Any] = field(default_factory=dict)
    # Lines for the report: cards skipped, and why.
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Plan:
    """What a fetch needs, read in a short transaction."""

    kind: str
    settings: dict[str, Any]
    cursors: dict[str, dict[str, Any]]
    own_emails: frozenset[str]


class _NothingNew(Exception):
    """Raised inside the writing transaction to roll it back: the sync changed nothing."""


def retry_after(failures: int) -> timedelta:
    """How long a connection waits after its n-th failure in a row: 5 min, doubling, at most 6 h."""
    # The doubling stops at 2**7 (5 min x 128 > 6 h): a connection failing for weeks never overflows.
    return min(FIRST_RETRY * 2 ** min(max(failures - 1, 0), 7), LONGEST_RETRY)


def sync_connection(
    db: Database,
    *,
    owner_id: int,
    name: str,
    data_dir: Path,
    now: datetime,
    progress: Progress | None = None,
    allow_mass_delete: bool = False,
) -> SyncOutcome:
    """Sync one connection; a failure is recorded (and returned), never half written.

    `allow_mass_delete` lets an address book sync remove more cards than its setting allows."""
    with db.transaction() as session:
        connection = get_connection(session, owner_id=owner_id, name=name)
        options = options_for(session, owner_id=owner_id)
        plan = _Plan(
            kind=connection.kind,
            settings=dict(connection.settings),
            cursors=sync_repo.cursors(session, connection_id=connection.id),
            own_emails=options.own_emails,
        )
    if plan.kind == "carddav":
        return _sync_address_book(
            db, plan, owner_id=owner_id, name=name, data_dir=data_dir, now=now,
            allow_mass_delete=allow_mass_delete,
        )  # fmt: skip
    try:
        result = _fetch(plan, _secret(plan, data_dir, owner_id, name), now=now, progress=progress)
    except (SyncError, SecretUnavailable) as exc:
        error = str(exc)
        record_failure(db, owner_id=owner_id, name=name, error=error, now=now)
        return SyncOutcome(name=name, kind=plan.kind, ok=False, error=error)
    return store_result(db, owner_id=owner_id, name=name, kind=plan.kind, result=result, now=now)


def _sync_address_book(
    db: Database, plan: _Plan, *, owner_id: int, name: str, data_dir: Path, now: datetime,
    allow_mass_delete: bool,
) -> SyncOutcome:  # fmt: skip
    """An address book, synced both ways (services/sync/carddav.py): it writes as it goes."""
    from tieline.services.sync.carddav import sync_book

    try:
        counts, wrote = sync_book(
            db, owner_id=owner_id, name=name, secret=_secret(plan, data_dir, owner_id, name), now=now,
            allow_mass_delete=allow_mass_delete,
        )  # fmt: skip
    except (SyncError, SecretUnavailable) as exc:
        error = str(exc)
        record_failure(db, owner_id=owner_id, name=name, error=error, now=now)
        return SyncOutcome(name=name, kind=plan.kind, ok=False, error=error)
    outcome = SyncOutcome(
        name=name, kind=plan.kind, ok=True, run_id=counts.run_id, added=counts.added,
        skipped=counts.skipped, wrote=wrote, counts=counts.as_dict(), lines=counts.skipped_lines,
    )  # fmt: skip
    if wrote:
        with db.transaction(writes=True) as session:
            connection = get_connection(session, owner_id=owner_id, name=name)
            connection.last_run_at = connection.last_ok_at = now
            connection.last_error, connection.failures, connection.next_run_at = None, 0, None
            connection.last_counts = outcome.counts
    return outcome


def sync_all(db: Database, *, owner_id: int, data_dir: Path, now: datetime) -> list[SyncOutcome]:
    """Sync every connection, one after the other; one failing does not stop the others."""
    with db.transaction() as session:
        names = [c.name for c in sync_repo.connections(session, owner_id=owner_id)]
    return [sync_connection(db, owner_id=owner_id, name=n, data_dir=data_dir, now=now) for n in names]


def _secret(plan: _Plan, data_dir: Path, owner_id: int, name: str) -> str | None:
    if command := plan.settings.get("password_command"):
        return run_password_command(str(command))
    secret = read_secret(data_dir, owner_id, name)
    if secret is None and plan.kind not in ("caldav", "carddav"):  # a DAV server may need none
        what = "the feed's address" if plan.kind == "ics" else "the password"
        raise SecretUnavailable(f"{what} is not stored on this computer (connect it again)")
    return secret


def _fetch(plan: _Plan, secret: str | None, *, now: datetime, progress: Progress | None) -> FetchResult:
    """What the connector brings; connectors are imported on first use (each brings its client)."""
    settings = plan.settings
    months = int(settings.get("months", DEFAULT_MONTHS))
    if plan.kind == "imap":
        from tieline.connectors.imap import ImapAccount, fetch_mail

        account = ImapAccount(
            host=settings["host"], port=int(settings["port"]), tls=settings["tls"], user=settings["user"],
            folders=settings.get("folders"), months=months, ca_file=settings.get("ca_file"),
        )  # fmt: skip
        assert secret is not None
        return fetch_mail(
            account, secret, plan.cursors, now=now, own_emails=plan.own_emails, progress=progress
        )
    if plan.kind == "caldav":
        from tieline.connectors.calendars import CalDavAccount, fetch_caldav

        calendar = CalDavAccount(
            url=settings["url"], user=settings.get("user"), ca_file=settings.get("ca_file"),
            calendars=settings.get("calendars"),
        )  # fmt: skip
        return fetch_caldav(
            calendar, secret, plan.cursors, now=now, own_emails=plan.own_emails, months=months
        )
    from tieline.connectors.calendars import IcsFeed, fetch_ics

    assert secret is not None  # the feed's address
    feed = IcsFeed(url=secret, ca_file=settings.get("ca_file"))
    return fetch_ics(feed, plan.cursors, now=now, own_emails=plan.own_emails, months=months)


def store_result(
    db: Database, *, owner_id: int, name: str, kind: str, result: FetchResult, now: datetime
) -> SyncOutcome:
    """Write what a fetch brought in one transaction; roll it back whole when it changes nothing."""
    outcome = SyncOutcome(name=name, kind=kind, ok=True)
    try:
        with db.transaction(writes=True) as session, lean_page_cache(session):
            connection = get_connection(session, owner_id=owner_id, name=name)
            options = options_for(session, owner_id=owner_id, create_people=False)
            sightings = discovered.strangers(
                session, owner_id=owner_id, records=result.interactions, own_emails=options.own_emails
            )
            records: list[Record] = [*result.interactions, *result.skipped]
            report = save(
                session, records, owner_id=owner_id, fmt=kind, path=f"connection {name}",
                options=options, now=now,
            )  # fmt: skip
            outcome.discovered = discovered.note(session, owner_id=owner_id, sightings=sightings, source=name)
            follow_ups = first_meetings.open_follow_ups(
                session, owner_id=owner_id, records=result.interactions, now=now
            )
            moved = sync_repo.save_cursors(
                session, owner_id=owner_id, connection_id=connection.id, states=result.cursors, now=now
            )
            data = report.to_dict()
            outcome.run_id, outcome.added, outcome.skipped = report.run_id, data["added"], data["skipped"]
            outcome.counts = {
                **result.counts, "added": data["added"], "skipped": data["skipped"],
                "discovered": outcome.discovered, **({"follow-ups": follow_ups} if follow_ups else {}),
            }  # fmt: skip
            recovered = connection.last_error is not None or connection.failures or connection.next_run_at
            if report.run_id is None and not outcome.discovered and not moved and not recovered:
                raise _NothingNew
            connection.last_run_at = connection.last_ok_at = now
            connection.last_error, connection.failures, connection.next_run_at = None, 0, None
            connection.last_counts = outcome.counts
            session.flush()
            outcome.wrote = True
    except _NothingNew:
        pass
    return outcome


def record_failure(db: Database, *, owner_id: int, name: str, error: str, now: datetime) -> None:
    """The connection's status after a failed run: the error in words and when to try again."""
    with db.transaction(writes=True) as session:
        connection = get_connection(session, owner_id=owner_id, name=name)
        connection.failures = (connection.failures or 0) + 1
        connection.last_run_at = now
        connection.last_error = error
        connection.next_run_at = now + retry_after(connection.failures)
