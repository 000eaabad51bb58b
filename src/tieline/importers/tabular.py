"""Reading CSV files as real exports write them: any encoding, a header after notes, dates of many forms."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from tieline.importers.records import MalformedFile

# Bytes cp1252 leaves undefined; a file containing them is read as latin-1 instead.
_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<\s*(br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)
_ENTITIES = {
    "&nbsp;": " ",
    "&amp;": "&",
    "&lt;": "<",
    "&gt;": ">",
    "&quot;": '"',
    "&#39;": "'",
    "&apos;": "'",
}


def decode(data: bytes, path: str) -> str:
    """Text from bytes: UTF-16 or UTF-8 (BOM or not), else cp1252, else latin-1 (never fails)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MalformedFile(path, None, None, f"not valid UTF-16 text ({exc.reason})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if not _CP1252_HOLES.intersection(data):
        return data.decode("cp1252")
    return data.decode("latin-1")


@dataclass(frozen=True)
class Table:
    """A CSV file's header (as written, and folded for lookups) and its data rows with line numbers."""

    path: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]

    def index(self, *names: str) -> int | None:
        """The position of the first column called any of `names` (case-insensitive), if any."""
        folded = [h.strip().lower() for h in self.header]
        for name in names:
            if name.lower() in folded:
                return folded.index(name.lower())
        return None

    def has(self, *names: str) -> bool:
        """True when every one of `names` is a column."""
        return all(self.index(n) is not None for n in names)

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line, {column: stripped value}) for each row; missing trailing cells read as empty."""
        header, width = self.header, len(self.header)
        for line, cells in self.rows:
            if len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            yield line, dict(zip(header, map(str.strip, cells), strict=False))


def read_table(data: bytes, path: str, *, required: Iterable[str], max_scan: int = 50) -> Table:
    """Parse CSV bytes, finding the header as the first row holding every `required` column.

    Exports put notes, blank lines or a title above the header, so no fixed number of lines is
    skipped. A row whose quoting cannot be read makes the whole file malformed.
    """
    text = decode(data, path).replace("\x00", "")
    wanted = [r.lower() for r in required]
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                lowered = [c.strip().lstrip("\ufeff").lower() for c in cells]
                if all(w in lowered for w in wanted) and any(lowered):
                    header, header_line = [c.strip().lstrip("\ufeff") for c in cells], start
                elif start > max_scan:
                    break
                continue
            if any(c.strip() for c in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        raise MalformedFile(path, reader.line_num, None, f"unreadable CSV ({exc})") from None
    if header is None:
        columns = ", ".join(required)
        raise MalformedFile(path, 1, "header", f"no header row with the columns {columns}")
    return Table(path=path, header=header, header_line=header_line, rows=rows)


def header_of(data: bytes, path: str, *, max_scan: int = 20) -> list[str]:
    """The first row that looks like a header (three or more cells), for format detection."""
    text = decode(data[:65536], path)
    try:
        for i, cells in enumerate(csv.reader(io.StringIO(text, newline=""), strict=False)):
            if len([c for c in cells if c.strip()]) >= 3:
                return [c.strip().lstrip("\ufeff") for c in cells]
            if i > max_scan:
                break
    except csv.Error:
        return []
    return []


_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %Z",
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S %Z",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%y, %I:%M %p",
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y %I:%M %p",
    "%m/%d/%Y %I:%M %p",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%SZ",
)
_DATE_FORMATS = ("%d %b %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d", "%b %d, %Y", "%d %B %Y", "%B %d, %Y")


@lru_cache(maxsize=8192)
def parse_datetime(text: str) -> datetime | None:
    """An aware time from the forms exports use ("2024-12-16 18:24:37 UTC", "1/8/18, 6:14 PM"...).

    Times without a zone are taken as UTC, which is what LinkedIn writes; None when unreadable.
    """
    value = " ".join(text.replace("\u202f", " ").split())
    for fmt in _DATETIME_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    day = parse_day(value)
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else None


@lru_cache(maxsize=8192)
def parse_day(text: str) -> date | None:
    """A date from "16 Dec 2024", "18-Jun-24", "1/8/18, 6:14 PM" (US order), "2024-12-16"; else None."""
    value = " ".join(text.replace("\u202f", " ").split())
    if not value:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    if m := re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b", value):
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year += 2000 if year < 70 else 1900 if year < 100 else 0
        month, day = (second, first) if first > 12 else (first, second)  # US order unless impossible
        try:
            return date(year, month, day)
        except ValueError:
            return None
    moment = None
    for fmt in _DATETIME_FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
            break
        except ValueError:
            continue
    return moment.date() if moment else None


@lru_cache(maxsize=8192)
def parse_month(text: str) -> date | None:
    """The first day of a month from "Jun 2019", "06/2019", "2019-06", or of a year from "2019"."""
    value = " ".join(text.split())
    for fmt in ("%b %Y", "%B %Y", "%m/%Y", "%Y-%m", "%b-%y", "%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return parse_day(value)


def html_to_text(html: str) -> str:
    """Readable text from a message's HTML: breaks kept as new lines, tags dropped, entities read."""
    text = _TAG.sub("", _BREAK.sub("\n", html))
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


def digest(*parts: object) -> str:
    """A short stable hash of some values, for source ids of rows that have no id of their own."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]
