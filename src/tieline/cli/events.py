"""Event commands: `tieline event add|list|met|attend|show`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.dates import parse_date
from tieline.models import EVENT_KINDS, ORGANISATION_KINDS, Event
from tieline.serialise import events as serialise
from tieline.services import events as events_service
from tieline.services import people as people_service
from tieline.services.events import Encounter, EventPerson

event_app = typer.Typer(
    help="Events: conferences, meetups, workshops... whom you met there, their follow-ups, what came of it.",
    no_args_is_help=True,
)
EventArg = Annotated[str, typer.Argument(help="Event name (exact or prefix) or #id.")]


@event_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The event's name, e.g. 'PyCon Lisbon 2026'.")],
    when: Annotated[str, typer.Option("--date", help="The (first) day: 2026-03-05, today, 'in 2 weeks'.")],
    end: Annotated[str | None, typer.Option("--end", help="The last day of a multi-day event.")] = None,
    kind: Annotated[
        str, typer.Option("--kind", "-k", help=f"One of: {', '.join(EVENT_KINDS)}.")
    ] = "conference",
    place: Annotated[str | None, typer.Option("--place", help="Where: a city, a venue.")] = None,
    organiser: Annotated[
        str | None,
        typer.Option(
            "--organiser",
            help="The organisation running it (name or #id); created if new, as a community for meetups and "
            "social events, an alumni network for alumni events, a company for team-building, else an "
            "association (--organiser-kind chooses).",
        ),
    ] = None,
    organiser_kind: Annotated[
        str | None,
        typer.Option("--organiser-kind", help=f"Kind of a new organiser: {', '.join(ORGANISATION_KINDS)}."),
    ] = None,
    goals: Annotated[str | None, typer.Option("--goals", help="What you want from it.")] = None,
    notes: opt.Note = None,
    as_json: opt.Json = False,
) -> None:
    """Record an event you go to (or went to)."""
    app = app_context(ctx)
    today = app.today()
    starts_on = parse_date(when, today=today, field="--date")
    ends_on = parse_date(end, today=today, field="--end") if end else None
    with app.transaction() as session:
        event_kind = events_service.check_kind(kind)
        org = (
            events_service.organiser_for(
                session, owner_id=app.owner_id, text=organiser, event_kind=event_kind, org_kind=organiser_kind
            )
            if organiser
            else None
        )
        event = events_service.add_event(
            session, owner_id=app.owner_id, name=name, starts_on=starts_on, ends_on=ends_on, kind=event_kind,
            place=place, organiser=org, goals=goals, notes=notes,
        )  # fmt: skip
        if as_json:
            print_json(serialise.event(event, org.name if org else None))
            return
        by = f", organised by {org.name}" if org else ""
        app.console.print(
            Text(f"added {event.kind.replace('_', ' ')} {event.name} (#{event.id}) on {_days(event)}{by}")
        )


@event_app.command("list")
def list_events(ctx: typer.Context, as_json: opt.Json = False) -> None:
    """List events, newest first, with how many people you met there and followed up."""
    app = app_context(ctx)
    with app.transaction() as session:
        rows = events_service.listing(session, owner_id=app.owner_id)
        if as_json:
            print_json(
                [
                    serialise.event_summary(r.event, r.organiser, r.met, r.attended, r.followed_up)
                    for r in rows
                ]
            )
            return
        if not rows:
            app.console.print(
                "No events yet: `tieline event add NAME --date DATE` records one.", highlight=False
            )
            return
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        for column in ("#", "when", "event", "kind", "place", "met", "followed up"):
            table.add_column(column, overflow="fold")
        for r in rows:
            table.add_row(
                str(r.event.id),
                _days(r.event),
                Text(r.event.name),
                r.event.kind.replace("_", " "),
                Text(r.event.place or ""),
                str(r.met),
                str(r.followed_up),
            )
        app.console.print(table)


@event_app.command("met")
def met(
    ctx: typer.Context,
    event: EventArg,
    people: Annotated[
        list[str],
        typer.Argument(
            help="People you met (name or #id). A name that matches nobody exactly or by prefix becomes a "
            "new person; a close-looking name of someone you know is pointed out, never used in its place."
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", "-n", help="What you talked about.")] = None,
    as_json: opt.Json = False,
) -> None:
    """Record people you met at an event: each gets a follow-up and an interaction.

    Meeting someone is an interaction: one `event` interaction is logged with each person, dated
    when you met (now while the event runs, else noon on its last day), so their last contact and
    tie strength move. Each also gets a follow-up "Follow up with NAME after EVENT" due
    `event.follow_up_hours` (48 by default) after meeting, on the agenda. New people get how and
    where you met from the event. Naming someone again for the same event changes nothing.
    """
    app = app_context(ctx)
    with app.transaction() as session:
        found = events_service.resolve_event(session, owner_id=app.owner_id, text=event)
        encounters = events_service.meet(
            session, owner_id=app.owner_id, event=found, names=people, note=note, now=app.now()
        )
        if as_json:
            print_json([serialise.encounter(e) for e in encounters])
            return
        for e in encounters:
            app.console.print(Text(f"{found.name}: {_encounter_line(e)}"))


@event_app.command("attend")
def attend(
    ctx: typer.Context,
    event: EventArg,
    people: Annotated[list[str], typer.Argument(help="People you know who were there (name or #id).")],
    as_json: opt.Json = False,
) -> None:
    """Record people you already know who were at an event (no follow-up, no interaction)."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = events_service.resolve_event(session, owner_id=app.owner_id, text=event)
        who = [people_service.resolve_person(session, owner_id=app.owner_id, text=p) for p in people]
        encounters = events_service.attend(session, owner_id=app.owner_id, event=found, people=who)
        if as_json:
            print_json([serialise.encounter(e) for e in encounters])
            return
        for e in encounters:
            app.console.print(Text(f"{found.name}: {_encounter_line(e)}"))


