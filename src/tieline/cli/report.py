"""`tieline report`: the network in pictures, as one self-contained HTML page and/or PNG charts."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from tieline.cli.context import app_context
from tieline.errors import InvalidInput
from tieline.reports.gather import MAP_SIZE, gather_report


def report(
    ctx: typer.Context,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="Write the report as one self-contained HTML file (opens offline)."),
    ] = None,
    png: Annotated[
        Path | None,
        typer.Option("--png", help="Write one PNG per chart and the network map into this directory."),
    ] = None,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the HTML report in your browser once written.")
    ] = False,
    map_size: Annotated[
        int, typer.Option("--map-size", min=10, max=2000, help="Most people drawn on the network map.")
    ] = MAP_SIZE,
) -> None:
    """Charts of your network (tie strength, growth, diversity, tiers against Dunbar's layers,
    reciprocity) and a map of it (clusters coloured, bridges outlined), with the key numbers."""
    if html is None and png is None:
        raise InvalidInput("give --html FILE, --png DIR, or both")
    if open_ and html is None:
        raise InvalidInput("--open needs --html FILE")
    # Drawing loads matplotlib (a third of a second, tens of MB): only for this command.
    from tieline.reports.output import write_html, write_pngs

    app = app_context(ctx)
    with app.transaction() as session:
        data = gather_report(session, owner_id=app.owner_id, now=app.now(), map_size=map_size)
    if html is not None:
        path = write_html(html.expanduser(), data, data_dir=app.settings.data_dir)
        app.console.print(
            Text(f"wrote the report on {data.counts.people:,} people to {path}"), highlight=False
        )
        if open_:
            webbrowser.open(path.resolve().as_uri())
    if png is not None:
        written = write_pngs(png.expanduser(), data)
        app.console.print(Text(f"wrote {len(written)} charts to {png}: " + ", ".join(p.name for p in written)),
                          highlight=False)  # fmt: skip


def register(app: typer.Typer) -> None:
    """Attach `report` to the root app."""
    app.command()(report)
