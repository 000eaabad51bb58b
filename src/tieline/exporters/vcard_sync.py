"""Cards written to a CardDAV address book from a person's synced fields (services/sync/card_fields).

Only what phones show is written: N, FN, EMAIL and TEL with their types, ORG, TITLE, BDAY, ADR, URL,
and NOTE when the user opted in. A card that is on the server already is patched, not replaced:
the synced properties are rewritten and every other line (PHOTO, X-*, IMPP, RELATED...) is kept
byte for byte, so nothing a phone stored is lost. vCard 3.0 by default, 4.0 when the address book
takes nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from tieline.exporters.vcard import LINE_LENGTH, NOT_LABELS, PRODID
from tieline.exporters.vcard import escape_text as escape

# The properties the sync owns; NOTE only when notes are synced.
SYNCED = ("FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "BDAY", "ADR", "URL")
_TOKEN = re.compile(r"^[a-z0-9-]+$")
_HEAD = re.compile(r"^(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)[;:]")


def fold(line: str) -> str:
    """A content line folded at 75 characters (RFC 6350 3.2), CRLF ended."""
    parts = [line[:LINE_LENGTH]]
    rest = line[LINE_LENGTH:]
    while rest:
        parts.append(" " + rest[: LINE_LENGTH - 1])
        rest = rest[LINE_LENGTH - 1 :]
    return "\r\n".join(parts) + "\r\n"


class _Lines:
    """The synced properties of one card, with item groups for labels that are not plain types."""

    def __init__(self, taken: set[str]) -> None:
        self.out: list[str] = []
        self._taken = taken
        self._n = 0

    def add(self, name: str, value: str, params: str = "", group: str | None = None) -> None:
        self.out.append(fold(f"{group + '.' if group else ''}{name}{params}:{value}"))

    def labelled(self, name: str, value: str, label: str | None) -> None:
        types = label.split(",") if label else []
        if all(_TOKEN.match(t) and t not in NOT_LABELS for t in types):
            self.add(name, value, f";TYPE={','.join(types)}" if types else "")
            return
        while True:
            self._n += 1
            group = f"item{self._n}"
            if group not in self._taken:
                break
        self.add(name, value, group=group)
        self.add("X-ABLabel", escape(label or ""), group=group)


def _synced_lines(fields: dict[str, Any], taken: set[str]) -> list[str]:
    lines = _Lines(taken)
    fn, family, given, middle, prefix, suffix = fields["names"]
    lines.add("FN", escape(fn or ""))
    lines.add("N", ";".join(escape(p or "") for p in (family, given, middle, prefix, suffix)))
    for address, label in fields["emails"]:
        lines.labelled("EMAIL", escape(address), label)
    for number, label in fields["phones"]:
        lines.labelled("TEL", escape(number), label)
    company, department, title = fields["org"]
    if company or department:
        lines.add("ORG", ";".join(escape(p) for p in (company or "", department) if p is not None))
    if title:
        lines.add("TITLE", escape(title))
    if birthday := fields.get("birthday"):
        # No year: RFC 6350's --MMDD, which phones (and 3.0 readers) take.
        lines.add("BDAY", "--" + birthday[2:].replace("-", "") if birthday.startswith("--") else birthday)
    for label, raw in fields["addresses"]:
        lines.labelled("ADR", raw, label)
    for url, label in fields["urls"]:
        lines.labelled("URL", url, label)
    if fields.get("notes"):
        lines.add("NOTE", escape(fields["notes"]))
    return lines.out


def new_card(fields: dict[str, Any], *, uid: str, version: str = "3.0") -> str:
    """A card for a person the server does not have yet."""
    head = [fold(f"VERSION:{version}"), fold(f"PRODID:{PRODID}"), fold(f"UID:{uid}")]
    return "BEGIN:VCARD\r\n" + "".join(head + _synced_lines(fields, set())) + "END:VCARD\r\n"


def patched_card(text: str, fields: dict[str, Any], *, notes: bool) -> str:
    """The server's card with its synced properties rewritten from `fields`; every other line as it
    was, in its place."""
    owned = set(SYNCED) | ({"NOTE"} if notes else set())
    logical = _unfolded(text)
    dropped_groups = set()
    for line in logical:
        m = _HEAD.match(line)
        if m and m.group(1) and m.group(2).upper() in owned:
            dropped_groups.add(m.group(1).lower())
    kept: list[str] = []
    for line in logical:
        m = _HEAD.match(line)
        name, group = (m.group(2).upper(), (m.group(1) or "").lower()) if m else ("", "")
        if name in owned or (group and group in dropped_groups):
            continue
        if name == "END" and line.strip().upper() == "END:VCARD":
            break
        kept.append(line)
    taken = {m.group(1).lower() for line in kept if (m := _HEAD.match(line)) and m.group(1)}
    body = "".join(fold(line) for line in kept)
    return body + "".join(_synced_lines(fields, taken)) + "END:VCARD\r\n"


def _unfolded(text: str) -> list[str]:
    """The card's logical lines (folding undone), line ends dropped."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines
