"""The vCard line layer: cards out of a stream of lines, properties out of a card, values decoded.

Hand-written and linear on purpose: vobject's content-line regular expression backtracks
exponentially on a line with many commas and no colon (about 50 s for a 30-character line), and its
quoted-printable decoding raises on the first byte that is not valid in the declared charset.
Both happen in real and in fuzzed files, and a parser must answer in time and never crash.

Repairs made here, each seen in real exports:

- quoted-printable soft line breaks (`=` at the end of a line, the next line not indented),
  including a soft break followed by an empty line (Android);
- folded lines (a leading space or tab), with CR LF, LF, CR and CR CR LF line ends (iOS 5);
- vCard 2.1 base64 blocks whose continuation lines are not indented, ended by an empty line;
- raw line breaks inside a value (a line that is not a property continues the previous value);
- bare 2.1 parameters (`TEL;CELL;PREF`) read as TYPE values, `ENCODING` and `CHARSET` recognised.
"""

from __future__ import annotations

import binascii
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from tieline.importers.text_files import repair_text

_BASE64_LINE = re.compile(r"[A-Za-z0-9+/=]+")
_NAME = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
# NAME[;PARAMS]: with no quote before the colon; one optional group, so a failed match stays linear.
_SIMPLE_HEAD = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)(;[^:\"]*)?:")
_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}


class LineError(ValueError):
    """A line inside a card that cannot be read as a property; the card is skipped."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line
        self.problem = problem


@dataclass
class Property:
    """One vCard property: `item1.EMAIL;TYPE=work:ana@example.org` -> group, name, params, value."""

    line: int
    name: str  # upper case
    value: str  # text after quoted-printable and charset decoding; backslash escapes kept
    group: str | None = None
    params: dict[str, list[str]] = field(default_factory=dict)  # upper-case keys, values as written

    @cached_property
    def types(self) -> list[str]:
        """The TYPE values, lower-cased, commas inside one value split apart."""
        return [t.strip().lower() for raw in self.params.get("TYPE", []) for t in raw.split(",") if t.strip()]

    @property
    def is_base64(self) -> bool:
        """True when the value is base64 data (ENCODING=b / BASE64)."""
        return any(e.upper() in ("B", "BASE64") for e in self.params.get("ENCODING", []))

    def raw(self) -> list[object]:
        """[name with group, params, value]: what an exporter needs to write the property back."""
        name = f"{self.group}.{self.name}" if self.group else self.name
        return [name, {k: list(v) for k, v in self.params.items()}, self.value]


@dataclass
class RawCard:
    """The physical lines between BEGIN:VCARD and END:VCARD, with the line number of BEGIN."""

    line: int
    lines: list[tuple[int, str]]


@dataclass
class Stray:
    """Text found outside any card (or an unterminated card): reported, never guessed at."""

    line: int
    reason: str


def split_cards(lines: Iterable[tuple[int, str]]) -> Iterator[RawCard | Stray]:
    """Cards (and stray text) from numbered physical lines; a card without END:VCARD becomes a Stray."""
    current: RawCard | None = None
    stray_from: int | None = None
    for number, text in lines:
        marker = text.strip().upper()
        if marker == "BEGIN:VCARD":
            if stray_from is not None:
                yield Stray(stray_from, "text outside any BEGIN:VCARD ... END:VCARD block")
                stray_from = None
            if current is not None:
                yield Stray(current.line, f"card has no END:VCARD before the next card at line {number}")
            current = RawCard(number, [])
        elif current is None:
            if marker and marker != "END:VCARD" and stray_from is None:
                stray_from = number
        elif marker == "END:VCARD":
            yield current
            current = None
        else:
            current.lines.append((number, text))
    if stray_from is not None:
        yield Stray(stray_from, "text outside any BEGIN:VCARD ... END:VCARD block")
    if current is not None:
        yield Stray(current.line, "card is not closed by END:VCARD (the file may be truncated)")


def logical_lines(card: RawCard) -> list[tuple[int, str]]:
    """Unfolded lines of a card: folding, quoted-printable soft breaks and 2.1 base64 blocks joined."""
    out: list[list] = []  # [line number, text, kind] with kind "qp-soft", "b64-21" or ""
    for number, text in card.lines:
        last = out[-1] if out else None
        if last is not None and last[2] == "qp-soft":
            if not text.strip():
                last[1], last[2] = last[1][:-1], ""
                continue
            last[1] = last[1][:-1] + text
            last[2] = _kind(last[1])
            continue
        if not text.strip():
            if last is not None:
                last[2] = ""  # an empty line ends a vCard 2.1 base64 block
            continue
        if text[0] in " \t" and last is not None:
            last[1] += text[1:]
            last[2] = _kind(last[1]) if last[2] != "b64-21" else last[2]
            continue
        if last is not None and last[2] == "b64-21" and ":" not in text and _BASE64_LINE.fullmatch(text):
            last[1] += text
            continue
        out.append([number, text, _kind(text)])
    return [(number, text) for number, text, _ in out]


def _kind(text: str) -> str:
    head = text.split(":", 1)[0].upper()
    if text.endswith("=") and "QUOTED-PRINTABLE" in head:
        return "qp-soft"
    if ("BASE64" in head or "ENCODING=B" in head) and ":" in text:
        return "b64-21"
    return ""


def parse_properties(card: RawCard) -> list[Property]:
    """The card's properties; a line that is not a property continues the previous value.

    Raises LineError for a line that looks like a property (has a colon) but cannot be read,
    or for text before the first property.
    """
    properties: list[Property] = []
    for number, text in logical_lines(card):
        try:
            prop = parse_line(number, text)
        except LineError:
            if ":" in text or not properties:
                raise
            # A raw line break inside a value (some exporters forget to escape it).
            properties[-1].value += "\\n" + text
            continue
        properties.append(prop)
    return properties


def parse_line(number: int, text: str) -> Property:
    """One unfolded content line -> Property; LineError when it is not `NAME[;PARAMS]:VALUE`."""
    simple = _SIMPLE_HEAD.match(text)
    if simple:  # no quoted parameter values: the common case, read by one linear regex
        group, name, raw_params = simple.groups()
        params = _params(raw_params.split(";")[1:]) if raw_params else {}
        prop = Property(
            line=number, name=name.upper().replace("_", "-"), value=text[simple.end() :], group=group
        )
        prop.params = params
        _decode(prop)
        return prop
    head_end = _unquoted_index(text, ":")
    if head_end < 0:
        raise LineError(number, f"not a property (no ':'): {_clip(text)}")
    head, value = text[:head_end], text[head_end + 1 :]
    parts = _split_unquoted(head, ";")
    match = _NAME.fullmatch(parts[0].strip())
    if not match:
        raise LineError(number, f"not a property name: {_clip(parts[0])}")
    group, name = match.group(1), match.group(2).upper().replace("_", "-")
    prop = Property(line=number, name=name, value=value, group=group, params=_params(parts[1:]))
    _decode(prop)
    return prop


def _params(parts: list[str]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for part in parts:
        part = part.strip()
        if not part:
            continue
        key, eq, raw_values = part.partition("=")
        key = key.strip().upper()
        if not eq:  # a vCard 2.1 bare parameter: TEL;CELL;PREF, or ;QUOTED-PRINTABLE, ;BASE64
            if key in _ENCODINGS:
                params.setdefault("ENCODING", []).append(key)
            elif key.startswith("CHARSET"):
                continue
            else:
                params.setdefault("TYPE", []).append(key.lower())
            continue
        values = [_unquote(v) for v in _split_unquoted(raw_values, ",")]
        params.setdefault(key, []).extend(values)
    return params


def _decode(prop: Property) -> None:
    encodings = [e.upper() for e in prop.params.get("ENCODING", [])]
    charset = (prop.params.get("CHARSET") or [None])[0]
    if "QUOTED-PRINTABLE" in encodings:
        data = quopri.decodestring(prop.value.encode("utf-8", errors="surrogateescape"))
        # Values are kept in the vCard 3.0 escaped form everywhere: a decoded line break becomes \\n.
        prop.value = _decode_bytes(data, charset).replace("\r\n", "\\n").replace("\n", "\\n")
        prop.params["ENCODING"] = [e for e in prop.params["ENCODING"] if e.upper() != "QUOTED-PRINTABLE"]
        if not prop.params["ENCODING"]:
            del prop.params["ENCODING"]
        prop.params.pop("CHARSET", None)
    elif charset:
        prop.value = repair_text(prop.value, charset)
        prop.params.pop("CHARSET", None)
    else:
        prop.value = repair_text(prop.value)


def _decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in the declared charset; a stray invalid byte becomes U+FFFD rather than mojibake."""
    for codec in (charset, "utf-8"):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except (LookupError, ValueError):  # unknown charset, bytes not in it, or a NUL in its name
            continue
    try:
        return data.decode(charset or "cp1252", errors="replace")
    except (LookupError, ValueError):
        return data.decode("utf-8", errors="replace")


