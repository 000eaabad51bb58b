"""What "done" does to the record, shared by the sources: log the contact that was made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tieline.errors import NotFound
from tieline.models import Interaction, Person
from tieline.repo import people as people_repo
from tieline.services import interactions as interactions_service
from tieline.services.agenda.items import AgendaContext, AgendaItem

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions


def person_of(ctx: AgendaContext, item: AgendaItem) -> Person:
    """The person an item is about."""
    person = None
    if item.person_id is not None:
        person = people_repo.get(ctx.session, owner_id=ctx.owner_id, person_id=item.person_id, details=False)
    if person is None:
        raise NotFound(f"the person of agenda item {item.key} no longer exists")
    return person


def log_contact(ctx: AgendaContext, item: AgendaItem, options: DoneOptions, default_note: str) -> Interaction:
    """Log the contact an agenda line asked for, initiated by the owner, at ctx.now."""
    return interactions_service.log_interaction(
        ctx.session,
        owner_id=ctx.owner_id,
        kind=options.log_kind,
        people=[person_of(ctx, item)],
        when=ctx.now,
        notes=options.note or default_note,
        initiated_by="me",
        now=ctx.now,
    )
