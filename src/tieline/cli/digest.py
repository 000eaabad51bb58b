"""`tieline digest`: the week ahead and the week behind, printed, or sent by email when asked."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.text import Text

from tieline.cli.context import app_context
from tieline.dates import parse_date
from tieline.services import preferences
from tieline.services.digest import PASSWORD_ENV, build_digest, send_digest
from tieline.validate import email as check_email


def digest(
    ctx: typer.Context,
    send: Annotated[
        bool, typer.Option("--send", help="Email it (smtp.* settings) instead of printing.")
    ] = False,
    to: Annotated[str | None, typer.Option("--to", help="Send to this address instead of smtp.to.")] = None,
    when: Annotated[
        str | None, typer.Option("--date", help="First day of the week covered (default: today).")
    ] = None,
    html: Annotated[bool, typer.Option("--html", help="Print the HTML version instead of the text.")] = False,
) -> None:
    """The week's agenda day by day and a look back at the last seven days; --send emails it.

    Sending goes over TLS: STARTTLS on smtp.port (587 unless set), or TLS from the start on port 465;
    a server that offers neither gets nothing. Only with smtp.starttls off (a relay with no login)
    does mail go in the clear, and never the password (TIELINE_SMTP_PASSWORD). For a server whose
    certificate comes from a private CA, set SSL_CERT_FILE to that CA's certificate file.
    """
    app = app_context(ctx)
    day = parse_date(when, today=app.today(), field="--date") if when else app.today()
    recipient = check_email(to) if to else None
    with app.transaction() as session:
        result = build_digest(
            session, owner_id=app.owner_id, day=day, now=app.now(), data_dir=app.settings.data_dir
        )
        prefs = preferences.load(session, owner_id=app.owner_id)
    if not send:
        app.console.print(Text(result.html if html else result.text), soft_wrap=True, highlight=False, end="")
        return
    message = send_digest(result, prefs, to=recipient, password=os.environ.get(PASSWORD_ENV), now=app.now())
    app.console.print(Text(f"sent {result.subject!r} to {message['To']}"), highlight=False)


def register(app: typer.Typer) -> None:
    """Attach `digest` to the root app."""
    app.command()(digest)
