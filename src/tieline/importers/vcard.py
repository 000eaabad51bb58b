"""vCard 2.1, 3.0 and 4.0 -> PersonRecord, one per card; a broken card is skipped, the others kept.

What has a field of its own goes there (FN, N, NICKNAME, ORG, TITLE, BDAY, EMAIL, TEL, URL, NOTE,
CATEGORIES). Everything else the card says about the person (ADR, ROLE, X-*, IMPP, RELATED, ...)
is kept in `extra["vcard"]` as a list of raw `[name, params, value]` (name with its group, as in
`item1.X-ABDATE`; value as written, backslash escapes kept) so an exporter can write it back.
`location` is derived from the first ADR, which stays in `extra` as well.

Photos are not stored: `extra["photo"]` (and "logo", "sound") records that the card had one (media
type, size in bytes, or the URL of a linked photo). Card bookkeeping (VERSION, PRODID, REV) is not
kept. `X-TIELINE-EXTRA` lines, which tieline's own export writes for the keys of `extra` that are
not vCard properties, are read back into those keys, so import -> export -> import is lossless.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tieline import validate
from tieline.errors import InvalidInput
from tieline.importers.records import (
    LabeledValue,
    MalformedFile,
    Origin,
    PersonRecord,
    SkippedRecord,
)
from tieline.importers.text_files import iter_lines, read_head
from tieline.importers.vcard_lines import (
    LineError,
    Property,
    RawCard,
    Stray,
    base64_size,
    parse_properties,
    split_cards,
    split_escaped,
    unescape,
)

SOURCE = "vcard"
_BOOKKEEPING = {"VERSION", "PRODID", "REV", "BEGIN", "END"}
_NOT_LABELS = {"internet", "pref", "voice", "x400", "msg", "text"}
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_DATA_URI = re.compile(r"data:([^;,]*)(;base64)?,", re.IGNORECASE)


def sniff(path: Path) -> bool:
    """True when the file starts like a vCard (BEGIN:VCARD, after a BOM or blank lines)."""
    return read_head(path, 1024).lstrip().upper().startswith("BEGIN:VCARD")


def parse(path: Path, *, options: object = None) -> Iterator[PersonRecord | SkippedRecord]:
    """Each card of a .vcf file as a PersonRecord, or a SkippedRecord saying why it could not be used.

    Raises MalformedFile when the file holds no card at all.
    """
    name = str(path)
    pending: list[SkippedRecord] = []  # stray text is reported only once the file proves to hold cards
    cards = 0
    for item in split_cards(iter_lines(path)):
        if isinstance(item, Stray):
            pending.append(SkippedRecord(Origin(name, item.line), item.reason))
            if cards:
                yield from pending
                pending.clear()
            continue
        cards += 1
        yield from pending
        pending.clear()
        yield _card_record(name, item)
    if cards == 0:
        line = pending[0].origin.line if pending else 1
        raise MalformedFile(name, line, None, "not a vCard file: no BEGIN:VCARD ... END:VCARD card found")
    yield from pending


def read_card(text: str, name: str) -> PersonRecord | SkippedRecord:
    """One card given as text (a CardDAV server's), read as a file's card is; `name` says where it
    came from in the report. Anything but exactly one card is a SkippedRecord."""
    lines = enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1)
    items = list(split_cards(lines))
    cards = [item for item in items if isinstance(item, RawCard)]
    if len(cards) != 1:
        reason = items[0].reason if items and isinstance(items[0], Stray) else "not one vCard"
        return SkippedRecord(Origin(name, 1), reason)
    return _card_record(name, cards[0])


def _card_record(path: str, card: RawCard) -> PersonRecord | SkippedRecord:
    origin = Origin(path, card.line)
    try:
        props = parse_properties(card)
    except LineError as exc:
        return SkippedRecord(
            Origin(path, exc.line), f"broken card starting at line {card.line}: {exc.problem}"
        )
    record = PersonRecord(source=SOURCE, source_id="", origin=origin)
    labels = _apple_labels(props)
    kept: list[list[Any]] = []
    preferred: list[LabeledValue] = []
    for prop in props:
        if prop.name == "X-ABLABEL" and prop.group in labels:
            continue  # folded into the label of the value it names
        if not _map(record, prop, labels.get(prop.group or ""), preferred):
            kept.append(prop.raw())
    _preferred_first(record.emails, preferred)
    _preferred_first(record.phones, preferred)
    record.source_id = _source_id(props)
    if not record.display_name:
        record.display_name = _derived_name(record)
        if not record.display_name:
            return SkippedRecord(origin, "card has no name, organisation, email or phone number")
        record.extra["name_derived"] = True
    # One key order whatever the card's line order, so import -> export -> import is byte-stable.
    record.extra = {**({"vcard": kept} if kept else {}), **dict(sorted(record.extra.items()))}
    return record


def _map(record: PersonRecord, prop: Property, label: str | None, preferred: list[LabeledValue]) -> bool:
    """Put the property in its field; False when it has none (the caller keeps it in `extra`)."""
    name = prop.name
    if name in _BOOKKEEPING:
        return True
    if name in ("PHOTO", "LOGO", "SOUND"):
        return _binary(record, prop)
    text = unescape(prop.value).strip()
    if not text.replace(";", "").strip():
        return True  # an empty property (or one of empty components) says nothing
    if name == "UID":
        return True  # becomes the source_id
    if name == "X-TIELINE-EXTRA":
        return _tieline_extra(record, text)
    if name == "FN":
        if record.display_name:
            return False
        record.display_name = _squash(text)
        return True
    if name == "N":
        return _name(record, prop)
    if name == "NICKNAME" and not record.nickname:
        record.nickname = ", ".join(unescape(p).strip() for p in split_escaped(prop.value, ",") if p.strip())
        return True
    if name == "ORG":
        return _org(record, prop)
    if name == "TITLE" and not record.title:
        record.title = text
        return True
    if name == "BDAY" and not record.birthday:
        birthday = _birthday(prop)
        if birthday:
            record.birthday = birthday
            return True
        return False
    if name == "EMAIL":
        address = text.removeprefix("mailto:").strip()
        if "@" not in address or " " in address:
            return False  # not an address: kept as written in extra
        record.emails.append(LabeledValue(address, label or _type_label(prop)))
        if _is_preferred(prop):
            preferred.append(record.emails[-1])
        return True
    if name == "TEL":
        number = text[4:] if text.lower().startswith("tel:") else text
        record.phones.append(LabeledValue(number, label or _type_label(prop)))
        if _is_preferred(prop):
            preferred.append(record.phones[-1])
        return True
    if name == "URL":
        record.links.append(LabeledValue(text, label or _type_label(prop)))
        return True
    if name == "NOTE":
        record.notes = f"{record.notes}\n\n{text}" if record.notes else text
        return True
    if name == "CATEGORIES":
        for tag in split_escaped(prop.value, ","):
            tag = unescape(tag).strip()
            if tag and tag not in record.tags:
                record.tags.append(tag)
        return True
    if name == "ADR" and record.location is None:
        parts = [unescape(p).strip() for p in split_escaped(prop.value, ";")]
        # locality, region, country: enough to say where someone is; the full ADR stays in extra.
        record.location = ", ".join(parts[i] for i in (3, 4, 6) if i < len(parts) and parts[i]) or None
    return False


def _tieline_extra(record: PersonRecord, text: str) -> bool:
    """What tieline's own export wrote from `extra` (JSON), read back into `extra` for a lossless round trip."""
    try:
        entry = json.loads(text)
    except ValueError:
        return False
    if not isinstance(entry, dict) or "vcard" in entry:
        return False
    record.extra.update(entry)
    return True


def _name(record: PersonRecord, prop: Property) -> bool:
    if record.family_name or record.given_name:
        return False
    parts = [
        " ".join(unescape(v).strip() for v in split_escaped(p, ",") if v.strip())
        for p in split_escaped(prop.value, ";")
    ]
    parts += [""] * (5 - len(parts))
    family, given, middle, prefix, suffix = (_squash(p) or None for p in parts[:5])
    record.family_name, record.given_name, record.middle_name = family, given, middle
    record.name_prefix, record.name_suffix = prefix, suffix
    return len(parts) <= 5 or not any(parts[5:])


def _org(record: PersonRecord, prop: Property) -> bool:
    if record.company is not None:
        return False
    units = [unescape(p).strip() for p in split_escaped(prop.value, ";")]
    units = [u for u in units if u]
    if not units:
        return True
    record.company = units[0]
    record.department = units[1] if len(units) > 1 else None
    return len(units) <= 2  # deeper units: the raw ORG is kept too


def _birthday(prop: Property) -> str | None:
    """YYYY-MM-DD or --MM-DD from the forms phones write: 1980-03-22, 19800322, --0517, 1604-05-17."""
    raw = unescape(prop.value).strip()
    text = raw.split("T", 1)[0] if len(raw) > 8 and "T" in raw[6:] else raw
    omit_year = prop.params.get("X-APPLE-OMIT-YEAR", [None])[0]
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", text)
    if m:
        year, month, day = m.groups()
        # Apple writes year 1604 with X-APPLE-OMIT-YEAR; some Android exports write year 0000.
        no_year = year == omit_year or year in ("0000", "1604")
        candidate = f"--{month}-{day}" if no_year else f"{year}-{month}-{day}"
    else:
        m = re.fullmatch(r"--(\d{2})-?(\d{2})", text)
        if not m:
            return None
        candidate = f"--{m.group(1)}-{m.group(2)}"
    try:
        validate.birthday(candidate)
    except InvalidInput:
        return None
    return candidate


def _binary(record: PersonRecord, prop: Property) -> bool:
    """Photos and other binaries are not stored; extra says one existed (its type and size, or URL)."""
    value = prop.value.strip()
    if not value:
        return True
    key = prop.name.lower()
    media = next((t for t in prop.types if t not in ("pref",)), None)
    info: dict[str, Any] = {}
    data_uri = _DATA_URI.match(value)
    if data_uri:
        info["media_type"] = data_uri.group(1) or None
        info["bytes"] = base64_size(value[data_uri.end() :]) if data_uri.group(2) else len(value)
    elif prop.is_base64:
        info["media_type"] = f"image/{media}" if media and "/" not in media else media
        info["bytes"] = base64_size(value)
    elif re.match(r"[a-z][a-z0-9+.-]*:", value, re.IGNORECASE):
        info["url"] = value
    else:
        info["bytes"] = base64_size(value)
    record.extra[key] = {k: v for k, v in info.items() if v is not None}
    return True


def _apple_labels(props: list[Property]) -> dict[str, str]:
    """group -> label for Apple/Google `itemN.X-ABLabel` lines that name an EMAIL, TEL or URL."""
    labelled = {p.group for p in props if p.group and p.name in ("EMAIL", "TEL", "URL")}
    labels: dict[str, str] = {}
    for prop in props:
        if prop.name == "X-ABLABEL" and prop.group in labelled:
            text = unescape(prop.value).strip()
            m = _APPLE_LABEL.fullmatch(text)
            labels[prop.group] = m.group(1).lower() if m else text
    return labels


def _type_label(prop: Property) -> str | None:
    types = [t for t in prop.types if t not in _NOT_LABELS]
    return ",".join(dict.fromkeys(types)) or None


def _is_preferred(prop: Property) -> bool:
    """TYPE=pref (2.1, 3.0) or PREF=1 (4.0)."""
    return "pref" in prop.types or prop.params.get("PREF", [""])[0].strip() == "1"


def _preferred_first(values: list[LabeledValue], preferred: list[LabeledValue]) -> None:
    """Stable-sort preferred values to the front, where tieline looks for the main email or phone."""
    values.sort(key=lambda v: not any(v is p for p in preferred))


def _derived_name(record: PersonRecord) -> str | None:
    parts = [
        record.name_prefix,
        record.given_name,
        record.middle_name,
        record.family_name,
        record.name_suffix,
    ]
    built = " ".join(p for p in parts if p)
    if built:
        return built
    for candidate in (record.nickname, record.company):
        if candidate:
            return candidate
    if record.emails:
        return record.emails[0].value
    if record.phones:
        return record.phones[0].value
    return None


def _source_id(props: list[Property]) -> str:
    for prop in props:
        if prop.name == "UID" and prop.value.strip():
            return prop.value.strip()
    # No UID: a hash of what the card says (bookkeeping lines excluded), stable across re-exports.
    digest = hashlib.sha1()
    for prop in props:
        if prop.name not in _BOOKKEEPING:
            digest.update(repr(prop.raw()).encode("utf-8", errors="surrogateescape"))
    return f"sha1:{digest.hexdigest()}"


def _squash(text: str) -> str:
    return " ".join(text.split())
