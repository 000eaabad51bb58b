"""Sync commands: `tieline connect imap|caldav|ics`, `connections`, `disconnect`, `sync [NAME]` and
`discovered [add|link|ignore]`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.table import Table

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
    from tieline.services.sync import carddav as carddav_service
    from tieline.services.sync.secrets import SecretUnavailable, run_password_command

    app = app_context(ctx)
    connections_service.check_name(name)
    connections_service.caldav_settings(
        url=url, user=user, calendars=None, months=12, ca_file=ca_file, password_command=None
    )  # the same checks of the address
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


def sync(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="One connection (default: all of them).")] = None,
    as_json: Json = False,
) -> None:
    """Sync one connection or all: new mail and meetings become interactions, strangers are queued."""
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
                    now=app.now(), progress=progress,
                )
            )  # fmt: skip
    if as_json:
        print_json([serialise.outcome(o) for o in outcomes])
    else:
        for done in outcomes:
            if done.ok:
                app.console.print(_summary(done), markup=False, highlight=False)
        if not outcomes:
            app.console.print("no connections yet: see tieline connect --help", markup=False)
    failed = [o for o in outcomes if not o.ok]
    if len(failed) == 1:
        raise TielineError(f"{failed[0].name}: {failed[0].error}")
    for done in failed:
        typer.echo(f"error: {done.name}: {done.error}", err=True)
    if failed:
        raise typer.Exit(1)


def _summary(done: run_service.SyncOutcome) -> str:
    if not done.wrote:
        return f"{done.name}: nothing new"
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
    app.command()(sync)
    app.add_typer(discovered_app, name="discovered")
