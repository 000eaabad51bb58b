"""The shape of a follow-up (a promise among them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models.followup import FollowUp


class FollowUpOut(TypedDict):
    """A follow-up, with the name of the person it is about (null for one about nobody)."""

    id: int
    person_id: int | None
    person: str | None
    text: str
    due_on: str
    every_days: int | None
    promise: bool
    status: str
    done_at: str | None


def followup(item: FollowUp, person: str | None) -> FollowUpOut:
    """A follow-up, with the name of the person it is about (None for one about nobody)."""
    return {
        "id": item.id,
        "person_id": item.person_id,
        "person": person,
        "text": item.text,
        "due_on": item.due_on.isoformat(),
        "every_days": item.every_days,
        "promise": item.is_promise,
        "status": item.status,
        "done_at": iso(item.done_at),
    }
