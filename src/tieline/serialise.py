"""Plain-dict shapes of records, shared by every `--json` output (and later the REST API).

The shapes are documented in docs/cli.md; tests check the keys.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tieline.models import Favour, ImportRun, Interaction, Membership, Organisation, Person
from tieline.models.followup import FollowUp
from tieline.models.growth import Event, EventAttendee, Introduction, Opportunity, Resource, ResourceShare
from tieline.repo.interactions import TimelineEntry, TimelineItem
from tieline.repo.person_view import MembershipItem, PersonSummary, PersonView
from tieline.services.agenda.items import AgendaItem
from tieline.services.events import Encounter
from tieline.services.favours import Balance
from tieline.services.knows import Link
from tieline.services.mentorship import RelationView
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


def birthday_text(person: Person | PersonView) -> str | None:
    """YYYY-MM-DD, or --MM-DD when the year is unknown (the vCard convention)."""
    if person.birthday_month is None or person.birthday_day is None:
        return None
    year = f"{person.birthday_year:04d}" if person.birthday_year else "-"
    return f"{year}-{person.birthday_month:02d}-{person.birthday_day:02d}"


def person_summary(person: Person | PersonSummary) -> dict[str, Any]:
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


def person_full(person: Person | PersonView) -> dict[str, Any]:
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


def interaction(item: Interaction | TimelineItem, others: list[str] | None = None) -> dict[str, Any]:
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


def membership(
    item: Membership | MembershipItem, person: Person | PersonView | None = None
) -> dict[str, Any]:
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


def opportunity(
    item: Opportunity, person: str | None = None, organisation: str | None = None, event: str | None = None
) -> dict[str, Any]:
    """An opportunity, with the names of the person, organisation and event it came from."""
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind,
        "stage": item.stage,
        "stage_on": _iso(item.stage_on),
        "spotted_on": _iso(item.spotted_on),
        "due_on": _iso(item.due_on),
        "person_id": item.person_id,
        "person": person,
        "organisation_id": item.organisation_id,
        "organisation": organisation,
        "event_id": item.event_id,
        "event": event,
        "introduction_id": item.introduction_id,
        "notes": item.notes,
    }


def opportunity_source(source: Any) -> dict[str, Any]:
    """A source of opportunities (services.opportunities.Source): counts per stage, won, open, total."""
    return {
        "kind": source.kind,
        "id": source.id,
        "name": source.name,
        "total": source.total,
        "won": source.won,
        "open": source.open,
        "stages": dict(source.stages),
    }


def resource(item: Resource, shares: list[tuple[ResourceShare, str]] | None = None) -> dict[str, Any]:
    """A resource; `shared_with` lists who had it (in `tieline resources`)."""
    data: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "kind": item.kind,
        "topics": list(item.topics),
        "notes": item.notes,
    }
    if shares is not None:
        data["shared_with"] = [
            {"person_id": s.person_id, "person": name, "shared_at": _iso(s.shared_at)} for s, name in shares
        ]
    return data


def resource_suggestion(item: Any) -> dict[str, Any]:
    """A person to pass a resource to (services.resources.Suggestion), with the score and why."""
    return {"person_id": item.person_id, "person": item.name, "score": item.score, "reasons": item.reasons}


def event(item: Event, organiser: str | None = None) -> dict[str, Any]:
    """An event, with its organiser's name."""
    return {
        "id": item.id,
        "name": item.name,
        "kind": item.kind,
        "starts_on": _iso(item.starts_on),
        "ends_on": _iso(item.ends_on),
        "place": item.place,
        "organiser_id": item.organiser_id,
        "organiser": organiser,
        "goals": item.goals,
        "notes": item.notes,
    }


def event_summary(
    item: Event, organiser: str | None, met: int, attended: int, followed_up: int
) -> dict[str, Any]:
    """An event in a listing: the event plus how many people you met, saw and followed up."""
    return {**event(item, organiser), "met": met, "attended": attended, "followed_up": followed_up}


def event_attendee(item: EventAttendee, person: Person, follow_up: FollowUp | None = None) -> dict[str, Any]:
    """A person at an event: met (with when, a note and the follow-up it opened) or only there."""
    return {
        "person_id": item.person_id,
        "person": person.display_name,
        "met": item.met,
        "met_at": _iso(item.met_at),
        "note": item.note,
        "follow_up_id": item.follow_up_id,
        "follow_up_due_on": _iso(follow_up.due_on) if follow_up is not None else None,
    }


def encounter(item: Encounter) -> dict[str, Any]:
    """Someone just recorded at an event (services.events.Encounter): the attendee, whether the person
    is new, whether they were recorded before, and a known person whose name is close."""
    return {
        **event_attendee(item.attendee, item.person, item.follow_up),
        "created": item.created,
        "already": item.already,
        "looks_like_id": item.similar.id if item.similar is not None else None,
    }


def event_return(result: Any) -> dict[str, Any]:
    """An event's return (services.events.EventReturn)."""
    return {
        "met": result.met,
        "followed_up_in_time": result.followed_up_in_time,
        "still_in_touch": result.still_in_touch,
        "opportunities": result.opportunities,
        "won": result.won,
        "line": result.line(),
    }


def event_person(entry: Any) -> dict[str, Any]:
    """Someone on an event's page (services.events.EventPerson): follow-up, last contact, strength."""
    row = entry.row
    follow_up = row.follow_up
    return {
        **event_attendee(row.attendee, row.person, follow_up),
        "follow_up_status": entry.follow_up_state,
        "followed_up_at": _iso(follow_up.done_at)
        if follow_up is not None and follow_up.status == "done"
        else None,
        "followed_up_in_time": entry.in_time,
        "last_contact_after": _iso(row.last_contact_after),
        "still_in_touch": entry.still_in_touch,
        "strength": entry.strength,
    }


