"""The shapes of the agenda: its lines, and the agenda for a day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.services.agenda.items import AgendaItem


class AgendaItemOut(TypedDict):
    """An agenda line: its stable key, kind, title, reasons, priority and person."""

    key: str
    kind: str
    title: str
    reasons: list[str]
    also: list[str]
    priority: float
    person_id: int | None
    person: str | None
    due_on: str | None


class AgendaOut(TypedDict):
    """The agenda for a day: the lines shown and how many there were before the daily cap."""

    date: str
    total: int
    items: list[AgendaItemOut]


def agenda_item(item: AgendaItem) -> AgendaItemOut:
    """An agenda line: its stable key, kind, title, reasons, priority and person."""
    return {
        "key": item.key,
        "kind": item.kind,
        "title": item.title,
        "reasons": item.reasons,
        "also": item.also,
        "priority": round(item.priority, 4),
        "person_id": item.person_id,
        "person": item.person_name,
        "due_on": iso(item.due_on),
    }
