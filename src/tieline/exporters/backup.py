"""The JSON backup document: every table, one row per line, the same bytes for the same data.

The document is plain JSON, laid out so that it can be written and read one row at a time:

    {"format":"tieline-backup","format_version":1,"schema_version":"0003_imports","tables":[
    {"columns":["created_at","id","name"],"name":"owner","rows":[
    ["2026-03-10T10:00:00+00:00",1,"me"]
    ]},
    ...
    ]}

Tables come in foreign-key order (a restore inserts them as they arrive); keys are sorted, columns
by name, rows by primary key. Values are written so that they read back equal on any backend:
times as UTC ISO 8601, dates as ISO 8601, floats by `repr` (exact), JSON columns as JSON, bytes
as base64. A file reformatted by another tool (pretty-printed, say) is still read, just not
streamed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, TextIO

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from tieline.errors import InvalidInput
from tieline.models.base import UTCDateTime

FORMAT = "tieline-backup"
FORMAT_VERSION = 1

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)
_DECODER = json.JSONDecoder()
# JSONEncoder.encode builds its C encoder anew for every call; a row is written with one built once.
_ROW_ENCODER = (
    json.encoder.c_make_encoder(  # type: ignore[attr-defined]
        None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True
    )
    if json.encoder.c_make_encoder is not None  # type: ignore[attr-defined]
    else None
)
_TABLES_OPEN = '"tables":['
_ROWS_OPEN = '"rows":['

Cell = Callable[[Any], Any]


def dumps(value: Any) -> str:
    """One value as the backup writes it: compact, keys sorted, non-ASCII kept as is."""
    return _ENCODER.encode(value)


def dumps_row(row: list[Any]) -> str:
    """A row as `dumps` writes it, faster."""
    if _ROW_ENCODER is None:
        return _ENCODER.encode(row)
    return "".join(_ROW_ENCODER(row, 0))


@dataclass(frozen=True)
class Header:
    """What a backup says about itself before its tables."""

    format_version: int
    schema_version: str


# --- values ---------------------------------------------------------------------------------------


def _base_type(column: sa.Column[Any]) -> sa.types.TypeEngine[Any]:
    kind = column.type
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return kind


def _encode_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat() if value.tzinfo is not None else value.isoformat()


def _encode_stored_utc(value: datetime) -> str:
    # What `aware.isoformat()` gives for a UTC time, without making it aware first.
    return value.isoformat() + "+00:00"


def _decode_stored_utc(value: str) -> datetime:
    if value.endswith("+00:00"):
        return datetime.fromisoformat(value[:-6])
    moment = datetime.fromisoformat(value)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment


def _encode_binary(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def encoder_for(column: sa.Column[Any]) -> Cell | None:
    """How a column's values become JSON values; None when they already are (str, int, float...)."""
    kind = _base_type(column)
    if isinstance(kind, sa.JSON | sa.Boolean | sa.Integer | sa.String | sa.Float):
        return None
    if isinstance(column.type, UTCDateTime):
        return _encode_stored_utc  # read as stored (`repo.tables.read_batches`)
    if isinstance(kind, sa.DateTime):
        return _encode_datetime
    if isinstance(kind, sa.Date | sa.Time):
        return date.isoformat if isinstance(kind, sa.Date) else time.isoformat
    if isinstance(kind, sa.LargeBinary):
        return _encode_binary
    if isinstance(kind, sa.Numeric):
        return str
    return None


def decoder_for(column: sa.Column[Any], *, stored: bool = False) -> Cell | None:
    """The inverse of `encoder_for` for a value that is not null; None when nothing is to be done.

    With `stored`, values come out as `repo.tables.stored_type` takes them (a naive UTC time for a
    timestamp).
    """
    kind = _base_type(column)
    if isinstance(kind, sa.JSON):
        return None
    if stored and isinstance(column.type, UTCDateTime):
        return _decode_stored_utc
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat
    if isinstance(kind, sa.Date):
        return date.fromisoformat
    if isinstance(kind, sa.Time):
        return time.fromisoformat
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal
    return None


def null_for(column: sa.Column[Any]) -> Any:
    """What a null value is inserted as: a JSON column's null stays an SQL NULL (not the JSON text
    'null') where the column allows it."""
    if isinstance(_base_type(column), sa.JSON) and column.nullable:
        return sa.null()
    return None


def row_encoder(columns: list[sa.Column[Any]]) -> Callable[[Iterable[Any]], list[Any]]:
    """A function turning a row of these columns (as `repo.tables.read_batches` reads them) into JSON values."""
    encoders = [(i, f) for i, c in enumerate(columns) if (f := encoder_for(c)) is not None]
    if not encoders:
        return list

    def encode(row: Iterable[Any]) -> list[Any]:
        values = list(row)
        for i, f in encoders:
            if values[i] is not None:
                values[i] = f(values[i])
        return values

    return encode


# --- writing --------------------------------------------------------------------------------------


class BackupWriter:
    """Writes the document to a text stream, one table at a time and one row per line."""

    def __init__(self, out: TextIO, *, schema_version: str) -> None:
        self._out = out
        self._first_table = True
        head = dumps({"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": schema_version})
        out.write(head[:-1] + "," + _TABLES_OPEN + "\n")

    def table(self, name: str, columns: list[str], rows: Iterable[list[Any]]) -> int:
        """Write one table; returns the number of rows written."""
        write = self._out.write
        if not self._first_table:
            write(",\n")
        self._first_table = False
        write(dumps({"columns": columns, "name": name, "rows": []})[:-2] + "\n")
        count = 0
        separator = ""
        encode = dumps_row
        for row in rows:
            write(separator)
            write(encode(row))
            separator = ",\n"
            count += 1
        write("\n]}" if count else "]}")
        return count

    def close(self) -> None:
        """End the document."""
        self._out.write("\n]}\n")


