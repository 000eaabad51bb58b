"""The shapes of growing the network: opportunities, resources, mentorship, knows links,
introductions and goals."""

from __future__ import annotations

from typing import TYPE_CHECKING, NotRequired

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models.growth import Introduction, Opportunity, Resource, ResourceShare
    from tieline.services.goals import Measure, Progress
    from tieline.services.knows import Link
    from tieline.services.mentorship import RelationView
    from tieline.services.opportunities import Source
    from tieline.services.resources import Suggestion


class OpportunityOut(TypedDict):
    """An opportunity, with the names of the person, organisation and event it came from."""

    id: int
    title: str
    kind: str
    stage: str
    stage_on: str | None
    spotted_on: str | None
    due_on: str | None
    person_id: int | None
    person: str | None
    organisation_id: int | None
    organisation: str | None
    event_id: int | None
    event: str | None
    introduction_id: int | None
    notes: str | None


class OpportunitySourceOut(TypedDict):
    """A source of opportunities: counts per stage, won, open and in all."""

    kind: str
    id: int
    name: str
    total: int
    won: int
    open: int
    stages: dict[str, int]


class ResourceShareOut(TypedDict):
    """Who was given a resource, and when."""

    person_id: int
    person: str
    shared_at: str | None


class ResourceOut(TypedDict):
    """A resource; `shared_with` lists who had it (in `tieline resources`)."""

    id: int
    url: str
    title: str | None
    kind: str
    topics: list[str]
    notes: str | None
    shared_with: NotRequired[list[ResourceShareOut]]


class ResourceSuggestionOut(TypedDict):
    """A person to pass a resource to, the score and why."""

    person_id: int
    person: str
    score: float
    reasons: list[str]


class OpenFollowUpOut(TypedDict):
    """An open follow-up or promise of a mentorship relation's person."""

    id: int
    text: str
    due_on: str | None
    promise: bool


class RelationOut(TypedDict):
    """A mentorship relation; `of` is null when it is yours."""

    id: int
    kind: str
    person_id: int
    person: str
    of_id: int | None
    of: str | None
    since: str | None
    until: str | None
    goals: str | None
    notes: str | None
    last_met_at: str | None
    last_session_at: str | None
    last_session_notes: str | None
    open_follow_ups: list[OpenFollowUpOut]


class KnowsOut(TypedDict):
    """A "knows" link seen from `person`: who they know, how strongly (0-1), where it came from."""

    id: int
    person_id: int
    person: str
    other_id: int
    other: str
    source: str
    strength: float | None
    note: str | None


class IntroductionOut(TypedDict):
    """An introduction of A to B, its state and dates, and what to do next."""

    id: int
    person_a_id: int
    person_a: str
    person_b_id: int
    person_b: str
    why: str
    state: str
    asked_a_at: str | None
    asked_b_at: str | None
    made_at: str | None
    declined_at: str | None
    declined_by: int | None
    outcome: str | None
    outcome_at: str | None
    next_step: str | None


class MeasureOut(TypedDict):
    """A goal's value over a span, what it expected by now, and the pace."""

    first_day: str | None
    last_day: str | None
    value: int
    target: int
    expected: float
    pace: str


class CountedOut(TypedDict):
    """One thing that counted towards a goal."""

    id: int
    name: str
    on: str | None


class GoalOut(TypedDict):
    """A goal with its progress."""

    id: int
    kind: str
    label: str | None
    description: str
    target: int
    per_days: int | None
    starts_on: str | None
    ends_on: str | None
    scope: dict[str, object]
    current: MeasureOut
    overall: MeasureOut | None
    days_left: int
    counted: list[CountedOut]


def opportunity(
    item: Opportunity, person: str | None = None, organisation: str | None = None, event: str | None = None
) -> OpportunityOut:
    """An opportunity, with the names of the person, organisation and event it came from."""
    return {
        "id": item.id,
        "title": item.title,
        "kind": item.kind,
        "stage": item.stage,
        "stage_on": iso(item.stage_on),
        "spotted_on": iso(item.spotted_on),
        "due_on": iso(item.due_on),
        "person_id": item.person_id,
        "person": person,
        "organisation_id": item.organisation_id,
        "organisation": organisation,
        "event_id": item.event_id,
        "event": event,
        "introduction_id": item.introduction_id,
        "notes": item.notes,
    }


def opportunity_source(source: Source) -> OpportunitySourceOut:
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


def resource(item: Resource, shares: list[tuple[ResourceShare, str]] | None = None) -> ResourceOut:
    """A resource; `shared_with` lists who had it (in `tieline resources`)."""
    data: ResourceOut = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "kind": item.kind,
        "topics": list(item.topics),
        "notes": item.notes,
    }
    if shares is not None:
        data["shared_with"] = [
            {"person_id": s.person_id, "person": name, "shared_at": iso(s.shared_at)} for s, name in shares
        ]
    return data


def resource_suggestion(item: Suggestion) -> ResourceSuggestionOut:
    """A person to pass a resource to (services.resources.Suggestion), with the score and why."""
    return {"person_id": item.person_id, "person": item.name, "score": item.score, "reasons": item.reasons}


def relation(view: RelationView) -> RelationOut:
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
        "since": iso(item.started_on),
        "until": iso(item.ended_on),
        "goals": item.goals,
        "notes": item.notes,
        "last_met_at": iso(view.last_met_at),
        "last_session_at": iso(last.occurred_at) if last is not None else None,
        "last_session_notes": last.notes if last is not None else None,
        "open_follow_ups": [
            {"id": f.id, "text": f.text, "due_on": iso(f.due_on), "promise": f.is_promise}
            for f in view.open_followups
        ],
    }


def knows(link: Link) -> KnowsOut:
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


def introduction(item: Introduction, a: str, b: str, next_step: str | None) -> IntroductionOut:
    """An introduction of A to B, its state and dates, and what to do next (null when nothing is left)."""
    return {
        "id": item.id,
        "person_a_id": item.person_a_id,
        "person_a": a,
        "person_b_id": item.person_b_id,
        "person_b": b,
        "why": item.why,
        "state": item.state,
        "asked_a_at": iso(item.asked_a_at),
        "asked_b_at": iso(item.asked_b_at),
        "made_at": iso(item.made_at),
        "declined_at": iso(item.declined_at),
        "declined_by": item.declined_by,
        "outcome": item.outcome,
        "outcome_at": iso(item.outcome_at),
        "next_step": next_step,
    }


def _measure(m: Measure) -> MeasureOut:
    return {
        "first_day": iso(m.first_day),
        "last_day": iso(m.last_day),
        "value": m.value,
        "target": m.target,
        "expected": m.expected,
        "pace": m.pace,
    }


def goal_progress(item: Progress) -> GoalOut:
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
        "starts_on": iso(goal.starts_on),
        "ends_on": iso(goal.ends_on),
        "scope": dict(goal.scope or {}),
        "current": _measure(item.current),
        "overall": _measure(item.overall) if item.overall is not None else None,
        "days_left": item.days_left,
        "counted": [{"id": c.id, "name": c.name, "on": iso(c.on)} for c in item.counted],
    }
