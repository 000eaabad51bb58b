"""Sync commands: `tieline connect imap|caldav|carddav|ics`, `connections`, `disconnect`, `sync [NAME]`
(with `sync conflicts` and `sync resolve` for address books) and `discovered [add|link|ignore]`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import click
import typer
from rich.table import Table
from typer.core import TyperGroup

from tieline.cli.context import AppContext, app_context, print_json
from tieline.cli.options import Json
from tieline.errors import InvalidInput, TielineError
from tieline.serialise import sync as serialise
from tieline.services.sync import connections as connections_service
from tieline.services.sync import discovered as discovered_service
from tieline.services.sync import run as run_service

connect_app = typer.Typer(
    help="Connect a mail, calendar or address book account: `tieline connect imap|caldav|carddav|ics NAME ...`.",
    no_args_is_help=True,
)
discovered_app = typer.Typer(
    help="People met in mail and calendars who match nobody yet: list them, add, link or ignore one."
)

Name = Annotated[str, typer.Argument(help="A name for the connection (letters, digits, . _ -).")]
User = Annotated[str, typer.Option("--user", "-u", help="The account's user name.")]
Months = Annotated[int, typer.Option("--months", help="How far back the first sync reaches.")]
CaFile = Annotated[
    str | None, typer.Option("--ca-file", help="A CA certificate file to trust (a private server).")
]
PasswordCommand = Annotated[
    str | None,
    typer.Option(
        "--password-command",
        help="A command whose first line of output is the password (run at each sync, no shell).",
    ),
]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input, not a prompt.")
]
EmailArg = Annotated[str, typer.Argument(help="The address as listed by tieline discovered.")]


def _password(command: str | None, from_stdin: bool) -> str | None:
    """The password to store: none with a command, else from stdin or a hidden prompt."""
    if command:
        if from_stdin:
            raise InvalidInput("give either --password-command or --password-stdin, not both")
        return None
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True)
    if not password:
        raise InvalidInput("no password given")
    return password


def _add(app: AppContext, kind: str, name: str, settings: dict[str, object], secret: str | None) -> None:
    with app.transaction() as session:
        connections_service.add_connection(
            session, owner_id=app.owner_id, kind=kind, name=name, settings=settings, secret=secret,
            data_dir=app.settings.data_dir, now=app.now(),
        )  # fmt: skip
    where = connections_service.where(kind, settings)
    app.console.print(f"connected {name} ({kind}, {where}); run: tieline sync {name}", markup=False)


@connect_app.command("imap")
def connect_imap(
    ctx: typer.Context,
    name: Name,
    host: Annotated[str, typer.Option("--host", help="The IMAP server, e.g. imap.example.org.")],
    user: User,
    port: Annotated[int, typer.Option("--port", help="The server's port.")] = 993,
    tls: Annotated[
        str, typer.Option("--tls", help="ssl (port 993), starttls (143), or none (127.0.0.1 only).")
    ] = "ssl",
    folder: Annotated[
        list[str] | None,
        typer.Option("--folder", help="A folder to read (repeatable; default INBOX and the Sent folder)."),
    ] = None,
    months: Months = 12,
    ca_file: CaFile = None,
    password_command: PasswordCommand = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Connect a mailbox over IMAP: only headers are read, nothing is marked read."""
    app = app_context(ctx)
    settings = connections_service.imap_settings(
        host=host, port=port, tls=tls, user=user, folders=folder, months=months, ca_file=ca_file,
        password_command=password_command,
    )  # fmt: skip
    connections_service.check_name(name)
    _add(app, "imap", name, settings, _password(password_command, password_stdin))


