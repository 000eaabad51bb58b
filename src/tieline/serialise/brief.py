"""The shape of the meeting brief (`tieline brief --json`, `GET /api/v1/people/{id}/brief`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.services.brief import Brief


class BriefWhoOut(TypedDict):
    """Who they are now, and how and since when you know them (`since`: met on, else first contact)."""

    id: int
    name: str
    title: str | None
    company: str | None
    organisation: str | None
    role: str | None
    location: str | None
    tier: int
    tier_name: str
    met_how: str | None
    met_where: str | None
    met_on: str | None
    since: str | None


class BriefTieOut(TypedDict):
    """The tie: strength now (0-100), band (never, dormant, weak, strong), trend (new, warming,
    steady, cooling), last contact and cadence."""

    strength: float
    band: str
    trend: str
    last_contact_at: str | None
    days_since_contact: int | None
    cadence_days: int | None
    next_due: str | None
    overdue: bool
    interactions: int


class BriefNoteOut(TypedDict):
    """What they told you: one interaction's notes, newest first."""

    ref: str
    interaction_id: int
    occurred_at: str
    kind: str
    subject: str | None
    notes: str
    others: list[str]


class BriefTopicOut(TypedDict):
    """Something they need, are interested in, or know (kind: need, interest, expertise)."""

    ref: str
    kind: str
    value: str


class BriefOfferOut(TypedDict):
    """Something you could offer: a resource on one of their topics, or an introduction for a need."""

    ref: str
    kind: str
    text: str
    topic: str
    resource_id: int | None
    url: str | None
    person_id: int | None


class BriefPromiseOut(TypedDict):
    """Something owed, by `you` or by `them` (kind: follow_up, promise, thanks, favours)."""

    ref: str
    kind: str
    owed_by: str
    text: str
    due_on: str | None
    overdue: bool


class BriefMilestoneOut(TypedDict):
    """A milestone near today; `days_from_today` is negative for one past."""

    ref: str
    kind: str
    on: str
    text: str
    days_from_today: int


class BriefSharedOut(TypedDict):
    """Common ground (section: organisations, events, topics, contacts), with its evidence."""

    ref: str
    section: str
    kind: str
    label: str
    evidence: list[str]


class BriefSourceOut(TypedDict):
    """Where an opener came from: a section of the brief and the `ref` of its row there."""

    section: str
    ref: str
    label: str


class BriefOpenerOut(TypedDict):
    """A suggested first line and its source."""

    text: str
    source: BriefSourceOut


class BriefOut(TypedDict):
    """The meeting brief on one person."""

    person: BriefWhoOut
    tie: BriefTieOut
    notes: list[BriefNoteOut]
    cares: list[BriefTopicOut]
    offers: list[BriefOfferOut]
    promises: list[BriefPromiseOut]
    milestones: list[BriefMilestoneOut]
    common_ground: list[BriefSharedOut]
    openers: list[BriefOpenerOut]
    today: str


def brief_json(brief: Brief) -> BriefOut:
    """The brief as JSON."""
    who, tie = brief.who, brief.tie
    return {
        "person": {
            "id": who.person_id,
            "name": who.name,
            "title": who.title,
            "company": who.company,
            "organisation": who.organisation,
            "role": who.role,
            "location": who.location,
            "tier": who.tier,
            "tier_name": who.tier_name,
            "met_how": who.met_how,
            "met_where": who.met_where,
            "met_on": iso(who.met_on),
            "since": iso(who.since),
        },
        "tie": {
            "strength": tie.strength,
            "band": tie.band,
            "trend": tie.trend,
            "last_contact_at": iso(tie.last_contact_at),
            "days_since_contact": tie.days_since_contact,
            "cadence_days": tie.cadence_days,
            "next_due": iso(tie.next_due),
            "overdue": tie.overdue,
            "interactions": tie.interactions,
        },
        "notes": [
            {
                "ref": n.ref,
                "interaction_id": n.interaction_id,
                "occurred_at": n.occurred_at.isoformat(),
                "kind": n.kind,
                "subject": n.subject,
                "notes": n.notes,
                "others": list(n.others),
            }
            for n in brief.notes
        ],
        "cares": [{"ref": t.ref, "kind": t.kind, "value": t.value} for t in brief.cares],
        "offers": [
            {
                "ref": o.ref,
                "kind": o.kind,
                "text": o.text,
                "topic": o.topic,
                "resource_id": o.resource_id,
                "url": o.url,
                "person_id": o.person_id,
            }
            for o in brief.offers
        ],
        "promises": [
            {
                "ref": p.ref,
                "kind": p.kind,
                "owed_by": p.owed_by,
                "text": p.text,
                "due_on": iso(p.due_on),
                "overdue": p.overdue,
            }
            for p in brief.promises
        ],
        "milestones": [
            {
                "ref": m.ref,
                "kind": m.kind,
                "on": m.on.isoformat(),
                "text": m.text,
                "days_from_today": m.days_from_today,
            }
            for m in brief.milestones
        ],
        "common_ground": [
            {
                "ref": c.ref,
                "section": c.section,
                "kind": c.kind,
                "label": c.label,
                "evidence": list(c.evidence),
            }
            for c in brief.common
        ],
        "openers": [
            {
                "text": o.text,
                "source": {"section": o.source.section, "ref": o.source.ref, "label": o.source.label},
            }
            for o in brief.openers
        ],
        "today": brief.today.isoformat(),
    }
