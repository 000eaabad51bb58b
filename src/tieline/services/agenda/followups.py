"""Follow-ups and promises that are due: a kept promise builds trust, a forgotten one erodes it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tieline.dates import how_long, how_often, spoken_day
from tieline.repo import followups as followups_repo
from tieline.services import followups as followups_service
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem, by_day

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "follow_up"
# Two weeks overdue is as pressing as a follow-up gets; beyond that it only stays on top.
OVERDUE_CAP_DAYS = 14


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per open follow-up due on or before ctx.day, and per event follow-up from the day after
    meeting (a note within its window is what gets remembered), the most overdue first."""
    weight = float(ctx.prefs["agenda.weight.follow_up"])
    hours = int(ctx.prefs["event.follow_up_hours"])
    met_before = datetime.combine(ctx.day, time.min).astimezone()
    items = []
    for row in followups_repo.due_by(ctx.session, owner_id=ctx.owner_id, day=ctx.day, met_before=met_before):
        overdue = (ctx.day - row.due_on).days
        deadline = row.due_on
        if row.event_name is not None and row.person_name:
            title, reasons = _after_event(row, ctx, hours)
            if row.met_at is not None:
                deadline = last_day_in_time(row.met_at + timedelta(hours=hours), now=ctx.now)
        else:
            title, reasons = _dated(row, ctx)
        priority = weight * (1 + min(max(overdue, 0), OVERDUE_CAP_DAYS) / 7)
        items.append(
            AgendaItem(
                key=f"follow:{row.id}:{row.due_on.isoformat()}",
                kind=KIND,
                title=title,
                reasons=reasons,
                priority=priority,
                person_id=row.person_id,
                person_name=row.person_name,
                due_on=row.due_on,
                ref_id=row.id,
                draft="follow_up",
                deadline=deadline,
                details=[
                    f"due {row.due_on.isoformat()}" + (f", {overdue} days overdue" if overdue > 0 else "")
                ],
            )
        )
    return items


def last_day_in_time(window_end: datetime, *, now: datetime) -> date:
    """The last day on which acting at this time of day still lands before `window_end`.

    Met on Sunday at 10:00, the 48 hours end on Tuesday at 10:00: someone who reads the agenda at
    09:00 still has Tuesday, someone who reads it at 19:00 has only Monday. The agenda ranks the
    line by this day, and on it the line is shown even past the daily cap (build.last_chance).
    """
    local_now = now.astimezone()
    since_midnight = local_now - datetime.combine(local_now.date(), time.min, tzinfo=local_now.tzinfo)
    return (window_end.astimezone() - since_midnight).date()


def _after_event(row: Any, ctx: AgendaContext, hours: int) -> tuple[str, list[str]]:
    """ "Follow up with Ana Lima after DevOps Days, by Tuesday": advice, not a note to self."""
    met = spoken_day(row.met_at.astimezone().date(), today=ctx.day)
    window = f"{hours} hours" if hours <= 72 else how_long(round(hours / 24))
    title = f"Follow up with {row.person_name} after {row.event_name}, {by_day(row.due_on, ctx.day)}"
    reasons = [f"you met at {row.event_name} {met}; a note within {window} is remembered"]
    if row.met_at is not None and ctx.now > row.met_at + timedelta(hours=hours):
        reasons.append("the window has passed, but a late note still beats none")
    return title, reasons


def _dated(row: Any, ctx: AgendaContext) -> tuple[str, list[str]]:
    """A follow-up or promise on its day, or late."""
    overdue = (ctx.day - row.due_on).days
    when = "due today" if overdue == 0 else f"was due {spoken_day(row.due_on, today=ctx.day)}"
    if row.is_promise:
        reasons = [f"{when}: a promise kept builds trust; one forgotten erodes it"]
    else:
        reasons = [f"{when}: a reminder you set yourself"]
    if row.every_days:
        reasons.append(f"it comes back {how_often(row.every_days)}; done moves it to the next date")
    if row.person_name:
        verb = "Keep your promise to" if row.is_promise else "Follow up with"
        title = f"{verb} {row.person_name}: {row.text}"
    else:
        title = f"{'Keep your promise' if row.is_promise else 'Follow up'}: {row.text}"
    return title, reasons


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
