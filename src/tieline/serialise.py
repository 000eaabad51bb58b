"""Plain-dict shapes of records, shared by every `--json` output (and later the REST API).

The shapes are documented in docs/cli.md; tests check the keys.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tieline.models import Interaction, Membership, Organisation, Person
from tieline.repo.interactions import TimelineEntry, TimelineItem
from tieline.repo.person_view import MembershipItem, PersonView
from tieline.services.agenda.items import AgendaItem
from tieline.services.scoring import Strength
from tieline.validate import TIER_NAMES


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def birthday_text(person: Person | PersonView) -> str | None:
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
