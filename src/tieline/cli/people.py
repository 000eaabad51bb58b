"""People commands: add, show, edit, archive, delete, list, search."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

import typer
from rich.text import Text

from tieline.analytics import common as common_mod
from tieline.cli import options as opt
from tieline.cli import render
from tieline.cli.context import app_context, print_json
from tieline.dates import parse_date
from tieline.errors import InvalidInput
from tieline.serialise.people import person_full, person_page, person_summary
from tieline.serialise.search import search_results
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services import people_listing
from tieline.services import search as search_service
from tieline.services.people import PersonChanges
from tieline.services.people_listing import PeopleQuery
from tieline.services.person_fields import EDITABLE, FIELD, cli_help
from tieline.services.search import SaidMatch
from tieline.validate import tier as parse_tier

PersonArg = Annotated[str, typer.Argument(help="Name (exact, prefix or fuzzy) or #id.")]


def _option(key: str) -> Any:
    """The option of a person field: its flags and help from services/person_fields.py."""
    field = FIELD[key]
    return typer.Option(*field.flags, help=cli_help(field))


# One option per field you may edit; add and edit name their parameters as the fields, so the
# parsed options (ctx.params) are the changes, and tests/services/test_person_fields.py compares
# these commands with the table.
Emails = Annotated[list[str] | None, _option("emails")]
Phones = Annotated[list[str] | None, _option("phones")]
Links = Annotated[list[str] | None, _option("links")]
Tags = Annotated[list[str] | None, _option("tags")]
Interests = Annotated[list[str] | None, _option("interests")]
Expertise = Annotated[list[str] | None, _option("expertise")]
Needs = Annotated[list[str] | None, _option("needs")]
Company = Annotated[str | None, _option("company")]
Title = Annotated[str | None, _option("title")]
Department = Annotated[str | None, _option("department")]
Industry = Annotated[str | None, _option("industry")]
Location = Annotated[str | None, _option("location")]
Tier = Annotated[str | None, _option("tier")]
Cadence = Annotated[int | None, _option("cadence_days")]
Closeness = Annotated[int | None, _option("closeness")]
Birthday = Annotated[str | None, _option("birthday")]
MetHow = Annotated[str | None, _option("met_how")]
MetWhere = Annotated[str | None, _option("met_where")]
MetOn = Annotated[str | None, _option("met_on")]
Notes = Annotated[str | None, _option("notes")]


def _changes(options: Mapping[str, Any], *, today: date) -> PersonChanges:
    """PersonChanges from a command's options, named as the fields: given options are set, list
    options add (a date is read as `tieline log --date` reads one)."""
    changes = PersonChanges()
    for field in EDITABLE:
        value = options.get(field.key)
        if value is None or (field.many and not value):
            continue
        if field.many:
            changes.add[field.key] = list(value)
        elif field.kind == "date":
            changes.set[field.changes_as] = parse_date(str(value), today=today, field=field.flags[0])
        else:
            changes.set[field.changes_as] = value
    return changes


def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=FIELD["name"].help)],
    emails: Emails = None,
    phones: Phones = None,
    links: Links = None,
    company: Company = None,
    title: Title = None,
    department: Department = None,
    industry: Industry = None,
    location: Location = None,
    tier: Tier = None,
    cadence_days: Cadence = None,
    closeness: Closeness = None,
    tags: Tags = None,
    interests: Interests = None,
    expertise: Expertise = None,
    needs: Needs = None,
    birthday: Birthday = None,
    met_how: MetHow = None,
    met_where: MetWhere = None,
    met_on: MetOn = None,
    notes: Notes = None,
    as_json: opt.Json = False,
) -> None:
    """Add a person."""
    app = app_context(ctx)
    today = app.today()
    changes = _changes({k: v for k, v in ctx.params.items() if k != "name"}, today=today)
    with app.transaction() as session:
        person = people_service.add_person(
            session, owner_id=app.owner_id, name=name, changes=changes, today=today, now=app.now()
        )
        if as_json:
            print_json(person_full(person))
        else:
            app.console.print(f"added {people_service.describe(person)}", markup=False, highlight=False)


def show(
    ctx: typer.Context,
    person: PersonArg,
    limit: opt.Limit = 50,
    as_json: opt.Json = False,
) -> None:
    """Show a person: profile, memberships, common ground and latest interactions."""
    app = app_context(ctx)
    now = app.now()
    with app.transaction() as session:
        # profile() says "no person with id N" itself when an id names nobody.
        found = people_service.resolve_person_id(session, owner_id=app.owner_id, text=person, verify_id=False)
        data = people_service.profile(
            session, owner_id=app.owner_id, person_id=found, timeline_limit=limit, now=now
        )
        ground = common_mod.common_ground(session, owner_id=app.owner_id, b=found, now=now)
        if as_json:
            print_json(person_page(data, ground))
        else:
            render.profile(app.console, data, ground)


def edit(
    ctx: typer.Context,
    person: PersonArg,
    name: Annotated[str | None, typer.Option(*FIELD["name"].flags, help="New display name.")] = None,
    emails: Emails = None,
    phones: Phones = None,
    links: Links = None,
    company: Company = None,
    title: Title = None,
    department: Department = None,
    industry: Industry = None,
    location: Location = None,
    tier: Tier = None,
    cadence_days: Cadence = None,
    closeness: Closeness = None,
    tags: Tags = None,
    interests: Interests = None,
    expertise: Expertise = None,
    needs: Needs = None,
    birthday: Birthday = None,
    met_how: MetHow = None,
    met_where: MetWhere = None,
    met_on: MetOn = None,
    notes: Notes = None,
    remove_emails: Annotated[
        list[str] | None, typer.Option("--remove-email", help="Remove an email.")
    ] = None,
    remove_phones: Annotated[list[str] | None, typer.Option("--remove-phone", help="Remove a phone.")] = None,
    remove_links: Annotated[list[str] | None, typer.Option("--remove-link", help="Remove a link.")] = None,
    remove_tags: Annotated[list[str] | None, typer.Option("--remove-tag", help="Remove a tag.")] = None,
    remove_interests: Annotated[list[str] | None, typer.Option("--remove-interest")] = None,
    remove_expertise: Annotated[list[str] | None, typer.Option("--remove-expertise")] = None,
    remove_needs: Annotated[list[str] | None, typer.Option("--remove-need")] = None,
    as_json: opt.Json = False,
) -> None:
    """Change a person's fields; list options (--email, --tag...) add, --remove-* options remove."""
    app = app_context(ctx)
    today = app.today()
    changes = _changes(ctx.params, today=today)
    # --remove-email and the like: parameters named remove_ and the list field.
    for key, values in ctx.params.items():
        if key.startswith("remove_") and values:
            changes.remove[key.removeprefix("remove_")] = list(values)
    if not (changes.set or changes.add or changes.remove):
        raise InvalidInput("nothing to change: give at least one option (see tieline edit --help)")
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        people_service.edit_person(session, found, changes, today=today, now=app.now())
        if as_json:
            print_json(person_full(found))
        else:
            app.console.print(f"updated {people_service.describe(found)}", markup=False, highlight=False)


