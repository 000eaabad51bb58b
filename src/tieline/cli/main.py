"""The `tieline` command: root options, error translation, and the command groups."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from tieline.cli.context import AppContext
from tieline.config import load_settings
from tieline.errors import TielineError


class TielineGroup(TyperGroup):
    """The root group: a domain error becomes one line on stderr and an exit code, never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TielineError as exc:
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"[bold red]error:[/] {_escape(exc.message)}"
            )
            raise typer.Exit(exc.exit_code) from None
        finally:
            if isinstance(ctx.obj, AppContext):
                ctx.obj.close()


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


app = typer.Typer(
    cls=TielineGroup,
    name="tieline",
    help="Keep your professional relationships warm: people, interactions, organisations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def root(
    ctx: typer.Context,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            "-d",
            help="Database URL (postgresql://...) or SQLite file path. Default: TIELINE_DATABASE_URL, "
            "else tieline.db in the data directory.",
        ),
    ] = None,
) -> None:
    """tieline: a local-first relationship and networking manager."""
    ctx.obj = AppContext(settings=load_settings(database))


def _register() -> None:
    from tieline.cli import (
        agenda,
        backup,
        demo,
        digest,
        drafts,
        events,
        export,
        favours,
        followups,
        goals,
        identity,
        imports,
        interactions,
        introductions,
        knows,
        mentorship,
        milestones,
        network,
        opportunities,
        organisations,
        people,
        report,
        resources,
        serve,
        settings,
        setup,
    )

    for module in (
        serve,
        setup,
        people,
        interactions,
        organisations,
        events,
        agenda,
        followups,
        milestones,
        favours,
        mentorship,
        introductions,
        knows,
        opportunities,
        resources,
        goals,
        drafts,
        digest,
        export,
        backup,
        imports,
        identity,
        settings,
        demo,
        report,
        network,
    ):
        module.register(app)


_register()


def run() -> None:
    """Console-script entry point."""
    sys.exit(app())
