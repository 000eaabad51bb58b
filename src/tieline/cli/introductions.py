"""Introduction commands (double opt-in): `tieline intro A B --why TEXT` proposes one, then
`intro ask-a`, `intro ask-b`, `intro made` (or `intro declined`) move it on, `intro outcome` says what came
of it; `intro list`, `intro show` and `intro draft` (the message for the current step)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from tieline.cli import options as opt
from tieline.cli.context import AppContext, app_context, print_json
from tieline.cli.drafts import print_draft
from tieline.cli.people import PersonArg
from tieline.models import Introduction
from tieline.serialise.growth import introduction as introduction_json
from tieline.services import introductions as introductions_service
from tieline.services import people as people_service
from tieline.services import preferences
from tieline.services.drafts import render_draft
from tieline.services.introductions import STATE_NAMES


class IntroGroup(TyperGroup):
    """`tieline intro A B --why ...` is `tieline intro propose A B --why ...`: a first word that is not a
    sub-command starts a proposal."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "propose", self.commands["propose"], args
        return super().resolve_command(ctx, args)


intro_app = typer.Typer(
    cls=IntroGroup,
    help="Introductions, double opt-in: `tieline intro A B --why TEXT`, then ask-a, ask-b, made, outcome.",
    no_args_is_help=True,
)
IdArg = Annotated[int, typer.Argument(help="The introduction's number, as `tieline intro` printed it.")]


def _say(app: AppContext, session: Session, intro: Introduction, verb: str, as_json: bool) -> None:
    a, b = introductions_service.names_of(session, owner_id=app.owner_id, intro=intro)
    step = introductions_service.next_step(intro, a, b)
    if as_json:
        print_json(introduction_json(intro, a, b, step))
        return
    app.console.print(Text(f"introduction #{intro.id} of {a} and {b} {verb}"))
    if step:
        app.console.print(Text(f"next: {step}", style="dim"))


@intro_app.command("propose")
def propose(
    ctx: typer.Context,
    person_a: Annotated[str, typer.Argument(help="A: the person you ask first (name or #id).")],
    person_b: PersonArg,
    why: Annotated[str, typer.Option("--why", help="Why they should meet (goes in the drafts).")],
    as_json: opt.Json = False,
) -> None:
    """Propose introducing A to B; you will ask A first, then B, before introducing them."""
    app = app_context(ctx)
    with app.transaction() as session:
        a = people_service.resolve_person(session, owner_id=app.owner_id, text=person_a)
        b = people_service.resolve_person(session, owner_id=app.owner_id, text=person_b)
        intro = introductions_service.propose(
            session, owner_id=app.owner_id, a=a, b=b, why=why, now=app.now()
        )
        _say(app, session, intro, "proposed", as_json)


def _move(
    ctx: typer.Context,
    introduction_id: int,
    verb: str,
    move: Callable[[Session, Introduction], Any],
    as_json: bool,
) -> None:
    app = app_context(ctx)
    with app.transaction() as session:
        intro = introductions_service.get(session, owner_id=app.owner_id, introduction_id=introduction_id)
        move(session, intro)
        _say(app, session, intro, verb, as_json)


@intro_app.command("ask-a")
def ask_a(ctx: typer.Context, introduction_id: IdArg, as_json: opt.Json = False) -> None:
    """You asked A whether they would welcome the introduction (`intro draft` writes the message)."""
    now = app_context(ctx).now()
    _move(ctx, introduction_id, "asked A", lambda s, i: introductions_service.ask_a(s, i, now=now), as_json)


@intro_app.command("ask-b")
def ask_b(ctx: typer.Context, introduction_id: IdArg, as_json: opt.Json = False) -> None:
    """A agreed, and you asked B."""
    now = app_context(ctx).now()
    _move(ctx, introduction_id, "asked B", lambda s, i: introductions_service.ask_b(s, i, now=now), as_json)


@intro_app.command("made")
def made(ctx: typer.Context, introduction_id: IdArg, as_json: opt.Json = False) -> None:
    """Both agreed and you introduced them: logs a favour to each, a knows link and the email to both."""
    app = app_context(ctx)
    now = app.now()
    _move(
        ctx, introduction_id, "made (a favour given to each, and they now know each other)",
        lambda s, i: introductions_service.make(s, owner_id=app.owner_id, intro=i, now=now), as_json,
    )  # fmt: skip


