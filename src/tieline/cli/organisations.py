"""Organisation commands: `tieline org add|show|list`, `tieline member` and `tieline who`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.dates import parse_date
from tieline.errors import NotFound
from tieline.models import ORGANISATION_KINDS
from tieline.serialise.organisations import insider, membership, organisation
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service

org_app = typer.Typer(
    help="Organisations: companies, schools, associations, alumni networks, teams.", no_args_is_help=True
)
OrgArg = Annotated[str, typer.Argument(help="Organisation name (exact or prefix) or #id.")]
Kind = Annotated[str, typer.Option("--kind", "-k", help=f"One of: {', '.join(ORGANISATION_KINDS)}.")]


@org_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Organisation name.")],
    kind: Kind = "company",
    industry: opt.Industry = None,
    location: opt.Location = None,
    website: Annotated[str | None, typer.Option("--website", help="Web address.")] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="Parent organisation (a department's company).")
    ] = None,
    note: opt.Note = None,
    as_json: opt.Json = False,
) -> None:
    """Add an organisation."""
    app = app_context(ctx)
    with app.transaction() as session:
        parent_org = (
            organisations_service.resolve_organisation(session, owner_id=app.owner_id, text=parent)
            if parent
            else None
        )
        org = organisations_service.add_organisation(
            session, owner_id=app.owner_id, name=name, kind=kind, industry=industry, location=location,
            website=website, notes=note, parent=parent_org,
        )  # fmt: skip
        if as_json:
            print_json(organisation(org))
        else:
            app.console.print(
                f"added {org.kind.replace('_', ' ')} {org.name} (#{org.id})", markup=False, highlight=False
            )


@org_app.command("show")
def show(ctx: typer.Context, org: OrgArg, as_json: opt.Json = False) -> None:
    """Show an organisation and its members, current and past."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = organisations_service.resolve_organisation(session, owner_id=app.owner_id, text=org)
        view = organisations_service.view(session, found)
        if as_json:
            doc = organisation(found)
            doc["memberships"] = [membership(m, p) for m, p in view.members]
            print_json(doc)
            return
        heading = Text(found.name, style="bold")
        heading.append(f"  #{found.id} {found.kind.replace('_', ' ')}", style="dim")
        app.console.print(heading)
        for label, value in (
            ("industry", found.industry),
            ("location", found.location),
            ("website", found.website),
            ("notes", found.notes),
        ):
            if value:
                app.console.print(Text(f"{label}: {value}"))
        table = Table(box=None, show_header=True, header_style="bold")
        for column in ("person", "role", "since", "until"):
            table.add_column(column, overflow="fold")
        for m, person in view.members:
            table.add_row(
                Text(person.display_name if person else "me"),
                Text(m.role or ""),
                str(m.start_date or ""),
                str(m.end_date or "current"),
            )
        app.console.print(table)


@org_app.command("list")
def list_organisations(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
    as_json: opt.Json = False,
) -> None:
    """List organisations with how many people you know there."""
    app = app_context(ctx)
    with app.transaction() as session:
        rows = organisations_service.with_member_counts(session, owner_id=app.owner_id, kind=kind)
        if as_json:
            print_json([organisation(o, n) for o, n in rows])
            return
        table = Table(box=None, show_header=True, header_style="bold")
        for column in ("#", "name", "kind", "people"):
            table.add_column(column, overflow="fold")
        for o, n in rows:
            table.add_row(str(o.id), Text(o.name), o.kind.replace("_", " "), str(n))
        app.console.print(table)


def member(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="A person (name or #id), or 'me' for yourself.")],
    org: OrgArg,
    role: Annotated[str | None, typer.Option("--role", help="Role or position.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Start date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="End date (omit while current).")] = None,
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="Kind, if the organisation must be created.")
    ] = "company",
    as_json: opt.Json = False,
) -> None:
    """Record that a person (or you) belongs to an organisation; creates the organisation if new."""
    app = app_context(ctx)
    today = app.today()
    start = parse_date(since, today=today, field="--since") if since else None
    end = parse_date(until, today=today, field="--until") if until else None
    with app.transaction() as session:
        who = None
        if person.strip().lower() != "me":
            who = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        try:
            found = organisations_service.resolve_organisation(session, owner_id=app.owner_id, text=org)
        except NotFound:
            found = organisations_service.ensure_organisation(
                session, owner_id=app.owner_id, name=org, kind=kind
            )
        item = organisations_service.add_membership(
            session, person=who, organisation=found, role=role, since=start, until=end
        )
        if as_json:
            print_json(membership(item, who))
        else:
            name = who.display_name if who else "you"
            app.console.print(
                f"{name}: member of {found.name}" + (f" as {role}" if role else ""),
                markup=False,
                highlight=False,
            )


def who(ctx: typer.Context, org: OrgArg, as_json: opt.Json = False) -> None:
    """Who you know in an organisation, its departments and teams: current members first, then past
    ones, strongest tie first, with roles and dates."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = organisations_service.resolve_organisation(session, owner_id=app.owner_id, text=org)
        insiders = organisations_service.who(session, found, now=app.now())
        if as_json:
            print_json([insider(i) for i in insiders])
            return
        if not insiders:
            app.console.print(Text(f"You know nobody in {found.name} yet."))
            return
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        for column in ("person", "strength", "role", "where", "since", "until"):
            table.add_column(column, overflow="fold")
        for i in insiders:
            for n, (m, where) in enumerate(i.memberships):
                table.add_row(
                    Text(i.person.display_name if n == 0 else ""),
                    f"{i.strength:.0f}" if n == 0 else "",
                    Text(m.role or ""),
                    Text(where.name if where.id != found.id else ""),
                    str(m.start_date or ""),
                    str(m.end_date or "current"),
                )
        app.console.print(table)


def register(app: typer.Typer) -> None:
    """Attach `org`, `member` and `who` to the root app."""
    app.add_typer(org_app, name="org")
    app.command()(member)
    app.command()(who)