def archive(
    ctx: typer.Context,
    person: PersonArg,
    undo: Annotated[bool, typer.Option("--undo", help="Bring an archived person back.")] = False,
) -> None:
    """Archive a person: hidden from lists and the agenda, nothing deleted."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        people_service.archive_person(found, archived=not undo)
        verb = "restored" if undo else "archived"
        app.console.print(f"{verb} {people_service.describe(found)}", markup=False, highlight=False)


def delete(
    ctx: typer.Context,
    person: PersonArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a person and the interactions only they took part in (asks first)."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        label = people_service.describe(found)
        if not yes and not typer.confirm(f"Delete {label} and their interactions?", default=False):
            raise typer.Exit(1)
        people_service.delete_person(session, found)
        app.console.print(f"deleted {label}", markup=False, highlight=False)


def list_people(
    ctx: typer.Context,
    tier: Tier = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only people with this tag.")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Only members (past or present) of this organisation.")
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="name, last-contact (losing touch first) or created.")
    ] = "name",
    archived: Annotated[bool, typer.Option("--archived", help="Include archived people.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-l", min=1, help="At most this many rows.")] = None,
    as_json: opt.Json = False,
) -> None:
    """List people, filtered and sorted."""
    app = app_context(ctx)
    with app.transaction() as session:
        org_id = None
        if org is not None:
            org_id = organisations_service.resolve_organisation(session, owner_id=app.owner_id, text=org).id
        query = PeopleQuery(
            tier=parse_tier(tier) if tier is not None else None,
            tag=tag,
            organisation_id=org_id,
            archived=archived,
            sort=sort,
        )
        people = people_listing.list_people(session, owner_id=app.owner_id, query=query, limit=limit).rows
        if as_json:
            print_json([person_summary(p) for p in people])
        else:
            app.console.print(render.people_table(people))
            app.console.print(people_service.number_of_people(len(people)), style="dim")


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find in names, emails, companies, tags, notes...")],
    limit: opt.Limit = 20,
    as_json: opt.Json = False,
) -> None:
    """Search people and what was said: names, companies, tags, notes, and what interactions say.

    People match in their names, emails, companies, titles, tags, interests and notes; what was said
    in the subjects and notes of interactions (and of events, introductions and opportunities).
    """
    app = app_context(ctx)
    with app.transaction() as session:
        results = search_service.search(
            session, owner_id=app.owner_id, query=query, limit=limit, said_limit=limit
        )
        if as_json:
            print_json(search_results(results))
            return
        app.console.print(render.people_table([p for p, _ in results.people]))
        app.console.print(f"{len(results.people)} found", style="dim")
        if results.said:
            app.console.print()
            app.console.print(Text("Said", style="bold"))
            for match in results.said:
                app.console.print(_said_line(match))


# Names shown with a match of what was said; an event may have had a hundred people.
SAID_NAMES = 6


def _said_line(match: SaidMatch) -> Text:
    """One match: when, what, who was there, then the snippet with the words searched for in bold."""
    when = render.when(match.at) if isinstance(match.at, datetime) else match.at.isoformat()
    what = match.kind.replace("_", " ") if match.kind else match.item
    names = [p.name for p in match.people[:SAID_NAMES]]
    if len(match.people) > SAID_NAMES:
        names.append(f"{len(match.people) - SAID_NAMES} more")
    line = Text(f"{when}  ", style="dim")
    line.append(f"{what} #{match.id}")
    if names:
        line.append(" with " if match.item == "interaction" else ": ")
        line.append(", ".join(names))
    line.append("\n  ")
    for text, hit in match.snippet.parts:
        line.append(text, style="bold reverse" if hit else None)
    return line


def register(app: typer.Typer) -> None:
    """Attach the people commands to the root app."""
    app.command()(add)
    app.command()(show)
    app.command()(edit)
    app.command()(archive)
    app.command()(delete)
    app.command("list")(list_people)
    app.command()(search)
