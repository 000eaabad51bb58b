"""Connecting an address book (CardDAV): which people it is sent, finding the account's address book
(the one named, or the only one), and the connection's settings. The sync itself is `carddav`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tieline.connectors.base import SyncError
from tieline.connectors.carddav import AddressBook, DavClient
from tieline.errors import InvalidInput, TielineError
from tieline.services.sync.connections import check_url

MASS_DELETE_PERCENT = 10


@dataclass(frozen=True)
class Selection:
    """Which people a connection sends: all, a tier or closer, or a tag."""

    tier: int | None = None
    tag: str | None = None


def parse_send(text: str) -> Selection:
    """`all`, `tier:N` or `tag:T`, or InvalidInput saying so."""
    text = text.strip()
    if text == "all":
        return Selection()
    kind, _, value = text.partition(":")
    if kind == "tier" and value.isdigit() and 1 <= int(value) <= 5:
        return Selection(tier=int(value))
    if kind == "tag" and value.strip():
        return Selection(tag=value.strip())
    raise InvalidInput(f"--send {text!r}: use all, tier:N (1-5: that tier and closer) or tag:NAME")


def find_address_book(
    *, url: str, user: str, secret: str | None, name: str | None, ca_file: str | None
) -> AddressBook:
    """The account's address book: the one named, or the only one; several and none named, or
    none at all, is InvalidInput listing what there is."""
    try:
        with DavClient(url, user, secret, ca_file) as client:
            books = client.address_books()
    except SyncError as exc:  # the server's answer, not the user's typing: exit 1
        raise TielineError(f"{url}: {exc}") from None
    if name is not None:
        chosen = [b for b in books if name in (b.name, urlsplit(b.url).path.rstrip("/").rsplit("/", 1)[-1])]
        if not chosen:
            raise InvalidInput(f"no address book named {name!r}; the account has: {_names(books)}")
        return chosen[0]
    if len(books) == 1:
        return books[0]
    if not books:
        raise InvalidInput(f"{url}: the account has no address book")
    raise InvalidInput(
        f"the account has several address books, choose one with --addressbook: {_names(books)}"
    )


def _names(books: list[AddressBook]) -> str:
    return ", ".join(sorted(b.name for b in books)) or "none"


def carddav_settings(
    *, url: str, user: str, book: AddressBook, send: str, notes: bool, ca_file: str | None,
    password_command: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The settings of a CardDAV connection: where the book is and what it is sent."""
    parse_send(send)
    settings: dict[str, Any] = {
        "url": check_url(url), "user": user, "book_url": book.url, "book": book.name, "send": send,
        "notes": notes, "vcard4": book.vcard4, "sync_collection": book.sync_collection,
        "mass_delete_percent": MASS_DELETE_PERCENT,
    }  # fmt: skip
    if ca_file:
        settings["ca_file"] = ca_file
    if password_command:
        settings["password_command"] = password_command
    return settings
