"""People as vCard 3.0 cards (vobject), the version address books import most reliably.

Every card carries the person's names (N, FN, NICKNAME), emails, phones and web addresses with
their labels as TYPE (a label that is not a plain word becomes an Apple/Google `itemN.X-ABLabel`),
ORG with the department, TITLE, BDAY (`--MMDD` when the year is unknown), NOTE, CATEGORIES from
the tags, and everything an import kept in `Person.extra`, written back as it came.

`Person.extra["vcard"]` is what the vCard importer kept: `[name, params, value]` per property, the
value as the card wrote it; those lines are written back verbatim and in their order, so import ->
export -> import gives the same people. Other shapes are read too: a raw content line
(`"X-ABUID:123"`), a property name mapped to raw values (`{"ADR": [";;1 Main St;Paris;;;"]}`) or to
`{"value": ..., "params": {...}}`. Entries that are not vCard properties (a LinkedIn field, a CSV
column, the importer's own notes such as `photo`) are kept losslessly as `X-TIELINE-EXTRA` lines
holding `{key: value}` as JSON.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

import vobject
from vobject.base import ContentLine, ParseError, defaultSerialize, textLineToContentLine

from tieline.models import Person

VERSION = "3.0"
PRODID = "-//tieline//tieline//EN"
UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://tieline.invalid/person")
EXTRA_PROPERTY = "X-TIELINE-EXTRA"
LINE_LENGTH = 75

# Properties every card gets exactly once; a copy of one in `extra` would contradict it.
_WRITTEN_ONCE = frozenset({"VERSION", "PRODID", "UID", "FN", "N", "BDAY", "REV"})
_TOKEN = re.compile(r"^[A-Za-z0-9-]+$")
# TYPE values that say how to use a value rather than label it: readers drop them as labels.
NOT_LABELS = frozenset({"internet", "pref", "voice", "x400", "msg", "text"})
_PROPERTY_NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z][A-Za-z0-9-]*$")
_CONTENT_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z][A-Za-z0-9-]*(?:;[^:\r\n]*)?:", re.DOTALL)


def uid(person: Person) -> str:
    """The card's UID: the vCard's own UID for a person imported from one, else a stable URN."""
    if person.source == "vcard" and person.source_id:
        return person.source_id
    if person.source and person.source_id:
        key = f"{person.source}:{person.source_id}"
    else:
        key = f"tieline:{person.owner_id}:{person.id}"
    return f"urn:uuid:{uuid.uuid5(UID_NAMESPACE, key)}"


def bday(person: Person) -> str | None:
    """YYYY-MM-DD, or --MMDD when the year is unknown (RFC 6350's truncated form)."""
    if person.birthday_month is None or person.birthday_day is None:
        return None
    if person.birthday_year:
        return f"{person.birthday_year:04d}-{person.birthday_month:02d}-{person.birthday_day:02d}"
    return f"--{person.birthday_month:02d}{person.birthday_day:02d}"


class _Card:
    """A card being built line by line, in the order written (vobject's own serialisation would sort
    the properties by name, pulling apart what a card kept together)."""

    def __init__(self, taken_groups: set[str]) -> None:
        self._component = vobject.vCard()  # gives each line its vCard 3.0 escaping rules
        self.lines: list[ContentLine] = []
        self._groups = 0
        self._taken = taken_groups

    def add(self, name: str, value: Any, *, types: list[str] | None = None, group: str | None = None) -> None:
        line = self._component.add(name, group=group)
        line.value = value
        if types:
            line.type_paramlist = types
        self.lines.append(line)

    def add_labelled(self, name: str, value: str, label: str | None) -> None:
        """A value with its label: as TYPE when the label is made of plain lower-case type words,
        else (a custom label, capitals) as an item group's X-ABLabel, which keeps it as written."""
        types = label.split(",") if label else []
        if all(_TOKEN.match(t) and t == t.lower() and t not in NOT_LABELS for t in types):
            self.add(name, value, types=types or None)
            return
        group = self._next_group()
        self.add(name, value, group=group)
        self.add("X-ABLabel", label, group=group)

    def _next_group(self) -> str:
        """The next `itemN` not used by a property an import kept."""
        while True:
            self._groups += 1
            if f"item{self._groups}" not in self._taken:
                return f"item{self._groups}"


def card_text(person: Person) -> str:
    """The vCard of one person, CRLF line ends, folded at 75 characters (emails, phones, links and
    tags must be loaded)."""
    kept = [line for line in extra_lines(person.extra) if line.name.upper() not in _WRITTEN_ONCE]
    card = _Card({line.group.lower() for line in kept if line.group})
    card.add("VERSION", VERSION)
    card.add("PRODID", PRODID)
    card.add("UID", uid(person))
    card.add("FN", person.display_name)
    card.add(
        "N",
        vobject.vcard.Name(
            family=person.family_name or "",
            given=person.given_name or "",
            additional=person.middle_name or "",
            prefix=person.name_prefix or "",
            suffix=person.name_suffix or "",
        ),
    )
    if person.nickname:
        card.add("NICKNAME", person.nickname)
    for email in person.emails:
        card.add_labelled("EMAIL", email.address, email.label)
    for phone in person.phones:
        card.add_labelled("TEL", phone.number, phone.label)
    for link in person.links:
        card.add_labelled("URL", link.url, link.label)
    if person.company or person.department:
        card.add("ORG", [person.company or "", *([person.department] if person.department else [])])
    if person.title:
        card.add("TITLE", person.title)
    if birthday := bday(person):
        card.add("BDAY", birthday)
    if person.notes:
        card.add("NOTE", person.notes)
    if person.tags:
        card.add("CATEGORIES", [t.tag for t in person.tags])
    out = io.StringIO()
    out.write("BEGIN:VCARD\r\n")
    for line in card.lines:
        line.serialize(out, LINE_LENGTH, validate=False)
    for line in kept:
        defaultSerialize(line, out, LINE_LENGTH)  # as the card wrote it: no escaping added
    out.write("END:VCARD\r\n")
    return out.getvalue()


def extra_lines(extra: Any) -> Iterator[ContentLine]:
    """The content lines an import kept in `Person.extra`, in the order it kept them."""
    if not extra:
        return
    if not isinstance(extra, dict):
        yield from _lines_of(None, extra)
        return
    for key, value in extra.items():
        if isinstance(key, str) and key.lower() == "vcard":
            yield from _lines_of(None, value)
        elif isinstance(key, str) and _is_property_name(key):
            yield from _lines_of(key, value)
        else:
            yield _extra_line({str(key): value})


def _is_property_name(key: str) -> bool:
    """ADR, X-ABUID, item1.X-ABDATE: written as a vCard would, upper-case (lower-case keys are an
    importer's own fields)."""
    prop = key.rpartition(".")[2]
    return bool(_PROPERTY_NAME.match(key)) and (prop.isupper() or prop.upper().startswith("X-"))


def _lines_of(name: str | None, value: Any) -> Iterator[ContentLine]:
    items = value if isinstance(value, list) and not _is_triple(value) else [value]
    for item in items:
        line = _line(name, item)
        if line is not None:
            yield line
        else:
            yield _extra_line({name: item} if name is not None else item)


def _is_triple(item: Any) -> bool:
    """[name, {PARAM: [values]}, raw value]: how the vCard importer keeps a property."""
    return (
        isinstance(item, list)
        and len(item) == 3
        and isinstance(item[0], str)
        and isinstance(item[1], dict)
        and isinstance(item[2], str)
        and bool(_PROPERTY_NAME.match(item[0]))
    )


def _line(name: str | None, item: Any) -> ContentLine | None:
    """A content line from a kept property, a raw line, or a value under a property name.

    Kept values are as the card wrote them (escapes included), so they are written back verbatim.
    """
    params: Any = {}
    if _is_triple(item):
        name, params, item = item
    elif name is None:
        if not isinstance(item, str) or not _CONTENT_LINE.match(item):
            return None
        try:
            line = textLineToContentLine(item)
        except ParseError:
            return None
        line.encoded = True
        return line
    elif isinstance(item, dict) and "value" in item:
        params, item = item.get("params") or {}, item["value"]
    if name is None or not isinstance(item, str) or not isinstance(params, dict):
        return None
    group, _, prop = name.rpartition(".")
    line = ContentLine(prop, [], item, group=group or None, encoded=True)
    for key, values in params.items():
        line.params[str(key).upper()] = [str(v) for v in (values if isinstance(values, list) else [values])]
    return line


def _extra_line(entry: Any) -> ContentLine:
    """An entry with no vCard meaning (a CSV column, an importer's note), kept whole as JSON,
    escaped as vCard text."""
    text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    return ContentLine(EXTRA_PROPERTY, [], escape_text(text), encoded=True)


def escape_text(text: str) -> str:
    """A vCard 3.0 text value: backslash, comma, semicolon and line breaks escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def write_vcards(people: Iterable[Person], out: TextIO) -> int:
    """Write one card per person to a text stream opened with newline=""; returns how many."""
    count = 0
    for person in people:
        out.write(card_text(person))
        count += 1
    return count
