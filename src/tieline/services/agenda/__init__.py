"""The daily agenda: what to do today and why. Sources are listed in `sources.py`."""

from tieline.services.agenda.actions import DoneOptions, dismiss, done, snooze
from tieline.services.agenda.build import (
    AgendaView,
    ComingDay,
    agenda_for,
    collect_all,
    context,
    losing_touch,
)
from tieline.services.agenda.items import AgendaContext, AgendaItem

__all__ = [
    "AgendaContext",
    "AgendaItem",
    "AgendaView",
    "ComingDay",
    "DoneOptions",
    "agenda_for",
    "collect_all",
    "context",
    "dismiss",
    "done",
    "losing_touch",
    "snooze",
]
