"""The phone's side of an address book: a CardDAV client made of plain httpx requests, as a phone
syncs (PUT a card, DELETE one, read them back), and the cards it writes."""

from __future__ import annotations

import quopri
import re
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx

from tests.sync.servers import Radicale

# Read in place, never copied: beside the repository (as tests/importers/test_vcard.py finds them),
# or where a worktree elsewhere sees them.
FIXTURES = next(
    (p for p in (Path(__file__).parents[3] / "shared" / "fixtures" / "vcard", Path("/work/shared/fixtures/vcard"))
     if p.is_dir()),
    Path(__file__).parents[3] / "shared" / "fixtures" / "vcard",
)  # fmt: skip
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
    given, family = ([*name.split(" ", 1), ""])[:2]
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

    def put_fixture(self, name: str) -> tuple[list[str], list[int]]:
        """Each card of a fixture file saved on its own, as the phone's CardDAV client sends it
        (`as_sent`): (the cards the server took, the numbers of those it refused)."""
        taken, refused = [], []
        for n, body in enumerate(as_sent(FIXTURES / name)):
            uid = re.search(r"^UID:(.+)$", body, re.M).group(1).strip()  # type: ignore[union-attr]
            href = f"{self.book_url}{n}-{re.sub(r'[^A-Za-z0-9-]', '-', uid)[:60]}.vcf"
            answer = self.http.put(href, content=body.encode(), headers={"Content-Type": "text/vcard"})
            if answer.status_code in (201, 204):
                taken.append(body)
            else:
                refused.append(n)
        return taken, refused

    def delete(self, href: str) -> None:
        """Remove a card (by URL or path), as a phone does."""
        assert self.http.delete(httpx.URL(self.book_url).join(href)).status_code in (200, 204)

    def etags(self) -> dict[str, str]:
        """href path -> ETag of every card."""
        answer = self.http.request(
            "PROPFIND", self.book_url, content=_PROPFIND,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )  # fmt: skip
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


def as_sent(path: Path) -> list[str]:
    """The cards of an address book export as a phone's CardDAV client puts them on a server: one
    vCard 3.0 each, CRLF line ends, with a UID, FN and N (servers refuse a card without them).

    The 2.1 exports (Android, Outlook) are converted the way such a client does, their content
    kept: quoted-printable decoded, bare parameters (`TEL;CELL`) as TYPE, base64 marked `b`. Both
    Radicale and Xandikos refuse those files as exported (2.1 soft line breaks, raw line breaks).
    """
    text = path.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    sent = []
    for n, found in enumerate(re.findall(r"BEGIN:VCARD\n.*?END:VCARD", text, re.S | re.I)):
        logical: list[str] = []
        for line in found.split("\n"):
            if not line.strip():
                continue
            if line[0] in " \t" and logical:
                logical[-1] += line[1:]
            elif (
                logical
                and logical[-1].endswith("=")
                and "QUOTED-PRINTABLE" in logical[-1].split(":", 1)[0].upper()
            ):
                logical[-1] = logical[-1][:-1] + line  # a 2.1 soft line break
            else:
                logical.append(line)
        version = next(
            (line.split(":", 1)[1].strip() for line in logical if line.upper().startswith("VERSION:")), "3.0"
        )
        lines = [_to_30(line) if version == "2.1" else line for line in logical]
        names = {line.split(":", 1)[0].split(";", 1)[0].split(".")[-1].upper() for line in lines}
        body = [line for line in lines if not line.upper().startswith(("VERSION:", "BEGIN:", "END:"))]
        head = ["BEGIN:VCARD", "VERSION:3.0"]
        if "UID" not in names:
            head.append(f"UID:{path.stem}-{n}")
        if "FN" not in names:
            shown = next(
                (line.split(":", 1)[1] for line in lines if line.upper().startswith(("EMAIL", "TEL"))), "?"
            )
            head.append(f"FN:{shown}")
        if "N" not in names:
            head.append("N:;;;;")
        sent.append("".join(_fold(line) for line in [*head, *body, "END:VCARD"]))
    return sent


def _to_30(line: str) -> str:
    """One 2.1 content line as 3.0."""
    head, _, value = line.partition(":")
    name, *params = head.split(";")
    kept, types, qp, charset = [], [], False, "utf-8"
    for param in params:
        key, eq, val = param.partition("=")
        if not eq:
            types.append(key)
        elif key.upper() == "TYPE":
            types.extend(val.split(","))
        elif key.upper() == "ENCODING" and val.upper() == "QUOTED-PRINTABLE":
            qp = True
        elif key.upper() == "ENCODING" and val.upper() == "BASE64":
            kept.append("ENCODING=b")
        elif key.upper() == "CHARSET":
            charset = val
        else:
            kept.append(param)
    if qp:
        value = quopri.decodestring(value.encode("latin-1", errors="replace")).decode(
            charset, errors="replace"
        )
        value = value.replace("\r\n", "\\n").replace("\n", "\\n")
    if types:
        kept.insert(0, "TYPE=" + ",".join(types))
    return ";".join([name, *kept]) + ":" + value


def _fold(line: str) -> str:
    parts = [line[:75]] + [" " + line[i : i + 74] for i in range(75, len(line), 74)]
    return "\r\n".join(parts) + "\r\n"