def base64_size(value: str) -> int | None:
    """The decoded size of a base64 value in bytes, or None when it is not valid base64."""
    compact = "".join(value.split())
    try:
        return len(binascii.a2b_base64(compact.encode("ascii")))
    except (binascii.Error, UnicodeEncodeError):
        return None


def unescape(value: str) -> str:
    """A vCard text value with its backslash escapes (\\n \\, \\; \\\\) resolved."""
    if "\\" not in value:
        return value
    out: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_escaped(value: str, sep: str) -> list[str]:
    """Split a vCard value on `sep` where it is not backslash-escaped; escapes are kept in the parts."""
    if "\\" not in value:
        return value.split(sep)
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            current.append(value[i : i + 2])
            i += 2
            continue
        if c == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    parts.append("".join(current))
    return parts


def _unquoted_index(text: str, char: str) -> int:
    found, quote = text.find(char), text.find('"')
    if quote < 0 or quote > found:
        return found  # the common case: no quoted parameter before the character
    quoted = False
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == char and not quoted:
            return i
    # An unbalanced quote: fall back to the first occurrence rather than refusing the line.
    return text.find(char)


def _split_unquoted(text: str, sep: str) -> list[str]:
    if '"' not in text:
        return text.split(sep)
    parts: list[str] = []
    quoted = False
    start = 0
    for i, c in enumerate(text):
        if c == '"':
            quoted = not quoted
        elif c == sep and not quoted:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _clip(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")
