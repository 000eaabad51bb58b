"""Plain-dict shapes of records, shared by every `--json` output (and later the REST API).

The shapes are documented in docs/cli.md; tests check the keys.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tieline.models import Interaction, Membership, Organisation, Person
from tieline.repo.interactions import TimelineEntry
from tieline.services.agenda.items import AgendaItem
from tieline.services.scoring import Strength
from tieline.validate import TIER_NAMES

if TYPE_CHECKING:
    from tieline.analytics.common import CommonGround
    from tieline.analytics.intros import IntroSuggestion, PersonSuggestion
    from tieline.analytics.measures import Spread
    from tieline.analytics.paths import AskSuggestion, Reconnect, WarmPath
    from tieline.analytics.stats import NetworkStats


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def birthday_text(person: Person) -> str | None:
    """YYYY-MM-DD, or --MM-DD when the year is unknown (the vCard convention)."""
    if person.birthday_month is None or person.birthday_day is None:
        return None
    year = f"{person.birthday_year:04d}" if person.birthday_year else "-"
    return f"{year}-{person.birthday_month:02d}-{person.birthday_day:02d}"


def person_summary(person: Person) -> dict[str, Any]:
    """The short shape used in listings and search results."""
    return {
        "id": person.id,
        "name": person.display_name,
        "title": person.title,
        "company": person.company,
        "tier": person.tier,
        "tier_name": TIER_NAMES[person.tier],
        "emails": [e.address for e in person.emails],
        "tags": [t.tag for t in person.tags],
        "archived": person.archived,
        "last_contact_at": _iso(person.last_contact_at),
    }


def person_full(person: Person) -> dict[str, Any]:
    """Every field of a person."""
    return {
        "id": person.id,
        "name": person.display_name,
        "given_name": person.given_name,
        "middle_name": person.middle_name,
        "family_name": person.family_name,
        "name_prefix": person.name_prefix,
        "name_suffix": person.name_suffix,
        "nickname": person.nickname,
        "title": person.title,
        "company": person.company,
        "department": person.department,
        "industry": person.industry,
        "location": person.location,
        "birthday": birthday_text(person),
        "met_how": person.met_how,
        "met_where": person.met_where,
        "met_on": _iso(person.met_on),
        "tier": person.tier,
        "tier_name": TIER_NAMES[person.tier],
        "cadence_days": person.cadence_days,
        "closeness": person.closeness,
        "emails": [{"address": e.address, "label": e.label} for e in person.emails],
        "phones": [{"number": p.number, "label": p.label} for p in person.phones],
        "links": [{"url": link.url, "kind": link.kind, "label": link.label} for link in person.links],
        "tags": [t.tag for t in person.tags],
        "interests": person.topic_values("interest"),
        "expertise": person.topic_values("expertise"),
        "needs": person.topic_values("need"),
        "notes": person.notes,
        "archived": person.archived,
        "last_contact_at": _iso(person.last_contact_at),
        "source": person.source,
        "source_id": person.source_id,
        "created_at": _iso(person.created_at),
        "updated_at": _iso(person.updated_at),
    }


def interaction(item: Interaction, others: list[str] | None = None) -> dict[str, Any]:
    """An interaction; `with` names the other participants when shown on a person's timeline."""
    data: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind,
        "occurred_at": _iso(item.occurred_at),
        "initiated_by": item.initiated_by,
        "channel": item.channel,
        "subject": item.subject,
        "notes": item.notes,
    }
    if others is not None:
        data["with"] = others
    return data


def timeline(entries: list[TimelineEntry]) -> list[dict[str, Any]]:
    """A person's timeline."""
    return [interaction(e.interaction, e.others) for e in entries]


def organisation(org: Organisation, members: int | None = None) -> dict[str, Any]:
    """An organisation, with its member count in listings."""
    data: dict[str, Any] = {
        "id": org.id,
        "name": org.name,
        "kind": org.kind,
        "industry": org.industry,
        "location": org.location,
        "website": org.website,
        "notes": org.notes,
        "parent_id": org.parent_id,
    }
    if members is not None:
        data["members"] = members
    return data


def membership(item: Membership, person: Person | None = None) -> dict[str, Any]:
    """A membership; `person` is null when it is the owner's own."""
    return {
        "id": item.id,
        "organisation_id": item.organisation_id,
        "organisation": item.organisation.name if item.organisation else None,
        "person_id": item.person_id,
        "person": person.display_name if person else None,
        "role": item.role,
        "since": _iso(item.start_date),
        "until": _iso(item.end_date),
    }


def strength(value: Strength) -> dict[str, Any]:
    """A tie strength with its parts (null where a part had no data) and the weights used."""
    return {
        "total": value.total,
        "parts": {k: (round(v, 1) if v is not None else None) for k, v in value.parts.items()},
        "weights": value.weights,
    }


