"""mbox files and Maildir folders -> one InteractionRecord (kind "email") per message, headers only.

The mbox is streamed in 1 MiB chunks, so a 2 GB mailbox is read in constant memory: only the chunk
and the header block of the current message are held, and bodies are skipped by a regular
expression search for the next separator rather than line by line. A line starting with "From "
separates messages when it follows an empty line or looks like a real separator
(`From sender Tue Oct  2 00:26:47 2007`), so an unescaped "From " inside a body rarely splits one.
A file whose first line is not a separator is refused: it is not an mbox.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from tieline.importers import email_addresses
from tieline.importers.mail_headers import MailContext, read_headers
from tieline.importers.records import InteractionRecord, MalformedFile, Origin, SkippedRecord
from tieline.importers.text_files import repair_text

_SEPARATOR = re.compile(
    rb"From \S*\s+(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    rb"\s+(?:[A-Za-z]{3,5}\s+|[+-]\d{4}\s+)?(\d{4})"
)
_MONTHS = {m: i for i, m in enumerate(b"jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_CANDIDATE = re.compile(rb"^From ", re.MULTILINE)
_HEADER_END = re.compile(rb"\n\r?\n")
_CHUNK = 1 << 20
_MAX_HEADER_BYTES = 1 << 20  # a header block longer than this is not mail: the rest is treated as body
_MAX_HEADER_LINES = 2000
_MAX_BODY_BYTES = 1 << 20  # with include_bodies: the first MiB of a message is read for its text
MAX_BODY_CHARS = 20_000
_QUOTED_FROM = re.compile(rb">+From ")
_MAX_LINE = 1 << 20
_BLANK = (b"\n", b"\r\n", b"\r")


def sniff(path: Path) -> bool:
    """True for a Maildir folder, or a file whose first line is an mbox "From " separator."""
    if path.is_dir():
        return (path / "cur").is_dir() and (path / "new").is_dir()
    try:
        with path.open("rb") as raw:
            return raw.readline(1024).startswith(b"From ")
    except OSError:
        return False


def parse(path: Path, *, options: object = None) -> Iterator[InteractionRecord | SkippedRecord]:
    """Each message of an mbox file or Maildir folder; MalformedFile when it is neither.

    With `options.include_bodies` the text of each message (its text/plain part, at most
    `MAX_BODY_CHARS`) goes into `notes`; the mbox is then read line by line, about half as fast.
    """
    bodies = bool(getattr(options, "include_bodies", False))
    if path.is_dir():
        yield from _maildir(path, _context(path, options, "maildir"), bodies=bodies)
    elif bodies:
        yield from _mbox_with_bodies(path, _context(path, options, "mbox"))
    else:
        yield from _mbox(path, _context(path, options, "mbox"))


def _context(path: Path, options: object, source: str) -> MailContext:
    return MailContext(
        path=str(path),
        source=source,
        own=email_addresses.own_addresses(options),
        max_recipients=int(getattr(options, "max_recipients", 10)),
        skip_no_reply=bool(getattr(options, "skip_no_reply", True)),
    )


def _mbox(path: Path, ctx: MailContext) -> Iterator[InteractionRecord | SkippedRecord]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise MalformedFile(str(path), None, None, f"cannot open the file: {exc.strerror or exc}") from exc
    with raw:
        for line, separator, headers in _Scanner(raw, str(path)).messages():
            yield _message(ctx, headers, line, separator)


class _Scanner:
    """Finds each message's separator and header block in 1 MiB chunks; bodies are skipped by regex.

    Only the current chunk (and a header block being completed) is held, whatever the file size.
    """

    def __init__(self, raw: BinaryIO, path: str) -> None:
        self.raw = raw
        self.path = path
        self.buf = b""
        self.eof = False
        self.dropped_newlines = 0  # newlines in the part of the file already dropped from buf
        self.cursor = (0, 0)  # (index in buf, newlines in buf before it), for line numbers

    def _more(self) -> bool:
        chunk = self.raw.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def _drop(self, upto: int) -> None:
        self.dropped_newlines += self.buf.count(b"\n", 0, upto)
        self.buf = self.buf[upto:]
        self.cursor = (0, 0)

    def _line_of(self, index: int) -> int:
        start, newlines = self.cursor
        if index < start:
            start, newlines = 0, 0
        newlines += self.buf.count(b"\n", start, index)
        self.cursor = (index, newlines)
        return self.dropped_newlines + newlines + 1

    def _first_separator(self) -> None:
        while self._more() and len(self.buf) < 1024:
            pass
        stripped = self.buf.lstrip(b"\r\n")
        if not stripped and self.eof:
            raise MalformedFile(self.path, None, None, "the file is empty: not an mbox")
        if not stripped.startswith(b"From "):
            line = self.buf.count(b"\n", 0, len(self.buf) - len(stripped)) + 1
            raise MalformedFile(
                self.path, line, None, "not an mbox: the first line is not a 'From ' separator line"
            )

    def messages(self) -> Iterator[tuple[int, bytes, bytes]]:
        """(line of the separator, separator line, header block) for each message."""
        self._first_separator()
        pos = len(self.buf) - len(self.buf.lstrip(b"\r\n"))
        first = True
        while True:
            found = _CANDIDATE.search(self.buf, pos)
            if found is None:
                if self.eof:
                    return
                newline = self.buf.rfind(b"\n")
                keep = max(0, newline - 3) if newline >= 0 else max(0, len(self.buf) - 4)
                pos = max(pos, keep) - keep
                self._drop(keep)
                self._more()
                continue
            start = found.start()
            end = self.buf.find(b"\n", start)
            if end < 0 and not self.eof:
                pos = self._refill(start)
                continue
            end = len(self.buf) if end < 0 else end
            separator = self.buf[start:end]
            if not (first or self._after_blank(start) or _SEPARATOR.match(separator)):
                pos = start + 5
                continue
            first = False
            blank = _HEADER_END.search(self.buf, end)
            if blank is None and not self.eof and len(self.buf) - end < _MAX_HEADER_BYTES:
                pos = self._refill(start)
                continue
            stop = blank.start() if blank is not None else min(len(self.buf), end + _MAX_HEADER_BYTES)
            nested = _CANDIDATE.search(self.buf, end, stop)
            while nested is not None:  # a message with no body, straight into the next separator
                line_end = self.buf.find(b"\n", nested.start(), stop)
                if _SEPARATOR.match(self.buf[nested.start() : line_end if line_end >= 0 else stop]):
                    stop = nested.start() - 1
                    break
                nested = _CANDIDATE.search(self.buf, nested.start() + 5, stop)
            yield self._line_of(start), separator, self.buf[end + 1 : stop + 1]
            pos = max(stop, end)

    def _after_blank(self, start: int) -> bool:
        return self.buf[start - 2 : start] == b"\n\n" or self.buf[start - 3 : start] == b"\n\r\n"

    def _refill(self, start: int) -> int:
        """Keep from just before `start` and read on; the new index of `start`."""
        keep = max(0, start - 3)
        self._drop(keep)
        self._more()
        return start - keep


def _message(
    ctx: MailContext, headers: bytes, line: int, separator: bytes
) -> InteractionRecord | SkippedRecord:
    if not headers:
        return SkippedRecord(Origin(ctx.path, line), "empty message (no headers)")
    return ctx.record(read_headers(headers), line, _separator_date(separator))


def _separator_date(line: bytes) -> datetime | None:
    """The date on an mbox "From " line (asctime form, read as UTC), used when Date is missing."""
    m = _SEPARATOR.match(line)
    if not m:
        return None
    month = _MONTHS.get(m.group(1).lower())
    try:
        return datetime(
            int(m.group(6)),
            month or 0,
            int(m.group(2)),
            int(m.group(3)),
            int(m.group(4)),
            int(m.group(5) or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _mbox_with_bodies(path: Path, ctx: MailContext) -> Iterator[InteractionRecord | SkippedRecord]:
    """The same messages as `_mbox`, read line by line so each body can be kept (up to a cap)."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise MalformedFile(str(path), None, None, f"cannot open the file: {exc.strerror or exc}") from exc
    with raw:
        _Scanner(raw, str(path))._first_separator()
        raw.seek(0)
        number, start, separator = 0, 0, b""
        headers: list[bytes] = []
        body: list[bytes] = []
        in_headers, previous_blank, size = True, False, 0
        for line in iter(lambda: raw.readline(_MAX_LINE), b""):
            number += 1
            if line.startswith(b"From ") and (not start or previous_blank or _SEPARATOR.match(line)):
                if start:
                    yield _with_body(_message(ctx, b"".join(headers), start, separator), headers, body)
                start, separator, headers, body = number, line, [], []
                in_headers, previous_blank, size = True, False, 0
                continue
            previous_blank = line in _BLANK
            if not start:
                continue  # empty lines before the first message
            if in_headers:
                if previous_blank or len(headers) >= _MAX_HEADER_LINES:
                    in_headers = False
                else:
                    headers.append(line)
            elif size < _MAX_BODY_BYTES:
                body.append(line[1:] if _QUOTED_FROM.match(line) else line)  # mboxrd: >From -> From
                size += len(line)
        if start:
            yield _with_body(_message(ctx, b"".join(headers), start, separator), headers, body)