@connect_app.command("caldav")
def connect_caldav(
    ctx: typer.Context,
    name: Name,
    url: Annotated[str, typer.Option("--url", help="The CalDAV server's address.")],
    user: Annotated[str | None, typer.Option("--user", "-u", help="The account's user name.")] = None,
    calendar: Annotated[
        list[str] | None, typer.Option("--calendar", help="A calendar to read (repeatable; default all).")
    ] = None,
    months: Months = 12,
    ca_file: CaFile = None,
    password_command: PasswordCommand = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Connect a calendar account over CalDAV: past meetings with attendees become interactions."""
    app = app_context(ctx)
    settings = connections_service.caldav_settings(
        url=url, user=user, calendars=calendar, months=months, ca_file=ca_file,
        password_command=password_command,
    )  # fmt: skip
    connections_service.check_name(name)
    # Without a user the server asks for no password: none is asked for either.
    secret = _password(password_command, password_stdin) if user is not None else None
    _add(app, "caldav", name, settings, secret)


@connect_app.command("carddav")
def connect_carddav(
    ctx: typer.Context,
    name: Name,
    url: Annotated[
        str, typer.Option("--url", help="The CardDAV server's address (its root, a principal or a book).")
    ],
    user: User,
    addressbook: Annotated[
        str | None,
        typer.Option("--addressbook", help="The address book's name (needed when the account has several)."),
    ] = None,
    send: Annotated[
        str, typer.Option("--send", help="Who is sent: all (live people), tier:N (N and closer) or tag:NAME.")
    ] = "all",
    notes: Annotated[
        bool, typer.Option("--notes", help="Sync notes too (by default your notes stay in tieline).")
    ] = False,
    ca_file: CaFile = None,
    password_command: PasswordCommand = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Connect an address book over CardDAV, synced both ways with the server your phone uses."""
    from tieline.services.sync import carddav_setup as carddav_service
    from tieline.services.sync.secrets import SecretUnavailable, run_password_command

    app = app_context(ctx)
    connections_service.check_name(name)
    connections_service.check_url(url)
    carddav_service.parse_send(send)
    secret = _password(password_command, password_stdin)
    try:
        found_with = secret if secret is not None else run_password_command(str(password_command))
    except SecretUnavailable as exc:
        raise InvalidInput(str(exc)) from None
    book = carddav_service.find_address_book(
        url=url, user=user, secret=found_with, name=addressbook, ca_file=ca_file
    )
    settings = carddav_service.carddav_settings(
        url=url, user=user, book=book, send=send, notes=notes, ca_file=ca_file,
        password_command=password_command,
    )  # fmt: skip
    with app.transaction() as session:
        connections_service.add_connection(
            session, owner_id=app.owner_id, kind="carddav", name=name, settings=settings, secret=secret,
            data_dir=app.settings.data_dir, now=app.now(),
        )  # fmt: skip
    app.console.print(
        f"connected {name} (carddav, address book {book.name!r} at {book.url}); run: tieline sync {name}",
        markup=False,
    )


@connect_app.command("ics")
def connect_ics(
    ctx: typer.Context,
    name: Name,
    url: Annotated[
        str, typer.Option("--url", help="The calendar's ICS address (kept like a password: it often is one).")
    ],
    months: Months = 12,
    ca_file: CaFile = None,
) -> None:
    """Connect a calendar published as an ICS address."""
    app = app_context(ctx)
    settings = connections_service.ics_settings(url=url, months=months, ca_file=ca_file)
    _add(app, "ics", name, settings, url.strip())


def connections(ctx: typer.Context, as_json: Json = False) -> None:
    """List the accounts synced: where, last run, counts, next run and the last error in words."""
    app = app_context(ctx)
    with app.transaction() as session:
        docs = [
            serialise.connection(v)
            for v in connections_service.list_connections(session, owner_id=app.owner_id)
        ]
    if as_json:
        print_json(docs)
        return
    if not docs:
        app.console.print("no connections yet: see tieline connect --help", markup=False)
        return
    table = Table("name", "kind", "where", "last run", "counts", "next run", "last error")
    for doc in docs:
        counts = ", ".join(f"{n} {k}" for k, n in doc["last_counts"].items())
        table.add_row(
            doc["name"], doc["kind"], doc["where"], (doc["last_run_at"] or "never")[:16], counts,
            (doc["next_run_at"] or "")[:16], doc["last_error"] or "",
        )  # fmt: skip
    app.console.print(table)


def disconnect(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The connection's name.")]
) -> None:
    """Remove a connection and its stored password; what it synced stays."""
    app = app_context(ctx)
    with app.transaction() as session:
        connections_service.remove_connection(
            session, owner_id=app.owner_id, name=name, data_dir=app.settings.data_dir
        )
    app.console.print(f"disconnected {name}", markup=False)


@contextmanager
def _progress_bar(app: AppContext, name: str, quiet: bool) -> Iterator[run_service.Progress | None]:
    """A progress bar for a mail fetch, on a terminal only."""
    if quiet or not app.console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=app.console, transient=True) as progress:
        task = progress.add_task(f"syncing {name}", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


class _SyncGroup(TyperGroup):
    """`tieline sync [NAME]` runs connections, while `sync conflicts` and `sync resolve` act on the
    address books' conflicts: a first word that is no sub-command is a connection's name."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        words = [i for i, a in enumerate(args) if not a.startswith("-")]
        if words and args[words[0]] not in self.commands:
            args = [*args[: words[0]], "run", *args[words[0] :]]
        return super().parse_args(ctx, args)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return ["[OPTIONS]", "[NAME | conflicts | resolve ID]"]


sync_app = typer.Typer(
    cls=_SyncGroup,
    help="Sync one connection or all: new mail and meetings become interactions, strangers are queued; "
    "address books sync both ways.",
)
AllowMassDelete = Annotated[
    bool,
    typer.Option(
        "--allow-mass-delete",
        help="Let an address book sync remove more cards than its setting allows (10% of the book).",
    ),
]


@sync_app.callback(invoke_without_command=True)
def sync(ctx: typer.Context, as_json: Json = False, allow_mass_delete: AllowMassDelete = False) -> None:
    """Sync one connection or all (`tieline sync [NAME]`)."""
    if ctx.invoked_subcommand is None:
        _sync(ctx, None, as_json=as_json, allow_mass_delete=allow_mass_delete)


@sync_app.command("run", hidden=True)
def sync_one(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The connection to sync.")],
    as_json: Json = False,
    allow_mass_delete: AllowMassDelete = False,
) -> None:
    """Sync one connection (`tieline sync NAME`)."""
    given = ctx.parent.params if ctx.parent is not None else {}
    _sync(
        ctx, name, as_json=as_json or bool(given.get("as_json")),
        allow_mass_delete=allow_mass_delete or bool(given.get("allow_mass_delete")),
    )  # fmt: skip


def _sync(ctx: typer.Context, name: str | None, *, as_json: bool, allow_mass_delete: bool) -> None:
    app = app_context(ctx)
    if name is None:
        with app.transaction() as session:
            names = [c.name for c in connections_service.list_connections(session, owner_id=app.owner_id)]
    else:
        names = [name]
    outcomes = []
    for each in names:  # one at a time, each with its own progress bar
        with _progress_bar(app, each, as_json) as progress:
            outcomes.append(
                run_service.sync_connection(
                    app.db, owner_id=app.owner_id, name=each, data_dir=app.settings.data_dir,
                    now=app.now(), progress=progress, allow_mass_delete=allow_mass_delete,
                )
            )  # fmt: skip
    if as_json:
        print_json([serialise.outcome(o) for o in outcomes])
    else:
        for done in outcomes:
            if done.ok:
                app.console.print(_summary(done), markup=False, highlight=False)
                for line in done.lines:
                    app.console.print(f"  skipped {line}", markup=False, highlight=False)
        if not outcomes:
            app.console.print("no connections yet: see tieline connect --help", markup=False)
    failed = [o for o in outcomes if not o.ok]
    if len(failed) == 1:
        raise TielineError(f"{failed[0].name}: {failed[0].error}")
    for done in failed:
        typer.echo(f"error: {done.name}: {done.error}", err=True)
    if failed:
        raise typer.Exit(1)


@sync_app.command("conflicts")
def sync_conflicts(ctx: typer.Context, as_json: Json = False) -> None:
    """Fields changed both in tieline and on an address book's server since the last sync: tieline's
    value was kept, the server's is listed here to resolve."""
    from tieline.services.sync import conflicts as conflicts_service

    app = app_context(ctx)
    with app.transaction() as session:
        docs = [serialise.conflict(c) for c in conflicts_service.conflicts(session, owner_id=app.owner_id)]
    if as_json:
        print_json(docs)
        return
    if not docs:
        app.console.print("no conflicts: every address book agrees with tieline", markup=False)
        return
    table = Table("id", "person", "field", "tieline (kept)", "server", "connection", "found")
    for doc in docs:
        table.add_row(
            str(doc["id"]), doc["person"], doc["field"], _shown(doc["tieline_value"]),
            _shown(doc["server_value"]), doc["connection"], doc["found_at"][:16],
        )  # fmt: skip
    app.console.print(table)
    app.console.print("resolve one: tieline sync resolve ID --keep tieline|server", markup=False)


def _shown(value: object) -> str:
    """A field's value in a table cell: lists joined, empty parts left out."""
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value if v not in (None, "", []))
    return "" if value is None else str(value)