# --- reading --------------------------------------------------------------------------------------


@dataclass
class TableData:
    """One table of a backup: its name, its columns and (lazily) its rows with their line numbers."""

    name: str
    columns: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    line: int


class BackupReader:
    """Reads a backup document: streamed line by line when it has the layout `BackupWriter` writes,
    parsed whole otherwise. Problems are InvalidInput naming the file and line."""

    def __init__(self, lines: Iterable[str], *, path: str) -> None:
        self.path = path
        self._lines = iter(lines)
        self._number = 0
        first = self._next_line()
        if first is not None and first.startswith("{") and first.rstrip().endswith(_TABLES_OPEN):
            head = first.rstrip()[: -len(_TABLES_OPEN)].rstrip().rstrip(",") + "}"
            self._document: dict[str, Any] | None = None
            self.header = self._header(self._parse(head, 1), line=1)
        else:
            rest = "".join(self._lines)
            self._document = self._whole((first or "") + rest)
            self.header = self._header(self._document, line=1)

    def _fail(self, message: str, line: int | None = None) -> InvalidInput:
        where = f"{self.path}:{line}" if line is not None else self.path
        return InvalidInput(f"{where}: {message}")

    def _next_line(self) -> str | None:
        line = next(self._lines, None)
        if line is not None:
            self._number += 1
        return line

    def _parse(self, text: str, line: int) -> Any:
        try:
            value, end = _DECODER.raw_decode(text)
            if end != len(text) and text[end:].strip():
                raise json.JSONDecodeError("extra data", text, end)
            return value
        except json.JSONDecodeError as exc:
            raise self._fail(f"not a tieline backup line ({exc.msg})", line) from None

    def _whole(self, text: str) -> dict[str, Any]:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise self._fail(f"not a tieline backup: {exc.msg}", exc.lineno) from None
        if not isinstance(document, dict) or not isinstance(document.get("tables"), list):
            raise self._fail("not a tieline backup (no list of tables)")
        return document

    def _header(self, data: Any, *, line: int) -> Header:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise self._fail(f'not a tieline backup (no "format": {FORMAT!r})', line)
        version = data.get("format_version")
        if not isinstance(version, int) or version < 1:
            raise self._fail(f"unknown backup format_version {version!r}", line)
        if version > FORMAT_VERSION:
            raise self._fail(
                f"backup format {version} is newer than this tieline reads ({FORMAT_VERSION}): "
                "upgrade tieline",
                line,
            )
        schema = data.get("schema_version")
        if not isinstance(schema, str) or not schema:
            raise self._fail("backup has no schema_version", line)
        return Header(format_version=version, schema_version=schema)

    def tables(self) -> Iterator[TableData]:
        """The tables in the order they were written; each table's rows must be read before the next."""
        if self._document is not None:
            yield from self._tables_of_document(self._document)
            return
        while True:
            line = self._next_line()
            number = self._number
            if line is None:
                raise self._fail("the backup ends before its last table (truncated file?)", number)
            text = line.rstrip("\r\n")
            if text == "]}":
                self._expect_end()
                return
            if not text.endswith(_ROWS_OPEN):
                raise self._fail("expected a table or the end of the backup", number)
            meta = self._table_meta(self._parse(text + "]}", number), number)
            table = TableData(meta[0], meta[1], self._rows(number, len(meta[1])), number)
            yield table
            for _ in table.rows:  # whatever the consumer left unread
                pass

    def _expect_end(self) -> None:
        while (line := self._next_line()) is not None:
            if line.strip():
                raise self._fail("unexpected text after the end of the backup", self._number)

    def _table_meta(self, data: Any, line: int | None) -> tuple[str, list[str]]:
        if not isinstance(data, dict):
            raise self._fail("a table must be an object", line)
        name, columns = data.get("name"), data.get("columns")
        if not isinstance(name, str) or not isinstance(columns, list):
            raise self._fail("a table needs a name and a list of columns", line)
        if not all(isinstance(c, str) for c in columns) or len(set(columns)) != len(columns):
            raise self._fail(f"table {name!r}: column names must be distinct strings", line)
        return name, columns

    def _rows(self, start: int, width: int) -> Iterator[tuple[int, list[Any]]]:
        while True:
            line = self._next_line()
            number = self._number
            if line is None:
                raise self._fail("the backup ends inside a table (truncated file?)", start)
            text = line.rstrip("\r\n")
            if text in ("]}", "]},"):
                return
            row = self._parse(text[:-1] if text.endswith(",") else text, number)
            if not isinstance(row, list) or len(row) != width:
                raise self._fail(f"a row must be a list of {width} values", number)
            yield number, row

    def _tables_of_document(self, document: dict[str, Any]) -> Iterator[TableData]:
        for data in document["tables"]:
            name, columns = self._table_meta(data, None)
            rows = data.get("rows")
            if not isinstance(rows, list):
                raise self._fail(f"table {name!r} has no list of rows")
            for row in rows:
                if not isinstance(row, list) or len(row) != len(columns):
                    raise self._fail(f"table {name!r}: a row must be a list of {len(columns)} values")
            yield TableData(name, columns, ((0, row) for row in rows), 0)
