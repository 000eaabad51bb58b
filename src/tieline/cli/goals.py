"""Goal commands: `tieline goal add|remove` and `tieline goals` (progress and pace)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.models import GOAL_KINDS
from tieline.serialise.growth import goal_progress
from tieline.services import goals as goals_service
from tieline.services import preferences
from tieline.services.goals import Progress

goal_app = typer.Typer(help="Networking goals, measured from what you log.", no_args_is_help=True)


@goal_app.command("add")
def add(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Argument(help=f"One of: {', '.join(k.replace('_', '-') for k in GOAL_KINDS)}.")
    ],
    target: Annotated[int, typer.Option("--target", help="How many (a percentage for tier-on-cadence).")],
    by: Annotated[
        str | None,
        typer.Option(
            "--by", help="End date: 2027-03-31, or week, month, quarter, year (the end of this one)."
        ),
    ] = None,
    per: Annotated[
        str | None,
        typer.Option(
            "--per", help="A rate: the target per week, month or quarter (a year long without --by)."
        ),
    ] = None,
    start: Annotated[
        str, typer.Option("--from", help="Start date (default today), or week, month, quarter, year.")
    ] = "today",
    industry: Annotated[str | None, typer.Option("--industry", help="Only people in this industry.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only people with this tag.")] = None,
    tier: Annotated[
        int | None, typer.Option("--tier", help="The tier to keep on cadence (tier-on-cadence; default 1).")
    ] = None,
    label: Annotated[str | None, typer.Option("--label", help="Your own words for the goal.")] = None,
    as_json: opt.Json = False,
) -> None:
    """Set a goal: meet-people, attend-events, reconnect-dormant, make-introductions, tier-on-cadence."""
    app = app_context(ctx)
    today = app.today()
    starts_on = goals_service.day_from_text(start, today=today, field="--from", end=False)
    ends_on = goals_service.day_from_text(by, today=today, field="--by", end=True) if by else None
    with app.transaction() as session:
        goal = goals_service.add_goal(
            session, owner_id=app.owner_id, kind=kind, target=target, starts_on=starts_on, ends_on=ends_on,
            per=per, industry=industry, tag=tag, tier=tier, label=label,
        )  # fmt: skip
        result = goals_service.progress(
            session, goal, today=today, prefs=preferences.load(session, owner_id=app.owner_id)
        )
        if as_json:
            print_json(goal_progress(result))
            return
        app.console.print(Text(f"goal #{goal.id}: {goal.label or result.description}"))
        app.console.print(Text(_progress_line(result)))


@goal_app.command("remove")
def remove(ctx: typer.Context, goal_id: Annotated[int, typer.Argument(help="The goal's number.")]) -> None:
    """Remove a goal (what it measured stays)."""
    app = app_context(ctx)
    with app.transaction() as session:
        goal = goals_service.get(session, owner_id=app.owner_id, goal_id=goal_id)
        what = goal.label or goals_service.describe(goal)
        goals_service.remove_goal(session, goal)
        app.console.print(Text(f"removed goal #{goal_id}: {what}"))


def goals(ctx: typer.Context, as_json: opt.Json = False) -> None:
    """Your goals with progress, pace (ahead, on pace, behind), days left, and what counted."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = goals_service.all_progress(session, owner_id=app.owner_id, today=app.today())
        if as_json:
            print_json([goal_progress(p) for p in found])
            return
        if not found:
            app.console.print(
                "No goals yet: `tieline goal add meet-people --target 5 --by quarter`.", highlight=False
            )
            return
        for p in found:
            heading = Text(f"#{p.goal.id} {p.goal.label or p.description}", style="bold")
            app.console.print(heading)
            app.console.print(Text("  " + _progress_line(p)))
            if p.counted:
                label = "overdue" if p.goal.kind == "tier_on_cadence" else "latest"
                listed = ", ".join(f"{c.name} ({c.on.isoformat()})" for c in p.counted)
                app.console.print(Text(f"  {label}: {listed}"))


def _progress_line(p: Progress) -> str:
    m = p.current
    unit = goals_service.UNITS[p.goal.kind]
    if p.goal.kind == "tier_on_cadence":
        return f"{m.value}% on cadence (target {m.target}%): {m.pace}"
    span = "this period" if p.overall else "so far"
    line = f"{span} {m.value}/{m.target} {unit}, expected {m.expected:g} by now: {m.pace}"
    if p.overall is not None:
        o = p.overall
        line += f"; since {o.first_day.isoformat()} {o.value} (expected {o.expected:g}): {o.pace}"
    return line + f"; {p.days_left} days left"


def register(app: typer.Typer) -> None:
    """Attach `goal` and `goals` to the root app."""
    app.add_typer(goal_app, name="goal")
    app.command()(goals)