@sync_app.command("resolve")
def sync_resolve(
    ctx: typer.Context,
    conflict_id: Annotated[int, typer.Argument(help="The conflict's id (tieline sync conflicts).")],
    keep: Annotated[str, typer.Option("--keep", help="tieline (the server gets it) or server.")],
) -> None:
    """Resolve a conflict: keep tieline's value, or take the server's (sent on at the next sync)."""
    from tieline.services.sync import conflicts as conflicts_service

    app = app_context(ctx)
    with app.transaction() as session:
        done = conflicts_service.resolve(
            session, owner_id=app.owner_id, conflict_id=conflict_id, keep=keep, now=app.now()
        )
    app.console.print(
        f"conflict {conflict_id} resolved: {done.person}'s {done.field} keeps the {keep}'s value",
        markup=False,
    )


def _summary(done: run_service.SyncOutcome) -> str:
    if not done.wrote:
        return f"{done.name}: nothing new"
    if done.kind == "carddav":  # both ways: what came in, what went out
        parts = [f"{name} {n}" for name, n in done.counts.items()] or ["up to date"]
    else:
        parts = [f"{done.added} added", f"{done.skipped} skipped", f"{done.discovered} discovered"]
    run = f" (run {done.run_id}; undo with: tieline import undo {done.run_id})" if done.run_id else ""
    return f"{done.name}: {', '.join(parts)}{run}"


