"""Rich tables and panels for people and interactions; user text is never read as markup."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tieline.analytics.common import COMMON_SHOWN, CommonGround
from tieline.serialise.values import birthday_text
from tieline.services.people import PersonProfile, PersonSummary
from tieline.validate import TIER_NAMES


def when(value: datetime | None) -> str:
    """A timestamp in the user's local time, to the minute."""
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else "never"


def people_table(people: list[PersonSummary], *, scores: list[float] | None = None) -> Table:
    """People as a table: id, name, role, tier, tags, last contact."""
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("#", "name", "role", "tier", "tags", "last contact"):
        table.add_column(column, overflow="fold")
    for person in people:
        role = " at ".join(x for x in (person.title, person.company) if x)
        table.add_row(
            str(person.id),
            Text(person.display_name + (" (archived)" if person.archived else "")),
            Text(role),
            TIER_NAMES[person.tier],
            Text(", ".join(t.tag for t in person.tags)),
            when(person.last_contact_at),
        )
    return table


def profile(console: Console, data: PersonProfile, ground: CommonGround | None = None) -> None:
    """A person's page in the terminal, with what you share with them when `ground` is given."""
    p = data.person
    title = Text(p.display_name, style="bold")
    title.append(f"  #{p.id}", style="dim")
    if p.archived:
        title.append("  archived", style="yellow")
    console.print(title)
    facts: list[tuple[str, str | None]] = [
        ("role", " at ".join(x for x in (p.title, p.company) if x) or None),
        ("department", p.department),
        ("industry", p.industry),
        ("location", p.location),
        ("tier", f"{p.tier} {TIER_NAMES[p.tier]}"),
        ("cadence", _cadence(data)),
        ("strength", f"{data.strength.total:.0f}/100 (" + "; ".join(data.strength.reasons()) + ")"),
        ("closeness", f"{p.closeness}/5" if p.closeness else None),
        ("emails", ", ".join(e.address for e in p.emails) or None),
        ("phones", ", ".join(x.number for x in p.phones) or None),
        ("links", ", ".join(x.url for x in p.links) or None),
        ("birthday", birthday_text(p)),
        (
            "met",
            "; ".join(x for x in (p.met_how, p.met_where, p.met_on and p.met_on.isoformat()) if x) or None,
        ),
        ("tags", ", ".join(t.tag for t in p.tags) or None),
        ("interests", ", ".join(p.topic_values("interest")) or None),
        ("expertise", ", ".join(p.topic_values("expertise")) or None),
        ("needs", ", ".join(p.topic_values("need")) or None),
        ("last contact", when(p.last_contact_at)),
        ("interactions", str(data.interaction_count)),
    ]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column(overflow="fold")
    for label, value in facts:
        if value:
            grid.add_row(label, Text(value))
    for m in data.memberships:
        span = (
            f"{m.start_date or '?'} to {m.end_date}"
            if m.end_date
            else (f"since {m.start_date}" if m.start_date else "current")
        )
        grid.add_row(
            "member of",
            Text(
                f"{m.organisation.name} ({m.organisation.kind.replace('_', ' ')})"
                + (f", {m.role}" if m.role else "")
                + f", {span}"
            ),
        )
    if p.notes:
        grid.add_row("notes", Text(p.notes))
    console.print(grid)
    if ground is not None:
        common_ground(console, ground)
    if data.timeline:
        console.print()
        table = Table(title=f"latest {len(data.timeline)} interactions", title_justify="left", box=None)
        for column in ("when", "kind", "by", "with", "notes"):
            table.add_column(column, overflow="fold")
        for entry in data.timeline:
            item = entry.interaction
            table.add_row(
                when(item.occurred_at),
                item.kind.replace("_", " "),
                item.initiated_by or "",
                Text(", ".join(entry.others)),
                Text(item.notes or item.subject or ""),
            )
        console.print(table)


def common_ground(console: Console, ground: CommonGround) -> None:
    """What you share with a person: the strongest items, each with its evidence on one line."""
    console.print()
    if not ground.items:
        console.print(Text("common ground: nothing on record", style="dim"))
        return
    console.print(Text("common ground", style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column(overflow="fold")
    grid.add_column(style="dim", overflow="fold")
    for item in ground.items[:COMMON_SHOWN]:
        grid.add_row(Text(item.kind), Text(item.label), Text("; ".join(item.evidence)))
    console.print(grid)
    more = len(ground.items) - COMMON_SHOWN
    if more > 0:
        console.print(Text(f"and {more} more: tieline common #{ground.b_id}", style="dim"))


def _cadence(data: PersonProfile) -> str:
    if not data.cadence_days:
        return "none (no keep-in-touch reminders)"
    own = "own" if data.person.cadence_days else "tier default"
    due = f", next due {data.next_due.isoformat()}" if data.next_due else ""
    return f"every {data.cadence_days} days ({own}){due}"
