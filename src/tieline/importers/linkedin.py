"""LinkedIn data export (the zip, its folder, or one of its CSV files): connections, the owner's own
positions and schools, messages, invitations and endorsements.

Layouts changed over the years: Connections.csv gained a "Notes:" paragraph above its header and a
URL column; messages.csv grew from 7 to 12 columns; Invitations.csv from 5 to 7. Columns are found
by name, never by position, and the header by its columns, never by skipping a number of lines.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tieline.importers import linkedin_activity
from tieline.importers.records import (
    ImportOptions,
    LabeledValue,
    MalformedFile,
    MembershipRecord,
    Origin,
    PersonRecord,
    Record,
    SkippedRecord,
)
from tieline.importers.tabular import Table, digest, header_of, parse_day, parse_month, read_table
from tieline.services.identity import linkedin_key
from tieline.text import fold

SOURCE = "linkedin"
# Export file (lower-cased base name) -> the columns that identify its header row.
FILES: dict[str, tuple[str, ...]] = {
    "connections.csv": ("First Name", "Last Name", "Connected On"),
    "profile.csv": ("First Name", "Last Name"),
    "positions.csv": ("Company Name", "Title"),
    "education.csv": ("School Name",),
    "messages.csv": ("From", "Date"),
    "invitations.csv": ("From", "To", "Sent At"),
    "endorsement_received_info.csv": ("Skill Name", "Endorser First Name"),
}
MAX_BYTES = 512 * 1024 * 1024


@dataclass
class Export:
    """The files of one export that tieline reads: base name -> (name to report, a reader)."""

    files: dict[str, tuple[str, Callable[[], bytes]]] = field(default_factory=dict)

    def table(self, name: str) -> Table | None:
        """The parsed CSV file of that base name, or None when the export has none."""
        if name not in self.files:
            return None
        shown, read = self.files[name]
        return read_table(read(), shown, required=FILES[name])


def open_export(path: Path) -> Export:
    """The LinkedIn files inside a zip, a folder (searched two levels deep) or a single CSV file."""
    export = Export()
    if path.is_dir():
        for candidate in sorted(path.glob("*")) + sorted(path.glob("*/*")):
            name = candidate.name.lower()
            if name in FILES and name not in export.files and candidate.is_file():
                export.files[name] = (str(candidate), candidate.read_bytes)
    elif zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise MalformedFile(str(path), None, None, f"unreadable zip ({exc})") from None
        for info in archive.infolist():
            name = Path(info.filename).name.lower()
            if name in FILES and name not in export.files and info.file_size <= MAX_BYTES:
                export.files[name] = (f"{path}:{info.filename}", _member_reader(archive, info, str(path)))
    else:
        data = path.read_bytes()
        name = which_file(header_of(data, str(path))) or path.name.lower()
        stems = [known for known in FILES if name.startswith(known.removesuffix(".csv"))]
        name = name if name in FILES else stems[0] if stems else name
        if name in FILES:
            export.files[name] = (str(path), lambda: data)
    if not export.files:
        raise MalformedFile(
            str(path), None, None, "no LinkedIn export files (Connections.csv, messages.csv...)"
        )
    return export


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            return archive.read(info)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise MalformedFile(
                f"{path}:{info.filename}", None, None, f"unreadable zip member ({exc})"
            ) from None

    return read


def which_file(header: list[str]) -> str | None:
    """Which export file a CSV header belongs to, by its columns."""
    lowered = {h.lower() for h in header}
    for name in ("connections.csv", "messages.csv", "invitations.csv", "endorsement_received_info.csv"):
        if {c.lower() for c in FILES[name]} <= lowered:
            return name
    return None


@dataclass
class Owner:
    """Who the export belongs to: their folded name(s) and profile keys, to tell sent from received."""

    names: set[str] = field(default_factory=set)
    profiles: set[str] = field(default_factory=set)


def parse(path: str | Path, *, options: ImportOptions | None = None) -> Iterator[Record]:
    """Every record of a LinkedIn export: people first, then the owner's history, then activity."""
    options = options or ImportOptions()
    export = open_export(Path(path))
    owner = Owner(names=set(options.own_names))
    if (profile := export.table("profile.csv")) is not None:
        for _, row in profile.records():
            name = fold(f"{row.get('First Name', '')} {row.get('Last Name', '')}")
            if name:
                owner.names.add(name)
    by_name: dict[str, str | None] = {}
    # Names resolve participants of activity files that give no profile URL; only then worth folding.
    activity = any(
        n in export.files for n in ("messages.csv", "invitations.csv", "endorsement_received_info.csv")
    )
    if (connections := export.table("connections.csv")) is not None:
        for record in connection_records(connections):
            if activity and isinstance(record, PersonRecord):
                key = fold(record.display_name or "")
                by_name[key] = None if key in by_name else record.source_id
            yield record
    for name, kind in (("positions.csv", "company"), ("education.csv", "school")):
        if (table := export.table(name)) is not None:
            yield from history_records(table, kind)
    names = {k: v for k, v in by_name.items() if v is not None}
    if (table := export.table("messages.csv")) is not None:
        yield from linkedin_activity.messages(table, owner.names, owner.profiles, names)
    if (table := export.table("invitations.csv")) is not None:
        yield from linkedin_activity.invitations(table, names)
    if (table := export.table("endorsement_received_info.csv")) is not None:
        yield from linkedin_activity.endorsements(table, names)


