"""Reading CSV files as real exports write them: any encoding, a header after notes, dates of many forms."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from tieline.importers.records import MalformedFile, RefusedFile

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


Opener = Callable[[], BinaryIO]
CHUNK = 256 * 1024
# A row longer than this is no export's: a message's content is a few KB, and the csv module caps a
# quoted field at 128 KiB already. Without it one endless line would be held whole.
MAX_ROW_CHARS = 4 * 1024 * 1024
_HOLE_BYTES = [bytes((b,)) for b in sorted(_CP1252_HOLES)]


def file_opener(path: Path) -> Opener:
    """What opens a file on disk for `read_table`."""
    return lambda: path.open("rb")


@dataclass(frozen=True)
class Table:
    """A CSV file's header (as written, and folded for lookups) and its data rows with line numbers.

    `rows` is read afresh, as a stream, each time it is iterated (see `read_table`): a table holds
    no more than one row at a time, however large its file.
    """

    path: str
    header: list[str]
    header_line: int
    rows: Iterable[tuple[int, list[str]]]

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


def read_table(source: Opener, path: str, *, required: Iterable[str], max_scan: int = 50) -> Table:
    """The header of the CSV file `source` opens: the first row holding every `required` column.

    Exports put notes, blank lines or a title above the header, so no fixed number of lines is
    skipped. The file is read up to its header now; its rows are read from `source` again, as a
    stream, whenever the table's rows are iterated. A row whose quoting cannot be read makes the
    whole file malformed.
    """
    encoding = sniff_encoding(source)
    wanted = [r.lower() for r in required]
    rows = _rows(source, path, encoding)
    try:
        for start, cells in rows:
            lowered = [c.strip().lstrip("\ufeff").lower() for c in cells]
            if all(w in lowered for w in wanted) and any(lowered):
                header = [c.strip().lstrip("\ufeff") for c in cells]
                return Table(path, header, start, _DataRows(source, path, encoding, start))
            if start > max_scan:
                break
    finally:
        rows.close()
    columns = ", ".join(required)
    raise MalformedFile(path, 1, "header", f"no header row with the columns {columns}")


def sniff_encoding(source: Opener) -> str:
    """The codec `decode` would choose for the whole file, found in one pass holding a chunk at a time."""
    with source() as raw:
        chunk = raw.read(CHUNK)
        if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        utf8, valid, holes = codecs.getincrementaldecoder("utf-8")(), True, False
        while chunk:
            if valid:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
            holes = holes or any(hole in chunk for hole in _HOLE_BYTES)
            chunk = raw.read(CHUNK)
    if valid:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    return "utf-8-sig" if valid else "latin-1" if holes else "cp1252"


@dataclass(frozen=True)
class _DataRows:
    """The non-blank rows below the header, read from the file each time they are iterated."""

    source: Opener
    path: str
    encoding: str
    header_line: int

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        for start, cells in _rows(self.source, self.path, self.encoding):
            if start > self.header_line and any(c.strip() for c in cells):
                yield start, cells


def _rows(source: Opener, path: str, encoding: str) -> Generator[tuple[int, list[str]], None, None]:
    """(line the row starts on, cells) for every row of the file, read as a stream."""
    with source() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        lines = _Lines(text, path)
        reader = csv.reader(lines, strict=False)
        line = 1
        try:
            for cells in reader:
                start, line = line, reader.line_num + 1
                yield start, cells
                lines.next_row(line)
        except csv.Error as exc:
            raise MalformedFile(path, reader.line_num, None, f"unreadable CSV ({exc})") from None
        except UnicodeDecodeError as exc:
            raise MalformedFile(
                path, None, None, f"not valid {encoding.upper()} text ({exc.reason})"
            ) from None


class _Lines:
    """The lines of a text stream for csv.reader, NULs removed; a row past MAX_ROW_CHARS is refused."""

    def __init__(self, text: io.TextIOWrapper, path: str) -> None:
        self.text, self.path = text, path
        self.row_start, self.row_chars = 1, 0  # of the row being read

    def next_row(self, start: int) -> None:
        """The reader has its row: the next one starts on line `start`."""
        self.row_start, self.row_chars = start, 0

    def __iter__(self) -> Iterator[str]:
        readline = self.text.readline
        # A line longer than the limit is never read whole: its first piece is already too long.
        while line := readline(MAX_ROW_CHARS + 1):
            self.row_chars += len(line)
            if self.row_chars > MAX_ROW_CHARS:
                limit = MAX_ROW_CHARS // (1024 * 1024)
                raise RefusedFile(f"{self.path}:{self.row_start}: refused: a row longer than {limit} MB")
            yield line.replace("\x00", "") if "\x00" in line else line


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
