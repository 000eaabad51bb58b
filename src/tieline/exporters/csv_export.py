"""People as one CSV row each, for spreadsheets and address books that read CSV.

The columns are the fields of `serialise.person_full`; many-valued fields are joined with " ::: "
(the separator Google Contacts uses), and the labels of emails, phones and links sit in their own
columns, in the same order. Every cell that a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

from tieline.models import Person
from tieline.serialise.people import person_full

SEPARATOR = " ::: "
# Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "id",
    "name",
    "given_name",
    "middle_name",
    "family_name",
    "name_prefix",
    "name_suffix",
    "nickname",
    "title",
    "company",
    "department",
    "industry",
    "location",
    "birthday",
    "met_how",
    "met_where",
    "met_on",
    "tier",
    "tier_name",
    "cadence_days",
    "closeness",
    "emails",
    "email_labels",
    "phones",
    "phone_labels",
    "links",
    "link_labels",
    "tags",
    "interests",
    "expertise",
    "needs",
    "notes",
    "archived",
    "last_contact_at",
    "source",
    "source_id",
    "created_at",
    "updated_at",
)
# column -> (field of person_full, key inside each entry)
_LABELLED = {
    "emails": ("emails", "address"),
    "email_labels": ("emails", "label"),
    "phones": ("phones", "number"),
    "phone_labels": ("phones", "label"),
    "links": ("links", "url"),
    "link_labels": ("links", "label"),
}


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return SEPARATOR.join(_text(v) for v in value)
    return str(value)


def row_for(person: Person) -> list[str]:
    """The CSV cells of one person, in COLUMNS order (emails, phones, links, tags, topics loaded)."""
    data = person_full(person)
    cells = []
    for column in COLUMNS:
        if column in _LABELLED:
            field, key = _LABELLED[column]
            value: Any = [entry[key] or "" for entry in data[field]]
        else:
            value = data[column]
        cells.append(neutralise(_text(value)))
    return cells


def write_csv(people: Iterable[Person], out: TextIO) -> int:
    """Write the header and one row per person to a text stream opened with newline=""."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for person in people:
        writer.writerow(row_for(person))
        count += 1
    return count
