"""Introductions waiting on you: one to propose to A, requests without an answer, outcomes to ask about.

Not a "get in touch" line: it is about the introduction, so it stays beside any keep-in-touch line
for the same person instead of merging into it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tieline.repo import introductions as introductions_repo
from tieline.services import introductions as introductions_service
from tieline.services.agenda.items import AgendaContext, AgendaItem, days_between

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "introduction"
# A week past the nudge point is as pressing as a waiting introduction gets.
WAIT_CAP_DAYS = 7


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per introduction whose next move is yours."""
    nudge_days = int(ctx.prefs["introductions.nudge_days"])
    outcome_days = int(ctx.prefs["introductions.outcome_days"])
    weight = float(ctx.prefs["agenda.weight.introduction"])
    items = []
    for row in introductions_repo.waiting(ctx.session, owner_id=ctx.owner_id):
        a, b = (row.person_a_id, row.a_name), (row.person_b_id, row.b_name)
        since: datetime = {"proposed": row.created_at, "asked_a": row.asked_a_at, "asked_b": row.asked_b_at,
                           "made": row.made_at}[row.state]  # fmt: skip
        days = days_between(since, ctx.day)
        why = f"why they should meet: {row.why}"
        if row.state == "proposed":
            title = f"Ask {row.a_name} whether they would welcome an introduction to {row.b_name}"
            reasons = [f"proposed {_ago(days)}; double opt-in: A first, then B", why]
            late, template, person = days, "intro_ask_a", a
        elif row.state in ("asked_a", "asked_b"):
            if days < nudge_days:
                continue
            person, other = (a, b) if row.state == "asked_a" else (b, a)
            title = f"No answer from {person[1]} about meeting {other[1]}: nudge or move on"
            declined = f"`tieline intro declined {row.id} --by {'a' if person is a else 'b'}`"
            reasons = [f"asked {_ago(days)}; {declined} if it is not going to happen", why]
            late = days - nudge_days
            template = "intro_ask_a" if row.state == "asked_a" else "intro_ask_b"
        else:
            if days < outcome_days:
                continue
            title = f"Ask {row.a_name} and {row.b_name} how the introduction went"
            reasons = [f"introduced {_ago(days)}; `tieline intro outcome {row.id} TEXT` records it", why]
            late, template, person = days - outcome_days, "intro_outcome", a
        items.append(
            AgendaItem(
                key=f"intro:{row.id}:{row.state}",
                kind=KIND,
                title=title,
                reasons=reasons,
                priority=weight * (1 + min(late, WAIT_CAP_DAYS) / WAIT_CAP_DAYS),
                person_id=person[0],
                person_name=person[1],
                due_on=ctx.day - timedelta(days=late),
                ref_id=row.id,
                draft=template,
            )
        )
    return items


def _ago(days: int) -> str:
    return "today" if days <= 0 else f"{days} day{'s' if days != 1 else ''} ago"


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Done on "ask A" means you asked: the introduction moves to asked A. Other lines are only hidden."""
    assert item.ref_id is not None
    intro = introductions_service.get(ctx.session, owner_id=ctx.owner_id, introduction_id=item.ref_id)
    if intro.state == "proposed":
        introductions_service.ask_a(ctx.session, intro, now=ctx.now)