def connection_records(table: Table) -> Iterator[PersonRecord | SkippedRecord]:
    """A person per connection; rows with no name (LinkedIn hides some) are skipped with the reason."""
    seen: dict[str, int] = {}
    for line, row in table.records():
        origin = Origin(table.path, line)
        first, last = row.get("First Name", ""), row.get("Last Name", "")
        name = " ".join(p for p in (first, last) if p)
        if not name:
            yield SkippedRecord(origin, "connection without a name (hidden by LinkedIn)")
            continue
        url = row.get("URL", "") or row.get("Profile URL", "")
        connected = parse_day(row.get("Connected On", ""))
        key = linkedin_key(url)
        source_id = key or "name:" + digest(fold(name), connected.isoformat() if connected else "")
        if source_id in seen:
            yield SkippedRecord(origin, f"same connection as line {seen[source_id]}")
            continue
        seen[source_id] = line
        email = row.get("Email Address", "")
        extra = {}
        if row.get("Connected On") and connected is None:
            extra["linkedin_connected_on"] = row["Connected On"]
        yield PersonRecord(
            source=SOURCE,
            source_id=source_id,
            origin=origin,
            display_name=name,
            given_name=first or None,
            family_name=last or None,
            company=row.get("Company") or None,
            title=row.get("Position") or None,
            met_on=connected,
            met_how="LinkedIn connection" if connected else None,
            emails=[LabeledValue(email)] if email else [],
            links=[LabeledValue(url.strip(), "LinkedIn")] if key else [],
            extra=extra,
        )


def history_records(table: Table, kind: str) -> Iterator[MembershipRecord | SkippedRecord]:
    """The owner's own positions (kind "company") or schools (kind "school") as memberships."""
    for line, row in table.records():
        origin = Origin(table.path, line)
        if kind == "company":
            organisation, role = row.get("Company Name", ""), row.get("Title") or None
            start, end = row.get("Started On", ""), row.get("Finished On", "")
            notes = "\n".join(x for x in (row.get("Description", ""), row.get("Location", "")) if x) or None
        else:
            organisation, role = row.get("School Name", ""), row.get("Degree Name") or None
            start, end = row.get("Start Date", ""), row.get("End Date", "")
            notes = "\n".join(x for x in (row.get("Notes", ""), row.get("Activities", "")) if x) or None
        if not organisation:
            yield SkippedRecord(origin, f"{'position' if kind == 'company' else 'school'} without a name")
            continue
        start_date, end_date = parse_month(start) if start else None, parse_month(end) if end else None
        if start_date and end_date and end_date < start_date:
            end_date = None
        yield MembershipRecord(
            source=SOURCE,
            source_id=f"{kind}:" + digest(fold(organisation), fold(role or ""), start),
            origin=origin,
            organisation=organisation,
            kind=kind,
            role=role,
            start_date=start_date,
            end_date=end_date,
            notes=notes,
        )
