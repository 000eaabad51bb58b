"""Follow-ups and promises that are due: a kept promise builds trust, a forgotten one erodes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tieline.repo import followups as followups_repo
from tieline.services import followups as followups_service
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "follow_up"
# Two weeks overdue is as pressing as a follow-up gets; beyond that it only stays on top.
OVERDUE_CAP_DAYS = 14


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per open follow-up due on or before ctx.day, the most overdue first."""
    weight = float(ctx.prefs["agenda.weight.follow_up"])
    items = []
    for row in followups_repo.due_by(ctx.session, owner_id=ctx.owner_id, day=ctx.day):
        overdue = (ctx.day - row.due_on).days
        when = (
            "due today"
            if overdue == 0
            else f"due {row.due_on.isoformat()}, {overdue} day{'s' if overdue != 1 else ''} overdue"
        )
        reasons = [
            when,
            "a promise you made: keeping it builds trust"
            if row.is_promise
            else "a note to self, not a promise",
        ]
        if row.every_days:
            reasons.append(f"recurs every {row.every_days} days; done moves it to the next date")
        if row.person_name:
            verb = "Keep your promise to" if row.is_promise else "Follow up with"
            title = f"{verb} {row.person_name}: {row.text}"
        else:
            title = f"{'Keep your promise' if row.is_promise else 'Follow up'}: {row.text}"
        items.append(
            AgendaItem(
                key=f"follow:{row.id}:{row.due_on.isoformat()}",
                kind=KIND,
                title=title,
                reasons=reasons,
                priority=weight * (1 + min(overdue, OVERDUE_CAP_DAYS) / 7),
                person_id=row.person_id,
                person_name=row.person_name,
                due_on=row.due_on,
                ref_id=row.id,
                draft="follow_up",
            )
        )
    return items


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Done closes the follow-up, or moves a recurring one to its next due date.

    Following up with someone is a contact: when the follow-up names a person, done logs it
    (`--kind`, default a message; `--note`, default the follow-up's text), so their last contact
    and tie strength move as they would had it been logged by hand.
    """
    assert item.ref_id is not None
    followup = followups_service.get(ctx.session, owner_id=ctx.owner_id, followup_id=item.ref_id)
    followups_service.complete(followup, day=ctx.day, now=ctx.now)
    if item.person_id is not None:
        effects.log_contact(ctx, item, options, f"followed up: {followup.text}")
    ctx.session.flush()
