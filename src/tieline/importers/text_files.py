"""Reading text files whose encoding nobody wrote down: BOMs, UTF-16 without a BOM, stray 8-bit bytes.

vCard and iCalendar files come from phones, Outlook and twenty-year-old address books. They are read
as UTF-8 with `surrogateescape`, so a byte that is not UTF-8 survives to the place that knows its
charset (a vCard `CHARSET=` parameter) instead of failing the whole file.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from tieline.importers.records import MalformedFile

_SNIFF_BYTES = 4096


def detect_encoding(head: bytes) -> str:
    """The codec for a file starting with `head`: from its BOM, from NUL patterns (UTF-16), else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    # UTF-32 LE starts with the UTF-16 LE BOM, so it is tested first.
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: len(head) - len(head) % 2]
    if len(sample) >= 8:
        even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
        if odd_nuls >= len(sample) // 4 and even_nuls == 0:
            return "utf-16-le"
        if even_nuls >= len(sample) // 4 and odd_nuls == 0:
            return "utf-16-be"
    return "utf-8"


def read_head(path: Path, size: int = _SNIFF_BYTES) -> str:
    """The first `size` bytes of a file as text (for sniffing), or "" when it cannot be read."""
    try:
        with path.open("rb") as raw:
            head = raw.read(size)
    except OSError:
        return ""
    encoding = detect_encoding(head)
    return head.decode(encoding, errors="replace").lstrip("\ufeff")


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its ending) for each line; CR, LF, CRLF and CRCRLF all end a line.

    Streams the file. Raises MalformedFile when the file cannot be opened or decoded at all.
    """
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise MalformedFile(str(path), None, None, f"cannot open the file: {exc.strerror or exc}") from exc
    with raw:
        encoding = detect_encoding(raw.read(_SNIFF_BYTES))
        raw.seek(0)
        # newline="\n": split on LF only, so the CR CR LF endings of some iPhone exports stay one line.
        text = io.TextIOWrapper(raw, encoding=encoding, errors="surrogateescape", newline="\n")
        number = 0
        try:
            for physical in text:
                stripped = physical.rstrip("\r\n")
                if "\r" in stripped:  # classic Mac OS files end lines with CR alone
                    for part in stripped.split("\r"):
                        number += 1
                        yield number, part
                else:
                    number += 1
                    yield number, stripped
        except UnicodeError as exc:
            raise MalformedFile(str(path), number + 1, None, f"cannot decode the file as {encoding}") from exc


def read_text(path: Path, errors: str = "surrogateescape") -> str:
    """The whole file as text (BOM removed, UTF-16 detected); MalformedFile when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MalformedFile(str(path), None, None, f"cannot open the file: {exc.strerror or exc}") from exc
    encoding = detect_encoding(data[:_SNIFF_BYTES])
    try:
        return data.decode(encoding, errors=errors).lstrip("\ufeff")
    except UnicodeError as exc:
        raise MalformedFile(str(path), None, None, f"cannot decode the file as {encoding}") from exc


def repair_text(value: str, charset: str | None = None) -> str:
    """Text with the undecodable bytes kept by `surrogateescape` decoded as `charset` (or Windows-1252)."""
    if value.isascii() or not _has_surrogates(value):
        return value
    data = value.encode("utf-8", errors="surrogateescape")
    for codec in (charset, "cp1252"):
        if not codec:
            continue
        try:
            return data.decode(codec)
        except (LookupError, ValueError):  # unknown charset, bytes not in it, or a NUL in its name
            continue
    return data.decode("latin-1")


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
