"""The shapes of the agenda: its lines, and the agenda for a day."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.services.agenda.build import AgendaView, ComingDay
    from tieline.services.agenda.items import AgendaItem


class AgendaItemOut(TypedDict):
    """An agenda line: its stable key, kind, title, reasons, priority and person, its deadline when
    time-sensitive, something to talk about, the numbers behind it, and the API path of the person's
    meeting brief on a line that offers it."""

    key: str
    kind: str
    title: str
    reasons: list[str]
    also: list[str]
    priority: float
    person_id: int | None
    person: str | None
    due_on: str | None
    deadline: str | None
    context: str | None
    details: list[str]
    brief: str | None


class ComingDayOut(TypedDict):
    """A day ahead on an empty day's agenda: the lines first due then (at most the daily cap) of `total`."""

    date: str
    total: int
    items: list[AgendaItemOut]


class AgendaOut(TypedDict):
    """The agenda for a day: the lines shown, how many there were before the daily cap, and when
    none is due, the next seven days' lines."""

    date: str
    total: int
    items: list[AgendaItemOut]
    coming: list[ComingDayOut]


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
        "deadline": iso(item.deadline),
        "context": item.context,
        "details": item.details,
        "brief": f"/api/v1/people/{item.person_id}/brief" if item.brief and item.person_id else None,
    }


def coming_day(day: ComingDay) -> ComingDayOut:
    """A day ahead and its lines."""
    return {"date": day.day.isoformat(), "total": day.total, "items": [agenda_item(i) for i in day.items]}


def agenda(view: AgendaView) -> AgendaOut:
    """The agenda for a day, as `GET /api/v1/agenda` answers it."""
    return {
        "date": view.day.isoformat(),
        "total": view.total,
        "items": [agenda_item(i) for i in view.items],
        "coming": [coming_day(d) for d in view.coming],
    }
