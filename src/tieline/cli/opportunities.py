"""Opportunity commands: `tieline opportunity add|list|move|show|sources`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import AppContext, app_context, print_json
from tieline.dates import parse_date
from tieline.models import OPPORTUNITY_KINDS, OPPORTUNITY_STAGES, Opportunity
from tieline.serialise.growth import opportunity, opportunity_source
from tieline.services import opportunities as opportunities_service

opportunity_app = typer.Typer(
    help="Opportunities (jobs, partnerships, speaking, clients...): their stage and where they came from.",
    no_args_is_help=True,
)
IdArg = Annotated[int, typer.Argument(help="The opportunity's number.")]
DateOpt = Annotated[str, typer.Option("--date", help="When: today, yesterday, 2026-03-01, '3 days ago'.")]


@opportunity_app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What it is, e.g. 'Staff engineer at Acme'.")],
    kind: Annotated[
        str, typer.Option("--kind", "-k", help=f"One of: {', '.join(OPPORTUNITY_KINDS)}.")
    ] = "job",
    via: Annotated[
        str | None, typer.Option("--via", help="The person it came through (name or #id).")
    ] = None,
    org: Annotated[str | None, typer.Option("--org", help="The organisation (name or #id).")] = None,
    event: Annotated[
        str | None, typer.Option("--event", help="The event it came from (name or #id).")
    ] = None,
    intro: Annotated[
        str | None,
        typer.Option(
            "--intro",
            help="The introduction it came through (#id); without --via the person is the introduction's B.",
        ),
    ] = None,
    stage: Annotated[
        str, typer.Option("--stage", help=f"One of: {', '.join(OPPORTUNITY_STAGES)}.")
    ] = "spotted",
    when: Annotated[str, typer.Option("--date", help="When you spotted it (default today).")] = "today",
    due: Annotated[
        str | None, typer.Option("--due", help="A deadline: 2026-03-20, 'in 2 weeks', friday's date.")
    ] = None,
    notes: opt.Note = None,
    as_json: opt.Json = False,
) -> None:
    """Record an opportunity and where it came from."""
    app = app_context(ctx)
    today = app.today()
    spotted = parse_date(when, today=today, field="--date")
    due_on = parse_date(due, today=today, field="--due") if due else None
    with app.transaction() as session:
        owner = app.owner_id
        origin = opportunities_service.resolve_origin(
            session, owner_id=owner, person=via, organisation=org, event=event, introduction=intro
        )
        item = opportunities_service.add_opportunity(
            session, owner_id=owner, title=title, kind=kind, stage=stage, origin=origin, spotted_on=spotted,
            due_on=due_on, notes=notes,
        )  # fmt: skip
        names = opportunities_service.origin_names(session, item)
        if as_json:
            print_json(opportunity(item, *names))
            return
        app.console.print(Text(f"opportunity #{item.id}: {item.title} ({item.kind}, {item.stage})"))
        origin_line = _origin(names)
        if origin_line:
            app.console.print(Text(origin_line))
        if item.due_on:
            app.console.print(Text(f"due {item.due_on.isoformat()}: on the agenda from three days before"))


@opportunity_app.command("list")
def list_opportunities(
    ctx: typer.Context,
    stage: Annotated[str | None, typer.Option("--stage", help="Only this stage.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open ones (not won or lost).")] = False,
    as_json: opt.Json = False,
) -> None:
    """List opportunities: open ones first, the soonest deadline first."""
    app = app_context(ctx)
    today = app.today()
    with app.transaction() as session:
        rows = opportunities_service.listing(session, owner_id=app.owner_id, stage=stage, open_only=open_only)
        if as_json:
            print_json([opportunity(o, p, org, e) for o, p, org, e in rows])
            return
        if not rows:
            app.console.print("No opportunities.", highlight=False)
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("#", "title", "kind", "stage", "since", "due", "via"):
            table.add_column(column, overflow="fold")
        for o, person, org, event in rows:
            late = ""
            if o.due_on and o.stage not in opportunities_service.CLOSED_STAGES and o.due_on < today:
                late = " (passed)"
            table.add_row(
                str(o.id), Text(o.title), o.kind, o.stage, o.stage_on.isoformat(),
                (o.due_on.isoformat() + late) if o.due_on else "", Text(_origin((person, org, event), short=True)),
            )  # fmt: skip
        app.console.print(table)


@opportunity_app.command("move")
def move(
    ctx: typer.Context,
    opportunity_id: IdArg,
    stage: Annotated[str, typer.Argument(help=f"The new stage: {', '.join(OPPORTUNITY_STAGES)}.")],
    when: DateOpt = "today",
    as_json: opt.Json = False,
) -> None:
    """Move an opportunity to another stage (won and lost close it; moving a closed one back reopens it)."""
    app = app_context(ctx)
    on = parse_date(when, today=app.today(), field="--date")
    with app.transaction() as session:
        item = opportunities_service.get(session, owner_id=app.owner_id, opportunity_id=opportunity_id)
        result = opportunities_service.move(item, stage=stage, on=on)
        session.flush()
        if as_json:
            print_json(opportunity(item, *opportunities_service.origin_names(session, item)))
            return
        if result.previous != item.stage:
            app.console.print(
                Text(
                    f"opportunity #{item.id} {item.title}: {result.previous} -> {item.stage} on {on.isoformat()}"
                )
            )
        for note in result.notes:
            app.console.print(Text(note))


@opportunity_app.command("show")
def show(ctx: typer.Context, opportunity_id: IdArg, as_json: opt.Json = False) -> None:
    """Show one opportunity and where it came from."""
    app = app_context(ctx)
    with app.transaction() as session:
        item = opportunities_service.get(session, owner_id=app.owner_id, opportunity_id=opportunity_id)
        names = opportunities_service.origin_names(session, item)
        if as_json:
            print_json(opportunity(item, *names))
            return
        _show(app, item, names)


def _show(app: AppContext, item: Opportunity, names: tuple[str | None, str | None, str | None]) -> None:
    heading = Text(item.title, style="bold")
    heading.append(f"  #{item.id} {item.kind}", style="dim")
    app.console.print(heading)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column(overflow="fold")
    facts = [
        ("stage", f"{item.stage} since {item.stage_on.isoformat()}"),
        ("spotted", item.spotted_on.isoformat()),
        ("due", item.due_on.isoformat() if item.due_on else None),
        ("via", names[0]),
        ("organisation", names[1]),
        ("event", names[2]),
        ("introduction", f"#{item.introduction_id}" if item.introduction_id else None),
        ("notes", item.notes),
    ]
    for label, value in facts:
        if value:
            grid.add_row(label, Text(value))
    app.console.print(grid)


@opportunity_app.command("sources")
def sources(ctx: typer.Context, as_json: opt.Json = False) -> None:
    """Which relationships, events, organisations and introductions produced opportunities, best first."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = opportunities_service.sources(session, owner_id=app.owner_id)
        if as_json:
            print_json([opportunity_source(s) for s in found])
            return
        if not found:
            app.console.print("No opportunities with a source yet.", highlight=False)
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("source", "kind", "total", "won", "open", "by stage"):
            table.add_column(column, overflow="fold")
        for s in found:
            stages = ", ".join(f"{st} {s.stages[st]}" for st in OPPORTUNITY_STAGES if s.stages.get(st))
            table.add_row(Text(f"{s.name} (#{s.id})"), s.kind, str(s.total), str(s.won), str(s.open), stages)
        app.console.print(table)


def _origin(names: tuple[str | None, str | None, str | None], *, short: bool = False) -> str:
    person, org, event = names
    parts = []
    if person:
        parts.append(person if short else f"through {person}")
    if org:
        parts.append(org if short else f"at {org}")
    if event:
        parts.append(event if short else f"from {event}")
    return ", ".join(parts)


def register(app: typer.Typer) -> None:
    """Attach `opportunity` to the root app."""
    app.add_typer(opportunity_app, name="opportunity")
