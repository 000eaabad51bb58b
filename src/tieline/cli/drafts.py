"""`tieline draft N`: the message for an agenda line, to copy or open in a mail program. Nothing is sent."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.serialise.agenda import agenda_item
from tieline.services.agenda.actions import find_item
from tieline.services.agenda.build import context
from tieline.services.drafts import Draft, render_draft

LineArg = Annotated[str, typer.Argument(help="Line number from the last `tieline today`, or an item key.")]


def print_draft(console: Console, draft: Draft, *, indent: str = "") -> None:
    """A draft as the terminal shows it: recipients, subject, body, then the mailto: link.

    `tieline today --drafts` prints each line's draft with this, indented under the line.
    """

    # soft_wrap: long lines stay whole, so a copied mailto: link or paragraph is not broken.
    def say(text: str, style: str = "") -> None:
        console.print(Text(indent + text, style=style), soft_wrap=True, highlight=False)

    say("To: " + (", ".join(draft.to) or "(no email address on file)"), "dim")
    say("Subject: " + draft.subject, "bold")
    say("")
    for line in draft.body.rstrip("\n").split("\n"):
        say(line)
    say("")
    say(draft.mailto, "dim")


def draft(ctx: typer.Context, line: LineArg, as_json: opt.Json = False) -> None:
    """Write the message for an agenda line: subject, body and a mailto: link (nothing is sent)."""
    app = app_context(ctx)
    now = app.now()
    with app.transaction() as session:
        item, day = find_item(session, owner_id=app.owner_id, ref=line, now=now)
        # A line listed for another day (`today --date`) is written as of that day.
        actx = context(session, owner_id=app.owner_id, day=day, now=now)
        result = render_draft(
            session,
            owner_id=app.owner_id,
            item=item,
            prefs=actx.prefs,
            data_dir=app.settings.data_dir,
            now=actx.now,
        )
        if as_json:
            print_json({"item": agenda_item(item), "draft": result.as_dict()})
            return
        print_draft(app.console, result)


def register(app: typer.Typer) -> None:
    """Attach `draft` to the root app."""
    app.command()(draft)
