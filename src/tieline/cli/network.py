"""Network commands: `common` (common ground), `suggest` (intros, people, reconnect, ask), `path`
(the strongest chain to a person or organisation) and `stats` (the network in numbers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from tieline.analytics import common as common_mod
from tieline.analytics import intros as intros_mod
from tieline.analytics import paths as paths_mod
from tieline.analytics import stats as stats_mod
from tieline.cli import options as opt
from tieline.cli.context import AppContext, app_context, print_json
from tieline.cli.people import PersonArg
from tieline.serialise import network as serialise
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services import team_paths

suggest_app = typer.Typer(help="Suggestions from your network: introductions, people, reconnections, asks.")
OtherArg = Annotated[str | None, typer.Argument(help="A second person: what the two share.")]
TargetArg = Annotated[str, typer.Argument(help="A person (name or #id) or an organisation (name).")]
CompanyArg = Annotated[str, typer.Argument(help="The organisation (name, prefix or #id).")]


def _reasons(app: AppContext, reasons: list[str]) -> None:
    for line in reasons:
        app.console.print(Text(f"    {line}", style="dim"))


def _suggestions(
    app: AppContext,
    found: Sequence[Any],
    *,
    as_json: bool,
    shape: Callable[[Any], dict[str, Any]],
    empty: str,
    heading: Callable[[Any], str],
) -> None:
    """Print suggestions as --json, or numbered with their score and reasons (or why there are none)."""
    if as_json:
        print_json([shape(s) for s in found])
        return
    if not found:
        app.console.print(Text(empty))
    for n, item in enumerate(found, 1):
        app.console.print(Text(f"{n}. {heading(item)}  ({item.score:.2f})", style="bold"))
        _reasons(app, item.reasons)


def common(ctx: typer.Context, person: PersonArg, other: OtherArg = None, as_json: opt.Json = False) -> None:
    """What you share with a person, or what two people share, strongest first, with the evidence."""
    app = app_context(ctx)
    with app.transaction() as session:
        first = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        second = people_service.resolve_person(session, owner_id=app.owner_id, text=other) if other else None
        a, b = (None, first) if second is None else (first, second)
        ground = common_mod.common_ground(
            session, owner_id=app.owner_id, a=a.id if a else None, b=b.id, now=app.now()
        )
    if as_json:
        print_json(serialise.common_ground(ground))
        return
    who = "You" if ground.a_id is None else ground.a_name
    if not ground.items:
        app.console.print(Text(f"{who} and {ground.b_name}: nothing in common on record."))
        return
    app.console.print(Text(f"{who} and {ground.b_name} share:", style="bold"))
    for item in ground.items:
        app.console.print(Text(f"  {item.kind}: {item.label}"))
        _reasons(app, item.evidence)
    if ground.mutual_contacts > common_mod.MUTUAL_SHOWN:
        app.console.print(Text(f"  ... {ground.mutual_contacts} mutual contacts in all"))


@suggest_app.command("intros")
def suggest_intros(ctx: typer.Context, limit: opt.Limit = 10, as_json: opt.Json = False) -> None:
    """Pairs who could help each other: one's needs meeting the other's expertise, networks apart."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = intros_mod.suggest_intros(session, owner_id=app.owner_id, now=app.now(), limit=limit)
    _suggestions(
        app, found, as_json=as_json, shape=serialise.intro_suggestion,
        empty="No introductions to suggest: add needs and expertise to people (`tieline edit`).",
        heading=lambda item: f"{item.a_name} <-> {item.b_name}",
    )  # fmt: skip


@suggest_app.command("people")
def suggest_people(ctx: typer.Context, limit: opt.Limit = 10, as_json: opt.Json = False) -> None:
    """People you should know better: weak or new ties your closest contacts know (Adamic-Adar)."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = intros_mod.suggest_people(session, owner_id=app.owner_id, now=app.now(), limit=limit)
    _suggestions(
        app, found, as_json=as_json, shape=serialise.person_suggestion,
        empty="No suggestions yet: your closest ties know nobody you are not already close to.",
        heading=lambda item: item.name,
    )  # fmt: skip


@suggest_app.command("reconnect")
def suggest_reconnect(ctx: typer.Context, limit: opt.Limit = 10, as_json: opt.Json = False) -> None:
    """Dormant ties worth reviving: past strength x novelty x engagement."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = paths_mod.suggest_reconnect(session, owner_id=app.owner_id, now=app.now(), limit=limit)
    _suggestions(
        app, found, as_json=as_json, shape=serialise.reconnect_suggestion,
        empty="No dormant ties to suggest.", heading=lambda item: item.name,
    )  # fmt: skip


@suggest_app.command("ask")
def suggest_ask(
    ctx: typer.Context, company: CompanyArg, limit: opt.Limit = 10, as_json: opt.Json = False
) -> None:
    """Who to ask about roles at an organisation, favouring moderately weak ties."""
    app = app_context(ctx)
    with app.transaction() as session:
        org = organisations_service.resolve_organisation(session, owner_id=app.owner_id, text=company)
        found = paths_mod.suggest_ask(
            session,
            owner_id=app.owner_id,
            now=app.now(),
            organisation_id=org.id,
            organisation=org.name,
            limit=limit,
        )
    _suggestions(
        app, found, as_json=as_json, shape=serialise.ask_suggestion,
        empty=f"Nobody you know is at or linked to {org.name}.",
        heading=lambda item: f"{item.name}: {item.relation}",
    )  # fmt: skip


