"""The agenda commands: today, week, losing-touch, and done / snooze / dismiss on a line."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import AppContext, app_context, print_json
from tieline.dates import parse_date
from tieline.serialise.agenda import agenda as agenda_out
from tieline.serialise.agenda import agenda_item
from tieline.services import agenda
from tieline.services.agenda.actions import DoneOptions
from tieline.services.interactions import check_kind

if TYPE_CHECKING:  # drafts and the digest are imported by the commands that write them
    from tieline.services.drafts import Draft

DateOpt = Annotated[
    str | None, typer.Option("--date", help="Show the agenda as it will stand on this day (planning ahead).")
]
LineArg = Annotated[str, typer.Argument(help="Line number from the last `tieline today`, or an item key.")]


def _print_items(
    app: AppContext,
    view: agenda.AgendaView,
    drafts: dict[str, Draft] | None = None,
    *,
    details: bool = False,
) -> None:
    if not view.items:
        _print_coming(app, view.coming)
        return
    for number, item in enumerate(view.items, 1):
        _print_item(app, f"{number}. ", item, details=details)
        if drafts and item.key in drafts:
            from tieline.cli.drafts import print_draft

            app.console.print()
            print_draft(app.console, drafts[item.key], indent="   | ")
            app.console.print()
    more = view.total - len(view.items)
    if more > 0:
        app.console.print(
            Text(
                f"{more} more waiting (the daily cap keeps this list short; --limit {view.total} shows all)"
            ),
            style="dim",
        )


def _print_item(app: AppContext, head: str, item: agenda.AgendaItem, *, details: bool) -> None:
    line = Text(head, style="bold")
    line.append(item.title, style="bold")
    app.console.print(line)
    indent = " " * len(head)
    for reason in item.reasons:
        app.console.print(Text(f"{indent}- {reason}", style="dim"))
    if item.context:
        app.console.print(Text(f"{indent}- {item.context}", style="dim"))
    if item.also:
        app.console.print(Text(f"{indent}also: " + "; ".join(item.also), style="dim"))
    if item.brief and item.person_name:
        app.console.print(Text(f"{indent}> tieline brief {shlex.quote(item.person_name)}", style="cyan"))
    if details:
        for detail in [*item.details, f"priority {item.priority:.2f}"]:
            app.console.print(Text(f"{indent}  {detail}", style="dim"))


def _print_coming(app: AppContext, coming: list[agenda.ComingDay]) -> None:
    """An empty day: what the next days hold, so "nothing due" is never said while something is coming."""
    if not coming:
        app.console.print("Nothing due this week. Your relationships are in good shape.", highlight=False)
        return
    app.console.print("Nothing needs you today. Coming up:", highlight=False)
    for day in coming:
        app.console.print(Text(f"{day.day:%A} {day.day.day} {day.day:%B}", style="bold"))
        for item in day.items:
            _print_item(app, "  - ", item, details=False)
        if day.total > len(day.items):
            app.console.print(Text(f"    and {day.total - len(day.items)} more", style="dim"))


def today(
    ctx: typer.Context,
    limit: Annotated[
        int | None, typer.Option("--limit", "-l", min=1, help="Lines to show (default: daily cap).")
    ] = None,
    when: DateOpt = None,
    with_drafts: Annotated[bool, typer.Option("--drafts", help="Write the message for each line.")] = False,
    details: Annotated[
        bool, typer.Option("--details", help="Show the numbers behind each line (scores, ratios).")
    ] = False,
    as_json: opt.Json = False,
) -> None:
    """Whom to reach out to today, and why, most important first."""
    app = app_context(ctx)
    day = parse_date(when, today=app.today(), field="--date") if when else app.today()
    with app.transaction() as session:
        view = agenda.agenda_for(session, owner_id=app.owner_id, day=day, now=app.now(), limit=limit)
        drafts = None
        if with_drafts:
            from tieline.services.drafts import drafts_for

            actx = agenda.context(session, owner_id=app.owner_id, day=day, now=app.now())
            drafts = drafts_for(
                session, owner_id=app.owner_id, items=view.items, prefs=actx.prefs,
                data_dir=app.settings.data_dir, now=actx.now,
            )  # fmt: skip
        if as_json:
            doc: dict[str, Any] = dict(agenda_out(view))
            items: list[dict[str, Any]] = [{"number": n, **line} for n, line in enumerate(doc["items"], 1)]
            if drafts is not None:
                for line, item in zip(items, view.items, strict=True):
                    line["draft"] = drafts[item.key].as_dict() if item.key in drafts else None
            print_json({**doc, "items": items})
            return
        app.console.print(Text(f"Agenda for {day:%A} {day.day} {day:%B %Y}", style="bold underline"))
        _print_items(app, view, drafts, details=details)


def week(
    ctx: typer.Context,
    when: Annotated[str | None, typer.Option("--date", help="First day of the week to review.")] = None,
) -> None:
    """The weekly review: what becomes due each day this week, and how last week went."""
    app = app_context(ctx)
    day = parse_date(when, today=app.today(), field="--date") if when else app.today()
    from tieline.services.digest import build_digest

    with app.transaction() as session:
        review = build_digest(
            session, owner_id=app.owner_id, day=day, now=app.now(), data_dir=app.settings.data_dir
        )
        app.console.print(Text(review.text), soft_wrap=True)


def done(
    ctx: typer.Context,
    line: LineArg,
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="How you got in touch, for contact lines.")
    ] = "message",
    note: opt.Note = None,
) -> None:
    """Mark an agenda line done (a contact line also logs the contact)."""
    app = app_context(ctx)
    options = DoneOptions(log_kind=check_kind(kind), note=note)
    with app.transaction() as session:
        item = agenda.done(session, owner_id=app.owner_id, ref=line, now=app.now(), options=options)
        app.console.print(Text(f"done: {item.title}"))


def snooze(
    ctx: typer.Context,
    line: LineArg,
    days: Annotated[int, typer.Option("--days", "-d", help="Days to hide it for.")] = 1,
) -> None:
    """Hide an agenda line for some days."""
    app = app_context(ctx)
    with app.transaction() as session:
        item, until = agenda.snooze(session, owner_id=app.owner_id, ref=line, days=days, now=app.now())
        app.console.print(Text(f"snoozed until {until.isoformat()}: {item.title}"))


def dismiss(ctx: typer.Context, line: LineArg) -> None:
    """Hide an agenda line for good (it returns only if its situation changes)."""
    app = app_context(ctx)
    with app.transaction() as session:
        item = agenda.dismiss(session, owner_id=app.owner_id, ref=line, now=app.now())
        app.console.print(Text(f"dismissed: {item.title}"))


def losing_touch(
    ctx: typer.Context,
    limit: opt.Limit = 20,
    as_json: opt.Json = False,
) -> None:
    """Everyone past their keep-in-touch cadence, most overdue x strongest first."""
    app = app_context(ctx)
    with app.transaction() as session:
        actx = agenda.context(session, owner_id=app.owner_id, day=app.today(), now=app.now())
        items = agenda.losing_touch(actx)
        if as_json:
            print_json([agenda_item(i) for i in items[:limit]])
            return
        if not items:
            app.console.print("Nobody is past their keep-in-touch rhythm.", highlight=False)
            return
        _print_items(app, agenda.AgendaView(day=actx.day, items=items[:limit], total=len(items)))


def register(app: typer.Typer) -> None:
    """Attach the agenda commands to the root app."""
    app.command()(today)
    app.command()(week)
    app.command()(done)
    app.command()(snooze)
    app.command()(dismiss)
    app.command("losing-touch")(losing_touch)
