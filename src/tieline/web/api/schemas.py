"""Request bodies of the REST API, its error shape and its page of a listing.

What the API returns is declared once, in `tieline.serialise` (the same shapes as `--json`); routes
name those as their response models. A person's request bodies (PersonCreate, PersonUpdate) are built
from the person field table (`services/person_fields.py`), so they take every field the CLI and the
web form take, with the same bounds and help.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from tieline.models.base import MAX_ID
from tieline.services.person_fields import EDITABLE, PersonField, api_help

__all__ = [
    "MAX_ID",
    "DoneIn",
    "ErrorDetail",
    "ErrorOut",
    "InteractionCreate",
    "NonBlank",
    "OrganisationCreate",
    "Page",
    "PersonCreate",
    "PersonFields",
    "PersonUpdate",
    "SnoozeIn",
]

T = TypeVar("T")

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


def _body_field(field: PersonField) -> tuple[Any, Any]:
    """A person field as a request body takes it: its type and bounds; null clears it."""
    described: dict[str, Any] = {"description": api_help(field)}
    if field.many:
        return list[NonBlank] | None, Field(None, **described)
    if field.kind == "date":
        return date | None, Field(None, **described)
    if field.kind in ("count", "tier"):
        return int | None, Field(None, ge=field.low, le=field.high, **described)
    return str | None, Field(None, **described)


# Every field you may set except the name, which a new person needs and a change may leave out.
PersonFields: type[BaseModel] = create_model(
    "PersonFields",
    __config__=ConfigDict(extra="forbid"),
    __doc__="Fields a client may set on a person; lists replace the stored ones when given.",
    **{f.key: _body_field(f) for f in EDITABLE if f.key != "name"},
)


class PersonCreate(PersonFields):  # type: ignore[misc,valid-type]
    """A new person: a name and any other fields."""

    name: NonBlank


class PersonUpdate(PersonFields):  # type: ignore[misc,valid-type]
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


class SnoozeIn(BaseModel):
    """How long to snooze an agenda item."""

    model_config = ConfigDict(extra="forbid")

    days: int = Field(1, ge=1, le=3650)


class DoneIn(BaseModel):
    """How an agenda item was done."""

    model_config = ConfigDict(extra="forbid")

    kind: str = "message"
    note: str | None = None


class OrganisationCreate(BaseModel):
    """A new organisation."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=10000)
    kind: str = "company"
    industry: str | None = None
    location: str | None = None
    website: str | None = None
    notes: str | None = None
