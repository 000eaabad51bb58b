"""Every field of a person, declared once: its name, kind, bounds, help text, and who may set it.

The edges follow this table. The web edit form (`web/templates/ui/_person_profile.html`) and the
API's PersonCreate and PersonUpdate (`web/api/schemas.py`) are built from it; `services.people`
takes its SCALAR_FIELDS and LIST_FIELDS from it. `tieline add` and `tieline edit` keep static
signatures (Typer reads them) whose options take their flags and help from it, and the JSON shape
(`serialise.people.PersonOut`, `person_full`) is written out for speed: `tests/test_person_fields.py`
checks both against the table and names the edge that is out of step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What a value is, which decides how each edge reads it and how `services.people` checks it:
# text (one line), long_text (the notes), date (met_on), birthday (YYYY-MM-DD or --MM-DD), tier (1-5
# or a tier's name), count (a whole number within `low`..`high`), list (many values, each a line).
Kind = Literal["text", "long_text", "date", "birthday", "tier", "count", "list"]
# Who sets a field: "edit" you (add and edit, the web form, the API); "import" imports and merges
# (the edges show it, nobody types it); "read" tieline itself (ids, times, what is derived).
Access = Literal["edit", "import", "read"]


@dataclass(frozen=True)
class PersonField:
    """One field of a person as every edge sees it, in the order of the JSON shape."""

    key: str  # its name in --json, the API and the web form
    label: str  # what the web form calls it
    help: str = ""  # the CLI's --help and the API's description
    kind: Kind = "text"
    access: Access = "edit"
    flags: tuple[str, ...] = ()  # the CLI's option names, the long one first
    low: int | None = None  # bounds of a count or a tier
    high: int | None = None
    change_key: str = ""  # its key in services.people.PersonChanges, when not `key`

    @property
    def many(self) -> bool:
        """A list field (emails, tags...): values are added and removed, not set."""
        return self.kind == "list"

    @property
    def editable(self) -> bool:
        """Set by you through every edge: `tieline add`/`edit`, the web form and the API."""
        return self.access == "edit"

    @property
    def changes_as(self) -> str:
        """The key PersonChanges takes this field under."""
        return self.change_key or self.key


def _imported(key: str, label: str) -> PersonField:
    return PersonField(key, label, access="import")


def _kept(key: str, label: str, kind: Kind = "text") -> PersonField:
    return PersonField(key, label, kind=kind, access="read")


PERSON_FIELDS: tuple[PersonField, ...] = (
    _kept("id", "Id", "count"),
    PersonField(
        "name", "Name", "The person's name as you say it.", flags=("--name",), change_key="display_name"
    ),
    _imported("given_name", "Given name"),
    _imported("middle_name", "Middle name"),
    _imported("family_name", "Family name"),
    _imported("name_prefix", "Name prefix"),
    _imported("name_suffix", "Name suffix"),
    _imported("nickname", "Nickname"),
    PersonField("title", "Title", "Job title.", flags=("--title",)),
    PersonField("company", "Company", "Current employer.", flags=("--company", "-c")),
    PersonField("department", "Department", "Department.", flags=("--department",)),
    PersonField("industry", "Industry", "Industry.", flags=("--industry",)),
    PersonField("location", "Location", "City or region.", flags=("--location",)),
    PersonField(
        "birthday",
        "Birthday (YYYY-MM-DD or MM-DD)",
        "YYYY-MM-DD, or MM-DD without a year.",
        kind="birthday",
        flags=("--birthday",),
    ),
    PersonField("met_how", "How you met", "How you met.", flags=("--met-how",)),
    PersonField("met_where", "Where you met", "Where you met.", flags=("--met-where",)),
    PersonField("met_on", "When you met", "When you met (date).", kind="date", flags=("--met-on",)),
    PersonField(
        "tier",
        "Tier",
        "1 inner, 2 close, 3 active, 4 network, 5 acquaintance",
        kind="tier",
        flags=("--tier",),
        low=1,
        high=5,
    ),
    _kept("tier_name", "Tier name"),
    PersonField(
        "cadence_days",
        "Own cadence (days, blank for the tier's)",
        "Keep-in-touch cadence in days (override).",
        kind="count",
        flags=("--cadence",),
        low=1,
        high=100_000,
    ),
    PersonField(
        "closeness",
        "Closeness (1-5)",
        "Your closeness rating, 1 to 5.",
        kind="count",
        flags=("--closeness",),
        low=1,
        high=5,
    ),
    PersonField("emails", "Emails", "Email address", kind="list", flags=("--email", "-e")),
    PersonField("phones", "Phones", "Phone number", kind="list", flags=("--phone", "-p")),
    PersonField("links", "Links", "Web address, e.g. a LinkedIn profile", kind="list", flags=("--link",)),
    PersonField("tags", "Tags", "Tag", kind="list", flags=("--tag", "-t")),
    PersonField("interests", "Interests", "Interest", kind="list", flags=("--interest",)),
    PersonField("expertise", "Expertise", "What they know or offer", kind="list", flags=("--expertise",)),
    PersonField("needs", "Needs", "What they are looking for", kind="list", flags=("--need",)),
    PersonField("notes", "Notes", "Free notes.", kind="long_text", flags=("--note", "--notes", "-n")),
    _kept("archived", "Archived"),
    _kept("last_contact_at", "Last contact"),
    _kept("source", "Source"),
    _kept("source_id", "Id at the source"),
    _kept("created_at", "Added"),
    _kept("updated_at", "Changed"),
)
FIELD = {f.key: f for f in PERSON_FIELDS}
EDITABLE = tuple(f for f in PERSON_FIELDS if f.editable)
# What PersonChanges accepts: every field you or an import may set.
SCALAR_FIELDS = tuple(f.changes_as for f in PERSON_FIELDS if not f.many and f.access != "read")
LIST_FIELDS = tuple(f.key for f in PERSON_FIELDS if f.many)


def cli_help(field: PersonField) -> str:
    """The field's --help text: list options say they repeat, the tier that it takes a name too."""
    if field.many:
        return f"{field.help} (repeatable)."
    if field.kind == "tier":
        return f"{field.help} (number or name)."
    return field.help


def api_help(field: PersonField) -> str:
    """The field's description in the API schema."""
    if field.many:
        return f"{field.help}: every value (replaces the stored ones)"
    if field.kind == "tier":
        return f"{field.help}; null sets the default, 4"
    return field.help
