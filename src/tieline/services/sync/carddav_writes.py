"""An address book sync's writes to the server (step 4 of `carddav`): new cards If-None-Match, changed
ones patched and PUT If-Match, removals DELETEd If-Match; then each link's new ETag and base stored,
and the sync token moved past tieline's own writes when nothing else changed meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tieline.connectors.base import SyncError
from tieline.connectors.carddav import AddressBook, DavClient, Stale
from tieline.db import Database
from tieline.exporters import vcard_sync
from tieline.models import CardLink
from tieline.repo import carddav as carddav_repo
from tieline.repo import sync as sync_repo
from tieline.repo.carddav import LinkRow
from tieline.services.sync.connections import get_connection

CURSOR = "book"  # the connection's one sync cursor: the address book's sync token
PERSON_KEY = "_person"  # in a link's base: the person the card was linked to (a merge moves the link)


def person_mark(link: CardLink | LinkRow) -> int | None:
    """The person a link was made for (a merge in tieline repoints the link, never this mark)."""
    recorded = (link.base or {}).get(PERSON_KEY)
    return recorded if recorded is not None else link.person_id


@dataclass
class Push:
    """One write to the server decided by step 3."""

    link_id: int
    href: str
    etag: str | None  # what the server had when decided (If-Match), None for a new card
    action: str  # "new", "update" or "delete"
    uid: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # the server's card, when fetched in this pass


def own_writes_seen(
    client: DavClient, book: AddressBook, cursor: dict[str, Any], done: list[tuple[Push, str | None]]
) -> dict[str, Any] | None:
    """The sync token past tieline's own writes, when they are all that changed since `cursor`
    (so the next sync does not read them back); None when anything else changed meanwhile."""
    if not book.sync_collection or not cursor.get("sync_token"):
        return None
    ours = {p.href: etag or "" for p, etag in done if p.action != "delete"}
    removed = {p.href for p, _ in done if p.action == "delete"}
    try:
        listing = client.changes(book, cursor, {**ours, **dict.fromkeys(removed, "")})
    except SyncError:
        return None
    if listing.full or set(listing.deleted) - removed:
        return None
    if any(ours.get(href) != etag or not etag for href, etag in listing.changed.items()):
        return None
    return listing.cursor or None


def write(
    client: DavClient, book: AddressBook, settings: dict[str, Any], pushes: list[Push], counts: Any
) -> tuple[list[str], list[tuple[Push, str | None]], SyncError | None]:
    """Step 4, in order; (the cards answered 412, each write done with the card's new ETag, the
    failure that stopped it partway, if one did: what was done is still recorded, the next sync
    does the rest)."""
    stale: list[str] = []
    done: list[tuple[Push, str | None]] = []
    notes = bool(settings.get("notes"))
    version = "4.0" if settings.get("vcard4") else "3.0"
    try:
        need = [p.href for p in pushes if p.action == "update" and p.text is None]
        current = client.multiget(book, need) if need else {}
        for push in pushes:
            try:
                if push.action == "delete":
                    client.delete(push.href, etag=push.etag)
                    done.append((push, None))
                    counts.removed += 1
                    continue  # a card changed on the phone meanwhile stays (Stale, below)
                if push.action == "new":
                    text = vcard_sync.new_card(push.fields, uid=push.uid, version=version)
                    etag = client.put(push.href, text, etag=None)
                else:
                    _etag, server = current.get(push.href, (push.etag, push.text))
                    if server is None:  # gone on the server since it was listed
                        stale.append(push.href)
                        continue
                    # If-Match the ETag the merge was made against: a card changed since is
                    # answered 412, and read, merged and written again by the next pass.
                    text = vcard_sync.patched_card(server, push.fields, notes=notes)
                    etag = client.put(push.href, text, etag=push.etag)
                done.append((push, etag))
                counts.sent += 1
            except Stale:
                stale.append(push.href)
    except SyncError as exc:
        return stale, done, exc
    return stale, done, None


def record(
    db: Database, done: list[tuple[Push, str | None]], *, owner_id: int, name: str,
    cursor: dict[str, Any] | None, now: datetime,
) -> None:  # fmt: skip
    """Step 4's answers: each link's new ETag and base, a removed card's link dropped, and the
    sync token past them."""
    with db.transaction(writes=True) as session:
        connection = get_connection(session, owner_id=owner_id, name=name)
        if cursor:
            sync_repo.save_cursors(
                session, owner_id=owner_id, connection_id=connection.id, states={CURSOR: cursor}, now=now
            )
        links = {link.id: link for link in carddav_repo.links(session, connection_id=connection.id)}
        for push, etag in done:
            link = links.get(push.link_id)
            if link is None:
                continue
            if push.action == "delete":
                session.delete(link)
                continue
            link.etag = etag
            link.base = {**push.fields, PERSON_KEY: person_mark(link)}
            link.updated_at = now
        session.flush()
