"""Open opportunities that need you: a deadline within three days (or passed), or one stalled in the
same stage for longer than `opportunity.stale_days`."""

from __future__ import annotations

from datetime import date, timedelta

from tieline.repo import opportunities as opportunities_repo
from tieline.services.agenda.items import AgendaContext, AgendaItem

DUE_KIND = "opportunity_due"
STALE_KIND = "opportunity_stale"
KIND = DUE_KIND
KINDS = (DUE_KIND, STALE_KIND)
# A deadline this many days ahead (or closer, or passed) makes a line.
DUE_SOON_DAYS = 3
# Past a week overdue a deadline is as pressing as it gets (it may still be worth a late try).
OVERDUE_CAP_DAYS = 7


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per open opportunity due within three days or stalled in its stage."""
    weight = float(ctx.prefs["agenda.weight.opportunity"])
    stale_days = int(ctx.prefs["opportunity.stale_days"])
    rows = opportunities_repo.open_attention(
        ctx.session,
        owner_id=ctx.owner_id,
        due_by=ctx.day + timedelta(days=DUE_SOON_DAYS),
        stale_before=ctx.day - timedelta(days=stale_days),
    )
    items = []
    for row in rows:
        via = [f"came through {row.display_name}"] if row.display_name else []
        if row.due_on is not None and row.due_on <= ctx.day + timedelta(days=DUE_SOON_DAYS):
            left = (row.due_on - ctx.day).days
            items.append(
                AgendaItem(
                    key=f"opportunity:due:{row.id}:{row.due_on.isoformat()}",
                    kind=DUE_KIND,
                    title=f"{_what(row.title, row.kind, row.stage)} {_due_phrase(row.due_on, ctx.day)}",
                    reasons=[
                        f"{row.kind} opportunity, {row.stage} since {row.stage_on.isoformat()}",
                        f"deadline {row.due_on.isoformat()}"
                        + (f", {-left} day{'s' if left != -1 else ''} ago" if left < 0 else ""),
                        *via,
                    ],
                    priority=weight * (1 + min(DUE_SOON_DAYS - left, DUE_SOON_DAYS + OVERDUE_CAP_DAYS) / 3),
                    person_id=row.person_id,
                    person_name=row.display_name,
                    due_on=row.due_on,
                    ref_id=row.id,
                    deadline=row.due_on,
                )
            )
            continue
        if row.stage_on < ctx.day - timedelta(days=stale_days):
            idle = (ctx.day - row.stage_on).days
            items.append(
                AgendaItem(
                    key=f"opportunity:stale:{row.id}:{row.stage}:{row.stage_on.isoformat()}",
                    kind=STALE_KIND,
                    title=f"Move {row.title} forward (or close it): {row.stage} for {idle} days",
                    reasons=[
                        f"{row.kind} opportunity, {row.stage} since {row.stage_on.isoformat()} "
                        f"(stalled after {stale_days} days, `opportunity.stale_days`)",
                        "`tieline opportunity move` records the next stage, won or lost",
                        *via,
                    ],
                    priority=weight * 0.3 * min(idle / stale_days, 3),
                    person_id=row.person_id,
                    person_name=row.display_name,
                    ref_id=row.id,
                )
            )
    return items


def _what(title: str, kind: str, stage: str) -> str:
    """ "Application for X" for a job not yet applied for, "Proposal for X" before proposing, else X."""
    if kind == "job" and stage in ("spotted", "exploring"):
        return f"Application for {title}"
    if kind in ("partnership", "collaboration", "client", "speaking") and stage in ("spotted", "exploring"):
        return f"Proposal for {title}"
    return title


def _due_phrase(due: date, day: date) -> str:
    """ "due today", "due tomorrow", "due Friday", or "was due Friday (3 days ago)"."""
    left = (due - day).days
    if left == 0:
        return "due today"
    if left == 1:
        return "due tomorrow"
    if left > 1:
        return f"due {due:%A}"
    ago = -left
    return f"was due {due:%A} {due.isoformat()} ({ago} day{'s' if ago != 1 else ''} ago)"
