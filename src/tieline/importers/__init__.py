"""Importers: one module per format, each with `parse(path, *, options) -> Iterator[Record]`, pure.

This file is the one list of formats: `detect` names the format of a file or folder, and
`parser_for` loads its module lazily (so a missing optional parser costs nothing until used).
`services/importing/save.py` stores what any parser yields; nothing here touches the database.
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from tieline.errors import InvalidInput
from tieline.importers import archives
from tieline.importers.records import ImportOptions, Record

# Format name -> the module that parses it.
FORMATS: dict[str, str] = {
    "linkedin": "tieline.importers.linkedin",
    "google_csv": "tieline.importers.contacts_csv",
    "outlook_csv": "tieline.importers.contacts_csv",
    "vcard": "tieline.importers.vcard",
    "ics": "tieline.importers.ical",
    "mbox": "tieline.importers.mbox",
    "maildir": "tieline.importers.mbox",
}
ALIASES = {"csv": "google_csv", "vcf": "vcard", "ical": "ics", "icalendar": "ics", "email": "mbox"}
_EXTENSIONS = {
    ".vcf": "vcard",
    ".vcard": "vcard",
    ".ics": "ics",
    ".ical": "ics",
    ".ifb": "ics",
    ".mbox": "mbox",
    ".mbx": "mbox",
}
_LINKEDIN_FILES = {"connections.csv", "messages.csv", "invitations.csv", "positions.csv", "profile.csv"}


def check_format(name: str) -> str:
    """A known format name (accepting a few common aliases)."""
    key = name.strip().lower().replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in FORMATS:
        raise InvalidInput(f"unknown format {name!r}: use one of {', '.join(FORMATS)}")
    return key


def detect(path: Path) -> str:
    """The format of a file or folder, by its name and, when that is not enough, its content."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such file or folder")
    if path.is_dir():
        names = {p.name.lower() for p in path.glob("*")} | {p.name.lower() for p in path.glob("*/*")}
        if names & _LINKEDIN_FILES:
            return "linkedin"
        if {"cur", "new"} <= names:
            return "maildir"
        raise InvalidInput(f"{path}: a folder, but neither a LinkedIn export nor a Maildir")
    if zipfile.is_zipfile(path):
        try:
            with archives.open_zip(path) as archive:
                members = {Path(n).name.lower() for n in archive.namelist()}
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InvalidInput(f"{path}: unreadable zip ({exc})") from None
        if members & _LINKEDIN_FILES:
            return "linkedin"
        raise InvalidInput(f"{path}: a zip, but not a LinkedIn data export (no Connections.csv)")
    if fmt := _EXTENSIONS.get(path.suffix.lower()):
        return fmt
    with path.open("rb") as handle:
        head = handle.read(65536)
    return sniff(head, path)


def sniff(head: bytes, path: Path) -> str:
    """The format of a file from its first bytes (a vCard, a calendar, a mailbox, a CSV)."""
    from tieline.importers import contacts_csv, linkedin
    from tieline.importers.tabular import decode, header_of

    text = decode(head, str(path)).lstrip("\ufeff \r\n\t").upper()
    if text.startswith("BEGIN:VCARD"):
        return "vcard"
    if text.startswith("BEGIN:VCALENDAR"):
        return "ics"
    if text.startswith("FROM "):
        return "mbox"
    header = header_of(head, str(path))
    if header:
        if linkedin.which_file(header) or path.name.lower() in _LINKEDIN_FILES:
            return "linkedin"
        lowered = {h.lower() for h in header}
        if lowered & {
            "first name",
            "given name",
            "name",
            "e-mail address",
            "e-mail 1 - value",
            "display name",
        }:
            from tieline.importers.tabular import Table

            return contacts_csv.layout(Table(str(path), header, 1, []))
    raise InvalidInput(f"{path}: cannot tell the format; name it with --format ({', '.join(FORMATS)})")


def parser_for(fmt: str) -> ModuleType:
    """The module that parses a format, imported on first use."""
    name = FORMATS[check_format(fmt)]
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            raise InvalidInput(f"format {fmt!r} cannot be imported yet (no {name} module)") from None
        raise


def parse(path: Path, fmt: str, options: ImportOptions) -> Iterator[Record]:
    """The records of a file in a format, through that format's parser."""
    return parser_for(fmt).parse(path, options=options)
