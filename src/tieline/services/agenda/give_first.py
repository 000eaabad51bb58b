"""Give before you ask: a planned ask of someone you owe puts a give-first line on the agenda."""

from __future__ import annotations

from tieline.repo import asks as asks_repo
from tieline.repo import favours as favours_repo
from tieline.repo import people as people_repo
from tieline.services import asks as asks_service
from tieline.services.agenda.items import AgendaContext, AgendaItem
from tieline.services.favours import Balance

KIND = "give_first"


def collect(ctx: AgendaContext) -> list[AgendaItem]:
    """A line per planned ask while the ledger says you owe that person, with ways to give first."""
    asks = asks_repo.planned(ctx.session, owner_id=ctx.owner_id)
    if not asks:
        return []
    person_ids = sorted({a.person_id for a in asks})
    counts = favours_repo.counts(ctx.session, owner_id=ctx.owner_id, person_ids=person_ids)
    owing = [pid for pid in person_ids if counts.get(pid, (0, 0))[1] > counts.get(pid, (0, 0))[0]]
    people = {p.id: p for p in people_repo.get_many(ctx.session, owner_id=ctx.owner_id, person_ids=owing)}
    weight = float(ctx.prefs["agenda.weight.give_first"])
    # One index of the network's expertise for every ask, built only if someone has needs.
    needy = any(p.topic_values("need") for p in people.values())
    experts = asks_service.Experts(ctx.session, owner_id=ctx.owner_id, at=ctx.now) if needy else None
    ideas_for: dict[int, list[asks_service.Proposal]] = {}
    items = []
    for ask in asks:
        person = people.get(ask.person_id)
        if person is None:
            continue
        balance = Balance(person.id, person.display_name, *counts[person.id])
        if person.id not in ideas_for:
            ideas_for[person.id] = asks_service.proposals(
                ctx.session, owner_id=ctx.owner_id, person=person, day=ctx.day, at=ctx.now, experts=experts
            )
        ideas = ideas_for[person.id]
        reasons = [f"you plan to ask: {ask.text}", balance.explain()]
        reasons += [f"give first: {p.text}" for p in ideas] or [
            "give first: offer help, an introduction or a useful article before asking"
        ]
        items.append(
            AgendaItem(
                key=f"give:{ask.id}",
                kind=KIND,
                title=f"Give to {person.display_name} before you ask",
                reasons=reasons,
                priority=weight,
                person_id=person.id,
                person_name=person.display_name,
                ref_id=ask.id,
                draft="give_first",
            )
        )
    return items
