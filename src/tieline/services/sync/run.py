"""One sync of one connection: read its cursors, fetch outside any transaction, then store what came
in ONE transaction (an import run, so `tieline import undo` takes it back; strangers to the
discovered queue; the meetings to come of the calendar objects read; the cursors). A mail sync opens
that transaction near the end of its fetch and stores the last batches as they come. A failure
writes only the connection's status and its back-off."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, islice
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tieline.connectors.base import FetchResult, SyncError
from tieline.db import Database, lean_page_cache
from tieline.importers.records import InteractionRecord, Record, SkippedRecord
from tieline.repo import meetings as meetings_repo
from tieline.repo import sync as sync_repo
from tieline.services.importing.save import save
from tieline.services.imports import collector_paused, options_for
from tieline.services.sync import discovered, first_meetings
from tieline.services.sync.connections import DEFAULT_MONTHS, get_connection
from tieline.services.sync.secrets import SecretUnavailable, read_secret, run_password_command

FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
NOBODY_KNOWN = "nobody among your people took part (see tieline discovered)"
KNOWN_CHUNK = 2000  # records whose addresses are looked up together
# What storing one fetched message costs (about 25 us a record at `python -m bench.sync`): a mail
# sync begins storing when the rest of the fetch should take no longer than storing what came.
STORE_SECONDS_PER_RECORD = 30e-6
MAIL_BATCH = 500  # messages per IMAP FETCH
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
    with collector_paused():  # tens of thousands of records, as an import's: no cycles to look for
        try:
            secret = _secret(plan, data_dir, owner_id, name)
            if plan.kind == "imap":
                assert secret is not None
                return _sync_mail(db, plan, secret, owner_id=owner_id, name=name, now=now, progress=progress)
            result = _fetch(plan, secret, now=now)
            return store_result(db, owner_id=owner_id, name=name, kind=plan.kind, result=result, now=now)
        except (SyncError, SecretUnavailable) as exc:  # nothing was written: the store rolled back
            error = str(exc)
            record_failure(db, owner_id=owner_id, name=name, error=error, now=now)
            return SyncOutcome(name=name, kind=plan.kind, ok=False, error=error)


def _sync_mail(
    db: Database, plan: _Plan, password: str, *, owner_id: int, name: str, now: datetime,
    progress: Progress | None,
) -> SyncOutcome:  # fmt: skip
    """A mail fetch stored as it comes. The writing transaction opens once the rest of the fetch
    should take no longer than storing what has come (STORE_SECONDS_PER_RECORD each): from then on
    each batch is stored as it arrives. So the store runs beside the end of the fetch, and other
    writers wait about as long as the store alone would make them, however slow the server."""
    from tieline.connectors.imap import ImapAccount, MailFetch

    settings = plan.settings
    account = ImapAccount(
        host=settings["host"], port=int(settings["port"]), tls=settings["tls"], user=settings["user"],
        folders=settings.get("folders"), months=int(settings.get("months", DEFAULT_MONTHS)),
        ca_file=settings.get("ca_file"),
    )  # fmt: skip
    fetch = MailFetch(
        account,
        password,
        plan.cursors,
        now=now,
        own_emails=plan.own_emails,
        progress=progress,
        batch=MAIL_BATCH,
    )
    with closing(iter(fetch)) as batches:
        first: list[Record] = []
        for records in batches:
            first.extend(records)
            left = fetch.seconds_left()
            if left is not None and left <= STORE_SECONDS_PER_RECORD * len(first):
                break
        stream = chain(first, chain.from_iterable(batches))
        return store_result(
            db, owner_id=owner_id, name=name, kind=plan.kind, result=fetch.result, now=now, stream=stream
        )


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


def _fetch(plan: _Plan, secret: str | None, *, now: datetime) -> FetchResult:
    """What a calendar connector brings; connectors are imported on first use (each brings its client)."""
    settings = plan.settings
    months = int(settings.get("months", DEFAULT_MONTHS))
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
    db: Database,
    *,
    owner_id: int,
    name: str,
    kind: str,
    result: FetchResult,
    now: datetime,
    stream: Iterable[Record] | None = None,
) -> SyncOutcome:
    """Write what a fetch brought in one transaction; roll it back whole when it changes nothing.
    `stream` gives the records as they still arrive (a fetch's failure there rolls it all back);
    `result` has them all once it is read through, and the cursors."""
    outcome = SyncOutcome(name=name, kind=kind, ok=True)
    records = stream if stream is not None else chain(result.interactions, result.skipped)
    try:
        with db.transaction(writes=True) as session, lean_page_cache(session):
            connection = get_connection(session, owner_id=owner_id, name=name)
            options = options_for(session, owner_id=owner_id, create_people=False)
            known: set[str] = set()  # the records' addresses that belong to someone, as looked up
            report = save(
                session, _with_someone_known(session, owner_id, records, options.own_emails, known),
                owner_id=owner_id, fmt=kind, path=f"connection {name}", options=options, now=now,
            )  # fmt: skip
            sightings = discovered.strangers(result.interactions, known=known, own_emails=options.own_emails)
            outcome.discovered = discovered.note(session, owner_id=owner_id, sightings=sightings, source=name)
            follow_ups = first_meetings.open_follow_ups(
                session, owner_id=owner_id, records=result.interactions, now=now, run_id=report.run_id
            )
            moved = sync_repo.save_cursors(
                session, owner_id=owner_id, connection_id=connection.id, states=result.cursors, now=now
            )
            # Past meetings are interactions (above); those to come replace the stored ones of the
            # calendar objects read, for the agenda's "read the brief" line.
            ahead = meetings_repo.replace(
                session, owner_id=owner_id, connection_id=connection.id, meetings=list(result.upcoming),
                read=result.upcoming_read,
            )  # fmt: skip
            data = report.to_dict()
            outcome.run_id, outcome.added, outcome.skipped = report.run_id, data["added"], data["skipped"]
            outcome.counts = {
                **result.counts, "added": data["added"], "skipped": data["skipped"],
                "discovered": outcome.discovered, **({"follow-ups": follow_ups} if follow_ups else {}),
            }  # fmt: skip
            recovered = connection.last_error is not None or connection.failures or connection.next_run_at
            if report.run_id is None and not outcome.discovered and not moved and not ahead and not recovered:
                raise _NothingNew
            connection.last_run_at = connection.last_ok_at = now
            connection.last_error, connection.failures, connection.next_run_at = None, 0, None
            connection.last_counts = outcome.counts
            session.flush()
            outcome.wrote = True
    except _NothingNew:
        pass
    return outcome


def _with_someone_known(
    session: Session, owner_id: int, records: Iterable[Record], own_emails: frozenset[str], known: set[str]
) -> Iterator[Record]:
    """The records, with those among strangers alone (most of a mailbox) turned into skipped ones
    here, a few thousand at a time, instead of each being looked up by the save only to be skipped.
    The addresses found to belong to someone are added to `known`."""
    items = iter(records)
    while chunk := list(islice(items, KNOWN_CHUNK)):  # itertools.batched once Python 3.12 is the least
        addresses = {_folded(e) for r in chunk if isinstance(r, InteractionRecord) for e in r.emails}
        known |= sync_repo.known_addresses(session, owner_id=owner_id, addresses=addresses - own_emails)
        for record in chunk:
            if (
                isinstance(record, InteractionRecord)
                and not record.person_source_ids
                and not any(_folded(e) in known for e in record.emails)
            ):
                yield SkippedRecord(record.origin, NOBODY_KNOWN)
            else:
                yield record


def _folded(address: str) -> str:
    return address.strip().lower()


def record_failure(db: Database, *, owner_id: int, name: str, error: str, now: datetime) -> None:
    """The connection's status after a failed run: the error in words and when to try again."""
    with db.transaction(writes=True) as session:
        connection = get_connection(session, owner_id=owner_id, name=name)
        connection.failures = (connection.failures or 0) + 1
        connection.last_run_at = now
        connection.last_error = error
        connection.next_run_at = now + retry_after(connection.failures)
