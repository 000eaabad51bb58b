"""Teams (issue 19): `tieline team create|invite|join|list|leave|remove|share|unshare|who`, and
introduction requests and the audit: `tieline team ask|requests|withdraw|accept|decline|audit`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from tieline.cli.context import app_context, print_json
from tieline.cli.options import Json
from tieline.errors import InvalidInput
from tieline.serialise import teams as serialise_teams
from tieline.services import accounts as accounts_service
from tieline.services import team_requests, team_shares
from tieline.services import teams as teams_service
from tieline.services.people import resolve_person_id

team_app = typer.Typer(
    help="Teams: share, by consent, only whom you know and how well; ask who knows someone at Acme.",
    no_args_is_help=True,
)

TeamArg = Annotated[str, typer.Argument(help="The team's name or id (tieline team list).")]
User = Annotated[
    str | None,
    typer.Option("--user", "-u", help="Act as this account (server mode); the local owner by default."),
]
All = Annotated[bool, typer.Option("--all", help="Every person you know (not archived).")]
Tier = Annotated[str | None, typer.Option("--tier", help="The people of one tier (1-5 or its name).")]
Tag = Annotated[str | None, typer.Option("--tag", help="The people with this tag.")]
PersonOpt = Annotated[str | None, typer.Option("--person", help="One person (name or #id).")]


def _owner(ctx: typer.Context, session, user: str | None) -> int:  # type: ignore[no-untyped-def]
    if user is None:
        return app_context(ctx).owner_id
    return accounts_service.owner_of_username(session, user)


def _in_team(ctx: typer.Context, session, user: str | None, team: str) -> tuple[int, teams_service.TeamInfo]:  # type: ignore[no-untyped-def]
    """The acting account and one of its teams, by name or id."""
    owner_id = _owner(ctx, session, user)
    return owner_id, teams_service.resolve(session, owner_id=owner_id, text=team)


def _rule(session, owner_id: int, *, all_: bool, tier: str | None, tag: str | None, person: str | None):  # type: ignore[no-untyped-def]
    given = [
        (k, v) for k, v in (("all", all_ or None), ("tier", tier), ("tag", tag), ("person", person)) if v
    ]
    if len(given) > 1:
        raise InvalidInput("share: one of --all, --tier, --tag, --person at a time")
    if not given:
        return None
    kind, value = given[0]
    return team_shares.rule_from(
        session, owner_id=owner_id, kind=kind, value=None if kind == "all" else value
    )


def _say_sharing(ctx: typer.Context, result: team_shares.Sharing) -> None:
    rules = ", ".join(r.words() for r in result.rules) or "nothing"
    app_context(ctx).console.print(
        f"You share {rules} with team {result.team!r}: {result.shared} "
        f"{'person' if result.shared == 1 else 'people'}.",
        highlight=False,
    )


@team_app.command("create")
def team_create(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The team's name.")], user: User = None
) -> None:
    """Make a team; you are its owner. Nothing is shared until each member says what."""
    app = app_context(ctx)
    with app.transaction() as session:
        info = teams_service.create(session, owner_id=_owner(ctx, session, user), name=name, now=app.now())
    app.console.print(
        f"Team {info.name!r} (#{info.id}) made; invite with tieline team invite.", highlight=False
    )


@team_app.command("invite")
def team_invite(ctx: typer.Context, team: TeamArg, user: User = None) -> None:
    """Make a single-use invitation (7 days) and print its token once: give it to one person."""
    app = app_context(ctx)
    with app.transaction() as session:
        made = teams_service.invite(session, owner_id=_owner(ctx, session, user), team=team, now=app.now())
    # The token alone on stdout, so `INVITE=$(tieline team invite T)` works; the rest on stderr.
    sys.stdout.write(made.token + "\n")
    sys.stderr.write(
        f"Invitation to {made.team!r}, shown this once, good for one join until "
        f"{made.expires_at:%Y-%m-%d %H:%M} UTC: tieline team join TOKEN\n"
    )


@team_app.command("join")
def team_join(
    ctx: typer.Context,
    token: Annotated[str, typer.Argument(help="The invitation's token.")],
    user: User = None,
) -> None:
    """Join the team an invitation is for (it is then used up)."""
    app = app_context(ctx)
    with app.transaction() as session:
        info = teams_service.join(session, owner_id=_owner(ctx, session, user), token=token, now=app.now())
    app.console.print(
        f"You joined team {info.name!r}. You share nothing yet: tieline team share {info.name!r} --tag ...",
        highlight=False,
    )


@team_app.command("list")
def team_list(ctx: typer.Context, user: User = None, json_out: Json = False) -> None:
    """Your teams, your role in each, and their members by username."""
    app = app_context(ctx)
    with app.transaction() as session:
        teams = teams_service.my_teams(session, owner_id=_owner(ctx, session, user))
    if json_out:
        print_json([serialise_teams.team(t, members) for t, members in teams])
        return
    if not teams:
        app.console.print("You are in no team. Make one with tieline team create NAME, or join one.")
        return
    table = Table("id", "team", "your role", "members")
    for t, members in teams:
        table.add_row(
            str(t.id),
            t.name,
            t.role,
            ", ".join(m.username + (" (owner)" if m.role == "owner" else "") for m in members),
        )
    app.console.print(table)


@team_app.command("leave")
def team_leave(ctx: typer.Context, team: TeamArg, user: User = None) -> None:
    """Leave a team; what you shared with it is deleted at once."""
    app = app_context(ctx)
    with app.transaction() as session:
        info = teams_service.leave(session, owner_id=_owner(ctx, session, user), team=team)
    app.console.print(
        f"You left team {info.name!r}; nothing of yours is shared with it now.", highlight=False
    )


@team_app.command("remove")
def team_remove(
    ctx: typer.Context,
    team: TeamArg,
    username: Annotated[str, typer.Argument(help="The member's account name.")],
    user: User = None,
) -> None:
    """Take a member out of a team (owners only); what they shared with it is deleted at once."""
    app = app_context(ctx)
    with app.transaction() as session:
        info = teams_service.remove(
            session, owner_id=_owner(ctx, session, user), team=team, username=username
        )
    app.console.print(f"{username.strip()!r} is no longer in team {info.name!r}.", highlight=False)


@team_app.command("share")
def team_share(
    ctx: typer.Context,
    team: TeamArg,
    all_: All = False,
    tier: Tier = None,
    tag: Tag = None,
    person: PersonOpt = None,
    user: User = None,
) -> None:
    """Share with a team that you know these people, and how well (a band): their name,
    organisation and title, never their emails, phones, notes or history. No option: say what you share."""
    app = app_context(ctx)
    with app.transaction() as session:
        owner_id, found = _in_team(ctx, session, user, team)
        rule = _rule(session, owner_id, all_=all_, tier=tier, tag=tag, person=person)
        if rule is None:
            result = team_shares.sharing(session, team_id=found.id, owner_id=owner_id)
        else:
            result = team_shares.share(session, team_id=found.id, owner_id=owner_id, rule=rule, now=app.now())
    _say_sharing(ctx, result)


@team_app.command("unshare")
def team_unshare(
    ctx: typer.Context,
    team: TeamArg,
    all_: All = False,
    tier: Tier = None,
    tag: Tag = None,
    person: PersonOpt = None,
    user: User = None,
) -> None:
    """Stop sharing with a team: everything (no option) or one rule; deleted at once."""
    app = app_context(ctx)
    with app.transaction() as session:
        owner_id, found = _in_team(ctx, session, user, team)
        rule = _rule(session, owner_id, all_=all_, tier=tier, tag=tag, person=person)
        result = team_shares.unshare(session, team_id=found.id, owner_id=owner_id, rule=rule, now=app.now())
    _say_sharing(ctx, result)


@team_app.command("who")
def team_who(
    ctx: typer.Context,
    team: TeamArg,
    organisation: Annotated[str | None, typer.Argument(help='An organisation, e.g. "Acme".')] = None,
    person: Annotated[
        str | None, typer.Option("--person", help="One of your people: which teammates know them too.")
    ] = None,
    user: User = None,
    json_out: Json = False,
) -> None:
    """Which teammates know someone at an organisation, or one of your people, and how well."""
    app = app_context(ctx)
    with app.transaction() as session:
        owner_id, found = _in_team(ctx, session, user, team)
        person_id = resolve_person_id(session, owner_id=owner_id, text=person) if person is not None else None
        knowers = team_shares.who(
            session,
            team_id=found.id,
            asker_owner_id=owner_id,
            now=app.now(),
            organisation=organisation,
            person_id=person_id,
        )
    if json_out:
        print_json([serialise_teams.knower(k) for k in knowers])
        return
    if not knowers:
        app.console.print(f"Nobody in team {found.name!r} shares knowing them.", highlight=False)
        return
    table = Table("entry", "teammate", "knows", "title", "organisation", "tie", "since")
    for k in knowers:
        table.add_row(
            str(k.share_id),
            k.username,
            k.name,
            k.title or "",
            k.organisation or "",
            k.band,
            str(k.since_year),
        )
    app.console.print(table)
    app.console.print(
        "Ask for an introduction: tieline team ask TEAM --share ENTRY --why TEXT", highlight=False
    )


RequestArg = Annotated[int, typer.Argument(help="The request's number (on your agenda).")]


@team_app.command("ask")
def team_ask(
    ctx: typer.Context,
    team: TeamArg,
    share: Annotated[int, typer.Option("--share", help="The entry's number, as tieline team who shows it.")],
    why: Annotated[str, typer.Option("--why", help="Why you would like to meet them.")],
    user: User = None,
) -> None:
    """Ask the teammate who shares an entry for an introduction; it goes on their agenda."""
    app = app_context(ctx)
    with app.transaction() as session:
        owner_id, found = _in_team(ctx, session, user, team)
        made = team_requests.ask(
            session, team_id=found.id, asker=owner_id, share_id=share, why=why, now=app.now()
        )
    app.console.print(
        f"Request #{made.id}: {made.holder} is asked to introduce you to {made.person}; "
        f"tieline team requests {found.name!r} follows it.",
        highlight=False,
    )


@team_app.command("requests")
def team_requests_cmd(ctx: typer.Context, team: TeamArg, user: User = None, json_out: Json = False) -> None:
    """Your introduction requests in a team, newest first, and where each stands."""
    app = app_context(ctx)
    with app.transaction() as session:
        owner_id, found = _in_team(ctx, session, user, team)
        rows = team_requests.asked(session, team_id=found.id, asker=owner_id)
    if json_out:
        print_json([serialise_teams.request(r) for r in rows])
        return
    if not rows:
        app.console.print(f"You asked for no introduction in team {found.name!r}.", highlight=False)
        return
    table = Table("request", "asked of", "to meet", "why", "state", "asked on")
    for r in rows:
        state = r.state
        if r.introduction is not None:
            state += f", introduction {r.introduction}"
        if r.made_at is not None:
            state += f" {r.made_at:%Y-%m-%d}"
        table.add_row(str(r.id), r.holder, r.person, r.why, state, f"{r.created_at:%Y-%m-%d}")
    app.console.print(table)


@team_app.command("accept")
def team_accept(ctx: typer.Context, request: RequestArg, user: User = None) -> None:
    """Accept a teammate's request: it starts your double opt-in introduction (tieline intro)."""
    app = app_context(ctx)
    with app.transaction() as session:
        intro = team_requests.accept(
            session, holder=_owner(ctx, session, user), request_id=request, now=app.now()
        )
    app.console.print(
        f"Introduction #{intro.id} proposed: ask the person first, then tieline intro ask-a {intro.id}.",
        highlight=False,
    )