def agenda_item(item: AgendaItem) -> dict[str, Any]:
    """An agenda line: its stable key, kind, title, reasons, priority and person."""
    return {
        "key": item.key,
        "kind": item.kind,
        "title": item.title,
        "reasons": item.reasons,
        "also": item.also,
        "priority": round(item.priority, 4),
        "person_id": item.person_id,
        "person": item.person_name,
        "due_on": _iso(item.due_on),
    }


def common_ground(ground: CommonGround) -> dict[str, Any]:
    """What two people (or you and a person) share, strongest first, each item with its evidence."""
    return {
        "a_id": ground.a_id,
        "a": ground.a_name,
        "b_id": ground.b_id,
        "b": ground.b_name,
        "score": ground.score,
        "mutual_contacts": ground.mutual_contacts,
        "items": [
            {
                "kind": i.kind,
                "label": i.label,
                "weight": i.weight,
                "evidence": i.evidence,
                "person_id": i.person_id,
            }
            for i in ground.items
        ],
    }


def intro_suggestion(item: IntroSuggestion) -> dict[str, Any]:
    """Two people worth introducing: the score, its parts and why."""
    return {
        "a_id": item.a_id,
        "a": item.a_name,
        "b_id": item.b_id,
        "b": item.b_name,
        "score": item.score,
        "complementarity": item.complementarity,
        "novelty": item.novelty,
        "reasons": item.reasons,
    }


def person_suggestion(item: PersonSuggestion) -> dict[str, Any]:
    """Someone you should know better, through whom and why."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "score": item.score,
        "strength": item.strength,
        "via": [{"person_id": pid, "person": name} for pid, name in item.via],
        "reasons": item.reasons,
    }


def reconnect_suggestion(item: Reconnect) -> dict[str, Any]:
    """A dormant tie worth reviving: past strength x novelty x engagement."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "score": item.score,
        "past_strength": item.past_strength,
        "novelty": item.novelty,
        "engagement": item.engagement,
        "days_since": item.days_since,
        "reasons": item.reasons,
    }


def ask_suggestion(item: AskSuggestion) -> dict[str, Any]:
    """Someone to ask about roles at an organisation."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "score": item.score,
        "strength": item.strength,
        "relation": item.relation,
        "reasons": item.reasons,
    }


def warm_path(path: WarmPath | None, target: str) -> dict[str, Any]:
    """The strongest chain from you to a target (steps empty and strength 0 when there is none)."""
    if path is None:
        return {"target": target, "strength": 0.0, "steps": []}
    return {
        "target": path.target,
        "strength": path.strength,
        "steps": [
            {"person_id": s.person_id, "person": s.name, "strength": s.strength, "evidence": s.evidence}
            for s in path.steps
        ],
    }


def _spread(value: Spread) -> dict[str, Any]:
    return {
        "known": value.known,
        "groups": value.groups,
        "entropy": value.entropy,
        "largest": value.largest,
        "largest_share": value.largest_share,
    }


def network_stats(stats: NetworkStats) -> dict[str, Any]:
    """`tieline stats`: tiers against Dunbar's layers, tie states, strengths, diversity, brokerage,
    clusters, growth, reciprocity and returns."""
    ego = stats.brokerage
    recip = stats.reciprocity
    return {
        "date": stats.day.isoformat(),
        "counts": asdict(stats.counts),
        "strong_threshold": stats.strong_threshold,
        "tiers": [asdict(t) for t in stats.tiers],
        "dunbar_layers": list(stats.dunbar_layers),
        "strength_bins": [asdict(b) for b in stats.bins],
        "diversity": [
            {"dimension": d.dimension, "unknown": d.unknown, **_spread(d.all), "strong": _spread(d.strong)}
            for d in stats.diversity
        ],
        "brokerage": {
            "alters": ego.alters,
            "constraint": round(ego.constraint, 6),
            "effective_size": round(ego.effective_size, 3),
            "efficiency": round(ego.efficiency, 4),
        },
        "bridges": [asdict(b) for b in stats.bridges],
        "clusters": [
            {
                "id": c.id,
                "label": c.label,
                "size": c.size,
                "top": [{"person_id": p, "person": n} for p, n in c.top],
            }
            for c in stats.clusters
        ],
        "growth": [
            {"month": m.month.strftime("%Y-%m"), "new_people": m.new_people, "interactions": m.interactions}
            for m in stats.growth
        ],
        "on_cadence_share": round(stats.on_cadence_share, 4) if stats.on_cadence_share is not None else None,
        "reciprocity": asdict(recip) if recip else None,
        "returns": [asdict(r) for r in stats.returns],
    }
