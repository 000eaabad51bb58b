"""Server mode's accounts and tokens: `tieline user add|list|disable|enable|passwd|delete` and
`tieline token create|list|revoke`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from tieline.cli.context import app_context, print_json
from tieline.cli.options import Json
from tieline.errors import InvalidInput
from tieline.services import accounts as accounts_service
from tieline.services import tokens as tokens_service

user_app = typer.Typer(
    help="Accounts that sign in to the web app (server mode): add, list, disable, enable, passwd, delete.",
    no_args_is_help=True,
)
token_app = typer.Typer(
    help="Personal access tokens for the REST API and automation: create (shown once), list, revoke.",
    no_args_is_help=True,
)

Username = Annotated[str, typer.Argument(help="The account's name (letters, digits, . _ @ + -).")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input, not a prompt.")
]


def _new_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Again", hide_input=True) != first:
        raise InvalidInput("password: the two entries differ; nothing was changed")
    return first


@user_app.command("add")
def user_add(ctx: typer.Context, username: Username, password_stdin: PasswordStdin = False) -> None:
    """Create an account. The first one takes the network already here; later ones start empty."""
    app = app_context(ctx)
    password = _new_password(password_stdin)
    with app.transaction() as session:
        info = accounts_service.add_user(session, username=username, password=password, now=app.now())
    app.console.print(f"Account {info.username!r} created.", highlight=False)
    if info.took_local_data:
        app.console.print(
            "It owns the network already in this database. The web app now asks everyone to sign in.",
            highlight=False,
        )


@user_app.command("list")
def user_list(ctx: typer.Context, json_out: Json = False) -> None:
    """Every account: name, created, enabled or disabled."""
    app = app_context(ctx)
    with app.transaction() as session:
        users = accounts_service.list_users(session)
    if json_out:
        print_json(
            [
                {"username": u.username, "created_at": u.created_at.isoformat(), "disabled": u.disabled}
                for u in users
            ]
        )
        return
    if not users:
        app.console.print(
            "No accounts: local mode (no sign-in, this machine only). Add one with tieline user add NAME."
        )
        return
    table = Table("username", "created", "state")
    for u in users:
        table.add_row(
            u.username,
            u.created_at.astimezone().strftime("%Y-%m-%d"),
            "disabled" if u.disabled else "enabled",
        )
    app.console.print(table)


def _set_disabled(ctx: typer.Context, username: str, *, disabled: bool) -> None:
    app = app_context(ctx)
    with app.transaction() as session:
        info = accounts_service.set_disabled(session, username=username, disabled=disabled, now=app.now())
    app.console.print(f"Account {info.username!r} {'disabled' if disabled else 'enabled'}.", highlight=False)


@user_app.command("disable")
def user_disable(ctx: typer.Context, username: Username) -> None:
    """Stop an account signing in: its sessions end and its tokens stop at once; nothing is deleted."""
    _set_disabled(ctx, username, disabled=True)


@user_app.command("enable")
def user_enable(ctx: typer.Context, username: Username) -> None:
    """Let a disabled account sign in again."""
    _set_disabled(ctx, username, disabled=False)


@user_app.command("passwd")
def user_passwd(ctx: typer.Context, username: Username, password_stdin: PasswordStdin = False) -> None:
    """Set an account's password (e.g. a forgotten one); it is signed out everywhere."""
    app = app_context(ctx)
    password = _new_password(password_stdin)
    with app.transaction() as session:
        info = accounts_service.set_password(session, username=username, password=password, now=app.now())
    app.console.print(f"Password of {info.username!r} set; its sessions were ended.", highlight=False)


@user_app.command("delete")
def user_delete(
    ctx: typer.Context,
    username: Username,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first.")] = False,
) -> None:
    """Delete an account and EVERY row of its network (people, interactions, everything it owns)."""
    app = app_context(ctx)
    if not yes and not typer.confirm(
        f"Delete account {username!r} and all of its data? This cannot be undone"
    ):
        raise typer.Exit(1)
    with app.transaction() as session:
        info = accounts_service.delete_user(session, username=username, now=app.now())
    app.console.print(f"Account {info.username!r} and all of its data deleted.", highlight=False)


def _owner(ctx: typer.Context, session, username: str | None) -> int:  # type: ignore[no-untyped-def]
    if username is None:
        return app_context(ctx).owner_id
    return accounts_service.owner_of_username(session, username)


TokenUser = Annotated[
    str | None, typer.Option("--user", "-u", help="Whose token (server mode); the local owner by default.")
]


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What the token is for, to tell it apart later.")],
    scope: Annotated[str, typer.Option("--scope", help="read (the default) or write.")] = "read",
    user: TokenUser = None,
) -> None:
    """Make a token and print it once: only its hash is kept."""
    app = app_context(ctx)
    with app.transaction() as session:
        info, secret = tokens_service.create(
            session, owner_id=_owner(ctx, session, user), name=name, scope=scope, now=app.now()
        )
    # The secret alone on stdout, so `TOKEN=$(tieline token create ...)` works; the rest on stderr.
    sys.stdout.write(secret + "\n")
    sys.stderr.write(f"Token {info.name!r} ({info.scope}) made; it is shown this once.\n")


@token_app.command("list")
def token_list(ctx: typer.Context, user: TokenUser = None, json_out: Json = False) -> None:
    """Tokens: id, name, start, scope, made, last used, revoked."""
    app = app_context(ctx)
    with app.transaction() as session:
        rows = tokens_service.listing(session, owner_id=_owner(ctx, session, user))

    def when(value):  # type: ignore[no-untyped-def]
        return value.isoformat() if value else None

    if json_out:
        print_json(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "prefix": t.prefix,
                    "scope": t.scope,
                    "created_at": when(t.created_at),
                    "last_used_at": when(t.last_used_at),
                    "revoked_at": when(t.revoked_at),
                }
                for t in rows
            ]
        )
        return
    table = Table("id", "name", "starts with", "scope", "made", "last used", "revoked")
    for t in rows:
        table.add_row(
            str(t.id),
            t.name,
            t.prefix + "…",
            t.scope,
            when(t.created_at)[:16],
            (when(t.last_used_at) or "never")[:16],
            (when(t.revoked_at) or "")[:16],
        )
    app.console.print(table)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    which: Annotated[str, typer.Argument(help="The token's id or name (tieline token list).")],
    user: TokenUser = None,
) -> None:
    """Revoke a token: it stops working at once."""
    app = app_context(ctx)
    with app.transaction() as session:
        info = tokens_service.revoke(session, owner_id=_owner(ctx, session, user), which=which, now=app.now())
    app.console.print(f"Token {info.name!r} revoked.", highlight=False)


def register(app: typer.Typer) -> None:
    """Attach `user` and `token` to the root app."""
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
