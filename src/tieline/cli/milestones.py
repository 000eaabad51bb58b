"""Milestone commands: `tieline milestone` logs one (new job, promotion...), `tieline milestones` lists."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.cli.people import PersonArg
from tieline.dates import parse_date
from tieline.models import MILESTONE_KINDS, Milestone
from tieline.services import milestones as milestones_service
from tieline.services import people as people_service


def milestone_json(item: Milestone, person: str) -> dict[str, Any]:
    """The `--json` shape of a milestone."""
    return {
        "id": item.id,
        "person_id": item.person_id,
        "person": person,
        "kind": item.kind,
        "occurred_on": item.occurred_on.isoformat(),
        "text": item.text,
    }


def milestone(
    ctx: typer.Context,
    person: PersonArg,
    kind: Annotated[
        str, typer.Argument(help=f"One of: {', '.join(k.replace('_', '-') for k in MILESTONE_KINDS)}.")
    ],
    text: Annotated[str | None, typer.Argument(help="What happened, e.g. 'CTO at Beta'.")] = None,
    when: Annotated[
        str, typer.Option("--date", help="When it happened: today, 2026-03-01, '3 days ago'.")
    ] = "today",
    as_json: opt.Json = False,
) -> None:
    """Log a milestone of a person; the agenda suggests congratulating them for a week."""
    app = app_context(ctx)
    kind = milestones_service.check_kind(kind)
    occurred_on = parse_date(when, today=app.today(), field="--date")
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        item = milestones_service.add_milestone(
            session, owner_id=app.owner_id, person=found, kind=kind, occurred_on=occurred_on, text=text
        )
        if as_json:
            print_json(milestone_json(item, found.display_name))
            return
        app.console.print(
            Text(
                f"milestone #{item.id}: {found.display_name}, "
                f"{milestones_service.describe(item.kind, item.text)} on {occurred_on.isoformat()}"
            )
        )


def milestones(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Argument(help="Only this person's (name or #id).")] = None,
    as_json: opt.Json = False,
) -> None:
    """List logged milestones, newest first."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person) if person else None
        rows = milestones_service.listing(session, owner_id=app.owner_id, person=found)
        if as_json:
            print_json([milestone_json(item, name) for item, name in rows])
            return
        if not rows:
            app.console.print("No milestones logged.", highlight=False)
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("#", "date", "person", "kind", "what"):
            table.add_column(column, overflow="fold")
        for item, name in rows:
            table.add_row(
                str(item.id), item.occurred_on.isoformat(), Text(name), item.kind.replace("_", " "),
                Text(item.text or ""),
            )  # fmt: skip
        app.console.print(table)


def register(app: typer.Typer) -> None:
    """Attach the milestone commands to the root app."""
    app.command()(milestone)
    app.command()(milestones)
