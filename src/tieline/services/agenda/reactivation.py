"""Dormant ties worth reactivating: past strength x novelty x engagement (Levin, Walter & Murnighan 2011)."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from tieline.dates import how_long
from tieline.repo import agenda as agenda_repo
from tieline.services import scoring
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem, days_between

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "reactivate"
MIN_INTERACTIONS = 3
# The strongest dormant ties considered each day. Novelty and engagement multiply past strength
# by at most about 2.5, so the best suggestions come from the strongest few hundred.
CANDIDATES = 300


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """The best dormant ties to reconnect with, each with why."""
    dormant_days = int(ctx.prefs["dormant.days"])
    long_days = int(ctx.prefs["dormant.long_days"])
    silent_since = datetime.combine(ctx.day, time.max).astimezone() - timedelta(days=dormant_days)
    # Past strength is stored on the tie as of the last contact (scoring.refresh_stored_strength),
    # so only once-strong ties come back from the database.
    scored = agenda_repo.dormant_people(
        ctx.session,
        owner_id=ctx.owner_id,
        silent_since=silent_since,
        min_interactions=MIN_INTERACTIONS,
        min_strength=float(ctx.prefs["agenda.reactivate_min_strength"]),
        limit=CANDIDATES,
    )
    changes = agenda_repo.role_changes_since(
        ctx.session, owner_id=ctx.owner_id, person_ids=[r.id for r in scored]
    )
    items = []
    for row in scored:
        silent = days_between(row.last_contact_at, ctx.day)
        years = silent / 365.25
        # Novelty grows with time apart (slowly) and jumps when their role changed meanwhile.
        novelty = 1.0 + math.log1p(years) / 2
        reasons = [f"you were close once; you last spoke {how_long(silent)} ago"]
        changed = changes.get(row.id)
        if changed is not None and changed > row.last_contact_at.astimezone().date():
            novelty *= 1.5
            role = " at ".join(x for x in (row.title, row.company) if x)
            news = f"now {role}" if role else "a new role"
            reasons.append(f"their work changed since ({news}, {changed:%B %Y}): plenty to catch up on")
        reciprocity = scoring.reciprocity(row)
        engagement = 0.75 if reciprocity is None else 0.5 + reciprocity / 200
        if row.initiated_by_them:
            times = "once" if row.initiated_by_them == 1 else f"{row.initiated_by_them} times"
            reasons.append(f"they reached out {times} before: people help more willingly than we expect")
        if silent >= long_days:
            reasons.append("a tie this long dormant brings the most new ideas when it wakes")
        score = row.contact_strength / 100 * novelty * engagement
        priority = float(ctx.prefs["agenda.weight.reactivate"]) * score
        items.append(
            AgendaItem(
                key=f"reactivate:{row.id}:{row.last_contact_at.astimezone().date().isoformat()}",
                kind=KIND,
                title=f"Reconnect with {row.display_name}",
                reasons=reasons,
                priority=priority,
                person_id=row.id,
                person_name=row.display_name,
                draft="reconnect",
                details=[
                    f"strength {row.contact_strength:.0f} when you last spoke, {silent} days ago",
                    f"novelty {novelty:.2f}, engagement {engagement:.2f}",
                ],
            )
        )
    return items


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Reconnected: the contact is logged, which wakes the tie."""
    effects.log_contact(ctx, item, options, "reconnected (from the agenda)")
