"""The `tieline` command: root options, error translation, and the command groups, loaded lazily."""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from tieline.config import load_settings
from tieline.errors import TielineError

# Every command of the root, in the order `tieline --help` lists them: the module of `tieline.cli`
# whose `register(app)` attaches it, and its summary (the help's first sentence). A command's module
# is imported only when that command runs, so start-up pays for one command, not for all of them;
# tests/cli/test_startup.py keeps this table equal to what the modules register.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("serve", "Start the web app and REST API (http://127.0.0.1:8765 by default)."),
    "mcp": (
        "mcp",
        "Serve your network to an AI assistant over MCP (stdio); read-only unless --allow-writes.",
    ),
    "user": (
        "accounts",
        "Accounts that sign in to the web app (server mode): add, list, disable, enable, passwd, delete.",
    ),
    "token": (
        "accounts",
        "Personal access tokens for the REST API and automation: create (shown once), list, revoke.",
    ),
    "team": (
        "teams",
        "Teams: share, by consent, only whom you know and how well; ask who knows someone at Acme.",
    ),
    "init": ("setup", "Create the database (or bring it to the current schema) and say where it is."),
    "add": ("people", "Add a person."),
    "show": ("people", "Show a person: profile, memberships, common ground and latest interactions."),
    "brief": (
        "brief",
        "Before you meet them: who they are, the tie, what they told you, what to offer, what is owed, "
        "their milestones, common ground and three openers.",
    ),
    "edit": (
        "people",
        "Change a person's fields; list options (--email, --tag...) add, --remove-* options remove.",
    ),
    "archive": ("people", "Archive a person: hidden from lists and the agenda, nothing deleted."),
    "delete": ("people", "Delete a person and the interactions only they took part in (asks first)."),
    "list": ("people", "List people, filtered and sorted."),
    "search": (
        "people",
        "Search people and what was said: names, companies, tags, notes, and what interactions say.",
    ),
    "log": ("interactions", "Log an interaction with one or more people."),
    "member": (
        "organisations",
        "Record that a person (or you) belongs to an organisation; creates the organisation if new.",
    ),
    "who": (
        "organisations",
        "Who you know in an organisation, its departments and teams: current members first, then "
        "past ones, strongest tie first, with roles and dates.",
    ),
    "today": ("agenda", "Whom to reach out to today, and why, most important first."),
    "week": ("agenda", "The weekly review: what becomes due each day this week, and how last week went."),
    "done": ("agenda", "Mark an agenda line done (a contact line also logs the contact)."),
    "snooze": ("agenda", "Hide an agenda line for some days."),
    "dismiss": ("agenda", "Hide an agenda line for good (it returns only if its situation changes)."),
    "losing-touch": ("agenda", "Everyone past their keep-in-touch cadence, most overdue x strongest first."),
    "follow-up": ("followups", "Record a follow-up (or a promise) about a person, due on a date."),
    "follow-ups": ("followups", "List open follow-ups and promises by due date."),
    "milestone": (
        "milestones",
        "Log a milestone of a person; the agenda suggests congratulating them for a week.",
    ),
    "milestones": ("milestones", "List logged milestones, newest first."),
    "gave": ("favours", "Log help you gave a person (an introduction, advice, a referral...)."),
    "received": (
        "favours",
        "Log help a person gave you; a thank-you is owed until you log one with `tieline thanked`.",
    ),
    "favours": (
        "favours",
        "The favour ledger: balance per person (received - given) and whether you are a giver or a taker.",
    ),
    "thanked": (
        "favours",
        "Log a thank-you: closes every thanks owed to the person and records the message.",
    ),
    "ask": ("favours", "Plan an ask; when you owe the person, tieline proposes something to give first."),
    "asked": ("favours", "Mark a planned ask as asked (or dropped); it leaves the agenda."),
    "mentor": (
        "mentorship",
        "Record that PERSON is your mentor (mentee, coach, sponsor), or --of another person's; "
        "--end ends it.",
    ),
    "mentors": (
        "mentorship",
        "Your mentors, coaches and sponsors (and those of people you know): last met, what was agreed.",
    ),
    "mentees": (
        "mentorship",
        "Your mentees: when you last met, the latest session's notes, and open follow-ups.",
    ),
    "knows": (
        "knows",
        "Record that two people know each other (again: update strength and note), or list who one knows.",
    ),
    "share": (
        "resources",
        "Keep a resource worth passing on: without --to, suggest who to pass it to; with --to, share it.",
    ),
    "resources": ("resources", "The resources you keep, with their topics and who you shared each with."),
    "goals": (
        "goals",
        "Your goals with progress, pace (ahead, on pace, behind), days left, and what counted.",
    ),
    "draft": (
        "drafts",
        "Write the message for an agenda line: subject, body and a mailto: link (nothing is sent).",
    ),
    "digest": (
        "digest",
        "The week's agenda day by day and a look back at the last seven days; --send emails it.",
    ),
    "backup": (
        "backup",
        "Write the whole database to one JSON file that `tieline restore` reads back exactly.",
    ),
    "restore": (
        "backup",
        "Load a backup into an empty database (or, with --replace, instead of what is there).",
    ),
    "duplicates": ("identity", "List pairs of people who may be one person, with the evidence."),
    "merge": (
        "identity",
        "Merge the second person into the first, keeping every email, phone, note and interaction.",
    ),
    "unmerge": ("identity", "Undo a merge: the merged person comes back exactly as they were."),
    "distinct": ("identity", "Say two people are not the same, so `duplicates` stops proposing them."),
    "config": ("settings", "Show settings, or change one."),
    "recompute": (
        "settings",
        "Rescore every tie from its full history (after changing weights or half-lives).",
    ),
    "demo": ("demo", "Fill the database with a generated professional network to try tieline on."),
    "report": (
        "report",
        "Charts of your network (tie strength, growth, diversity, tiers against Dunbar's layers, "
        "reciprocity) and a map of it (clusters coloured, bridges outlined), with the key numbers.",
    ),
    "common": (
        "network",
        "What you share with a person, or what two people share, strongest first, with the evidence.",
    ),
    "path": (
        "network",
        "The strongest chain of people from you to a person or to anyone at an organisation.",
    ),
    "stats": (
        "network",
        "Your network in numbers: tiers against Dunbar's layers, strong/weak/dormant, diversity, "
        "brokerage, clusters, growth, reciprocity and returns.",
    ),
    "org": ("organisations", "Organisations: companies, schools, associations, alumni networks, teams."),
    "event": ("events", "Events: conferences, meetups, workshops..."),
    "intro": (
        "introductions",
        "Introductions, double opt-in: `tieline intro A B --why TEXT`, then ask-a, ask-b, made, outcome.",
    ),
    "opportunity": (
        "opportunities",
        "Opportunities (jobs, partnerships, speaking, clients...): their stage and where they came from.",
    ),
    "goal": ("goals", "Networking goals, measured from what you log."),
    "export": (
        "export",
        "Write your data for other programs: a calendar feed of reminders; people as vCard, CSV, JSON.",
    ),
    "import": (
        "imports",
        "Import contacts, messages and meetings: `tieline import PATH [--format F] [--dry-run] "
        "[--create-people]` (LinkedIn export, vCard, Google/Outlook CSV, iCalendar, mbox).",
    ),
    "suggest": ("network", "Suggestions from your network: introductions, people, reconnections, asks."),
    "connect": (
        "sync",
        "Connect a mail, calendar or address book account: `tieline connect imap|caldav|carddav|ics NAME ...`.",
    ),
    "connections": (
        "sync",
        "List the accounts synced: where, last run, counts, next run and the last error in words.",
    ),
    "disconnect": ("sync", "Remove a connection and its stored password; what it synced stays."),
    "sync": (
        "sync",
        "Sync one connection or all: new mail and meetings become interactions, strangers are queued; "
        "address books sync both ways.",
    ),
    "discovered": (
        "sync",
        "People met in mail and calendars who match nobody yet: list them, add, link or ignore one.",
    ),
}

