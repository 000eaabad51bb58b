"""Overdue keep-in-touch lines ("losing touch"), and suggestions to move someone a tier down."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from tieline.repo import agenda as agenda_repo
from tieline.services import people as people_service
from tieline.services import scoring
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem, days_between
from tieline.services.people import PersonChanges
from tieline.validate import TIER_NAMES

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "keep_in_touch"
REVIEW_KIND = "review_tier"
KINDS = (KIND, REVIEW_KIND)
# A due ratio beyond this adds no more urgency: 3x overdue is as pressing as it gets.
DUE_RATIO_CAP = 3.0


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line for each person whose silence has passed their cadence, most overdue x strongest first."""
    items: list[AgendaItem] = []
    missed_limit = float(ctx.prefs["demote.missed_cadences"])
    for row, cadence, silent_days in overdue(ctx):
        ratio = silent_days / cadence
        s = scoring.strength(row, row, at=ctx.now, prefs=ctx.prefs)
        last = (
            f"last contact {silent_days} days ago"
            if row.last_contact_at
            else f"no contact logged in {silent_days} days"
        )
        reasons = [
            f"{last}; cadence {cadence} days ({cadence_source(row)})",
            f"due ratio {ratio:.1f}, tie strength {s.total:.0f}",
        ]
        priority = (
            float(ctx.prefs["agenda.weight.keep_in_touch"])
            * min(ratio, DUE_RATIO_CAP)
            * (0.5 + s.total / 100)
        )
        stamp = row.last_contact_at.astimezone().date().isoformat() if row.last_contact_at else "never"
        items.append(
            AgendaItem(
                key=f"keep:{row.id}:{stamp}",
                kind=KIND,
                title=f"Get in touch with {row.display_name}",
                reasons=reasons,
                priority=priority,
                person_id=row.id,
                person_name=row.display_name,
                due_on=ctx.day - timedelta(days=silent_days - cadence),
                draft="check_in",
            )
        )
        if row.tier < 5 and ratio >= missed_limit:
            items.append(
                AgendaItem(
                    key=f"tier:{row.id}:{row.tier}:{stamp}",
                    kind=REVIEW_KIND,
                    title=f"Move {row.display_name} to tier {row.tier + 1} ({TIER_NAMES[row.tier + 1]})?",
                    reasons=[
                        f"{int(ratio)} cadences missed ({silent_days} days silent, cadence {cadence}); "
                        "done moves them down a tier, dismiss keeps them where they are"
                    ],
                    priority=float(ctx.prefs["agenda.weight.review_tier"])
                    * min(ratio / missed_limit, DUE_RATIO_CAP),
                    person_id=row.id,
                    person_name=row.display_name,
                )
            )
    return items


def overdue(ctx: AgendaContext) -> list[tuple[object, int, int]]:
    """(row, cadence, days silent) for everyone past their cadence on ctx.day."""
    end_of_day = datetime.combine(ctx.day, time.max).astimezone()
    cutoffs = {}
    for tier in range(1, 6):
        cadence = ctx.prefs.cadence_for_tier(tier)
        if cadence:
            cutoffs[tier] = end_of_day - timedelta(days=cadence)
    out = []
    for row in agenda_repo.overdue_people(ctx.session, owner_id=ctx.owner_id, tier_cutoffs=cutoffs):
        cadence = row.cadence_days or ctx.prefs.cadence_for_tier(row.tier)
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
