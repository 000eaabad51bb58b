"""`tieline export ...`: the owner's data in formats other programs read: a calendar feed of
reminders, and everyone as vCard, CSV or JSON."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from tieline.cli.backup import replaced_file
from tieline.cli.context import app_context
from tieline.dates import parse_date
from tieline.errors import InvalidInput
from tieline.exporters.calendar import DEFAULT_HORIZON_DAYS, calendar_for
from tieline.exporters.csv_export import write_csv
from tieline.exporters.vcard import write_vcards
from tieline.private_files import replaced_privately
from tieline.services import exports, preferences

export_app = typer.Typer(
    name="export",
    help="Write your data for other programs: a calendar feed of reminders; people as vCard, CSV, JSON.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def write_output(path: str, data: bytes) -> None:
    """Write an export to a file (readable by its owner only, replaced whole), or to stdout for "-"."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    target = Path(path).expanduser()
    try:
        with replaced_privately(target, "wb") as out:
            out.write(data)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None


@export_app.command("calendar")
def calendar(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The .ics file to write, or - for stdout.")],
    days: Annotated[
        int, typer.Option("--days", min=1, help="How many days ahead the reminders cover (a year at most).")
    ] = DEFAULT_HORIZON_DAYS,
    when: Annotated[
        str | None,
        typer.Option("--date", help="First day covered (default: today; overdue lines fall on it)."),
    ] = None,
    drafts: Annotated[
        bool, typer.Option("--drafts", help="Put each line's draft message in the event description.")
    ] = False,
) -> None:
    """An iCalendar file with one all-day reminder per agenda line, on the day it falls due."""
    app = app_context(ctx)
    day = parse_date(when, today=app.today(), field="--date") if when else app.today()
    with app.transaction() as session:
        feed = calendar_for(
            session,
            owner_id=app.owner_id,
            day=day,
            now=app.now(),
            horizon_days=days,
            data_dir=app.settings.data_dir,
            include_drafts=drafts,
        )
    write_output(file, feed.to_ical())
    if file != "-":
        count = len(feed.walk("VEVENT"))
        app.console.print(
            Text(f"wrote {count} reminder{'s' if count != 1 else ''} over {days} days to {file}"),
            highlight=False,
        )


# --- people: vCard, CSV, JSON ---------------------------------------------------------------------


def _wrote(ctx: typer.Context, count: int, nouns: tuple[str, str], file: str) -> None:
    if file != "-":
        noun = nouns[0] if count == 1 else nouns[1]
        app_context(ctx).console.print(Text(f"wrote {count:,} {noun} to {file}"), highlight=False)


@export_app.command("calendar-link")
def calendar_link(
    ctx: typer.Context,
    revoke: Annotated[
        bool,
        typer.Option(
            "--revoke", "--new", help="Make a new secret address; the old one stops working at once."
        ),
    ] = False,
    off: Annotated[bool, typer.Option("--off", help="Turn the feed off: no address serves it.")] = False,
    port: Annotated[int, typer.Option("--port", help="Port `tieline serve` listens on.")] = 8765,
) -> None:
    """The secret address of the calendar feed that `tieline serve` publishes (subscribe from a calendar
    app); made on first use."""
    if revoke and off:
        raise InvalidInput("--revoke makes a new address and --off turns the feed off: give one of them")
    app = app_context(ctx)
    with app.transaction() as session:
        if off:
            preferences.turn_off_calendar(session, owner_id=app.owner_id)
            app.console.print("calendar feed turned off", markup=False)
            return
        token = preferences.calendar_token(preferences.load(session, owner_id=app.owner_id))
        if revoke or token is None:
            token = preferences.new_calendar_token(session, owner_id=app.owner_id)
        app.console.print(
            f"http://127.0.0.1:{port}/calendar/{token}.ics", markup=False, highlight=False, soft_wrap=True
        )


@export_app.command("vcard")
def vcard(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The .vcf file to write, or - for stdout.")],
) -> None:
    """Everyone as vCard 3.0 cards in one .vcf file, with what imports kept written back."""
    app = app_context(ctx)
    with replaced_file(file, newline="") as out, app.transaction() as session:
        count = write_vcards(exports.every_person(session, owner_id=app.owner_id), out)
    _wrote(ctx, count, ("card", "cards"), file)


@export_app.command("csv")
def csv(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The .csv file to write (UTF-8 with BOM), or - for stdout.")],
) -> None:
    """Everyone as one CSV row each; lists joined with " ::: ", formula-like cells neutralised."""
    app = app_context(ctx)
    # The byte-order mark makes Excel read the file as UTF-8.
    with replaced_file(file, encoding="utf-8-sig", newline="") as out, app.transaction() as session:
        count = write_csv(exports.every_person(session, owner_id=app.owner_id), out)
    _wrote(ctx, count, ("person", "people"), file)


@export_app.command("json")
def json_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The .json file to write, or - for stdout.")],
    with_interactions: Annotated[
        bool, typer.Option("--with-interactions", help="Add every interaction, with who took part.")
    ] = False,
) -> None:
    """Everyone with every field (the `show --json` shape), optionally with the interactions."""
    app = app_context(ctx)
    with replaced_file(file) as out, app.transaction() as session:
        counts = exports.write_people_json(
            session, out, owner_id=app.owner_id, with_interactions=with_interactions
        )
    _wrote(ctx, counts["people"], ("person", "people"), file)


def register(app: typer.Typer) -> None:
    """Attach the `export` group to the root app."""
    app.add_typer(export_app, name="export")
