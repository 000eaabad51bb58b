"""Mentorship commands: `tieline mentor` records or ends a relation; `mentors` and `mentees` list them.

Sessions are logged with `tieline log mentoring PERSON --note "what we discussed and agreed"`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

import typer
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import AppContext, app_context, print_json
from tieline.cli.people import PersonArg
from tieline.dates import parse_date
from tieline.models import RELATION_KINDS
from tieline.serialise.growth import relation as relation_json
from tieline.services import mentorship as mentorship_service
from tieline.services import people as people_service
from tieline.services.mentorship import RelationView

AllOpt = Annotated[bool, typer.Option("--all", help="Include relations that have ended.")]


def mentor(
    ctx: typer.Context,
    person: PersonArg,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", "-k", help=f"{', '.join(RELATION_KINDS)}: what PERSON is to you (or to --of)."
        ),
    ] = "mentor",
    of: Annotated[
        str | None, typer.Option("--of", help="PERSON is this person's mentor (coach...), not yours.")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="When it began (default today).")] = None,
    end: Annotated[str | None, typer.Option("--end", help="End the relation on this date.")] = None,
    goals: Annotated[str | None, typer.Option("--goals", help="What the relation is for.")] = None,
    note: opt.Note = None,
    as_json: opt.Json = False,
) -> None:
    """Record that PERSON is your mentor (mentee, coach, sponsor), or --of another person's; --end ends it.

    Re-running updates the current relation: --since, --goals and --note replace what was stored.
    """
    app = app_context(ctx)
    today = app.today()
    since_on = parse_date(since, today=today, field="--since") if since else None
    end_on = parse_date(end, today=today, field="--end") if end else None
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        other = people_service.resolve_person(session, owner_id=app.owner_id, text=of) if of else None
        item, created = mentorship_service.set_relation(
            session, owner_id=app.owner_id, person=found, today=today, kind=kind, of=other, since=since_on,
            until=end_on, goals=goals, notes=note,
        )  # fmt: skip
        view = mentorship_service.view(session, owner_id=app.owner_id, relation=item)
        if as_json:
            print_json(relation_json(view))
            return
        text = mentorship_service.describe(item, view.person, view.other)
        span = _span(item.started_on, item.ended_on)
        verb = "recorded" if created else "updated"
        app.console.print(Text(f"{verb} #{item.id}: {text}{span}"))


def _span(since: date | None, until: date | None) -> str:
    if since and until:
        return f" from {since.isoformat()} to {until.isoformat()}"
    if until:
        return f" until {until.isoformat()}"
    return f" since {since.isoformat()}" if since else ""


def mentors(ctx: typer.Context, include_ended: AllOpt = False, as_json: opt.Json = False) -> None:
    """Your mentors, coaches and sponsors (and those of people you know): last met, what was agreed."""
    _listing(app_context(ctx), mentorship_service.MENTOR_KINDS, include_ended, as_json, "mentors")


def mentees(ctx: typer.Context, include_ended: AllOpt = False, as_json: opt.Json = False) -> None:
    """Your mentees: when you last met, the latest session's notes, and open follow-ups."""
    _listing(app_context(ctx), mentorship_service.MENTEE_KINDS, include_ended, as_json, "mentees")


def _listing(app: AppContext, kinds: Sequence[str], include_ended: bool, as_json: bool, noun: str) -> None:
    today = app.today()
    with app.transaction() as session:
        views = mentorship_service.listing(
            session, owner_id=app.owner_id, kinds=kinds, include_ended=include_ended
        )
        if as_json:
            print_json([relation_json(v) for v in views])
            return
        if not views:
            app.console.print(f"No {noun}: `tieline mentor PERSON --kind ...` records one.", highlight=False)
            return
        for number, view in enumerate(views):
            if number:
                app.console.print()
            _print_view(app, view, today)


def _print_view(app: AppContext, view: RelationView, today: date) -> None:
    item = view.relation
    heading = Text(mentorship_service.describe(item, view.person, view.other), style="bold")
    heading.append(f"{_span(item.started_on, item.ended_on)}  #{item.id}", style="dim")
    app.console.print(heading)

    def line(label: str, value: str) -> None:
        app.console.print(Text(f"  {label}: ", style="dim") + Text(value))

    if item.goals:
        line("goals", item.goals)
    met = view.last_met_at.astimezone().date() if view.last_met_at else None
    line("last met", f"{met.isoformat()} ({_ago(today, met)})" if met else "never logged")
    last = view.last_session
    if last is not None:
        day = last.occurred_at.astimezone().date()
        line("last session", f"{day.isoformat()} ({_ago(today, day)})")
        if last.notes:
            line("agreed", last.notes)
    elif view.other is None:
        line("last session", "none logged (`tieline log mentoring PERSON --note ...`)")
    for f in view.open_followups:
        what = "promise" if f.is_promise else "follow-up"
        line(f"open {what}", f"{f.text} (due {f.due_on.isoformat()}, #{f.id})")


def _ago(today: date, day: date) -> str:
    days = (today - day).days
    if days == 0:
        return "today"
    plural = "" if abs(days) == 1 else "s"
    return f"{days} day{plural} ago" if days > 0 else f"in {-days} day{plural}"


def register(app: typer.Typer) -> None:
    """Attach the mentorship commands to the root app."""
    for command in (mentor, mentors, mentees):
        app.command()(command)
