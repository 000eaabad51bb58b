"""An address book synced both ways over CardDAV (issue 16).

One sync is up to two passes of four steps, no transaction held open over the network:

1. read: the connection, its sync token, every card link (href, UID, ETag, base);
2. fetch: what changed on the server since the token (or by ETags), the changed cards by multiget;
3. ONE writing transaction, an import run (`tieline import undo` takes it back): new cards become
   people (matched by the identity rules, email first; `services.importing.save`), changed cards
   are merged field by field against the base (`card_fields.merge`: a side that changed wins; both
   changed: tieline's value kept, the server's recorded as a conflict), a card deleted on the
   server archives its person; links for the cards to write are kept before writing them, with
   no ETag yet, so a sync cut off halfway is finished by the next one and duplicates nothing;
4. write to the server: new cards with If-None-Match: *, changed ones patched and PUT with
   If-Match, removed ones DELETEd with If-Match; then each link's new ETag and base are stored.

A 412 (the phone changed the card meanwhile) makes a second pass: fetch, merge, write once more.
A sync that finds nothing changed on either side writes nothing on either side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from tieline.connectors.base import SyncError
from tieline.connectors.carddav import AddressBook, DavClient, Listing, card_url
from tieline.db import Database
from tieline.exporters.vcard import uid as person_uid
from tieline.importers.records import PersonRecord, SkippedRecord
from tieline.importers.vcard import read_card
from tieline.models import CardConflict, CardLink, Connection, ImportRun, Person
from tieline.repo import carddav as carddav_repo
from tieline.repo import imports as imports_repo
from tieline.repo import sync as sync_repo
from tieline.repo.carddav import LinkRow
from tieline.services.importing.changelog import ChangeLog
from tieline.services.importing.save import save
from tieline.services.imports import options_for
from tieline.services.sync import card_fields
from tieline.services.sync import carddav_writes as writes
from tieline.services.sync.carddav_setup import MASS_DELETE_PERCENT, parse_send
from tieline.services.sync.carddav_writes import CURSOR, PERSON_KEY, Push, person_mark
from tieline.services.sync.connections import get_connection

SOURCE = "carddav"


@dataclass
class Counts:
    """What a sync did, for its outcome and the Sync page."""

    read: int = 0
    added: int = 0
    updated: int = 0
    archived: int = 0
    conflicts: int = 0
    skipped: int = 0
    sent: int = 0
    removed: int = 0
    retried: int = 0  # cards answered 412 and merged again
    run_id: int | None = None
    skipped_lines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        """Non-zero counts, as the Sync page lists them."""
        named = {
            "cards read": self.read, "added": self.added, "updated": self.updated,
            "archived": self.archived, "conflicts": self.conflicts, "skipped": self.skipped,
            "sent": self.sent, "removed on server": self.removed, "retried": self.retried,
        }  # fmt: skip
        return {k: v for k, v in named.items() if v}


class _NothingNew(Exception):
    """Rolls step 3 back: nothing changed on either side."""


class MassDelete(SyncError):
    """More cards would be removed than the connection allows without asking."""


def sync_book(
    db: Database,
    *,
    owner_id: int,
    name: str,
    secret: str | None,
    now: datetime,
    allow_mass_delete: bool = False,
) -> tuple[Counts, bool]:
    """Sync one address book both ways; (what it did, whether it wrote anything on either side)."""
    counts, wrote = Counts(), False
    with db.transaction() as session:
        settings = dict(get_connection(session, owner_id=owner_id, name=name).settings)
    book = AddressBook(
        url=settings["book_url"], name=settings.get("book", ""),
        sync_collection=bool(settings.get("sync_collection")), vcard4=bool(settings.get("vcard4")),
    )  # fmt: skip
    with DavClient(settings["url"], settings.get("user"), secret, settings.get("ca_file")) as client:
        stale: list[str] = []
        for attempt in (1, 2):  # a 412 is met by reading the card again, merging, writing once more
            stale, pass_wrote = _one_pass(
                db, client, book, settings, owner_id=owner_id, name=name, now=now, counts=counts,
                allow_mass_delete=allow_mass_delete, reread=stale,
            )  # fmt: skip
            wrote = wrote or pass_wrote
            if not stale or attempt == 2:
                break  # a card still refused after its second try waits for the next sync
            counts.retried += len(stale)
    return counts, wrote


def _one_pass(
    db: Database, client: DavClient, book: AddressBook, settings: dict[str, Any], *, owner_id: int,
    name: str, now: datetime, counts: Counts, allow_mass_delete: bool, reread: list[str],
) -> tuple[list[str], bool]:  # fmt: skip
    """Steps 1 to 4 once, reading again the cards in `reread` (answered 412 by the last pass);
    (the cards answered 412 this time, anything was written)."""
    with db.transaction() as session:
        connection = get_connection(session, owner_id=owner_id, name=name)
        cursor = sync_repo.cursors(session, connection_id=connection.id).get(CURSOR, {})
        known = carddav_repo.etags(session, connection_id=connection.id)
    listing = client.changes(book, cursor, known)
    wanted = [h for h, etag in listing.changed.items() if known.get(h) != etag or not etag]
    wanted += [h for h in reread if h not in wanted]
    cards = client.multiget(book, wanted) if wanted else {}
    pushes: list[Push] = []
    wrote = False
    try:
        with db.transaction(writes=True) as session:
            pushes = _apply(
                session, book, settings, owner_id=owner_id, name=name, listing=listing, cards=cards,
                now=now, counts=counts, allow_mass_delete=allow_mass_delete,
            )  # fmt: skip
            wrote = True
    except _NothingNew:
        pass
    if not pushes:
        return [], wrote
    stale, done, error = writes.write(client, book, settings, pushes, counts)
    if done:
        cursor = writes.own_writes_seen(client, book, listing.cursor, done) if error is None else None
        writes.record(db, done, owner_id=owner_id, name=name, cursor=cursor, now=now)
    if error is not None:
        raise error
    return stale, wrote or bool(done)


def _apply(
    session: Session, book: AddressBook, settings: dict[str, Any], *, owner_id: int, name: str,
    listing: Listing, cards: dict[str, tuple[str, str]], now: datetime, counts: Counts,
    allow_mass_delete: bool,
) -> list[Push]:  # fmt: skip
    """Step 3: what the server changed, into tieline, in one import run; what to write back."""
    notes = bool(settings.get("notes"))
    connection = get_connection(session, owner_id=owner_id, name=name)
    # Plain rows to decide with (thousands are compared); a link is loaded only to change it.
    links = carddav_repo.link_rows(session, connection_id=connection.id)
    by_href = {link.href: link for link in links}
    by_uid = {link.uid: link for link in links}
    log = ChangeLog()
    changed_links = False
    # Cards the server no longer has; links whose person is deleted or archived in tieline.
    gone = [by_href[h] for h in listing.deleted if h in by_href]
    gone_ids = {link.id for link in gone}
    archived = carddav_repo.archived_ids(session, owner_id=owner_id)
    to_remove = [
        link
        for link in links
        if link.id not in gone_ids and (link.person_id is None or link.person_id in archived)
    ]
    merged_away = _split_merged(links, {link.id for link in to_remove})[1]
    _check_mass_delete(
        settings,
        name,
        removals=len(gone) + len(to_remove) + len(merged_away),
        book_size=len(links),
        allowed=allow_mass_delete,
    )
    for link in gone:
        if link.person_id is not None and link.person_id not in archived:
            person = session.get(Person, link.person_id)
            if person is not None:
                log.update(
                    "person", [person.id], {"archived": person.archived, "updated_at": person.updated_at}
                )
                person.archived, person.updated_at = True, now
                counts.archived += 1
        _drop(session, link)
        changed_links = True
    links = [link for link in links if link.id not in gone_ids]
    # Changed and new cards.
    records: list[PersonRecord | SkippedRecord] = []
    arrived: dict[str, tuple[str, str, dict[str, Any]]] = {}  # source id -> href, ETag, fields
    merges: list[tuple[LinkRow, str, str, dict[str, Any]]] = []
    for href, (etag, text) in cards.items():
        counts.read += 1
        record = read_card(text, f"{name}:{urlsplit(href).path}")
        theirs = card_fields.of_record(record, notes=notes) if isinstance(record, PersonRecord) else None
        if theirs is None:
            reason = (
                record.reason if isinstance(record, SkippedRecord) else "card has no name, email or phone"
            )
            counts.skipped += 1
            counts.skipped_lines.append(f"{urlsplit(href).path}: {reason}")
            records.append(SkippedRecord(record.origin, reason))
            continue
        assert isinstance(record, PersonRecord)
        link = by_href.get(href) or by_uid.get(record.source_id)
        if link is not None:
            if link.person_id is not None:  # else its person was deleted in tieline: the card goes
                merges.append((link, href, etag, theirs))
            continue
        record.source, record.source_id = SOURCE, f"{connection.id}:{record.source_id}"
        records.append(record)
        arrived[record.source_id] = (href, etag, theirs)
    pushes: list[Push] = []
    people = carddav_repo.people(
        session, owner_id=owner_id, person_ids=[link.person_id for link, *_ in merges if link.person_id]
    )
    for link, href, etag, theirs in merges:
        person = people[link.person_id]  # type: ignore[index]
        ours = card_fields.of_person(person, notes=notes)
        base = {k: v for k, v in (link.base or {}).items() if k != PERSON_KEY}
        merged = card_fields.merge(base or None, ours, theirs)
        if merged.from_server and card_fields.write(
            session, person, merged.fields, merged.from_server, log=log, now=now
        ):
            counts.updated += 1
        for field_name in merged.conflicts:
            _conflict(session, log, connection, person.id, field_name, ours, theirs, now)
            counts.conflicts += 1
        if (link.href, link.etag) != (href, etag) or base != theirs:
            stored = session.get(CardLink, link.id)
            assert stored is not None
            stored.href, stored.etag = href, etag
            stored.base, stored.updated_at = {**theirs, PERSON_KEY: person_mark(link)}, now
            changed_links = True
        if merged.fields != theirs:
            pushes.append(Push(link.id, href, etag, "update", link.uid, merged.fields, text=cards[href][1]))
    report = save(
        session, records, owner_id=owner_id, fmt=SOURCE, path=f"connection {name}",
        options=options_for(session, owner_id=owner_id), now=now, log=log,
    )  # fmt: skip
    counts.added += int(report.to_dict()["added"])
    later = ChangeLog()  # links made once the people exist: the same run, written after save's
    if arrived:
        aliases = imports_repo.aliases(session, owner_id=owner_id, source=SOURCE)
        new_links = []
        for source_id, (href, etag, theirs) in arrived.items():
            if source_id not in aliases:  # the save left it out (and said why in the report)
                continue
            person_id = aliases[source_id][1]
            link = CardLink(
                owner_id=owner_id, connection_id=connection.id, person_id=person_id, href=href,
                uid=source_id.split(":", 1)[1], etag=etag, base={**theirs, PERSON_KEY: person_id},
                updated_at=now,
            )  # fmt: skip
            session.add(link)
            new_links.append(link)
        session.flush()
        later.insert("card_link", [link.id for link in new_links])
        links += [LinkRow(n.id, n.person_id, n.href, n.uid, n.etag, n.base) for n in new_links]
    planned = {link.id for link, *_ in merges}  # settled above, written back there if need be
    pushes += _outgoing(session, book, settings, connection, links, planned, to_remove, later, now=now)
    run_id = report.run_id
    if run_id is not None:
        later.write(session, run_id=run_id)
    elif not later.empty:
        run_id = _run_for(session, later, owner_id=owner_id, name=name, now=now)
    counts.run_id = run_id or counts.run_id
    moved = sync_repo.save_cursors(
        session, owner_id=owner_id, connection_id=connection.id,
        states={CURSOR: listing.cursor} if listing.cursor else {}, now=now,
    )  # fmt: skip
    recovered = connection.last_error is not None or connection.failures or connection.next_run_at
    if run_id is None and not changed_links and not moved and not recovered and not pushes:
        raise _NothingNew
    connection.last_error, connection.failures, connection.next_run_at = None, 0, None
    session.flush()
    return pushes


def _check_mass_delete(
    settings: dict[str, Any], name: str, *, removals: int, book_size: int, allowed: bool
) -> None:
    """Stop, before anything is written, a sync that would remove more of the book than the setting
    allows (one card alone never asks)."""
    limit = int(settings.get("mass_delete_percent", MASS_DELETE_PERCENT))
    if allowed or removals <= 1 or removals * 100 <= limit * max(book_size, 1):
        return
    raise MassDelete(
        "mass_delete",
        f"{removals} of {book_size} cards would be removed or archived, more than {limit}%; nothing was "
        f"changed. If that is right, run: tieline sync {name} --allow-mass-delete",
    )


def _drop(session: Session, link: LinkRow) -> None:
    """Delete a card link."""
    stored = session.get(CardLink, link.id)
    if stored is not None:
        session.delete(stored)


def _split_merged(links: list[LinkRow], removing: set[int]) -> tuple[dict[int, LinkRow], list[LinkRow]]:
    """(person id -> the card kept for them, the cards of people merged away). A merge in tieline
    leaves the kept person with the merged person's card too: it goes, and the card made for the
    kept person stays (so does its UID)."""
    by_person: dict[int, list[LinkRow]] = {}
    for link in links:
        if link.id not in removing and link.person_id is not None:
            by_person.setdefault(link.person_id, []).append(link)
    keep: dict[int, LinkRow] = {}
    dropped: list[LinkRow] = []
    for person_id, own in by_person.items():
        theirs = [link for link in own if person_mark(link) == person_id]
        keep[person_id] = (theirs or own)[0]
        if theirs:
            dropped += [link for link in own if person_mark(link) != person_id]
    return keep, dropped


def _outgoing(
    session: Session, book: AddressBook, settings: dict[str, Any], connection: Connection,
    links: list[LinkRow], planned: set[int], to_remove: list[LinkRow], log: ChangeLog, *, now: datetime,
) -> list[Push]:  # fmt: skip
    """Writes tieline asks of the server: people chosen and not there yet, people changed in
    tieline, the cards of archived, deleted or merged-away people."""
    notes = bool(settings.get("notes"))
    owner_id = connection.owner_id
    pushes: list[Push] = []
    keep, dropped = _split_merged(links, {link.id for link in to_remove})
    for link in [*to_remove, *dropped]:
        if link.etag is None:  # never confirmed on the server: nothing to remove there
            _drop(session, link)
        else:
            pushes.append(Push(link.id, link.href, link.etag, "delete"))
    selection = parse_send(str(settings.get("send", "all")))
    chosen = carddav_repo.chosen(session, owner_id=owner_id, tier=selection.tier, tag=selection.tag)
    people = carddav_repo.card_people(session, owner_id=owner_id, person_ids=sorted(chosen | set(keep)))
    for person_id, link in keep.items():
        if link.id in planned or person_id not in people:
            continue
        ours = card_fields.of_person(people[person_id], notes=notes)
        base = {k: v for k, v in (link.base or {}).items() if k != PERSON_KEY}
        if link.etag is None:  # written by an earlier sync that never saw the answer: again
            pushes.append(Push(link.id, link.href, None, "new", link.uid, ours))
        elif ours != base:
            pushes.append(Push(link.id, link.href, link.etag, "update", link.uid, ours))
    new_links = []
    for person_id in sorted(chosen - set(keep)):
        person = people[person_id]
        uid = person_uid(person)
        ours = card_fields.of_person(person, notes=notes)
        link = CardLink(
            owner_id=owner_id, connection_id=connection.id, person_id=person_id, href=card_url(book, uid),
            uid=uid, etag=None, base={**ours, PERSON_KEY: person_id}, updated_at=now,
        )  # fmt: skip
        session.add(link)
        new_links.append((link, ours))
    if new_links:
        session.flush()
        log.insert("card_link", [link.id for link, _ in new_links])
        pushes += [Push(link.id, link.href, None, "new", link.uid, ours) for link, ours in new_links]
    return pushes


def _conflict(
    session: Session, log: ChangeLog, connection: Connection, person_id: int, name: str,
    ours: dict[str, Any], theirs: dict[str, Any], now: datetime,
) -> None:  # fmt: skip
    """Record the server's value of a field both sides changed (one open conflict per field)."""
    found = carddav_repo.open_conflict(session, person_id=person_id, field=name)
    if found is not None:
        if found.server_value != theirs[name]:
            log.update("card_conflict", [found.id], {"server_value": found.server_value})
            found.server_value = theirs[name]
        return
    conflict = CardConflict(
        owner_id=connection.owner_id, connection_id=connection.id, person_id=person_id, field=name,
        tieline_value=ours[name], server_value=theirs[name], found_at=now,
    )  # fmt: skip
    session.add(conflict)
    session.flush()
    log.insert("card_conflict", [conflict.id])


def _run_for(session: Session, log: ChangeLog, *, owner_id: int, name: str, now: datetime) -> int:
    """An import run for changes made outside `save` when save itself recorded none."""
    run = ImportRun(
        owner_id=owner_id,
        format=SOURCE,
        path=f"connection {name}",
        started_at=now,
        finished_at=now,
        counts={},
    )
    session.add(run)
    session.flush()
    log.write(session, run_id=run.id)
    return run.id