TeamOpt = Annotated[
    str | None,
    typer.Option("--team", help="Ask this team's shared ties only (default: every team you are in)."),
]


def path(ctx: typer.Context, target: TargetArg, team: TeamOpt = None, as_json: opt.Json = False) -> None:
    """The strongest chain of people from you to a person or to anyone at an organisation.

    In teams, a teammate's shared tie comes first when it is stronger than your own route."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = team_paths.warm_path(session, owner_id=app.owner_id, text=target, now=app.now(), team=team)
    if as_json:
        print_json(serialise.team_warm_path(found))
        return
    for route in found.team_routes:
        k = route.knower
        title = f", {k.title}" if k.title else ""
        at = f" at {k.organisation}" if k.organisation else ""
        app.console.print(
            Text(
                f"via teammate {k.username} ({k.band}, since {k.since_year}) -> {k.name}{title}{at}"
                f"  [team {route.team}]",
                style="bold",
            )
        )
    if found.team_routes:
        own = "no chain of your own" if found.own is None else f"your own route is {found.own_band}"
        app.console.print(Text(f"    stronger than yours ({own}): ask them for an introduction", style="dim"))
    if found.own is None:
        app.console.print(Text(f"No chain from you to {found.target}."))
        return
    app.console.print(
        Text(
            f"You -> {' -> '.join(s.name for s in found.own.steps)}  (strength {found.own.strength:.2f})",
            style="bold",
        )
    )
    for step in found.own.steps:
        app.console.print(Text(f"  {step.name} ({step.strength:.2f})"))
        _reasons(app, step.evidence)


def stats(ctx: typer.Context, as_json: opt.Json = False) -> None:
    """Your network in numbers: tiers against Dunbar's layers, strong/weak/dormant, diversity,
    brokerage, clusters, growth, reciprocity and returns."""
    app = app_context(ctx)
    with app.transaction() as session:
        result = stats_mod.network_stats(session, owner_id=app.owner_id, now=app.now())
    if as_json:
        print_json(serialise.network_stats(result))
        return
    _print_stats(app, result)


def _print_stats(app: AppContext, s: stats_mod.NetworkStats) -> None:
    c = s.counts
    app.console.print(
        Text(f"{c.people} people, {c.links} links between them, {c.interactions} interactions", style="bold")
    )
    app.console.print(
        f"strong {c.strong} (strength >= {s.strong_threshold:g}), weak {c.weak}, dormant {c.dormant} "
        f"({c.long_dormant} long-dormant), never contacted {c.never_contacted}"
    )
    tiers = Table("tier", "people", "cumulative", "Dunbar layer", "on cadence", title="Tiers")
    for t in s.tiers:
        tiers.add_row(
            f"{t.tier} {t.name}",
            str(t.people),
            str(t.cumulative),
            str(t.dunbar),
            f"{t.on_cadence}" if t.cadence_days else "-",
        )
    app.console.print(tiers)
    bins = Table("strength", "people", title="Tie strength")
    for b in s.bins:
        bins.add_row(f"{b.low:.0f}-{b.high:.0f}", str(b.people))
    app.console.print(bins)
    div = Table(
        "dimension",
        "groups",
        "entropy",
        "largest",
        "share",
        title="Diversity (entropy 0 = one group, 1 = even)",
    )
    for d in s.diversity:
        div.add_row(
            d.dimension,
            str(d.all.groups),
            f"{d.all.entropy:.2f}",
            d.all.largest or "-",
            f"{d.all.largest_share:.0%}",
        )
    app.console.print(div)
    b = s.brokerage
    app.console.print(
        f"Brokerage: constraint {b.constraint:.4f}, effective size {b.effective_size:.1f} "
        f"of {b.alters} ({b.efficiency:.0%} non-redundant)"
    )
    if s.bridges:
        app.console.print("Bridges: " + ", ".join(f"{x.name} ({x.clusters} clusters)" for x in s.bridges[:5]))
    if s.clusters:
        app.console.print("Clusters: " + ", ".join(f"{x.label} ({x.size})" for x in s.clusters[:8]))
    recent = s.growth[-6:]
    app.console.print(
        "Last months (new people / interactions): "
        + ", ".join(f"{m.month:%Y-%m} {m.new_people}/{m.interactions}" for m in recent)
    )
    if s.on_cadence_share is not None:
        app.console.print(f"On cadence: {s.on_cadence_share:.0%} of people with a cadence")
    if s.reciprocity:
        r = s.reciprocity
        app.console.print(
            f"Favours: given {r.favours_given}, received {r.favours_received}, thanks owed "
            f"{r.thanks_owed}; initiated by you {r.initiated_by_me}, by them {r.initiated_by_them}"
        )
    for item in s.returns[:5]:
        app.console.print(
            f"{item.kind} {item.name}: {item.people} met, {item.lasting} still warm, "
            f"{item.opportunities} opportunities ({item.won} won)"
        )


def register(app: typer.Typer) -> None:
    """Attach `common`, `suggest`, `path` and `stats` to the root app."""
    app.command()(common)
    app.add_typer(suggest_app, name="suggest")
    app.command()(path)
    app.command()(stats)
