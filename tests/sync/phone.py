"""The phone's side of an address book: a CardDAV client made of plain httpx requests, as a phone
syncs (PUT a card, DELETE one, read them back), and the cards it writes."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx

from tests.sync.servers import Radicale

FIXTURES = Path("/work/shared/fixtures/vcard")
_MKCOL = (
    '<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" '
    'xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/>'
    "<c:addressbook/></d:resourcetype><d:displayname>{name}</d:displayname></d:prop></d:set></d:mkcol>"
)
_PROPFIND = (
    '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/>'
    "</d:prop></d:propfind>"
)


def card(uid: str, name: str, *, email: str | None = None, phone: str | None = None, extra: str = "") -> str:
    """A vCard 3.0 as a phone writes one."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", "PRODID:-//Phone//Contacts 1.0//EN", f"UID:{uid}", f"FN:{name}"]
    given, family = (name.split(" ", 1) + [""])[:2]
    lines.append(f"N:{family};{given};;;")
    if email:
        lines.append(f"EMAIL;TYPE=INTERNET,HOME:{email}")
    if phone:
        lines.append(f"TEL;TYPE=CELL:{phone}")
    if extra:
        lines.extend(extra.strip().splitlines())
    return "\r\n".join([*lines, "END:VCARD"]) + "\r\n"


class Phone:
    """One user's address book on a server, read and written over plain HTTP."""

    def __init__(self, book_url: str, user: str | None = None, password: str | None = None) -> None:
        self.book_url = book_url
        self.user, self.password = user, password
        self.http = httpx.Client(auth=(user, password or "") if user else None, timeout=30)

    @classmethod
    def on_radicale(cls, radicale: Radicale, books: tuple[str, ...] = ("contacts",)) -> Phone:
        """A new Radicale user with these address books; the phone uses the first."""
        user, password = radicale.new_user()
        for book in books:
            url = f"{radicale.url}{user}/{book}/"
            made = httpx.request(
                "MKCOL", url, content=_MKCOL.format(name=book.title()), auth=(user, password)
            )
            assert made.status_code == 201, made.text
        return cls(f"{radicale.url}{user}/{books[0]}/", user, password)

    def put(self, uid: str, text: str) -> str:
        """Save a card as `<uid>.vcf`; its href."""
        href = f"{self.book_url}{uid}.vcf"
        answer = self.http.put(href, content=text.encode(), headers={"Content-Type": "text/vcard"})
        assert answer.status_code in (201, 204), (answer.status_code, answer.text)
        return href

    def put_fixture(self, name: str) -> list[str]:
        """Each card of a fixture file saved on its own, as a phone syncs it (a UID added where the
        exporter wrote none: a server keeps one per card)."""
        text = (FIXTURES / name).read_bytes().decode("utf-8", errors="replace")
        hrefs = []
        for n, found in enumerate(re.findall(r"BEGIN:VCARD.*?END:VCARD\r?\n?", text, re.S | re.I)):
            body = found if found.endswith("\n") else found + "\r\n"
            uid_line = re.search(r"^UID:(.+)$", body, re.M)
            uid = uid_line.group(1).strip() if uid_line else f"{Path(name).stem}-{n}"
            if not uid_line:
                body = re.sub(r"(VERSION:[^\r\n]*\r?\n)", rf"\1UID:{uid}\r\n", body, count=1)
            hrefs.append(self.put(re.sub(r"[^A-Za-z0-9-]", "-", uid), body))
        return hrefs

    def delete(self, href: str) -> None:
        """Remove a card, as a phone does."""
        assert self.http.delete(href).status_code in (200, 204)

    def etags(self) -> dict[str, str]:
        """href path -> ETag of every card."""
        answer = self.http.request("PROPFIND", self.book_url, content=_PROPFIND, headers={"Depth": "1"})
        assert answer.status_code == 207, answer.text
        found = {}
        for response in ET.fromstring(answer.content).iter("{DAV:}response"):
            href = response.findtext("{DAV:}href") or ""
            etag = response.findtext(".//{DAV:}getetag")
            if etag and not href.endswith("/"):
                found[href] = etag
        return found

    def cards(self) -> dict[str, str]:
        """href path -> card text of every card."""
        base = httpx.URL(self.book_url)
        return {href: self.http.get(base.join(href)).text for href in self.etags()}

    def find(self, needle: str) -> tuple[str, str]:
        """(href path, text) of the one card holding `needle`."""
        [hit] = [(h, t) for h, t in self.cards().items() if needle in t]
        return hit

    def edit(self, href_path: str, old: str, new: str) -> None:
        """Change a card in place as a phone does (If-Match its ETag)."""
        url = httpx.URL(self.book_url).join(href_path)
        got = self.http.get(url)
        assert old in got.text, got.text
        answer = self.http.put(
            url, content=got.text.replace(old, new).encode(),
            headers={"Content-Type": "text/vcard", "If-Match": got.headers["ETag"]},
        )  # fmt: skip
        assert answer.status_code in (200, 201, 204), answer.text

    def clear(self) -> None:
        """Remove every card (a shared server's book, emptied for the next test)."""
        base = httpx.URL(self.book_url)
        for href in self.etags():
            self.http.delete(base.join(href))


def new_uid() -> str:
    """A UID as phones make them."""
    return str(uuid.uuid4()).upper()
