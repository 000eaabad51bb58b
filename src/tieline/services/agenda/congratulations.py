"""Congratulations due: birthdays, logged milestones (new job, promotion...) and work anniversaries.

A congratulation is a low-cost, high-warmth touch, best sent on the day: its priority falls from
1.0 on the day to 0.5 a week late, and grows with the strength of the tie.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tieline.dates import spoken_day
from tieline.repo import milestones as milestones_repo
from tieline.services import milestones as milestones_service
from tieline.services import scoring
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "congratulate"
# A birthday stays on the agenda this many days after it (a late wish still lands).
BIRTHDAY_LATE_DAYS = 2
# A logged milestone is congratulated for a week after it happened.
MILESTONE_DAYS = 7
# A work anniversary is an on-the-day touch only.
ANNIVERSARY_LATE_DAYS = 0
# Tiers whose work anniversary is time-sensitive (inner circle to regular); weaker ties' are timeless.
ANNIVERSARY_TIMELY_TIER = 3


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """Birthdays, recent milestones and work anniversaries of live people, each with why."""
    return [*birthdays(ctx), *milestones(ctx), *anniversaries(ctx)]


def birthdays(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per birthday today or up to BIRTHDAY_LATE_DAYS ago (29 February counts on the 28th)."""
    days = [ctx.day - timedelta(days=n) for n in range(BIRTHDAY_LATE_DAYS + 1)]
    rows = milestones_repo.birthdays_on(
        ctx.session, owner_id=ctx.owner_id, month_days=milestones_service.month_days_on(days)
    )
    items = []
    for row in rows:
        found = milestones_service.days_late(
            row.birthday_month, row.birthday_day, on=ctx.day, within=BIRTHDAY_LATE_DAYS
        )
        if found is None:
            continue
        on, late = found
        age = on.year - row.birthday_year if row.birthday_year else None
        turns = f" ({'turns' if late == 0 else 'turned'} {age})" if age else ""
        tail = "a wish on the day means the most" if late == 0 else "a late wish still lands"
        items.append(
            _item(
                ctx,
                row,
                key=f"congrats:birthday:{row.id}:{on.year}",
                title=f"Wish {row.display_name} a happy birthday",
                reason=f"birthday {spoken_day(on, today=ctx.day)}{turns}: {tail}",
                on=on,
                late=late,
                last_day=on,  # a late wish still lands, but the day itself is what cannot wait
            )
        )
    return items


def milestones(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per milestone logged with a date in the last MILESTONE_DAYS days."""
    rows = milestones_repo.occurred_between(
        ctx.session,
        owner_id=ctx.owner_id,
        first=ctx.day - timedelta(days=MILESTONE_DAYS),
        last=ctx.day,
    )
    items = []
    for row in rows:
        late = (ctx.day - row.occurred_on).days
        what = milestones_service.describe(row.milestone_kind, row.milestone_text)
        items.append(
            _item(
                ctx,
                row,
                key=f"congrats:milestone:{row.milestone_id}",
                title=f"Congratulate {row.display_name} on {what}",
                reason=f"{row.milestone_kind.replace('_', ' ')} {spoken_day(row.occurred_on, today=ctx.day)}: "
                "congratulations are warmest while the news is fresh",
                on=row.occurred_on,
                late=late,
                ref_id=row.milestone_id,
                last_day=row.occurred_on + timedelta(days=MILESTONE_DAYS),
            )
        )
    return items


def anniversaries(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per current company role that turns a whole number of years (at least one) today."""
    days = [ctx.day - timedelta(days=n) for n in range(ANNIVERSARY_LATE_DAYS + 1)]
    rows = milestones_repo.anniversaries_on(
        ctx.session,
        owner_id=ctx.owner_id,
        month_days=milestones_service.month_days_on(days),
        started_by=date(ctx.day.year - 1, 12, 31),
    )
    items = []
    for row in rows:
        start = row.start_date
        found = milestones_service.days_late(start.month, start.day, on=ctx.day, within=ANNIVERSARY_LATE_DAYS)
        if found is None or found[0].year - start.year < 1:
            continue
        on, late = found
        span = f"{milestones_service.years(on.year - start.year)} at {row.organisation_name}"
        items.append(
            _item(
                ctx,
                row,
                key=f"congrats:anniversary:{row.membership_id}:{on.year}",
                title=f"Congratulate {row.display_name} on {span}",
                reason=f"work anniversary {spoken_day(on, today=ctx.day)}: {span}"
                + (f" as {row.role}" if row.role else "")
                + f", since {start:%B %Y}",
                on=on,
                late=late,
                ref_id=row.membership_id,
                # A work anniversary matters on the day to the people close to you; for a weak tie it is
                # a nice touch among others, ranked by its priority, never above a friend overdue.
                last_day=on + timedelta(days=ANNIVERSARY_LATE_DAYS)
                if row.tier <= ANNIVERSARY_TIMELY_TIER
                else None,
            )
        )
    return items


def _item(
    ctx: AgendaContext,
    row: Any,
    *,
    key: str,
    title: str,
    reason: str,
    on: date,
    late: int,
    last_day: date | None,
    ref_id: int | None = None,
) -> AgendaItem:
    s = scoring.strength(row, row, at=ctx.now, prefs=ctx.prefs)
    fresh = milestones_service.freshness(late)
    priority = float(ctx.prefs["agenda.weight.congratulate"]) * fresh * (0.5 + s.total / 100)
    return AgendaItem(
        key=key,
        kind=KIND,
        title=title,
        reasons=[reason],
        priority=priority,
        person_id=row.id,
        person_name=row.display_name,
        due_on=on,
        ref_id=ref_id,
        draft="congratulations",
        deadline=last_day,
        details=[
            f"on {on.isoformat()}, {late} days ago; tie strength {s.total:.0f}; "
            f"freshness {fresh:.2f} (best sent on the day)"
        ],
    )


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Congratulated: the message is logged as a contact, which also warms the tie."""
    default = "birthday wishes" if item.key.startswith("congrats:birthday:") else "congratulations"
    effects.log_contact(ctx, item, options, f"{default} (from the agenda)")
