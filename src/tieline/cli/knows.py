"""`tieline knows A B`: record that two people know each other; `tieline knows A`: who A knows."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.cli.people import PersonArg
from tieline.errors import InvalidInput
from tieline.serialise.growth import knows as knows_json
from tieline.services import knows as knows_service
from tieline.services import people as people_service


def knows(
    ctx: typer.Context,
    person: PersonArg,
    other: Annotated[
        str | None, typer.Argument(help="Someone PERSON knows; leave out to list who PERSON knows.")
    ] = None,
    strength: Annotated[
        float | None, typer.Option("--strength", help="How well they know each other, 0 to 1.")
    ] = None,
    note: opt.Note = None,
    as_json: opt.Json = False,
) -> None:
    """Record that two people know each other (again: update strength and note), or list who one knows."""
    app = app_context(ctx)
    if other is None and (strength is not None or note):
        raise InvalidInput("--strength and --note describe a link: name the two people")
    knows_service.check_strength(strength)
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        if other is not None:
            second = people_service.resolve_person(session, owner_id=app.owner_id, text=other)
            link, created = knows_service.link(
                session, owner_id=app.owner_id, person=found, other=second, strength=strength, note=note
            )
            if as_json:
                print_json(knows_json(link))
                return
            what = "recorded" if created else "updated"
            detail = f" (strength {link.knows.strength:g})" if link.knows.strength is not None else ""
            app.console.print(Text(f"{what}: {found.display_name} knows {second.display_name}{detail}"))
            return
        links = knows_service.known_by(session, owner_id=app.owner_id, person=found)
        if as_json:
            print_json([knows_json(link) for link in links])
            return
        if not links:
            app.console.print(
                Text(f"No one linked to {found.display_name} yet: `tieline knows {person} OTHER`.")
            )
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("#", "knows", "strength", "how", "note"):
            table.add_column(column, overflow="fold")
        for link in links:
            k = link.knows
            table.add_row(
                str(link.other.id),
                Text(link.other.display_name),
                f"{k.strength:g}" if k.strength is not None else "",
                "told by you" if k.source == "manual" else "you introduced them",
                Text(k.note or ""),
            )
        app.console.print(table)


def register(app: typer.Typer) -> None:
    """Attach `knows` to the root app."""
    app.command()(knows)