def _with_body(
    record: InteractionRecord | SkippedRecord, headers: list[bytes], body: list[bytes]
) -> InteractionRecord | SkippedRecord:
    if isinstance(record, InteractionRecord):
        record.notes = body_text(b"".join(headers) + b"\n" + b"".join(body))
    return record


def body_text(message: bytes) -> str | None:
    """The text/plain body of a message, white space trimmed, at most MAX_BODY_CHARS; None if none."""
    try:
        parsed = email.message_from_bytes(message, policy=email.policy.default)
        part = parsed.get_body(preferencelist=("plain",))
        if part is None:
            return None
        if part.get_content_charset() is None:  # undeclared 8-bit text: UTF-8 if it is, else Windows-1252
            data = part.get_payload(decode=True) or b""
            text = repair_text(data.decode("utf-8", errors="surrogateescape"))
        else:
            text = part.get_content()
    except Exception:  # the email package raises many kinds of errors on broken MIME; the body is optional
        return None
    if not isinstance(text, str) or not text.strip():
        return None
    return text.strip()[:MAX_BODY_CHARS]


def _maildir(
    path: Path, ctx: MailContext, *, bodies: bool = False
) -> Iterator[InteractionRecord | SkippedRecord]:
    if not ((path / "cur").is_dir() and (path / "new").is_dir()):
        raise MalformedFile(
            str(path), None, None, "not a Maildir: a folder needs 'cur' and 'new' sub-folders"
        )
    for folder in ("cur", "new"):
        for file in sorted((path / folder).iterdir()):
            if file.name.startswith(".") or not file.is_file():
                continue
            ctx.path = str(file)
            headers: list[bytes] = []
            body = b""
            try:
                with file.open("rb") as raw:
                    for line in iter(lambda raw=raw: raw.readline(_MAX_LINE), b""):
                        if line in _BLANK or len(headers) >= _MAX_HEADER_LINES:
                            break
                        headers.append(line)
                    if bodies:
                        body = raw.read(_MAX_BODY_BYTES)
            except OSError as exc:
                yield SkippedRecord(Origin(str(file)), f"cannot read the message: {exc.strerror or exc}")
                continue
            if not headers:
                yield SkippedRecord(Origin(str(file), 1), "empty message (no headers)")
                continue
            record = ctx.record(read_headers(b"".join(headers)), 1)
            yield _with_body(record, headers, [body]) if bodies else record