@event_app.command("show")
def show(ctx: typer.Context, event: EventArg, as_json: opt.Json = False) -> None:
    """Show an event: whom you met, their follow-ups, who is still in touch, what came of it.

    Still in touch means a contact logged after meeting them, the latest less than `dormant.days`
    (365) ago. A follow-up counts as in time when it was done on or before its due day.
    """
    app = app_context(ctx)
    now = app.now()
    with app.transaction() as session:
        found = events_service.resolve_event(session, owner_id=app.owner_id, text=event)
        report = events_service.report(session, found, now=now)
        if as_json:
            print_json(serialise.event_page(report))
            return
        ev = report.event
        heading = Text(ev.name, style="bold")
        heading.append(f"  #{ev.id} {ev.kind.replace('_', ' ')}, {_days(ev)}", style="dim")
        app.console.print(heading)
        for label, value in (
            ("place", ev.place),
            ("organiser", report.organiser.name if report.organiser else None),
            ("goals", ev.goals),
            ("notes", ev.notes),
        ):
            if value:
                app.console.print(Text(f"{label}: {value}"))
        if report.met:
            app.console.print(Text(f"\nmet ({len(report.met)})", style="bold"))
            app.console.print(_met_table(report.met))
        if report.attended:
            names = ", ".join(p.row.person.display_name for p in report.attended)
            app.console.print(Text(f"\nalso there: {names}"))
        if report.opportunities:
            app.console.print(Text("\nopportunities", style="bold"))
            for item, person in report.opportunities:
                via = f" through {person}" if person else ""
                app.console.print(
                    Text(f"#{item.id} {item.title} ({item.kind.replace('_', ' ')}, {item.stage}){via}")
                )
        app.console.print(Text("\n" + report.result.line()))


def _days(event: Event) -> str:
    if event.ends_on is None:
        return event.starts_on.isoformat()
    return f"{event.starts_on.isoformat()} to {event.ends_on.isoformat()}"


def _met_table(people: list[EventPerson]) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    for column in ("person", "note", "follow-up", "last contact since", "strength", "in touch"):
        table.add_column(column, overflow="fold")
    for p in people:
        follow_up = p.row.follow_up
        if p.follow_up_state == "done" and follow_up is not None and follow_up.done_at is not None:
            done_on = follow_up.done_at.astimezone().date().isoformat()
            state = f"done {done_on} ({'in time' if p.in_time else 'late'})"
        elif p.follow_up_state in ("open", "overdue") and follow_up is not None:
            state = f"{p.follow_up_state}, due {follow_up.due_on.isoformat()}"
        else:
            state = p.follow_up_state
        last = p.row.last_contact_after
        table.add_row(
            Text(p.row.person.display_name),
            Text(p.row.attendee.note or ""),
            state,
            last.astimezone().date().isoformat() if last else "",
            f"{p.strength:.0f}",
            "yes" if p.still_in_touch else "no",
        )
    return table


def _encounter_line(e: Encounter) -> str:
    new = ", new" if e.created else ""
    if e.similar is not None:
        new += f"; not {e.similar.display_name} #{e.similar.id}, whose name is close"
    who = f"{e.person.display_name} (#{e.person.id}{new})"
    if e.already:
        return f"{who} already recorded as {'met' if e.attendee.met else 'there'}"
    if not e.attendee.met:
        return f"{who} was there"
    due = f", follow up by {e.follow_up.due_on.isoformat()}" if e.follow_up else ""
    return f"met {who}{due}"


def register(app: typer.Typer) -> None:
    """Attach `event` to the root app."""
    app.add_typer(event_app, name="event")
