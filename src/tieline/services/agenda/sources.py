"""Every source of agenda lines, in one list: add a module here to put a new kind on the agenda.

A source module has `KIND`, `collect(ctx) -> list[AgendaItem]`, and optionally
`on_done(ctx, item, options)` for what "done" does beyond remembering the state.
"""

from __future__ import annotations

from types import ModuleType

from tieline.services.agenda import (
    congratulations,
    followups,
    give_first,
    gratitude,
    introductions,
    keep_in_touch,
    meetings_today,
    mentoring,
    opportunities,
    reactivation,
    reply_owed,
    team_requests,
)

SOURCES: list[ModuleType] = [
    meetings_today,
    keep_in_touch,
    reactivation,
    followups,
    reply_owed,
    congratulations,
    gratitude,
    give_first,
    opportunities,
    mentoring,
    introductions,
    team_requests,
]


def by_kind() -> dict[str, ModuleType]:
    """Source module of each item kind (a module may produce more than one kind)."""
    out: dict[str, ModuleType] = {}
    for module in SOURCES:
        for kind in getattr(module, "KINDS", (module.KIND,)):
            out[kind] = module
    return out
