"""Favour commands: `gave` / `received` log help, `favours` shows balances, `thanked` closes thanks
owed, `ask` plans an ask (suggesting a give first when you owe them), `asked` closes one."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import AppContext, app_context, print_json
from tieline.cli.people import PersonArg
from tieline.dates import parse_when
from tieline.models import FAVOUR_KINDS, Favour
from tieline.serialise import favours as serialise
from tieline.services import asks as asks_service
from tieline.services import favours as favours_service
from tieline.services import people as people_service
from tieline.services import preferences

KindArg = Annotated[
    str, typer.Argument(help=f"One of: {', '.join(k.replace('_', '-') for k in FAVOUR_KINDS)}.")
]
TextArg = Annotated[str | None, typer.Argument(help="What it was, e.g. 'intro to Bo at Acme'.")]
WhenOpt = Annotated[
    str, typer.Option("--date", help="today, yesterday, 2026-03-01, '3 days ago', or an ISO time.")
]


def plan_json(plan: asks_service.AskPlan) -> dict[str, Any]:
    """The `--json` shape of a planned ask, with the balance and the proposals to give first."""
    return {
        "id": plan.ask.id,
        "person_id": plan.ask.person_id,
        "person": plan.balance.name,
        "text": plan.ask.text,
        "status": plan.ask.status,
        "balance": serialise.favour_balance(plan.balance),
        "owe_them": plan.balance.owe_them,
        "give_first": [{"kind": p.kind, "text": p.text, "person_id": p.person_id} for p in plan.proposals],
    }


def _record(app: AppContext, person: str, direction: str, kind: str, text: str | None, when: str) -> None:
    kind = favours_service.check_kind(kind)
    now = app.now()
    moment = parse_when(when, now=now, field="--date")
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        item = favours_service.record_favour(
            session, owner_id=app.owner_id, person=found, direction=direction, kind=kind, when=moment,
            now=now, text=text,
        )  # fmt: skip
        balance = favours_service.balance_of(session, owner_id=app.owner_id, person=found)
        prefs = preferences.load(session, owner_id=app.owner_id)
        verb, way = ("gave", "to") if direction == "given" else ("received", "from")
        line = f"{verb} {kind.replace('_', ' ')} ({way} {found.display_name})"
        app.console.print(Text(line + (f": {item.text}" if item.text else "")))
        if direction == "received":
            due = favours_service.thanks_due_on(item.occurred_at, int(prefs["thanks.due_days"]))
            app.console.print(Text(f"thanks owed by {due.isoformat()} (`tieline thanked` when done)"))
        app.console.print(Text(balance.explain()))


def gave(
    ctx: typer.Context, person: PersonArg, kind: KindArg, text: TextArg = None, when: WhenOpt = "today"
) -> None:
    """Log help you gave a person (an introduction, advice, a referral...)."""
    _record(app_context(ctx), person, "given", kind, text, when)


def received(
    ctx: typer.Context, person: PersonArg, kind: KindArg, text: TextArg = None, when: WhenOpt = "today"
) -> None:
    """Log help a person gave you; a thank-you is owed until you log one with `tieline thanked`."""
    _record(app_context(ctx), person, "received", kind, text, when)


def favours(
    ctx: typer.Context,
    person: Annotated[str | None, typer.Argument(help="One person's ledger (name or #id).")] = None,
    as_json: opt.Json = False,
) -> None:
    """The favour ledger: balance per person (received - given) and whether you are a giver or a taker."""
    app = app_context(ctx)
    with app.transaction() as session:
        if person:
            found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
            balance = favours_service.balance_of(session, owner_id=app.owner_id, person=found)
            items = favours_service.entries(session, owner_id=app.owner_id, person=found)
            owed = [f for f in items if f.direction == "received" and f.thanked_at is None]
            if as_json:
                print_json(
                    {**serialise.favour_balance(balance), "favours": [serialise.favour(f) for f in items],
                     "thanks_owed": [f.id for f in owed]}
                )  # fmt: skip
                return
            app.console.print(Text(balance.explain(), style="bold"))
            _favour_table(app, items)
            if owed:
                app.console.print(
                    Text(f"{len(owed)} thank-you(s) owed: `tieline thanked {found.display_name}`")
                )
            return
        ledger = favours_service.ledger(session, owner_id=app.owner_id)
        if as_json:
            print_json(
                {"given": ledger.given, "received": ledger.received, "balance": ledger.balance,
                 "stance": ledger.stance, "people": [serialise.favour_balance(b) for b in ledger.people]}
            )  # fmt: skip
            return
        app.console.print(
            Text(
                f"overall: gave {ledger.given}, received {ledger.received}: "
                + {"giver": "you are a giver", "taker": "you are a taker", "even": "even"}[ledger.stance],
                style="bold",
            )
        )
        if ledger.people:
            table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
            for column in ("#", "person", "given", "received", "balance"):
                table.add_column(column, overflow="fold")
            for b in ledger.people:
                note = " (you owe them)" if b.balance > 0 else " (they owe you)" if b.balance < 0 else ""
                table.add_row(
                    str(b.person_id), Text(b.name), str(b.given), str(b.received), f"{b.balance:+d}{note}"
                )
            app.console.print(table)


def _favour_table(app: AppContext, items: list[Favour]) -> None:
    if not items:
        app.console.print("No favours logged.", highlight=False)
        return
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("#", "when", "direction", "kind", "what", "thanked"):
        table.add_column(column, overflow="fold")
    for f in items:
        thanked = (
            ""
            if f.direction == "given"
            else (f.thanked_at.astimezone().date().isoformat() if f.thanked_at else "owed")
        )
        table.add_row(
            str(f.id), f.occurred_at.astimezone().date().isoformat(), f.direction, f.kind.replace("_", " "),
            Text(f.text or ""), thanked,
        )  # fmt: skip
    app.console.print(table)


def thanked(
    ctx: typer.Context,
    person: PersonArg,
    text: Annotated[str | None, typer.Argument(help="What you thanked them for (goes in the note).")] = None,
    kind: Annotated[str, typer.Option("--kind", "-k", help="How you thanked them.")] = "message",
) -> None:
    """Log a thank-you: closes every thanks owed to the person and records the message."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        result = favours_service.thank(
            session, owner_id=app.owner_id, person=found, now=app.now(), text=text, kind=kind
        )
        closed = len(result.closed)
        what = f"closed {closed} thanks owed" if closed else "no thanks were owed"
        app.console.print(Text(f"thanked {found.display_name} ({what}): {result.interaction.notes}"))


