"""Overdue keep-in-touch lines ("losing touch"), and suggestions to move someone a tier down."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING

from tieline.dates import how_long, how_often
from tieline.repo import agenda as agenda_repo
from tieline.repo.agenda import OverdueRow
from tieline.services import people as people_service
from tieline.services import scoring
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem, Line, days_between, end_of_day
from tieline.services.people import PersonChanges
from tieline.validate import TIER_NAMES

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "keep_in_touch"
REVIEW_KIND = "review_tier"
KINDS = (KIND, REVIEW_KIND)
# A due ratio beyond this adds no more urgency: 3x overdue is as pressing as it gets.
DUE_RATIO_CAP = 3.0
# How a tier's circle is named in a reason (Dunbar's layers); tier 5 has no cadence by default.
TIER_PHRASES = {1: "inner circle", 2: "close circle"}


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line for each person whose silence has passed their cadence, most overdue x strongest first."""
    return [line.make() for line in lines(ctx)]


def lines(ctx: AgendaContext) -> list[Line]:
    """The keep-in-touch and tier-review lines of `collect`, priced but not yet built."""
    weight = float(ctx.prefs["agenda.weight.keep_in_touch"])
    review_weight = float(ctx.prefs["agenda.weight.review_tier"])
    missed_limit = float(ctx.prefs["demote.missed_cadences"])
    out: list[Line] = []
    for row, cadence, silent_days in overdue(ctx):
        ratio = silent_days / cadence
        strength = scoring.strength_total(row, row, at=ctx.now, prefs=ctx.prefs)
        stamp = row.last_contact_at.astimezone().date().isoformat() if row.last_contact_at else "never"
        key = f"keep:{row.id}:{stamp}"
        priority = weight * min(ratio, DUE_RATIO_CAP) * (0.5 + strength / 100)
        make = partial(_keep_item, ctx, row, cadence, silent_days, strength, key, priority)
        out.append(Line(key, KIND, priority, row.id, make))
        if row.tier < 5 and ratio >= missed_limit:
            key = f"tier:{row.id}:{row.tier}:{stamp}"
            priority = review_weight * min(ratio / missed_limit, DUE_RATIO_CAP)
            make = partial(_review_item, row, cadence, silent_days, key, priority)
            out.append(Line(key, REVIEW_KIND, priority, row.id, make))
    return out


def _keep_item(
    ctx: AgendaContext,
    row: OverdueRow,
    cadence: int,
    silent_days: int,
    strength: float,
    key: str,
    priority: float,
) -> AgendaItem:
    return AgendaItem(
        key=key,
        kind=KIND,
        title=f"Get in touch with {row.display_name}",
        reasons=[rhythm(row, cadence, silent_days)],
        priority=priority,
        person_id=row.id,
        person_name=row.display_name,
        due_on=ctx.day - timedelta(days=silent_days - cadence),
        draft="check_in",
        details=[
            f"{'last contact' if row.last_contact_at else 'no contact since added'} {silent_days} days ago; "
            f"cadence {cadence} days ({cadence_source(row)})",
            f"due ratio {silent_days / cadence:.1f}, tie strength {strength:.0f}",
        ],
    )


def rhythm(row: OverdueRow, cadence: int, silent_days: int) -> str:
    """ "you usually talk every week; it has been three weeks" (or, never contacted, since added)."""
    # The circle is named when its cadence is the rhythm; an own cadence is the person's alone.
    circle = f"{TIER_PHRASES[row.tier]}: " if row.tier in TIER_PHRASES and not row.cadence_days else ""
    if row.last_contact_at is None:
        since = f"no contact since you added them {how_long(silent_days)} ago"
        return f"{circle}you meant to talk {how_often(cadence)}; {since}"
    return f"{circle}you usually talk {how_often(cadence)}; it has been {how_long(silent_days)}"


def _review_item(row: OverdueRow, cadence: int, silent_days: int, key: str, priority: float) -> AgendaItem:
    missed = int(silent_days / cadence)
    return AgendaItem(
        key=key,
        kind=REVIEW_KIND,
        title=f"Move {row.display_name} to tier {row.tier + 1} ({TIER_NAMES[row.tier + 1]})?",
        reasons=[
            f"you meant to talk {how_often(cadence)} and it has been {how_long(silent_days)}: "
            "a lighter rhythm would stop the reminders; done moves them down a tier, dismiss keeps them"
        ],
        priority=priority,
        person_id=row.id,
        person_name=row.display_name,
        details=[f"{missed} cadences missed ({silent_days} days silent, cadence {cadence})"],
    )


def overdue(ctx: AgendaContext) -> list[tuple[OverdueRow, int, int]]:
    """(row, cadence, days silent) for everyone past their cadence on ctx.day."""
    last_moment = end_of_day(ctx.day)
    tier_cadences = {tier: ctx.prefs.cadence_for_tier(tier) for tier in range(1, 6)}
    cutoffs = {
        tier: datetime.combine(ctx.day, time.max).astimezone() - timedelta(days=cadence)
        for tier, cadence in tier_cadences.items()
        if cadence
    }
    rows = agenda_repo.overdue_people(
        ctx.session, owner_id=ctx.owner_id, tier_cutoffs=cutoffs, end_of_day=last_moment
    )
    out = []
    for row in rows:
        cadence = row.cadence_days or tier_cadences[row.tier]
        if not cadence:
            continue
        silent = days_between(row.last_contact_at or row.created_at, ctx.day)
        if silent >= cadence:
            out.append((row, cadence, silent))
    return out


def cadence_source(row: object) -> str:
    """Where a cadence comes from: the person's own override, or their tier."""
    tier = row.tier
    own = ", own cadence" if getattr(row, "cadence_days", None) else ""
    return f"tier {tier} {TIER_NAMES[tier]}{own}"


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Keep-in-touch done: the contact is logged. Tier review done: the person moves a tier down."""
    person = effects.person_of(ctx, item)
    if item.kind == REVIEW_KIND:
        people_service.edit_person(
            ctx.session,
            person,
            PersonChanges(set={"tier": min(5, person.tier + 1)}),
            today=ctx.day,
            now=ctx.now,
        )
        return
    effects.log_contact(ctx, item, options, "checked in (from the agenda)")
