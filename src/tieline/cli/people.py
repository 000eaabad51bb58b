"""People commands: add, show, edit, archive, delete, list, search."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from tieline.analytics import common as common_mod
from tieline.cli import options as opt
from tieline.cli import render
from tieline.cli.context import app_context, print_json
from tieline.dates import parse_date
from tieline.errors import InvalidInput
from tieline.repo import people as people_repo
from tieline.repo.people import SORTS, PersonFilter
from tieline.serialise import common_ground, membership, person_full, person_summary, strength, timeline
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.validate import tier as parse_tier

PersonArg = Annotated[str, typer.Argument(help="Name (exact, prefix or fuzzy) or #id.")]


def _changes(
    *,
    today: date,
    emails: list[str] | None,
    phones: list[str] | None,
    links: list[str] | None,
    tags: list[str] | None,
    interests: list[str] | None,
    expertise: list[str] | None,
    needs: list[str] | None,
    **scalars: str | int | None,
) -> PersonChanges:
    """PersonChanges from command-line options: given options are set, lists are added to."""
    values = {k: v for k, v in scalars.items() if v is not None}
    if "met_on" in values:
        values["met_on"] = parse_date(str(values["met_on"]), today=today, field="--met-on")
    lists = {
        "emails": emails,
        "phones": phones,
        "links": links,
        "tags": tags,
        "interests": interests,
        "expertise": expertise,
        "needs": needs,
    }
    return PersonChanges(set=values, add={k: v for k, v in lists.items() if v})


def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The person's name as you say it.")],
    email: opt.Emails = None,
    phone: opt.Phones = None,
    link: opt.Links = None,
    company: opt.Company = None,
    title: opt.Title = None,
    department: opt.Department = None,
    industry: opt.Industry = None,
    location: opt.Location = None,
    tier: opt.Tier = None,
    cadence: opt.Cadence = None,
    closeness: opt.Closeness = None,
    tag: opt.Tags = None,
    interest: opt.Interests = None,
    expertise: opt.Expertise = None,
    need: opt.Needs = None,
    birthday: opt.Birthday = None,
    met_how: opt.MetHow = None,
    met_where: opt.MetWhere = None,
    met_on: opt.MetOn = None,
    note: opt.Note = None,
    as_json: opt.Json = False,
) -> None:
    """Add a person."""
    app = app_context(ctx)
    today = app.today()
    changes = _changes(
        today=today, emails=email, phones=phone, links=link, tags=tag, interests=interest,
        expertise=expertise, needs=need, company=company, title=title, department=department,
        industry=industry, location=location, tier=tier, cadence_days=cadence, closeness=closeness,
        birthday=birthday, met_how=met_how, met_where=met_where, met_on=met_on, notes=note,
    )  # fmt: skip
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
            doc = person_full(data.person)
            doc["memberships"] = [membership(m, data.person) for m in data.memberships]
            doc["interaction_count"] = data.interaction_count
            doc["strength"] = strength(data.strength)
            doc["cadence_days"] = data.cadence_days
            doc["next_due"] = data.next_due.isoformat() if data.next_due else None
            doc["timeline"] = timeline(data.timeline)
            doc["common_ground"] = common_ground(ground)
            print_json(doc)
        else:
            render.profile(app.console, data, ground)


def edit(
    ctx: typer.Context,
    person: PersonArg,
    name: Annotated[str | None, typer.Option("--name", help="New display name.")] = None,
    email: opt.Emails = None,
    phone: opt.Phones = None,
    link: opt.Links = None,
    company: opt.Company = None,
    title: opt.Title = None,
    department: opt.Department = None,
    industry: opt.Industry = None,
    location: opt.Location = None,
    tier: opt.Tier = None,
    cadence: opt.Cadence = None,
    closeness: opt.Closeness = None,
    tag: opt.Tags = None,
    interest: opt.Interests = None,
    expertise: opt.Expertise = None,
    need: opt.Needs = None,
    birthday: opt.Birthday = None,
    met_how: opt.MetHow = None,
    met_where: opt.MetWhere = None,
    met_on: opt.MetOn = None,
    note: opt.Note = None,
    remove_email: Annotated[list[str] | None, typer.Option("--remove-email", help="Remove an email.")] = None,
    remove_phone: Annotated[list[str] | None, typer.Option("--remove-phone", help="Remove a phone.")] = None,
    remove_link: Annotated[list[str] | None, typer.Option("--remove-link", help="Remove a link.")] = None,
    remove_tag: Annotated[list[str] | None, typer.Option("--remove-tag", help="Remove a tag.")] = None,
    remove_interest: Annotated[list[str] | None, typer.Option("--remove-interest")] = None,
    remove_expertise: Annotated[list[str] | None, typer.Option("--remove-expertise")] = None,
    remove_need: Annotated[list[str] | None, typer.Option("--remove-need")] = None,
    as_json: opt.Json = False,
) -> None:
    """Change a person's fields; list options (--email, --tag...) add, --remove-* options remove."""
    app = app_context(ctx)
    today = app.today()
    changes = _changes(
        today=today, emails=email, phones=phone, links=link, tags=tag, interests=interest,
        expertise=expertise, needs=need, display_name=name, company=company, title=title,
        department=department, industry=industry, location=location, tier=tier, cadence_days=cadence,
        closeness=closeness, birthday=birthday, met_how=met_how, met_where=met_where, met_on=met_on,
        notes=note,
    )  # fmt: skip
    removals = {
        "emails": remove_email, "phones": remove_phone, "links": remove_link, "tags": remove_tag,
        "interests": remove_interest, "expertise": remove_expertise, "needs": remove_need,
    }  # fmt: skip
    changes.remove = {k: v for k, v in removals.items() if v}
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
    tier: opt.Tier = None,
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
    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    app = app_context(ctx)
    with app.transaction() as session:
        org_id = None
        if org is not None:
            org_id = organisations_service.resolve_organisation(session, owner_id=app.owner_id, text=org).id
        where = PersonFilter(
            tier=parse_tier(tier) if tier is not None else None,
            tag=tag,
            organisation_id=org_id,
            include_archived=archived,
        )
        people = people_repo.list_summaries(
            session, owner_id=app.owner_id, where=where, sort=sort, limit=limit
        )
        if as_json:
            print_json([person_summary(p) for p in people])
        else:
            app.console.print(render.people_table(people))
            app.console.print(f"{len(people)} people", style="dim")


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find in names, emails, companies, tags, notes...")],
    limit: opt.Limit = 20,
    as_json: opt.Json = False,
) -> None:
    """Search people: names, emails, companies, titles, tags, interests and notes."""
    app = app_context(ctx)
    with app.transaction() as session:
        results = people_service.search(session, owner_id=app.owner_id, query=query, limit=limit)
        if as_json:
            print_json([{**person_summary(p), "score": score} for p, score in results])
        else:
            app.console.print(render.people_table([p for p, _ in results]))
            app.console.print(f"{len(results)} found", style="dim")


def register(app: typer.Typer) -> None:
    """Attach the people commands to the root app."""
    app.command()(add)
    app.command()(show)
    app.command()(edit)
    app.command()(archive)
    app.command()(delete)
    app.command("list")(list_people)
    app.command()(search)
