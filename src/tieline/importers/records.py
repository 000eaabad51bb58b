"""What every parser produces: plain records, no database. `importers/save.py` stores them.

A parser reads one file (or a LinkedIn export folder / zip) and yields these records, each with
a stable `source_id` so that importing the same file twice changes nothing, and with the file and
line it came from so that a problem can be reported precisely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Origin:
    """Where a record came from: the file and the (1-based) line or record number in it."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass
class LabeledValue:
    """An email, phone or link with its type as the source labelled it ("work", "home"...)."""

    value: str
    label: str | None = None


@dataclass
class PersonRecord:
    """A person as a source describes them; None means "the source says nothing about this"."""

    source: str  # e.g. "linkedin", "vcard", "google_csv", "outlook_csv", "ics", "mbox"
    source_id: str  # stable within the source: a UID, a profile URL, an email address, a row hash
    origin: Origin
    display_name: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    name_prefix: str | None = None
    name_suffix: str | None = None
    nickname: str | None = None
    title: str | None = None
    company: str | None = None
    department: str | None = None
    industry: str | None = None
    location: str | None = None
    birthday: str | None = None  # YYYY-MM-DD or --MM-DD
    met_on: date | None = None
    met_how: str | None = None
    notes: str | None = None
    emails: list[LabeledValue] = field(default_factory=list)
    phones: list[LabeledValue] = field(default_factory=list)
    links: list[LabeledValue] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # Everything the source holds that has no field of its own; exports write it back.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class InteractionRecord:
    """A meeting, message or email between the owner and people named by email or source id."""

    source: str
    source_id: str  # a message-id, an event UID plus occurrence, a row hash
    origin: Origin
    kind: str  # one of models.INTERACTION_KINDS
    occurred_at: datetime  # aware
    initiated_by: str | None = None  # "me" / "them" (direction of a message)
    subject: str | None = None
    notes: str | None = None
    channel: str | None = None
    # Participants, matched to people by email first, then by a person record's source id.
    emails: list[str] = field(default_factory=list)
    person_source_ids: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # email -> display name seen in the source
    # True when the last message of a conversation was theirs, to you alone (a reply may be owed).
    addressed_to_me_alone: bool = False


@dataclass
class SkippedRecord:
    """Something a parser read but could not use, and why; the import report lists each one."""

    origin: Origin
    reason: str
