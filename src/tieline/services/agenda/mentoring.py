"""Mentoring relations that have gone without a session for longer than the mentoring cadence.

A "get in touch" line (in CONTACT_KINDS): when the same person is also overdue to keep in touch,
the two merge into one line per person, the more pressing first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from tieline.dates import how_long, how_often
from tieline.repo import mentorship as mentorship_repo
from tieline.services.agenda import effects
from tieline.services.agenda.items import AgendaContext, AgendaItem, days_between
from tieline.services.mentorship import SESSION_KINDS

if TYPE_CHECKING:
    from tieline.services.agenda.actions import DoneOptions

KIND = "mentoring"
# Three cadences without a session is as pressing as it gets.
RATIO_CAP = 3.0


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per current mentor, mentee or coach of yours whose last session is older than the cadence."""
    cadence = int(ctx.prefs["mentoring.cadence_days"])
    weight = float(ctx.prefs["agenda.weight.mentoring"])
    items = []
    rows = mentorship_repo.sessions_due(ctx.session, owner_id=ctx.owner_id, kinds=SESSION_KINDS, day=ctx.day)
    for row in rows:
        last = row.last_session_at
        silent = days_between(last or row.started_on or row.created_at, ctx.day)
        if silent < cadence:
            continue
        if last is not None:
            title_tail = f"last session {how_long(silent)} ago"
        else:
            title_tail = f"no session logged since it began {how_long(silent)} ago"
        stamp = last.astimezone().date().isoformat() if last is not None else "never"
        priority = weight * min(silent / cadence, RATIO_CAP)
        items.append(
            AgendaItem(
                key=f"mentoring:{row.id}:{stamp}",
                kind=KIND,
                title=f"Meet {row.display_name} (your {row.kind}): {title_tail}",
                reasons=[
                    f"you meant to meet {how_often(cadence)}; a regular session keeps it going",
                    "done logs a mentoring session; log one with `tieline log mentoring` to note what was agreed",
                ],
                priority=priority,
                person_id=row.person_id,
                person_name=row.display_name,
                due_on=ctx.day - timedelta(days=silent - cadence),
                ref_id=row.id,
                draft="check_in",
                details=[
                    f"{silent} days since the last session; cadence {cadence} days "
                    f"(setting mentoring.cadence_days)"
                ],
            )
        )
    return items


def on_done(ctx: AgendaContext, item: AgendaItem, options: DoneOptions) -> None:
    """Done: you met, so a mentoring session is logged (with the note given)."""
    session = replace(options, log_kind="mentoring")
    effects.log_contact(ctx, item, session, options.note or "mentoring session (from the agenda)")