@discovered_app.callback(invoke_without_command=True)
def discovered(
    ctx: typer.Context,
    ignored: Annotated[bool, typer.Option("--ignored", help="List ignored addresses too.")] = False,
    as_json: Json = False,
) -> None:
    """People met in mail and calendars who match nobody yet, most recently seen first."""
    if ctx.invoked_subcommand is not None:
        return
    app = app_context(ctx)
    with app.transaction() as session:
        docs = [
            serialise.discovered(d)
            for d in discovered_service.listing(session, owner_id=app.owner_id, include_ignored=ignored)
        ]
    if as_json:
        print_json(docs)
        return
    if not docs:
        app.console.print("nobody new: everyone you wrote to or met is among your people", markup=False)
        return
    table = Table("email", "name", "messages", "meetings", "last seen", "first seen", "from")
    for doc in docs:
        table.add_row(
            doc["email"], doc["name"] or "", str(doc["messages"]), str(doc["meetings"]),
            doc["last_seen_at"][:10], doc["first_seen_at"][:10],
            (doc["source"] or "") + (" (ignored)" if doc["state"] == "ignored" else ""),
        )  # fmt: skip
    app.console.print(table)
    app.console.print(
        "add one: tieline discovered add EMAIL; link: tieline discovered link EMAIL PERSON; "
        "ignore: tieline discovered ignore EMAIL",
        markup=False,
    )


@discovered_app.command("add")
def discovered_add(
    ctx: typer.Context,
    email: EmailArg,
    name: Annotated[str | None, typer.Option("--name", help="Their name (default: as seen).")] = None,
) -> None:
    """Add a discovered address as a new person."""
    app = app_context(ctx)
    with app.transaction() as session:
        person = discovered_service.add_person(
            session, owner_id=app.owner_id, email=email, name=name, today=app.today(), now=app.now()
        )
        shown = f"added {person.display_name} (#{person.id})"
    app.console.print(shown, markup=False)


@discovered_app.command("link")
def discovered_link(
    ctx: typer.Context,
    email: EmailArg,
    person: Annotated[str, typer.Argument(help="The person: name (exact or prefix) or #id.")],
) -> None:
    """Give a discovered address to a person you have: their next messages count for them."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = discovered_service.link(
            session, owner_id=app.owner_id, email=email, person=person, today=app.today(), now=app.now()
        )
        shown = f"{email.strip().lower()} is now {found.display_name}'s (#{found.id})"
    app.console.print(shown, markup=False)


@discovered_app.command("ignore")
def discovered_ignore(ctx: typer.Context, email: EmailArg) -> None:
    """Ignore a discovered address for good: it is not listed again."""
    app = app_context(ctx)
    with app.transaction() as session:
        entry = discovered_service.ignore(session, owner_id=app.owner_id, email=email)
        shown = f"ignoring {entry.email}"
    app.console.print(shown, markup=False)


def register(app: typer.Typer) -> None:
    """Attach `connect`, `connections`, `disconnect`, `sync` and `discovered` to the root app."""
    app.add_typer(connect_app, name="connect")
    app.command()(connections)
    app.command()(disconnect)
    app.add_typer(sync_app, name="sync")
    app.add_typer(discovered_app, name="discovered")
