"""Thanks owed: help received and not yet thanked (Grant & Gino 2010)."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from tieline.repo import favours as favours_repo
from tieline.services import favours as favours_service
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "thanks"
# Six days past due is as pressing as a thank-you gets (priority tops out at three times the weight).
PAST_DUE_CAP_DAYS = 6
WHY = "being thanked roughly doubles the chance a helper helps again, Grant & Gino 2010"


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per help received and not thanked, from the day it was received."""
    due_days = int(ctx.prefs["thanks.due_days"])
    weight = float(ctx.prefs["agenda.weight.thanks"])
    end_of_day = datetime.combine(ctx.day, time.max).astimezone()
    items = []
    for row in favours_repo.thanks_owed(ctx.session, owner_id=ctx.owner_id, received_by=end_of_day):
        received = row.occurred_at.astimezone().date()
        due = favours_service.thanks_due_on(row.occurred_at, due_days)
        past_due = max(0, (ctx.day - due).days)
        kind = row.kind.replace("_", " ")
        reasons = [f"received {kind} on {received.isoformat()}; thanks due by {due.isoformat()} ({WHY})"]
        if past_due:
            reasons.append(f"{past_due} day{'s' if past_due != 1 else ''} past due")
        if row.text:
            reasons.append(f"what they did: {row.text}")
        items.append(
            AgendaItem(
                key=f"thanks:{row.id}",
                kind=KIND,
                title=f"Thank {row.display_name} for the {kind}",
                reasons=reasons,
                priority=weight * (1 + min(past_due, PAST_DUE_CAP_DAYS) / 3),
                person_id=row.person_id,
                person_name=row.display_name,
                due_on=due,
                ref_id=row.id,
                draft="thank_you",
            )
        )
    return items


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Thanked: every thanks owed to the person closes and the thank-you is logged (as `tieline thanked`)."""
    favours_service.thank(
        ctx.session,
        owner_id=ctx.owner_id,
        person=effects.person_of(ctx, item),
        now=ctx.now,
        text=options.note,
        kind=options.log_kind,
    )