def ask(
    ctx: typer.Context,
    person: PersonArg,
    text: Annotated[str, typer.Argument(help="What you mean to ask them.")],
    as_json: opt.Json = False,
) -> None:
    """Plan an ask; when you owe the person, tieline proposes something to give first."""
    app = app_context(ctx)
    with app.transaction() as session:
        found = people_service.resolve_person(session, owner_id=app.owner_id, text=person)
        plan = asks_service.plan_ask(
            session, owner_id=app.owner_id, person=found, text=text, day=app.today(), now=app.now()
        )
        if as_json:
            print_json(plan_json(plan))
            return
        app.console.print(Text(f"planned ask #{plan.ask.id} of {found.display_name}: {plan.ask.text}"))
        app.console.print(Text(plan.balance.explain()))
        if plan.balance.owe_them:
            app.console.print(Text("give before you ask:", style="bold"))
            for proposal in plan.proposals or [
                asks_service.Proposal("any", "offer help, an introduction or a useful article")
            ]:
                app.console.print(Text(f"  - {proposal.text}"))


def asked(
    ctx: typer.Context,
    ask_id: Annotated[int, typer.Argument(help="The ask's number, as `tieline ask` printed it.")],
    drop: Annotated[
        bool, typer.Option("--drop", help="Drop the ask instead: you will not ask after all.")
    ] = False,
) -> None:
    """Mark a planned ask as asked (or dropped); it leaves the agenda."""
    app = app_context(ctx)
    with app.transaction() as session:
        item = asks_service.set_status(
            asks_service.get(session, owner_id=app.owner_id, ask_id=ask_id), "dropped" if drop else "asked"
        )
        app.console.print(Text(f"ask #{item.id} {item.status}: {item.text}"))


def register(app: typer.Typer) -> None:
    """Attach the favour and ask commands to the root app."""
    for command in (gave, received, favours, thanked, ask, asked):
        app.command()(command)
