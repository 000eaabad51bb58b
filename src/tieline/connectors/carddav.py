"""CardDAV (RFC 6352) over httpx, the WebDAV XML written and read by hand with xml.etree.

There is no well-kept CardDAV client library for Python (the `caldav` package speaks CalDAV only,
and the CardDAV clients on PyPI are unmaintained), and what a two-way sync needs is small:
discovery (RFC 6764's /.well-known/carddav, current-user-principal, addressbook-home-set), the
changes since a sync token (RFC 6578 sync-collection) or else the ETags of one PROPFIND, cards by
addressbook-multiget, and PUT and DELETE guarded by If-Match / If-None-Match.

Every failure is a `SyncError` by kind; a 412 (someone changed the card first) is `Stale`.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree as ET

import httpx

from tieline.connectors.base import SyncError

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
MULTIGET_BATCH = 500
TIMEOUT_SECONDS = 30.0
_NS = {"d": DAV, "c": CARD, "cs": CS}
for _prefix, _uri in _NS.items():
    ET.register_namespace(_prefix, _uri)


def _tag(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


@dataclass(frozen=True)
class AddressBook:
    """An address book found on the server: its absolute URL and the name it shows."""

    url: str
    name: str
    sync_collection: bool = False  # RFC 6578 offered
    vcard4: bool = False  # the server accepts only vCard 4.0


@dataclass
class Listing:
    """What changed on the server since the cursor: href -> ETag of new or changed cards (of every
    card when `full`: the caller compares ETags), the hrefs deleted, and the cursor to keep once
    they are stored."""

    changed: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    cursor: dict[str, Any] = field(default_factory=dict)
    full: bool = False  # every card was listed (so a card not listed is gone)


class Stale(Exception):
    """412 Precondition Failed: the card changed (or appeared) on the server since it was read."""


class DavClient:
    """One account on one CardDAV server: an httpx client with its credentials."""

    def __init__(self, url: str, user: str | None, password: str | None, ca_file: str | None = None) -> None:
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_file) if ca_file else True
        auth = httpx.BasicAuth(user, password or "") if user else None
        self.base = url
        self.http = httpx.Client(auth=auth, verify=verify, timeout=TIMEOUT_SECONDS, follow_redirects=True)

    def __enter__(self) -> DavClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.http.close()

    # --- requests ---------------------------------------------------------------------------

    def request(
        self, method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """One request; transport failures and a refused login become SyncError."""
        try:
            response = self.http.request(method, url, content=body, headers=headers or {})
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper():
                raise SyncError("certificate", _host(url)) from None
            raise SyncError("unreachable", _host(url)) from None
        except httpx.TimeoutException:
            raise SyncError("timeout", _host(url)) from None
        except httpx.TransportError as exc:
            raise SyncError("timeout", f"{_host(url)}: {type(exc).__name__}") from None
        if response.status_code == 401:
            raise SyncError("auth")
        return response

    def xml(self, method: str, url: str, body: ET.Element, depth: str) -> ET.Element:
        """A PROPFIND or REPORT answered 207 Multi-Status, parsed."""
        payload = ET.tostring(body, encoding="utf-8", xml_declaration=True)
        headers = {"Depth": depth, "Content-Type": "application/xml; charset=utf-8"}
        response = self.request(method, url, body=payload, headers=headers)
        if response.status_code == 404:
            raise SyncError("not_found", _path(url))
        if response.status_code != 207:
            raise SyncError("protocol", f"{method} {_path(url)}: HTTP {response.status_code}")
        try:
            return ET.fromstring(response.content)
        except ET.ParseError:
            raise SyncError("protocol", f"{method} {_path(url)}: not XML") from None

    def propfind(self, url: str, props: list[str], depth: str = "0") -> list[tuple[str, ET.Element]]:
        """(absolute href, its <prop> of 200 properties) per resource."""
        root = ET.Element(_tag(DAV, "propfind"))
        prop = ET.SubElement(root, _tag(DAV, "prop"))
        for name in props:
            ns, _, local = name.partition(":")
            ET.SubElement(prop, _tag(_NS[ns], local))
        return [(h, p) for h, p, _s in self._responses(url, self.xml("PROPFIND", url, root, depth))]

    def _responses(self, url: str, multistatus: ET.Element) -> list[tuple[str, ET.Element, int]]:
        """(absolute href, merged 200 <prop>, status) of each <response>; status 404 when the
        response says the resource is gone (sync-collection)."""
        found = []
        for response in multistatus.iter(_tag(DAV, "response")):
            href = (response.findtext(_tag(DAV, "href")) or "").strip()
            if not href:
                continue
            status = _status(response.findtext(_tag(DAV, "status")))
            prop = ET.Element(_tag(DAV, "prop"))
            for propstat in response.findall(_tag(DAV, "propstat")):
                if _status(propstat.findtext(_tag(DAV, "status"))) == 200:
                    for child in propstat.find(_tag(DAV, "prop")) or []:
                        prop.append(child)
            found.append((urljoin(url, href), prop, status or 200))
        return found

    # --- discovery --------------------------------------------------------------------------

    def address_books(self) -> list[AddressBook]:
        """The address books of the account the URL leads to (RFC 6764, then RFC 6352 section 7)."""
        home = self._home(self.base)
        if home is None:
            parts = urlsplit(self.base)
            home = self._home(f"{parts.scheme}://{parts.netloc}/.well-known/carddav")
        if home is None:
            raise SyncError("not_found", "no CardDAV address books at this address")
        if isinstance(home, AddressBook):
            return [home]
        books = []
        props = ["d:resourcetype", "d:displayname", "d:supported-report-set", "c:supported-address-data"]
        for href, prop in self.propfind(home, props, depth="1"):
            if _is_book(prop):
                books.append(_book(href, prop))
        return books

    def _home(self, url: str) -> str | AddressBook | None:
        """The address-book home set reached from a URL, or the address book the URL itself is."""
        props = [
            "d:resourcetype", "d:displayname", "d:current-user-principal", "c:addressbook-home-set",
            "d:supported-report-set", "c:supported-address-data",
        ]  # fmt: skip
        try:
            found = self.propfind(url, props)
        except SyncError as exc:
            if exc.kind in ("not_found", "protocol"):
                return None
            raise
        if not found:
            return None
        href, prop = found[0]
        if _is_book(prop):
            return _book(href, prop)
        home = _href_in(prop, CARD, "addressbook-home-set", href)
        if home:
            return home
        principal = _href_in(prop, DAV, "current-user-principal", href)
        if principal and principal.rstrip("/") != href.rstrip("/"):
            for _h, principal_prop in self.propfind(principal, ["c:addressbook-home-set"]):
                return _href_in(principal_prop, CARD, "addressbook-home-set", principal)
        return None

    # --- reading ----------------------------------------------------------------------------

    def changes(self, book: AddressBook, cursor: dict[str, Any], known: dict[str, str]) -> Listing:
        """What changed since the cursor: by sync-collection when offered, else the ETags of one
        PROPFIND; `known` is href -> ETag kept from the last sync (a card known and not listed is gone)."""
        listing = None
        if book.sync_collection:
            token = cursor.get("sync_token")
            try:
                listing = self._sync_collection(book.url, token if known else None)
            except SyncError:
                if not token:
                    raise
                # An expired or refused token: list the whole book once more (below).
        if listing is None:
            listing = self._listed(book)
        if listing.full:  # a whole listing names every card there, so a known card not in it is gone
            listing.deleted = [h for h in known if h not in listing.changed]
        return listing

    def _listed(self, book: AddressBook) -> Listing:
        """Every card of the book with its ETag, from one PROPFIND."""
        listing = Listing(full=True)
        for href, prop in self.propfind(book.url, ["d:getetag", "d:resourcetype"], depth="1"):
            kinds = prop.find(_tag(DAV, "resourcetype"))
            if href.rstrip("/") == book.url.rstrip("/") or (kinds is not None and len(kinds)):
                continue  # the book itself, or a collection inside it
            listing.changed[href] = (prop.findtext(_tag(DAV, "getetag")) or "").strip()
        return listing

    def _sync_collection(self, url: str, token: str | None) -> Listing:
        root = ET.Element(_tag(DAV, "sync-collection"))
        ET.SubElement(root, _tag(DAV, "sync-token")).text = token or ""
        ET.SubElement(root, _tag(DAV, "sync-level")).text = "1"
        ET.SubElement(ET.SubElement(root, _tag(DAV, "prop")), _tag(DAV, "getetag"))
        multistatus = self.xml("REPORT", url, root, "0")
        listing = Listing(full=not token)
        for href, prop, status in self._responses(url, multistatus):
            if href.rstrip("/") == url.rstrip("/"):
                continue
            if status == 404:
                listing.deleted.append(href)
            else:
                listing.changed[href] = (prop.findtext(_tag(DAV, "getetag")) or "").strip()
        new_token = multistatus.findtext(_tag(DAV, "sync-token"))
        listing.cursor = {"sync_token": new_token} if new_token else {}
        return listing

    def multiget(self, book: AddressBook, hrefs: list[str]) -> dict[str, tuple[str, str]]:
        """href -> (ETag, card text) of the cards asked for, MULTIGET_BATCH at a time; a card gone
        meanwhile is left out."""
        cards: dict[str, tuple[str, str]] = {}
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            root = ET.Element(_tag(CARD, "addressbook-multiget"))
            prop = ET.SubElement(root, _tag(DAV, "prop"))
            ET.SubElement(prop, _tag(DAV, "getetag"))
            ET.SubElement(prop, _tag(CARD, "address-data"))
            for href in hrefs[start : start + MULTIGET_BATCH]:
                ET.SubElement(root, _tag(DAV, "href")).text = urlsplit(href).path
            for href, got, status in self._responses(book.url, self.xml("REPORT", book.url, root, "1")):
                data = got.findtext(_tag(CARD, "address-data"))
                if status == 200 and data is not None:
                    cards[href] = ((got.findtext(_tag(DAV, "getetag")) or "").strip(), data)
        return cards

    # --- writing ----------------------------------------------------------------------------

    def put(self, url: str, card: str, *, etag: str | None) -> str | None:
        """Write a card: a new one with If-None-Match: *, a known one with If-Match; its new ETag
        (None when the server does not say). Raises Stale on 412."""
        headers = {"Content-Type": "text/vcard; charset=utf-8"}
        headers["If-Match" if etag else "If-None-Match"] = etag or "*"
        response = self.request("PUT", url, body=card.encode("utf-8"), headers=headers)
        if response.status_code == 412:
            raise Stale(url)
        if response.status_code not in (200, 201, 204):
            raise SyncError("protocol", f"PUT {_path(url)}: HTTP {response.status_code}")
        return response.headers.get("ETag")

    def delete(self, url: str, *, etag: str | None) -> None:
        """Remove a card if it is still as last seen (If-Match); one already gone is fine."""
        headers = {"If-Match": etag} if etag else {}
        response = self.request("DELETE", url, headers=headers)
        if response.status_code == 412:
            raise Stale(url)
        if response.status_code not in (200, 204, 404):
            raise SyncError("protocol", f"DELETE {_path(url)}: HTTP {response.status_code}")


def _status(line: str | None) -> int | None:
    """The code of `HTTP/1.1 404 Not Found`."""
    parts = (line or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _href_in(prop: ET.Element, ns: str, name: str, base: str) -> str | None:
    found = prop.find(_tag(ns, name))
    href = found.findtext(_tag(DAV, "href")) if found is not None else None
    return urljoin(base, href.strip()) if href and href.strip() else None


def _is_book(prop: ET.Element) -> bool:
    kinds = prop.find(_tag(DAV, "resourcetype"))
    return kinds is not None and kinds.find(_tag(CARD, "addressbook")) is not None


def _book(href: str, prop: ET.Element) -> AddressBook:
    name = (prop.findtext(_tag(DAV, "displayname")) or "").strip()
    reports = prop.find(_tag(DAV, "supported-report-set"))
    syncs = reports is not None and reports.find(f".//{_tag(DAV, 'sync-collection')}") is not None
    versions = {
        e.get("version", "3.0") for e in prop.iter(_tag(CARD, "address-data-type")) if e.get("version")
    }
    if not name:
        name = unquote(urlsplit(href).path.rstrip("/").rsplit("/", 1)[-1])
    return AddressBook(url=href, name=name, sync_collection=syncs, vcard4=versions == {"4.0"})


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _path(url: str) -> str:
    return urlsplit(url).path


def card_url(book: AddressBook, uid: str) -> str:
    """Where a new card for a UID goes: the UID made safe for a path, with .vcf."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in uid.removeprefix("urn:uuid:"))
    return urljoin(book.url if book.url.endswith("/") else book.url + "/", f"{safe}.vcf")
