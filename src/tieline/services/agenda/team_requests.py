"""Teammates asking you for an introduction (issue 19): one line per request not yet answered.

The line says who asks, for whom, through which team, and why; it goes when the request is
answered (`tieline team accept|decline REQUEST`). Done or dismissed only hides it.
"""

from __future__ import annotations

from datetime import timedelta

from tieline.repo import teams as teams_repo
from tieline.services.agenda.items import AgendaContext, AgendaItem, days_between

KIND = "team_request"
# A week waiting is as pressing as a request gets (as for introductions).
WAIT_CAP_DAYS = 7


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per introduction request made of the owner and not answered."""
    weight = float(ctx.prefs["agenda.weight.introduction"])
    items = []
    for row in teams_repo.requests_waiting(ctx.session, owner_id=ctx.owner_id):
        days = max(days_between(row.created_at, ctx.day), 0)
        ago = "today" if days == 0 else f"{days} day{'s' if days != 1 else ''} ago"
        items.append(
            AgendaItem(
                key=f"team_request:{row.id}",
                kind=KIND,
                title=f"{row.asker} asks you for an introduction to {row.person_name}",
                reasons=[
                    f"why: {row.why}",
                    f"asked {ago} through team {row.team}; `tieline team accept {row.id}` starts the "
                    f"double opt-in introduction, `tieline team decline {row.id}` needs no reason",
                ],
                priority=weight * (1 + min(days, WAIT_CAP_DAYS) / WAIT_CAP_DAYS),
                person_id=row.person_id,
                person_name=row.person_name,
                due_on=ctx.day - timedelta(days=days),
                ref_id=row.id,
            )
        )
    return items
