"""`tieline log`: record an interaction in one line."""

from __future__ import annotations

from typing import Annotated

import typer

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.dates import parse_when
from tieline.serialise.interactions import interaction
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service


def log(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="meeting, coffee, call, video_call, message, email, event, social, mentoring, other."
        ),
    ],
    people: Annotated[list[str], typer.Argument(help="One or more people (name or #id).")],
    when: Annotated[
        str, typer.Option("--date", help="today, yesterday, 2026-03-01, '3 days ago', or an ISO time.")
    ] = "today",
    note: opt.Note = None,
    initiated_by: Annotated[
        str | None, typer.Option("--initiated-by", help="Who reached out: me or them.")
    ] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="A title for the interaction.")] = None,
    as_json: opt.Json = False,
) -> None:
    """Log an interaction with one or more people."""
    app = app_context(ctx)
    kind = interactions_service.check_kind(kind)
    moment = parse_when(when, now=app.now(), field="--date")
    with app.transaction() as session:
        found = [people_service.resolve_person(session, owner_id=app.owner_id, text=p) for p in people]
        unique = list({p.id: p for p in found}.values())  # "Bo bo" is one person
        item = interactions_service.log_interaction(
            session, owner_id=app.owner_id, kind=kind, people=found, when=moment, notes=note,
            initiated_by=initiated_by, subject=subject,
        )  # fmt: skip
        if as_json:
            print_json(interaction(item, [p.display_name for p in unique]))
        else:
            names = ", ".join(p.display_name for p in unique)
            local = moment.astimezone().strftime("%Y-%m-%d %H:%M")
            app.console.print(
                f"logged {kind.replace('_', ' ')} with {names} on {local}", markup=False, highlight=False
            )


def register(app: typer.Typer) -> None:
    """Attach `log` to the root app."""
    app.command()(log)
