"""`tieline config` (every weight, cadence and cap is a setting) and `tieline recompute`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.errors import InvalidInput
from tieline.services import preferences
from tieline.services.people import number_of_people
from tieline.services.recompute import recompute_all


def config(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help="A setting, e.g. agenda.daily_cap.")] = None,
    value: Annotated[
        str | None, typer.Argument(help="New value (lists: comma-separated; 'none' unsets).")
    ] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Go back to the default.")] = False,
    as_json: opt.Json = False,
) -> None:
    """Show settings, or change one. Score weights and cadences take effect at once."""
    app = app_context(ctx)
    with app.transaction() as session:
        if key is not None and (value is not None or reset):
            if reset:
                preferences.reset(session, owner_id=app.owner_id, key=key)
            else:
                stored = preferences.set_value(session, owner_id=app.owner_id, key=key, value=value)
                app.console.print(Text(f"{key} = {json.dumps(stored, ensure_ascii=False)}"))
            if key.startswith(("cadence.", "half_life.", "kind_weight.")):
                app.console.print(
                    Text("this changes recency decay: run `tieline recompute` to rescore everyone now"),
                    style="dim",
                )
            return
        if key is not None and key not in preferences.DEFAULTS:
            raise InvalidInput(f"unknown setting {key!r}; `tieline config` lists them")
        prefs = preferences.load(session, owner_id=app.owner_id)
        keys = [key] if key else list(preferences.DEFAULTS)
        if as_json:
            print_json({k: prefs[k] for k in keys})
            return
        table = Table(box=None, show_header=True, header_style="bold")
        for column in ("setting", "value", "default", "what it does"):
            table.add_column(column, overflow="fold")
        for k in keys:
            default, help_text = preferences.DEFAULTS[k]
            shown = json.dumps(prefs[k], ensure_ascii=False)
            table.add_row(
                k, Text(shown, style="bold" if prefs[k] != default else ""), json.dumps(default), help_text
            )
        app.console.print(table)


def recompute(ctx: typer.Context) -> None:
    """Rescore every tie from its full history (after changing weights or half-lives)."""
    app = app_context(ctx)
    with app.transaction() as session:
        prefs = preferences.load(session, owner_id=app.owner_id)
        count = recompute_all(session, owner_id=app.owner_id, prefs=prefs, now=app.now())
        app.console.print(f"rescored {number_of_people(count)}", highlight=False)


def register(app: typer.Typer) -> None:
    """Attach `config` and `recompute` to the root app."""
    app.command()(config)
    app.command()(recompute)
