"""`tieline init`: create and migrate the database."""

from __future__ import annotations

import typer

from tieline.cli.context import app_context


def init(ctx: typer.Context) -> None:
    """Create the database (or bring it to the current schema) and say where it is."""
    app = app_context(ctx)
    db = app.db
    app.console.print(
        f"database ready: {db.engine.url.render_as_string(hide_password=True)}", markup=False, highlight=False
    )


def register(app: typer.Typer) -> None:
    """Attach `init` to the root app."""
    app.command()(init)
