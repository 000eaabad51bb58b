"""LinkedIn data export (the zip, its folder, or one of its CSV files): connections, the owner's own
positions and schools, messages, invitations and endorsements.

Layouts changed over the years: Connections.csv gained a "Notes:" paragraph above its header and a
URL column; messages.csv grew from 7 to 12 columns; Invitations.csv from 5 to 7. Columns are found
by name, never by position, and the header by its columns, never by skipping a number of lines.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tieline.importers import archives, linkedin_activity
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
from tieline.importers.tabular import (
    Opener,
    Table,
    digest,
    file_opener,
    header_of,
    parse_day,
    parse_month,
    read_table,
)
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


@dataclass
class Export:
    """The files of one export that tieline reads: base name -> (name to report, what opens it)."""

    files: dict[str, tuple[str, Opener]] = field(default_factory=dict)
    archive: zipfile.ZipFile | None = None

    def table(self, name: str) -> Table | None:
        """The CSV file of that base name (its rows read as a stream), or None when the export has none."""
        if name not in self.files:
            return None
        shown, opener = self.files[name]
        return read_table(opener, shown, required=FILES[name])

    def close(self) -> None:
        """Close the zip, if the export is one."""
        if self.archive is not None:
            self.archive.close()


def open_export(path: Path) -> Export:
    """The LinkedIn files inside a zip, a folder (searched two levels deep) or a single CSV file.

    A zip is refused (RefusedFile) before anything is read when it lists an absurd number of files or
    one of the members tieline reads would expand absurdly (`archives`)."""
    export = Export()
    if path.is_dir():
        for candidate in sorted(path.glob("*")) + sorted(path.glob("*/*")):
            name = candidate.name.lower()
            if name in FILES and name not in export.files and candidate.is_file():
                export.files[name] = (str(candidate), file_opener(candidate))
    elif zipfile.is_zipfile(path):
        try:
            archive = export.archive = archives.open_zip(path)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise MalformedFile(str(path), None, None, f"unreadable zip ({exc})") from None
        try:
            _add_members(export, archive, path)
        except BaseException:
            export.close()
            raise
    else:
        with path.open("rb") as handle:
            head = handle.read(65536)
        name = which_file(header_of(head, str(path))) or path.name.lower()
        stems = [known for known in FILES if name.startswith(known.removesuffix(".csv"))]
        name = name if name in FILES else stems[0] if stems else name
        if name in FILES:
            export.files[name] = (str(path), file_opener(path))
    if not export.files:
        export.close()
        raise MalformedFile(
            str(path), None, None, "no LinkedIn export files (Connections.csv, messages.csv...)"
        )
    return export


def _add_members(export: Export, archive: zipfile.ZipFile, path: Path) -> None:
    size = path.stat().st_size
    for info in archive.infolist():
        name = Path(info.filename).name.lower()
        if name in FILES and name not in export.files:
            shown = f"{path}:{info.filename}"
            archives.check_member(info, shown, archive_size=size)
            export.files[name] = (shown, _member_opener(archive, info, shown, size))


def _member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, size: int) -> Opener:
    return lambda: archives.open_member(archive, info, shown, archive_size=size)


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
    try:
        yield from _records(export, options)
    finally:
        export.close()


def _records(export: Export, options: ImportOptions) -> Iterator[Record]:
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
