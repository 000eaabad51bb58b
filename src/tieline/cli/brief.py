"""`tieline brief PERSON`: the meeting brief, one screen to read in the minute before you meet."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tieline.cli import options as opt
from tieline.cli.context import app_context, print_json
from tieline.cli.render import when
from tieline.serialise.brief import brief_json
from tieline.services import brief as brief_service
from tieline.services import people as people_service
from tieline.services.brief import Brief

PersonArg = Annotated[str, typer.Argument(help="Name (exact, prefix or fuzzy) or #id.")]


def brief(ctx: typer.Context, person: PersonArg, as_json: opt.Json = False) -> None:
    """Before you meet them: who they are, the tie, what they told you, what to offer, what is owed,
    their milestones, common ground and three openers."""
    app = app_context(ctx)
    now = app.now()
    with app.transaction() as session:
        found = people_service.resolve_person_id(session, owner_id=app.owner_id, text=person, verify_id=False)
        data = brief_service.brief_for(session, owner_id=app.owner_id, person_id=found, now=now)
    if as_json:
        print_json(brief_json(data))
    else:
        render(app.console, data)


def render(console: Console, data: Brief) -> None:
    """The brief in the terminal: a header, then each section that has something, openers first."""
    who, tie = data.who, data.tie
    title = Text(who.name, style="bold")
    title.append(f"  #{who.person_id}", style="dim")
    console.print(title)
    role = " at ".join(x for x in (who.title, who.company or who.organisation) if x)
    met = "; ".join(x for x in (who.met_how, who.met_where) if x)
    facts = [
        role,
        f"{who.tier_name} (tier {who.tier})" + (f", {who.location}" if who.location else ""),
        (f"met: {met}" if met else "")
        + (f"{', ' if met else ''}known since {who.since}" if who.since else ""),
    ]
    for line in filter(None, facts):
        console.print(Text(line))
    last = f"last contact {when(tie.last_contact_at)}" + (
        f" ({tie.days_since_contact} days ago)" if tie.days_since_contact is not None else ""
    )
    cadence = f"every {tie.cadence_days} days" if tie.cadence_days else "no cadence"
    due = f", due {tie.next_due}" + (" (overdue)" if tie.overdue else "") if tie.next_due else ""
    console.print(
        Text(f"tie {tie.strength:.0f}/100, {tie.band}, {tie.trend}; {last}; {cadence}{due}", style="cyan")
    )
    _section(console, "openers", [Text(f"{i}. {o.text}") for i, o in enumerate(data.openers, 1)],
             dim=[f"   from {o.source.section}: {o.source.label}" for o in data.openers])  # fmt: skip
    _section(
        console,
        "what they told you",
        [Text(f"{when(n.occurred_at)[:10]} {n.kind}: ", style="dim") + Text(n.notes) for n in data.notes],
    )
    _section(
        console, "they care about", [Text(f"{t.kind}: ", style="dim") + Text(t.value) for t in data.cares]
    )
    _section(
        console,
        "you could offer",
        [Text(o.text) + Text(f"  for {o.topic}", style="dim") for o in data.offers],
    )
    _section(
        console,
        "promises",
        [
            Text(f"{'you owe' if p.owed_by == 'you' else 'they owe'}: ", style="dim")
            + Text(p.text)
            + Text(f"  due {p.due_on}" + (" (overdue)" if p.overdue else "") if p.due_on else "", style="dim")
            for p in data.promises
        ],
    )
    _section(console, "milestones", [Text(f"{m.on} ", style="dim") + Text(m.text) for m in data.milestones])
    _section(
        console,
        "common ground",
        [Text(f"{c.kind}: ", style="dim") + Text(c.label) + Text(f"  {'; '.join(c.evidence)}", style="dim")
         for c in data.common],
    )  # fmt: skip


def _section(console: Console, title: str, lines: list[Text], *, dim: list[str] | None = None) -> None:
    if not lines:
        return
    console.print()
    console.print(Text(title, style="bold"))
    grid = Table.grid()
    grid.add_column(overflow="fold")
    for i, line in enumerate(lines):
        rows: list[Text] = [line]
        if dim:
            rows.append(Text(dim[i], style="dim"))
        grid.add_row(Group(*rows))
    console.print(Padding(grid, (0, 0, 0, 2)))


def register(app: typer.Typer) -> None:
    """Attach `brief` to the root app."""
    app.command()(brief)
