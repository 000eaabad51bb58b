"""Request and response shapes of the REST API (the same fields as the CLI's --json)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
from tieline.models.base import MAX_ID  # noqa: E402

# A value that must contain something besides white space.
NonBlank = Annotated[str, Field(min_length=1, max_length=10000, pattern=r"\S")]


class ErrorDetail(BaseModel):
    """What went wrong, in a stable shape."""

    code: str
    message: str


class ErrorOut(BaseModel):
    """Every error response: {"error": {"code", "message", ...}}."""

    error: ErrorDetail


class Page(BaseModel, Generic[T]):
    """A page of a listing."""

    items: list[T]
    total: int
    limit: int
    offset: int


class EmailOut(BaseModel):
    address: str
    label: str | None


class PhoneOut(BaseModel):
    number: str
    label: str | None


class LinkOut(BaseModel):
    url: str
    kind: str
    label: str | None


class PersonSummaryOut(BaseModel):
    """A person in a listing."""

    id: int
    name: str
    title: str | None
    company: str | None
    tier: int
    tier_name: str
    emails: list[str]
    tags: list[str]
    archived: bool
    last_contact_at: str | None


class StrengthOut(BaseModel):
    """Tie strength with its parts (null where a part had no data)."""

    total: float
    parts: dict[str, float | None]
    weights: dict[str, float]


class PersonOut(BaseModel):
    """Every field of a person, with tie strength and cadence."""

    id: int
    name: str
    given_name: str | None
    middle_name: str | None
    family_name: str | None
    name_prefix: str | None
    name_suffix: str | None
    nickname: str | None
    title: str | None
    company: str | None
    department: str | None
    industry: str | None
    location: str | None
    birthday: str | None
    met_how: str | None
    met_where: str | None
    met_on: str | None
    tier: int
    tier_name: str
    cadence_days: int | None
    closeness: int | None
    emails: list[EmailOut]
    phones: list[PhoneOut]
    links: list[LinkOut]
    tags: list[str]
    interests: list[str]
    expertise: list[str]
    needs: list[str]
    notes: str | None
    archived: bool
    last_contact_at: str | None
    source: str | None
    source_id: str | None
    created_at: str | None
    updated_at: str | None
    strength: StrengthOut | None = None
    effective_cadence_days: int | None = None
    next_due: str | None = None


class PersonFields(BaseModel):
    """Fields a client may set on a person; lists replace the stored ones when given."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    company: str | None = None
    department: str | None = None
    industry: str | None = None
    location: str | None = None
    birthday: str | None = Field(None, description="YYYY-MM-DD, or --MM-DD without a year")
    met_how: str | None = None
    met_where: str | None = None
    met_on: date | None = None
    tier: int | None = Field(None, ge=1, le=5)
    cadence_days: int | None = Field(None, ge=1, le=100000)
    closeness: int | None = Field(None, ge=1, le=5)
    notes: str | None = None
    emails: list[NonBlank] | None = None
    phones: list[NonBlank] | None = None
    links: list[NonBlank] | None = None
    tags: list[NonBlank] | None = None
    interests: list[NonBlank] | None = None
    expertise: list[NonBlank] | None = None
    needs: list[NonBlank] | None = None


class PersonCreate(PersonFields):
    """A new person: a name and any other fields."""

    name: NonBlank


class PersonUpdate(PersonFields):
    """Changes to a person; omitted fields stay as they are, null clears a field."""

    name: str | None = Field(None, min_length=1, max_length=10000)


class InteractionCreate(BaseModel):
    """A new interaction."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["meeting", "coffee", "call", "video_call", "message", "email", "event", "social", "other"]
    people: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(min_length=1, description="person ids")
    when: str = Field("today", description="today, yesterday, YYYY-MM-DD, '3 days ago' or an ISO time")
    notes: str | None = None
    initiated_by: str | None = Field(None, pattern="^(me|them)$")
    subject: str | None = None


class InteractionOut(BaseModel):
    """An interaction; `with` lists the other participants on a person's timeline."""

    model_config = ConfigDict(populate_by_name=True)

    id: int
    kind: str
    occurred_at: str | None
    initiated_by: str | None
    channel: str | None
    subject: str | None
    notes: str | None
    with_: list[str] | None = Field(None, alias="with")


class AgendaItemOut(BaseModel):
    """An agenda line."""

    key: str
    kind: str
    title: str
    reasons: list[str]
    also: list[str]
    priority: float
    person_id: int | None
    person: str | None
    due_on: str | None


class AgendaOut(BaseModel):
    """The agenda for a day."""

    date: str
    total: int
    items: list[AgendaItemOut]


class SnoozeIn(BaseModel):
    """How long to snooze an agenda item."""

    model_config = ConfigDict(extra="forbid")

    days: int = Field(1, ge=1, le=3650)


class DoneIn(BaseModel):
    """How an agenda item was done."""

    model_config = ConfigDict(extra="forbid")

    kind: str = "message"
    note: str | None = None


class OrganisationOut(BaseModel):
    """An organisation."""

    id: int
    name: str
    kind: str
    industry: str | None
    location: str | None
    website: str | None
    notes: str | None
    parent_id: int | None
    members: int | None = None


class OrganisationCreate(BaseModel):
    """A new organisation."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=10000)
    kind: str = "company"
    industry: str | None = None
    location: str | None = None
    website: str | None = None
    notes: str | None = None


class SearchHitOut(PersonSummaryOut):
    """A search result."""

    score: float
