"""One plain sentence per chart saying what it shows about your network, from the same data."""

from __future__ import annotations

from tieline.reports.data import Diversity, ReportData


def strength(data: ReportData) -> str:
    """Where tie strength sits: how many strong, weak and dormant ties."""
    c = data.counts
    if c.people == 0:
        return "No people yet: add some and log a few interactions."
    lead = (
        "Most of your live ties are weak: that is where new information and opportunities come from"
        if c.weak > c.strong
        else "Most of your live ties are strong: a close network; weak ties would bring more new information"
    )
    return (
        f"{lead}. {c.strong:,} of {c.people:,} people are strong ties (strength {data.strong_threshold:g} or more), "
        f"{c.weak:,} weak, {c.dormant:,} dormant (no contact in a year) and {c.never_contacted:,} never contacted."
    )


def growth(data: ReportData) -> str:
    """New people and interactions in the last twelve months against the twelve before."""
    months = data.growth
    if not months:
        return "Nothing logged yet."
    recent, before = months[-12:], months[-24:-12]
    met = sum(m.new_people for m in recent)
    met_before = sum(m.new_people for m in before)
    talked = sum(m.interactions for m in recent)
    talked_before = sum(m.interactions for m in before)
    sentence = f"You added {met} people in the last 12 months"
    sentence += f" ({met_before} the year before)" if before else ""
    sentence += f" and logged {talked} interactions"
    if before and talked_before:
        change = (talked - talked_before) / talked_before
        sentence += f", {abs(change):.0%} {'more' if change >= 0 else 'fewer'} than the year before"
    return sentence + "."


def diversity(data: ReportData) -> str:
    """The most concentrated dimension, among strong ties where there are any."""
    panels = [p for p in data.diversity if p.groups]
    if not panels:
        return "No industries, departments, organisations or locations recorded yet."
    panel, groups, among = _most_concentrated(panels)
    total = sum(g.people for g in groups)
    top = groups[0]
    share = top.people / total
    noun = {"organisation": "organisation", "location": "place"}.get(panel.dimension, panel.dimension)
    if share >= 0.5:
        return f"Most of your {among} are in one {noun}: {top.label} ({share:.0%} of those with a known {panel.dimension})."
    return (
        f"Your {among} spread across {len(groups)} groups by {panel.dimension}; the largest, {top.label}, "
        f"holds {share:.0%} (entropy {panel.entropy:.2f} of a possible 1)."
    )


def _most_concentrated(panels: list[Diversity]) -> tuple[Diversity, list, str]:  # type: ignore[type-arg]
    with_strong = [p for p in panels if p.strong_groups]
    if with_strong:
        panel = max(
            with_strong, key=lambda p: p.strong_groups[0].people / sum(g.people for g in p.strong_groups)
        )
        return panel, panel.strong_groups, "strong ties"
    panel = max(panels, key=lambda p: p.largest_share)
    return panel, panel.groups, "people"


def tiers(data: ReportData) -> str:
    """The layer furthest from Dunbar's size and the tier least on cadence."""
    if not any(t.people for t in data.tiers):
        return "No tiers filled yet."
    fullest = max(data.tiers, key=lambda t: t.cumulative / t.dunbar)
    relation = "against" if fullest.cumulative > fullest.dunbar else "within"
    parts = [
        f"Tiers 1 to {fullest.tier} hold {fullest.cumulative:,} people, {relation} Dunbar's {fullest.dunbar}"
        if fullest.tier > 1
        else f"Tier 1 holds {fullest.cumulative:,} people, {relation} Dunbar's {fullest.dunbar}"
    ]
    cadenced = [t for t in data.tiers if t.on_cadence_share is not None]
    if cadenced:
        worst = min(cadenced, key=lambda t: t.on_cadence_share or 0.0)
        parts.append(
            f"{worst.on_cadence_share:.0%} of tier {worst.tier} ({worst.name}) is on cadence, the lowest"
        )
    return "; ".join(parts) + "."


def reciprocity(data: ReportData) -> str:
    """The favour balance, thank-yous owed, and who starts conversations."""
    r = data.reciprocity
    started = r.initiated_by_me + r.initiated_by_them
    initiative = (
        f"you start {r.initiated_by_me / started:.0%} of the conversations where it is known"
        if started
        else ""
    )
    if r.favours_given == r.favours_received == 0:
        lead = "No favours recorded yet: log the help you give and receive to see the balance"
        return lead + (f"; {initiative}." if initiative else ".")
    lean = (
        "you give more than you receive"
        if r.favours_given >= r.favours_received
        else "you receive more than you give"
    )
    owed = (
        f"{r.thanks_owed} thank-you{'s are' if r.thanks_owed != 1 else ' is'} owed"
        if r.thanks_owed
        else "no thanks owed"
    )
    parts = [f"You have given {r.favours_given:,} favours and received {r.favours_received:,}: {lean}", owed]
    return "; ".join([*parts, initiative] if initiative else parts) + "."


def network(data: ReportData) -> str:
    """What constraint and effective size say about brokerage."""
    b = data.brokerage
    if b.constraint is None or b.effective_size is None:
        return "Too few links between your people to measure brokerage yet."
    kind = (
        "your contacts mostly know each other: a closed, supportive network"
        if b.constraint >= 0.5
        else "your contacts span groups that do not know each other: room to broker"
    )
    bridges = f"; {len(b.bridges)} people bridge otherwise separate groups" if b.bridges else ""
    return f"Constraint {b.constraint:.2f} and effective size {b.effective_size:.1f}: {kind}{bridges}."