@intro_app.command("declined")
def declined(
    ctx: typer.Context,
    introduction_id: IdArg,
    by: Annotated[
        str | None,
        typer.Option("--by", help="a or b (or the name) of who said no; leave out if you dropped it."),
    ] = None,
    as_json: opt.Json = False,
) -> None:
    """A or B said no (or you dropped the idea); the introduction closes."""
    app = app_context(ctx)
    now = app.now()
    _move(
        ctx, introduction_id, "declined",
        lambda s, i: introductions_service.decline(s, owner_id=app.owner_id, intro=i, by=by, now=now), as_json,
    )  # fmt: skip


@intro_app.command("outcome")
def outcome(
    ctx: typer.Context,
    introduction_id: IdArg,
    text: Annotated[str, typer.Argument(help="What came of it, e.g. 'they hired her'.")],
    as_json: opt.Json = False,
) -> None:
    """Record what came of an introduction you made (again: replace it)."""
    now = app_context(ctx).now()
    _move(
        ctx, introduction_id, f"led to: {text.strip()}",
        lambda s, i: introductions_service.record_outcome(s, i, text, now=now), as_json,
    )  # fmt: skip


@intro_app.command("list")
def list_(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only those not yet made or declined.")] = False,
    as_json: opt.Json = False,
) -> None:
    """Introductions, newest first, with their state and what to do next."""
    app = app_context(ctx)
    with app.transaction() as session:
        rows = introductions_service.listing(session, owner_id=app.owner_id, open_only=open_only)
        if as_json:
            print_json(
                [introduction_json(i, a, b, introductions_service.next_step(i, a, b)) for i, a, b in rows]
            )
            return
        if not rows:
            app.console.print(
                "No introductions: `tieline intro A B --why TEXT` proposes one.", highlight=False
            )
            return
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for column in ("#", "A", "B", "state", "why", "next / outcome"):
            table.add_column(column, overflow="fold")
        for i, a, b in rows:
            after = i.outcome or introductions_service.next_step(i, a, b) or ""
            table.add_row(str(i.id), Text(a), Text(b), STATE_NAMES[i.state], Text(i.why), Text(after))
        app.console.print(table)


@intro_app.command("show")
def show(ctx: typer.Context, introduction_id: IdArg, as_json: opt.Json = False) -> None:
    """One introduction: who, why, each step's date, the outcome and what to do next."""
    app = app_context(ctx)
    with app.transaction() as session:
        intro = introductions_service.get(session, owner_id=app.owner_id, introduction_id=introduction_id)
        a, b = introductions_service.names_of(session, owner_id=app.owner_id, intro=intro)
        step = introductions_service.next_step(intro, a, b)
        if as_json:
            print_json(introduction_json(intro, a, b, step))
            return
        app.console.print(Text(f"Introduction #{intro.id}: {a} (A) and {b} (B)", style="bold"))
        moments = (
            ("proposed", intro.created_at), ("asked A", intro.asked_a_at), ("asked B", intro.asked_b_at),
            ("made", intro.made_at), ("declined", intro.declined_at),
        )  # fmt: skip
        app.console.print(Text(f"  why: {intro.why}"))
        app.console.print(Text(f"  state: {STATE_NAMES[intro.state]}"))
        for label, moment in moments:
            if moment is not None:
                app.console.print(Text(f"  {label}: {moment.astimezone().strftime('%Y-%m-%d %H:%M')}"))
        if intro.declined_by is not None:
            app.console.print(Text(f"  declined by: {a if intro.declined_by == intro.person_a_id else b}"))
        if intro.outcome:
            app.console.print(Text(f"  outcome: {intro.outcome}"))
        if step:
            app.console.print(Text(f"  next: {step}"))


@intro_app.command("draft")
def draft(ctx: typer.Context, introduction_id: IdArg, as_json: opt.Json = False) -> None:
    """The message for the current step: ask A, ask B (once A agreed), the introduction, how it went."""
    app = app_context(ctx)
    now = app.now()
    with app.transaction() as session:
        intro = introductions_service.get(session, owner_id=app.owner_id, introduction_id=introduction_id)
        a, b = introductions_service.names_of(session, owner_id=app.owner_id, intro=intro)
        item = introductions_service.step_item(
            intro.id, intro.state, a=(intro.person_a_id, a), b=(intro.person_b_id, b)
        )
        result = render_draft(
            session, owner_id=app.owner_id, item=item, prefs=preferences.load(session, owner_id=app.owner_id),
            data_dir=app.settings.data_dir, now=now,
        )  # fmt: skip
        if as_json:
            print_json({"introduction_id": intro.id, "step": item.title, "draft": result.as_dict()})
            return
        app.console.print(Text(f"# {item.title}", style="dim"), soft_wrap=True)
        print_draft(app.console, result)


def register(app: typer.Typer) -> None:
    """Attach `tieline intro` to the root app."""
    app.add_typer(intro_app, name="intro")