# Settings shared by the root app and the per-module apps its commands are built from, so a command
# is built exactly as it would be had it been registered on the root.
_TYPER_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}


class LazyCommands(Mapping[str, Any]):
    """The root's commands by name; a command's module is imported when the command is looked up."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            module, _summary = COMMANDS[name]
            self._built[name] = module_commands(module, only=name).commands[name]
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


def module_commands(module: str, *, only: str | None = None) -> TyperGroup:
    """The click commands a `tieline.cli` module registers (or only the one named), built as the
    root app would build them."""
    scratch = typer.Typer(**_TYPER_SETTINGS)
    importlib.import_module(f"tieline.cli.{module}").register(scratch)
    if only is not None:  # the others' options would be built for nothing
        scratch.registered_commands = [
            c for c in scratch.registered_commands
            if (c.name or typer.main.get_command_name(c.callback.__name__)) == only
        ]  # fmt: skip
        scratch.registered_groups = [g for g in scratch.registered_groups if g.name == only]
    group = typer.main.get_group(scratch)
    coerce_as_given(group)
    return group


class AsGiven:
    """Typer's coercion of one parameter, short-cut where it would change nothing: a value not given,
    text for a text parameter (or texts for a repeatable one), a number default within its bounds.

    Typer coerces every value through a pydantic adapter it builds for the parameter; importing
    pydantic and building the first adapters costs a command more than its own work does. Anything
    else (a number typed in, a path, a choice) gets Typer's own coercion, built when first needed.
    """

    def __init__(self, annotation: Any, info: Any) -> None:
        self.annotation = annotation if info.parser is None else None
        self.low, self.high = info.min, info.max

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """The value the command receives, as Typer's RuntimeParam.coerce would give it."""
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many and self.annotation == list[str]:
            if isinstance(value, list | tuple) and all(type(v) is str for v in value):
                return list(value)
        elif not many and self.annotation in (str, int, float) and type(value) is self.annotation:
            within = (self.low is None or value >= self.low) and (self.high is None or value <= self.high)
            if self.annotation is str or within:
                return value
        param._runtime_param = None  # Typer builds its own, and keeps it, from here on
        return param.get_runtime_param().coerce(value, param=param, ctx=ctx)