@team_app.command("decline")
def team_decline(ctx: typer.Context, request: RequestArg, user: User = None) -> None:
    """Decline a teammate's request; no reason is asked or shown."""
    app = app_context(ctx)
    with app.transaction() as session:
        team_requests.decline(session, holder=_owner(ctx, session, user), request_id=request, now=app.now())
    app.console.print(f"Request #{request} declined.", highlight=False)


@team_app.command("withdraw")
def team_withdraw(ctx: typer.Context, request: RequestArg, user: User = None) -> None:
    """Take back one of your requests not answered yet; it leaves the teammate's agenda."""
    app = app_context(ctx)
    with app.transaction() as session:
        team_requests.withdraw(session, asker=_owner(ctx, session, user), request_id=request, now=app.now())
    app.console.print(f"Request #{request} withdrawn.", highlight=False)


@team_app.command("audit")
def team_audit(ctx: typer.Context, team: TeamArg, user: User = None, json_out: Json = False) -> None:
    """What teammates asked of your shares, newest first: who, about what, when. Yours only."""
    app = app_context(ctx)
    with app.transaction() as session:
        owner_id, found = _in_team(ctx, session, user, team)
        rows = team_requests.audit(session, team_id=found.id, owner_id=owner_id)
    if json_out:
        print_json([serialise_teams.asked(r) for r in rows])
        return
    if not rows:
        app.console.print(f"Nobody asked anything of your shares in team {found.name!r}.", highlight=False)
        return
    words = {
        "who_organisation": "who knows at",
        "who_person": "who knows",
        "intro_request": "introduction to",
    }
    table = Table("when", "teammate", "asked", "about", "your entries")
    for r in rows:
        table.add_row(f"{r.at:%Y-%m-%d %H:%M}", r.asker, words[r.what], r.query, str(r.matched))
    app.console.print(table)


def register(app: typer.Typer) -> None:
    """Attach `team` to the root app."""
    app.add_typer(team_app, name="team")
