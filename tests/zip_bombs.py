"""Zip bombs for the tests: real deflated zips, written by streaming, so the test process never holds
what they expand to (a 400 MB member costs one 1 MB chunk here and about a second to write).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
ROW = b"Ana,Lima,https://www.linkedin.com/in/ana-lima-fake,,Acme Robotics,Staff Engineer,16 Dec 2024\n"
ZEROS = b"\0"
MEMBER = "Basic_LinkedInDataExport/Connections.csv"
MB = 1024 * 1024


def write_bomb(
    path: Path, *, unit: bytes = ZEROS, megabytes: int = 400, compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    """A LinkedIn-looking zip whose Connections.csv is a header, then `unit` repeated to `megabytes`."""
    chunk = unit * -(-MB // len(unit))  # at least 1 MB: `megabytes` chunks in all
    with zipfile.ZipFile(path, "w", compression) as archive, archive.open(MEMBER, "w") as member:
        member.write(HEADER)
        written = 0
        while written < megabytes * MB:
            member.write(chunk)
            written += len(chunk)
    return path


def refusal(path: Path | str, why: str = "expands more than 100 times (a zip bomb?)") -> str:
    """The one line a bomb at `path` is refused with."""
    return f"{path}:{MEMBER}: refused: {why}"
