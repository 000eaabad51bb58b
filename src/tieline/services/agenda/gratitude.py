"""Thanks owed: help received and not yet thanked (Grant & Gino 2010)."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

from tieline.dates import spoken_day
from tieline.repo import favours as favours_repo
from tieline.services import favours as favours_service
from tieline.services.agenda import effects
from tieline.services.agenda.items import (
    AgendaContext,
    AgendaItem,
    by_day,
    due_details,
    first_name,
    late_priority,
)

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "thanks"
# Six days past due is as pressing as a thank-you gets (priority tops out at three times the weight).
PAST_DUE_CAP_DAYS = 6
WHY = "roughly doubles the chance they help again (Grant & Gino 2010)"
# Kinds of help said without an article: "gave you advice", but "gave you an introduction".
_UNCOUNTED = ("advice", "help", "feedback")


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
        first = first_name(row)
        on = spoken_day(received, today=ctx.day)
        given = (
            f"{first} helped you {on}"
            if row.kind == "other"
            else f"{first} gave you {_article(kind)}{kind} {on}"
        )
        if past_due:
            late = by_day(due, ctx.day).removeprefix("was due ")
            reasons = [f"{given}; a thank-you was due {late}: late still beats never"]
        else:
            reasons = [f"{given}; a thank-you {by_day(due, ctx.day)} {WHY}"]
        if row.text:
            reasons.append(f"what they did: {row.text}")
        items.append(
            AgendaItem(
                key=f"thanks:{row.id}",
                kind=KIND,
                title=f"Thank {row.display_name} for the {kind}",
                reasons=reasons,
                priority=late_priority(weight, past_due, PAST_DUE_CAP_DAYS),
                person_id=row.person_id,
                person_name=row.display_name,
                due_on=due,
                ref_id=row.id,
                draft="thank_you",
                deadline=due,
                details=[due_details("thanks", received=received, due=due, due_days=due_days, late=past_due)],
            )
        )
    return items


def _article(kind: str) -> str:
    """ "a " or "an " before a kind of help, or nothing before advice, help and feedback."""
    if kind in _UNCOUNTED:
        return ""
    return "an " if kind[0] in "aeiou" else "a "


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
