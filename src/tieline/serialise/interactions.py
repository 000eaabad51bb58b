"""The shape of an interaction, alone or on a person's timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, NotRequired

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models import Interaction
    from tieline.repo.interactions import TimelineEntry, TimelineItem

# `with` is a Python keyword, hence the functional form.
InteractionOut = TypedDict(
    "InteractionOut",
    {
        "id": int,
        "kind": str,
        "occurred_at": str | None,
        "initiated_by": str | None,
        "channel": str | None,
        "subject": str | None,
        "notes": str | None,
        "with": NotRequired[list[str]],
    },
)
InteractionOut.__doc__ = (
    "An interaction; `with` names the other participants (on a timeline, and once logged)."
)


def interaction(item: Interaction | TimelineItem, others: list[str] | None = None) -> InteractionOut:
    """An interaction; `with` names the other participants when shown on a person's timeline."""
    data: InteractionOut = {
        "id": item.id,
        "kind": item.kind,
        "occurred_at": iso(item.occurred_at),
        "initiated_by": item.initiated_by,
        "channel": item.channel,
        "subject": item.subject,
        "notes": item.notes,
    }
    if others is not None:
        data["with"] = others
    return data


def timeline(entries: list[TimelineEntry]) -> list[InteractionOut]:
    """A person's timeline."""
    return [interaction(e.interaction, e.others) for e in entries]
