"""Resource commands: `tieline share URL` (suggest people, or share `--to` them) and `tieline resources`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.models import RESOURCE_KINDS
from tieline.serialise.growth import resource as resource_json
from tieline.serialise.growth import resource_suggestion
from tieline.services import people as people_service
from tieline.services import resources as resources_service


def share(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The article, talk, report or job opening's address.")],
    topics: Annotated[
        list[str] | None, typer.Option("--topic", help="What it is about (repeatable), e.g. rust, hiring.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Its title.")] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help=f"One of: {', '.join(RESOURCE_KINDS)} (default article)."),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to", help="Share it with this person (name or #id, repeatable); else suggest people."
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="A note for the message logged.")] = None,
    limit: opt.Limit = 10,
    as_json: opt.Json = False,
) -> None:
    """Keep a resource worth passing on: without --to, suggest who to pass it to; with --to, share it."""
    app = app_context(ctx)
    with app.transaction() as session:
        owner = app.owner_id
        # Resolve everyone first, so a mistyped name leaves nothing behind.
        people = [people_service.resolve_person(session, owner_id=owner, text=t) for t in to or []]
        item = resources_service.save_resource(
            session, owner_id=owner, url=url, topics=topics, title=title, kind=kind
        )
        if people:
            results = resources_service.share(
                session, owner_id=owner, resource=item, people=people, now=app.now(), note=note
            )
            if as_json:
                print_json(
                    {"resource": resource_json(item),
                     "shared": [r.person.id for r in results if r.share is not None],
                     "already": [r.person.id for r in results if r.share is None]}
                )  # fmt: skip
                return
            for r in results:
                name = r.person.display_name
                line = (
                    f"shared with {name}: favour and message logged"
                    if r.share is not None
                    else f"{name} already had it; nothing changed"
                )
                app.console.print(Text(line))
            return
        suggestions = resources_service.suggest(session, owner_id=owner, resource=item, limit=limit)
        if as_json:
            print_json(
                {
                    "resource": resource_json(item),
                    "suggestions": [resource_suggestion(s) for s in suggestions],
                }
            )
            return
        app.console.print(Text(f"resource #{item.id}: {item.title or item.url} ({', '.join(item.topics)})"))
        if not suggestions:
            app.console.print("Nobody left whose interests, expertise or needs match.", highlight=False)
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("#", "person", "score", "why"):
            table.add_column(column, overflow="fold")
        for s in suggestions:
            table.add_row(str(s.person_id), Text(s.name), f"{s.score:.1f}", Text("; ".join(s.reasons)))
        app.console.print(table)
        app.console.print(Text(f"share it: tieline share {item.url} --to NAME"))


def resources(ctx: typer.Context, as_json: opt.Json = False) -> None:
    """The resources you keep, with their topics and who you shared each with."""
    app = app_context(ctx)
    with app.transaction() as session:
        rows = resources_service.listing(session, owner_id=app.owner_id)
        if as_json:
            print_json([resource_json(r, shares) for r, shares in rows])
            return
        if not rows:
            app.console.print("No resources yet: `tieline share URL --topic T` keeps one.", highlight=False)
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("#", "resource", "kind", "topics", "shared with"):
            table.add_column(column, overflow="fold")
        for r, shares in rows:
            what = f"{r.title}\n{r.url}" if r.title else r.url
            table.add_row(
                str(r.id),
                Text(what),
                r.kind,
                Text(", ".join(r.topics)),
                Text(", ".join(n for _, n in shares)),
            )
        app.console.print(table)


def register(app: typer.Typer) -> None:
    """Attach `share` and `resources` to the root app."""
    app.command()(share)
    app.command()(resources)