def event_page(report: Any) -> dict[str, Any]:
    """`tieline event show --json` (services.events.EventReport)."""
    return {
        **event(report.event, report.organiser.name if report.organiser else None),
        "met_people": [event_person(p) for p in report.met],
        "attended_people": [event_person(p) for p in report.attended],
        "opportunities": [
            opportunity(o, person, event=report.event.name if o.event_id == report.event.id else None)
            for o, person in report.opportunities
        ],
        "return": event_return(report.result),
    }


def relation(view: RelationView) -> dict[str, Any]:
    """A mentorship relation; `of` is null when it is yours. What was agreed: the latest session's notes
    and the person's open follow-ups."""
    item, last = view.relation, view.last_session
    return {
        "id": item.id,
        "kind": item.kind,
        "person_id": item.person_id,
        "person": view.person,
        "of_id": item.other_id,
        "of": view.other,
        "since": _iso(item.started_on),
        "until": _iso(item.ended_on),
        "goals": item.goals,
        "notes": item.notes,
        "last_met_at": _iso(view.last_met_at),
        "last_session_at": _iso(last.occurred_at) if last is not None else None,
        "last_session_notes": last.notes if last is not None else None,
        "open_follow_ups": [
            {"id": f.id, "text": f.text, "due_on": _iso(f.due_on), "promise": f.is_promise}
            for f in view.open_followups
        ],
    }


def knows(link: Link) -> dict[str, Any]:
    """A "knows" link seen from `person`: who they know, how strongly (0-1), and where it came from."""
    return {
        "id": link.knows.id,
        "person_id": link.person.id,
        "person": link.person.display_name,
        "other_id": link.other.id,
        "other": link.other.display_name,
        "source": link.knows.source,
        "strength": link.knows.strength,
        "note": link.knows.note,
    }


def introduction(item: Introduction, a: str, b: str, next_step: str | None) -> dict[str, Any]:
    """An introduction of A to B, its state and dates, and what to do next (null when nothing is left)."""
    return {
        "id": item.id,
        "person_a_id": item.person_a_id,
        "person_a": a,
        "person_b_id": item.person_b_id,
        "person_b": b,
        "why": item.why,
        "state": item.state,
        "asked_a_at": _iso(item.asked_a_at),
        "asked_b_at": _iso(item.asked_b_at),
        "made_at": _iso(item.made_at),
        "declined_at": _iso(item.declined_at),
        "declined_by": item.declined_by,
        "outcome": item.outcome,
        "outcome_at": _iso(item.outcome_at),
        "next_step": next_step,
    }


def insider(item: Any) -> dict[str, Any]:
    """Someone you know in an organisation (services.organisations.Insider), for `tieline who`."""
    return {
        "person_id": item.person.id,
        "person": item.person.display_name,
        "title": item.person.title,
        "company": item.person.company,
        "current": item.current,
        "strength": item.strength,
        "memberships": [membership(m, item.person) for m, _ in item.memberships],
    }


def _measure(m: Any) -> dict[str, Any]:
    return {
        "first_day": _iso(m.first_day),
        "last_day": _iso(m.last_day),
        "value": m.value,
        "target": m.target,
        "expected": m.expected,
        "pace": m.pace,
    }


def goal_progress(item: Any) -> dict[str, Any]:
    """A goal with its progress (services.goals.Progress): the current span, the whole window for a
    rate goal (`overall`, else null), and what counted (for tier_on_cadence: who is overdue)."""
    goal = item.goal
    return {
        "id": goal.id,
        "kind": goal.kind,
        "label": goal.label,
        "description": item.description,
        "target": goal.target,
        "per_days": goal.per_days,
        "starts_on": _iso(goal.starts_on),
        "ends_on": _iso(goal.ends_on),
        "scope": dict(goal.scope or {}),
        "current": _measure(item.current),
        "overall": _measure(item.overall) if item.overall is not None else None,
        "days_left": item.days_left,
        "counted": [{"id": c.id, "name": c.name, "on": _iso(c.on)} for c in item.counted],
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


def favour(item: Favour, person: str | None = None) -> dict[str, Any]:
    """A favour; the API adds the person's name (`person`), the CLI lists favours under the person."""
    doc = {
        "id": item.id,
        "person_id": item.person_id,
        "direction": item.direction,
        "kind": item.kind,
        "text": item.text,
        "occurred_at": item.occurred_at.isoformat(),
        "thanked_at": _iso(item.thanked_at),
    }
    return doc if person is None else {**doc, "person": person}


def favour_balance(item: Balance) -> dict[str, Any]:
    """A person's favour balance (positive: you owe them)."""
    return {
        "person_id": item.person_id,
        "person": item.name,
        "given": item.given,
        "received": item.received,
        "balance": item.balance,
        "owe_them": item.owe_them,
    }


def followup(item: FollowUp, person: str | None) -> dict[str, Any]:
    """A follow-up, with the name of the person it is about (None for one about nobody)."""
    return {
        "id": item.id,
        "person_id": item.person_id,
        "person": person,
        "text": item.text,
        "due_on": item.due_on.isoformat(),
        "every_days": item.every_days,
        "promise": item.is_promise,
        "status": item.status,
        "done_at": _iso(item.done_at),
    }


RUN_COUNTS = ("records", "added", "updated", "merged", "unchanged", "skipped")


def import_run(run: ImportRun) -> dict[str, Any]:
    """An import run, with its totals."""
    return {
        "id": run.id,
        "format": run.format,
        "path": run.path,
        "started_at": run.started_at.isoformat(),
        "finished_at": _iso(run.finished_at),
        "undone_at": _iso(run.undone_at),
        "counts": {k: run.counts.get(k, 0) for k in RUN_COUNTS},
    }
