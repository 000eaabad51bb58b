"""Zip archives (a LinkedIn export) read without trusting them: a zip bomb is refused before it costs memory.

A zip states how large each member becomes; a bomb is a small file that says, or does, otherwise.
So an archive is refused when its directory lists more files than any export has (the directory is
read whole into memory), and a member when it would expand past MAX_MEMBER_BYTES or more than
MAX_RATIO times, by what the directory declares and again by the bytes actually inflated while it
is read. Members are read as streams, never whole.

The limits: a Connections.csv of 30,000 rows (LinkedIn's cap) is 2.9 MB and deflates about 4:1, a
messages.csv of 60,000 messages 14 MB at about 6:1. 100:1 leaves room for the most repetitive CSV,
while deflating zeros or one row repeated reaches 300 to 1,000:1; 200 MB unzipped is the upload
limit again and many times the largest real member; a member under RATIO_FLOOR costs nothing
whatever its ratio. Python's zipfile itself never inflates past the size a member declares (the CRC
check then fails), so the count while reading guards against a reader that would.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from tieline.importers.records import MalformedFile, RefusedFile

MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # bytes unzipped below which any ratio is harmless
MAX_ENTRIES = 10_000  # a LinkedIn export holds a few dozen files

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")


def open_zip(path: Path) -> zipfile.ZipFile:
    """The zip at `path`, refused (RefusedFile) when its end record declares more than MAX_ENTRIES
    files: zipfile reads the whole directory into memory, half a kilobyte a file. zipfile's own
    errors (BadZipFile, OSError) are left to the caller to word."""
    with path.open("rb") as handle:
        entries = _entry_count(handle)
    if entries is not None and entries > MAX_ENTRIES:
        raise RefusedFile(f"{path}: refused: a zip of {entries:,} files (a LinkedIn export has a few dozen)")
    return zipfile.ZipFile(path)


def check_member(info: zipfile.ZipInfo, shown: str, *, archive_size: int) -> None:
    """Refuse a member whose declared size or compression ratio is absurd (before reading any of it)."""
    _check(shown, info.file_size, min(info.compress_size, archive_size))


def open_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, *, archive_size: int
) -> BinaryIO:
    """A member as a binary stream that counts the bytes it inflates and stops at the limits.

    `archive_size` is the zip's size in bytes: no member holds more compressed data than that,
    whatever its directory entry says."""
    check_member(info, shown, archive_size=archive_size)
    try:
        inner = archive.open(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: a compression zipfile lacks.
        raise MalformedFile(shown, None, None, f"unreadable zip member ({exc})") from None
    counted = CountedReader(inner, shown, compressed=min(info.compress_size, archive_size))
    return io.BufferedReader(counted, buffer_size=256 * 1024)


class CountedReader(io.RawIOBase):
    """A stream of inflated bytes that refuses to go past MAX_MEMBER_BYTES or MAX_RATIO x `compressed`.

    The declared sizes were checked already; this counts what inflating really gives, so a directory
    that lies (or a reader that would believe it) cannot make a member larger than it was allowed.
    """

    def __init__(
        self,
        inner: BinaryIO,
        shown: str,
        *,
        compressed: int,
        max_bytes: int = MAX_MEMBER_BYTES,
        max_ratio: int = MAX_RATIO,
        ratio_floor: int = RATIO_FLOOR,
    ) -> None:
        super().__init__()
        self._inner, self._shown, self._compressed = inner, shown, compressed
        self._limits = (max_bytes, max_ratio, ratio_floor)
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise MalformedFile(self._shown, None, None, f"unreadable zip member ({exc})") from None
        self.count += len(data)
        _check(self._shown, self.count, self._compressed, *self._limits)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def _check(
    shown: str,
    size: int,
    compressed: int,
    max_bytes: int = MAX_MEMBER_BYTES,
    max_ratio: int = MAX_RATIO,
    ratio_floor: int = RATIO_FLOOR,
) -> None:
    if size > ratio_floor and size > max_ratio * compressed:
        raise RefusedFile(f"{shown}: refused: expands more than {max_ratio} times (a zip bomb?)")
    if size > max_bytes:
        raise RefusedFile(f"{shown}: refused: larger than {max_bytes // (1024 * 1024)} MB unzipped")


def _entry_count(handle: BinaryIO) -> int | None:
    """The number of files the zip's end record declares, without reading its directory; None when
    there is no readable end record (zipfile then says what is wrong)."""
    size = handle.seek(0, io.SEEK_END)
    start = max(0, size - _EOCD.size - 0xFFFF)  # the record, then a comment of up to 64 KiB
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _EOCD.size > len(tail):
        return None
    entries = _EOCD.unpack_from(tail, at)[4]
    if entries != 0xFFFF or at < _ZIP64_LOCATOR.size:
        return int(entries)
    signature, _, offset, _ = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
    if signature != b"PK\x06\x07":
        return int(entries)
    handle.seek(offset)
    record = handle.read(_ZIP64_EOCD.size)
    if len(record) < _ZIP64_EOCD.size or not record.startswith(b"PK\x06\x06"):
        return None
    return int(_ZIP64_EOCD.unpack(record)[7])
