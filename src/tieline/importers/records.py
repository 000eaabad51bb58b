"""What every parser produces: plain records, no database. `services/importing/save.py` stores them.

A parser reads one file (or a LinkedIn export folder / zip) and yields these records, each with
a stable `source_id` so that importing the same file twice changes nothing, and with the file and
line it came from so that a problem can be reported precisely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tieline.errors import InvalidInput, TielineError


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
    # email (or person source id) -> the display name the source shows, to create people when asked
    names: dict[str, str] = field(default_factory=dict)
    # True when the last message of a conversation was theirs, to you alone (a reply may be owed).
    addressed_to_me_alone: bool = False


@dataclass
class SkippedRecord:
    """Something a parser read but could not use, and why; the import report lists each one."""

    origin: Origin
    reason: str


@dataclass
class MembershipRecord:
    """A place in an organisation: the owner's own history (person_source_id None) or a contact's."""

    source: str
    source_id: str
    origin: Origin
    organisation: str
    kind: str = "company"  # one of models.ORGANISATION_KINDS
    role: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    notes: str | None = None
    person_source_id: str | None = None  # None: the owner themself


@dataclass
class FavourRecord:
    """Help given or received (a LinkedIn endorsement, a recommendation) with one person."""

    source: str
    source_id: str
    origin: Origin
    direction: str  # "given" / "received"
    kind: str  # one of models.FAVOUR_KINDS
    occurred_at: datetime  # aware
    text: str | None = None
    person_source_id: str | None = None
    emails: list[str] = field(default_factory=list)
    name: str | None = None  # to create the person when asked and nothing else matches
    # A light favour (an endorsement) opens a thank-you item only when it is recent.
    light: bool = False


@dataclass
class MilestoneRecord:
    """Something worth congratulating that a source states outright (not inferred by the save step)."""

    source: str
    source_id: str
    origin: Origin
    kind: str  # one of models.MILESTONE_KINDS
    occurred_on: date
    text: str | None = None
    person_source_id: str | None = None
    emails: list[str] = field(default_factory=list)


@dataclass
class UpcomingMeeting:
    """An occurrence still to come of a meeting with other people (times in UTC)."""

    uid: str
    recurrence_id: str  # the occurrence's original start (occurrence_key), as a past one's source id
    starts_at: datetime
    ends_at: datetime | None
    title: str | None  # the SUMMARY
    emails: list[str]  # the other people's addresses, folded, as a past meeting's participants
    names: dict[str, str] = field(default_factory=dict)  # address -> the name the invitation gives
    # Where a connector found it: the calendar (its cursor key) and the object in it.
    calendar: str = ""
    href: str = ""


Record = PersonRecord | InteractionRecord | MembershipRecord | FavourRecord | MilestoneRecord | SkippedRecord


@dataclass(frozen=True)
class ImportOptions:
    """What every parser and the save step may need besides the file; parsers ignore what they don't use."""

    # The owner's own addresses (setting "me.emails"): never contacts, and they give a message's direction.
    own_emails: frozenset[str] = frozenset()
    own_names: frozenset[str] = frozenset()  # folded, e.g. from setting "me.name"
    # Create people for interaction participants that match nobody (else the participant is left out).
    create_people: bool = False
    # Mail sent to more than this many people is a list or a broadcast, not a conversation.
    max_recipients: int = 10
    skip_no_reply: bool = True
    include_bodies: bool = False  # email bodies are not stored unless asked
    default_region: str | None = None  # phone numbers without a country code, e.g. "GB"


class MalformedFile(TielineError):
    """A file cannot be read as its format: names the file, the line and the field at fault.

    Raised by a parser for a file it cannot make sense of as a whole (a row it can't use is a
    SkippedRecord instead); the import then writes nothing.
    """

    exit_code = 1
    http_status = 422

    def __init__(self, path: str, line: int | None, field: str | None, problem: str) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")
        self.path, self.line, self.field, self.problem = path, line, field, problem


class RefusedFile(InvalidInput):
    """A file tieline will not read because reading it would cost more than any real export does (a
    zip bomb, a zip of a million files): the message names the file, the member and the limit."""
