"""Follow-up commands: `tieline follow-up` records one, `tieline follow-ups` lists them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.cli.people import PersonArg
from tieline.dates import parse_date
from tieline.serialise import followups as serialise
from tieline.services import followups as followups_service
from tieline.services import people as people_service


def follow_up(
    ctx: typer.Context,
    person: PersonArg,
    text: Annotated[str, typer.Argument(help="What to do, e.g. 'send her the article'.")],
    due: Annotated[
        str, typer.Option("--due", help="today, tomorrow, 2026-03-01, 'in 3 days', 'in 2 weeks'.")
    ] = "today",
    every: Annotated[
        int | None, typer.Option("--every", min=1, help="Repeat every DAYS days (done moves it forward).")
    ] = None,
    promise: Annotated[bool, typer.Option("--promise", help="A promise you made to them.")] = False,
    as_json: opt.Json = False,
) -> None:
    """Record a follow-up (or a promise) about a person, due on a date."""
    app = app_context(ctx)
    due_on = parse_date(due, today=app.today(), field="--due")
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        item = followups_service.add_followup(
            session, owner_id=app.owner_id, person=found, text=text, due_on=due_on, every_days=every,
            is_promise=promise,
        )  # fmt: skip
        if as_json:
            print_json(serialise.followup(item, found.display_name))
            return
        what = "promise" if promise else "follow-up"
        repeat = f", then every {every} days" if every else ""
        app.console.print(
            Text(f"{what} #{item.id} for {found.display_name} due {due_on.isoformat()}{repeat}: {item.text}")
        )


def follow_ups(
    ctx: typer.Context,
    include_all: Annotated[
        bool, typer.Option("--all", help="Include follow-ups done or dismissed, not only open ones.")
    ] = False,
    as_json: opt.Json = False,
) -> None:
    """List open follow-ups and promises by due date."""
    app = app_context(ctx)
    today = app.today()
    with app.transaction() as session:
        rows = followups_service.listing(session, owner_id=app.owner_id, include_closed=include_all)
        if as_json:
            print_json([serialise.followup(item, name) for item, name in rows])
            return
        if not rows:
            app.console.print("No follow-ups." if include_all else "No open follow-ups.", highlight=False)
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("#", "due", "person", "what", "kind", "status"):
            table.add_column(column, overflow="fold")
        for item, name in rows:
            overdue = (today - item.due_on).days
            late = f" ({overdue}d overdue)" if item.status == "open" and overdue > 0 else ""
            kind = "promise" if item.is_promise else "follow-up"
            if item.every_days:
                kind += f", every {item.every_days}d"
            table.add_row(
                str(item.id),
                item.due_on.isoformat() + late,
                Text(name or ""),
                Text(item.text),
                kind,
                item.status,
            )
        app.console.print(table)


def register(app: typer.Typer) -> None:
    """Attach the follow-up commands to the root app."""
    app.command("follow-up")(follow_up)
    app.command("follow-ups")(follow_ups)