def coerce_as_given(command: Any, *, sub_commands: bool = True) -> None:
    """Give every parameter of a command (and of its sub-commands) the AsGiven short cut."""
    # The --help flag is made on first use; made now, it gets the short cut too.
    help_option = command.get_help_option(typer.Context(command))
    for param in [*command.params, help_option]:
        described = getattr(param, "type_descriptor", None)
        if described is None or getattr(param, "_runtime_param", False) is not None:
            continue  # not a Typer parameter, or one whose coercion is already built
        param._runtime_param = AsGiven(described.annotation, described.parameter_info)
    if sub_commands:
        for sub in getattr(command, "commands", {}).values():
            coerce_as_given(sub)


class TielineGroup(TyperGroup):
    """The root group: commands loaded on demand; a domain error becomes one line on stderr and an
    exit code, never a traceback."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands()  # type: ignore[assignment]
        coerce_as_given(self, sub_commands=False)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List every command with its summary from COMMANDS: `tieline --help` imports none of them."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [
            (name, TyperCommand(name, help=summary).get_short_help_str(limit))
            for name, (_module, summary) in COMMANDS.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command to run, its module loaded; then the collector is back on (see `run`)."""
        found = super().resolve_command(ctx, args)
        if not gc.isenabled():
            gc.freeze()  # what loaded lives until exit: no collection needs to look at it again
            gc.enable()
        return found

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TielineError as exc:
            from rich.console import Console
            from rich.markup import escape

            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"[bold red]error:[/] {escape(exc.message)}"
            )
            raise typer.Exit(exc.exit_code) from None
        finally:
            if ctx.obj is not None:  # the AppContext the root callback made
                ctx.obj.close()


app = typer.Typer(
    cls=TielineGroup,
    name="tieline",
    help="Keep your professional relationships warm: people, interactions, organisations.",
    no_args_is_help=True,
    **_TYPER_SETTINGS,
)


@app.callback()
def root(
    ctx: typer.Context,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            "-d",
            help="Database URL (postgresql://...) or SQLite file path. Default: TIELINE_DATABASE_URL, "
            "else tieline.db in the data directory.",
        ),
    ] = None,
) -> None:
    """tieline: a local-first relationship and networking manager."""
    # Imported here: the context brings SQLAlchemy, which `tieline --help` does without.
    from tieline.cli.context import AppContext

    ctx.obj = AppContext(settings=load_settings(database))


def run() -> None:
    """Console-script entry point: one command in a process of its own."""
    # Loading a command brings SQLAlchemy and the models, a few hundred thousand objects that live
    # until exit. The cyclic collector would walk them again and again while they load, and once
    # more at exit, finding nothing: a quarter of `tieline today`'s time. So it is off until the
    # command is loaded, and `TielineGroup.resolve_command` freezes what loaded out of its sight.
    gc.disable()
    sys.exit(app())
