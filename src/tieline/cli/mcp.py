"""`tieline mcp`: serve the network to a local AI assistant over the Model Context Protocol (stdio)."""

from __future__ import annotations

from typing import Annotated

import typer

from tieline.cli.context import AppContext, app_context
from tieline.config import load_settings


def mcp(
    ctx: typer.Context,
    allow_writes: Annotated[
        bool,
        typer.Option(
            "--allow-writes",
            help="Also offer the tools that write: log an interaction, add a follow-up, record a "
            "favour, mark an agenda line done. Without it the assistant can only read.",
        ),
    ] = False,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            "-d",
            help="Database URL or SQLite file (as `tieline --database`, given after `mcp`).",
        ),
    ] = None,
) -> None:
    """Serve your network to an AI assistant over MCP (stdio); read-only unless --allow-writes.

    Start it from the assistant's configuration (docs/mcp.md): it reads stdin and writes stdout, so
    it prints nothing of its own there. It reads only the local database and sends nothing anywhere.
    """
    app = app_context(ctx)
    if database is not None:
        app = AppContext(settings=load_settings(database), owner_id=app.owner_id)
        ctx.call_on_close(app.close)
    from tieline.mcp_server.server import ToolRunner, serve_stdio

    runner = ToolRunner(app.db, owner_id=app.owner_id, clock=app.now, allow_writes=allow_writes)
    serve_stdio(runner)


def register(app: typer.Typer) -> None:
    """Attach `mcp` to the root app."""
    app.command()(mcp)
