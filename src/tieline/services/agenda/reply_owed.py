"""Replies owed: a message from one person to you alone, left without an answer for days.

It works on whatever brought the message in (a mail sync, an mbox import, a LinkedIn export): each
marks `interaction.to_me_alone`. Any later interaction with the sender that they did not start
answers it (your email, a call, a coffee), so the line clears by itself once you are in touch.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING

from tieline.dates import how_long, spoken_day
from tieline.repo import replies as replies_repo
from tieline.services.agenda import effects
from tieline.services.agenda.items import (
    AgendaContext,
    AgendaItem,
    Line,
    due_details,
    first_name,
    late_priority,
)

if TYPE_CHECKING:
    from tieline.repo.replies import ReplyOwedRow
    from tieline.services.agenda.actions import DoneOptions

KIND = "reply"
# A month without an answer and the moment has passed: the message is no longer a reply owed (keep
# in touch takes over). This also keeps years of imported mail from filling the agenda.
OWED_FOR_DAYS = 30
# A week late is as pressing as a reply gets (priority tops out at three times the weight).
LATE_CAP_DAYS = 6


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per message to you alone more than `reply.due_days` days old and not answered since."""
    return [line.build() for line in lines(ctx)]


def lines(ctx: AgendaContext) -> list[Line]:
    """The lines of `collect`, priced but not yet built (a busy inbox owes many; few are shown)."""
    due_days = int(ctx.prefs["reply.due_days"])
    # A reply owed is a follow-up you owe: it weighs as one.
    weight = float(ctx.prefs["agenda.weight.follow_up"])
    # Received on or before this day, a message is past its `due_days` on ctx.day.
    last_day = ctx.day - timedelta(days=due_days + 1)
    first_day = ctx.day - timedelta(days=OWED_FOR_DAYS)
    if last_day < first_day:
        return []
    rows = replies_repo.unanswered(
        ctx.session,
        owner_id=ctx.owner_id,
        since=datetime.combine(first_day, time.min).astimezone(),
        until=datetime.combine(last_day, time.max).astimezone(),
    )
    out = []
    for row in rows:
        received = row.occurred_at.astimezone().date()
        due = received + timedelta(days=due_days)
        priority = late_priority(weight, (ctx.day - due).days, LATE_CAP_DAYS)
        key = f"reply:{row.interaction_id}:{row.person_id}"
        make = partial(
            _item, row, ctx, key=key, received=received, due=due, due_days=due_days, priority=priority
        )
        # Already late when it shows (it comes once `due_days` have passed): it ranks as today.
        out.append(Line(key, KIND, priority, row.person_id, make, deadline=due))
    return out


def _item(
    row: ReplyOwedRow,
    ctx: AgendaContext,
    *,
    key: str,
    received: date,
    due: date,
    due_days: int,
    priority: float,
) -> AgendaItem:
    """ "Reply to Ana Lima: Lunch next week?", and how long it has waited."""
    what = f": {row.subject}" if row.subject else f"'s {_noun(row)}"
    return AgendaItem(
        key=key,
        kind=KIND,
        title=f"Reply to {row.display_name}{what}",
        reasons=[
            f"{first_name(row)} wrote to you alone {spoken_day(received, today=ctx.day)}; "
            f"{how_long((ctx.day - received).days)} without an answer"
        ],
        priority=priority,
        person_id=row.person_id,
        person_name=row.display_name,
        due_on=due,
        ref_id=row.interaction_id,
        draft="reply",
        deadline=due,
        details=[
            due_details("reply", received=received, due=due, due_days=due_days, late=(ctx.day - due).days)
        ],
    )


def _noun(row: ReplyOwedRow) -> str:
    """What the message was, for a line without a subject."""
    if row.channel == "linkedin":
        return "LinkedIn message"
    return "email" if row.kind == "email" else "message"


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Replied: the reply is logged (`--kind`, default a message), which answers the message."""
    replied = item.title.replace("Reply to", "replied to", 1)
    effects.log_contact(ctx, item, options, f"{replied} (from the agenda)")
    ctx.session.flush()
