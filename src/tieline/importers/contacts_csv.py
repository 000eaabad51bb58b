"""Google Contacts CSV (the older "Type" layout and the newer "Label" one) and Outlook CSV.

Columns are recognised by name: numbered groups ("E-mail 2 - Value" with its "- Type" or
"- Label"), Outlook's fixed columns ("E-mail 2 Address", "Business Phone") and the generic
"Email Work" style. Multi-values are joined with " ::: ". Every non-empty cell that has no field
of its own is kept in the person's extra fields, so nothing in the file is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tieline.importers.records import ImportOptions, LabeledValue, Origin, PersonRecord, Record, SkippedRecord
from tieline.importers.tabular import Table, digest, file_opener, parse_day, read_table
from tieline.text import fold

MULTI = " ::: "
# Field -> the column names that hold it, in every layout (compared lower-cased).
SCALARS: dict[str, tuple[str, ...]] = {
    "display_name": ("name", "display name"),
    "given_name": ("given name", "first name"),
    "middle_name": ("additional name", "middle name"),
    "family_name": ("family name", "last name"),
    "name_prefix": ("name prefix", "prefix"),
    "name_suffix": ("name suffix", "suffix"),
    "nickname": ("nickname",),
    "company": ("organization 1 - name", "organization name", "company"),
    "title": ("organization 1 - title", "organization title", "job title"),
    "department": ("organization 1 - department", "organization department", "department"),
    "location": ("location", "office location"),
    "notes": ("notes",),
    "birthday": ("birthday",),
}
GROUP_COLUMNS = ("group membership", "labels", "categories")
_NUMBERED = re.compile(r"^(e-mail|phone|website|address|relation|custom field|event|im) (\d+) - (.+)$")
_OUTLOOK_EMAIL = re.compile(r"^e-?mail(?: (\d))? address$")
_GENERIC_EMAIL = re.compile(r"^e-?mail (home|work|other)$")
_PHONE_WORDS = ("phone", "fax", "pager", "mobile", "callback", "telex", "tty")


def layout(table: Table) -> str:
    """ "google_csv" or "outlook_csv", by the columns the header has."""
    lowered = {h.lower() for h in table.header}
    google = {"given name", "family name"} <= lowered or "labels" in lowered or "e-mail 1 - value" in lowered
    return "google_csv" if google else "outlook_csv"


def parse(path: str | Path, *, options: ImportOptions | None = None) -> Iterator[Record]:
    """A person per row of a Google or Outlook contacts CSV; rows with nothing to identify are skipped."""
    shown = str(path)
    table = read_table(file_opener(Path(path)), shown, required=())
    if len(table.header) < 2:
        from tieline.importers.records import MalformedFile

        raise MalformedFile(shown, table.header_line, "header", "not a contacts CSV (fewer than two columns)")
    source = layout(table)
    # Outlook's "Title" is the name prefix (Mr., Dr.) when a "Job Title" column exists beside it.
    prefix_columns = ("title",) if table.has("Job Title") else ()
    seen: set[str] = set()
    for line, row in table.records():
        record = _person(row, source, Origin(shown, line), prefix_columns)
        if isinstance(record, PersonRecord):
            if record.source_id in seen:
                record.source_id = f"{record.source_id}#{line}"
            seen.add(record.source_id)
        yield record


def _person(
    row: dict[str, str], source: str, origin: Origin, prefix_columns: tuple[str, ...]
) -> PersonRecord | SkippedRecord:
    lowered = {k.lower(): (k, v) for k, v in row.items()}
    used: set[str] = set()
    values: dict[str, str | None] = {}
    for field, columns in SCALARS.items():
        for column in (*columns, *prefix_columns) if field == "name_prefix" else columns:
            if column in lowered and lowered[column][1]:
                values[field] = lowered[column][1]
                used.add(column)
                break
    emails, phones, links, extra, tags = _many_valued(lowered, used)
    for column in GROUP_COLUMNS:
        if column in lowered and lowered[column][1]:
            used.add(column)
            for tag in re.split(r" ::: |;", lowered[column][1]):
                clean = tag.strip()
                if clean and not clean.startswith("* "):
                    tags.append(clean)
    for column, (original, value) in lowered.items():
        if value and column not in used and column not in extra:
            extra[original] = value
    birthday = values.pop("birthday", None)
    if birthday:
        text = _birthday(birthday)
        if text is None:
            extra["Birthday"] = birthday
        values["birthday"] = text
    named = values.get("display_name") or values.get("given_name") or values.get("family_name")
    if not (named or emails or phones or values.get("company") or values.get("nickname")):
        return SkippedRecord(origin, "no name, email or phone")
    key = emails[0].value.lower() if emails else None
    name = fold(" ".join(v for v in (values.get("given_name"), values.get("family_name")) if v))
    source_id = (
        f"email:{key}" if key else "row:" + digest(name or values.get("display_name"), values.get("company"))
    )
    return PersonRecord(
        source=source,
        source_id=source_id,
        origin=origin,
        emails=emails,
        phones=phones,
        links=links,
        tags=sorted(set(tags), key=tags.index),
        extra={k: v for k, v in extra.items() if not k.startswith("_")},
        **{k: v for k, v in values.items() if v},  # type: ignore[arg-type]
    )


def _many_valued(
    lowered: dict[str, tuple[str, str]], used: set[str]
) -> tuple[list[LabeledValue], list[LabeledValue], list[LabeledValue], dict[str, str], list[str]]:
    emails: list[LabeledValue] = []
    phones: list[LabeledValue] = []
    links: list[LabeledValue] = []
    extra: dict[str, str] = {}
    groups: dict[tuple[str, str], dict[str, str]] = {}
    for column, (_, value) in lowered.items():
        if m := _NUMBERED.match(column):
            used.add(column)
            if value:
                groups.setdefault((m.group(1), m.group(2)), {})[m.group(3)] = value
    for (kind, number), parts in sorted(groups.items(), key=lambda g: (g[0][0], int(g[0][1]))):
        labels = [
            part.lstrip("* ").strip() or None
            for part in (parts.get("type") or parts.get("label") or "").split(MULTI)
        ]
        value = parts.get("value") or parts.get("formatted") or ""
        if not value:  # an address given in parts only (street, city...)
            value = ", ".join(v for k, v in parts.items() if k not in ("type", "label"))
        target = {"e-mail": emails, "phone": phones, "website": links}.get(kind)
        for i, item in enumerate(v.strip() for v in value.split(MULTI)):
            if not item:
                continue
            label = labels[i] if i < len(labels) else labels[0]
            if target is not None:
                target.append(LabeledValue(item, label))
            else:
                name = f"{kind.title()} {number}" + (f" ({label})" if label else "")
                extra[name] = item if name not in extra else extra[name] + MULTI + item
    for column, (original, value) in lowered.items():
        if column in used or not value:
            continue
        if m := _OUTLOOK_EMAIL.match(column):
            emails.append(LabeledValue(value, None if not m.group(1) else f"email {m.group(1)}"))
        elif m := _GENERIC_EMAIL.match(column):
            emails.append(LabeledValue(value, m.group(1)))
        elif any(word in column for word in _PHONE_WORDS) and "yomi" not in column:
            phones.append(LabeledValue(value, original))
        elif column in ("web page", "personal web page") or column.startswith("website "):
            links.append(LabeledValue(value, original.removeprefix("Website ").strip() or None))
        else:
            continue
        used.add(column)
    return emails, phones, links, extra, []


def _birthday(text: str) -> str | None:
    """YYYY-MM-DD or --MM-DD from the forms contact exports write; None when unreadable or empty."""
    value = text.strip()
    if m := re.fullmatch(r"--(\d{2})-?(\d{2})", value):
        return f"--{m.group(1)}-{m.group(2)}"
    if re.fullmatch(r"0?0/0?0/0{2,4}", value):
        return None
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value):
        first, second = int(m.group(1)), int(m.group(2))
        month, day = (second, first) if first > 12 else (first, second)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{m.group(3)}-{month:02d}-{day:02d}"
        return None
    day = parse_day(value)
    return day.isoformat() if day else None
