"""The shapes of a person: in listings and search results, with every field, and on their page.

A person's fields are declared in `services/person_fields.py`; PersonOut and `person_full` spell
them out (one dict literal, for speed: the CSV and JSON exports build one per person), and
`tests/services/test_person_fields.py` fails when they leave the table's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.interactions import InteractionOut, timeline
from tieline.serialise.network import CommonGroundOut, common_ground
from tieline.serialise.organisations import MembershipOut, membership
from tieline.serialise.values import birthday_text, iso
from tieline.validate import TIER_NAMES

if TYPE_CHECKING:
    from tieline.analytics.common import CommonGround
    from tieline.models import Person
    from tieline.repo.person_view import PersonSummary, PersonView
    from tieline.services.people import PersonProfile
    from tieline.services.scoring import Strength


class EmailOut(TypedDict):
    """An email address with its label (home, work...)."""

    address: str
    label: str | None


class PhoneOut(TypedDict):
    """A phone number as typed, with its label."""

    number: str
    label: str | None


class LinkOut(TypedDict):
    """A web address, its kind (linkedin, github, twitter, mastodon, website) and label."""

    url: str
    kind: str
    label: str | None


class PersonSummaryOut(TypedDict):
    """A person in a listing."""

    id: int
    name: str
    title: str | None
    company: str | None
    tier: int
    tier_name: str
    emails: list[str]
    tags: list[str]
    archived: bool
    last_contact_at: str | None


class SearchHitOut(PersonSummaryOut):
    """A search result: higher scores match better."""

    score: float


class PersonOut(TypedDict):
    """Every field of a person (services/person_fields.py), in the table's order."""

    id: int
    name: str
    given_name: str | None
    middle_name: str | None
    family_name: str | None
    name_prefix: str | None
    name_suffix: str | None
    nickname: str | None
    title: str | None
    company: str | None
    department: str | None
    industry: str | None
    location: str | None
    birthday: str | None
    met_how: str | None
    met_where: str | None
    met_on: str | None
    tier: int
    tier_name: str
    cadence_days: int | None
    closeness: int | None
    emails: list[EmailOut]
    phones: list[PhoneOut]
    links: list[LinkOut]
    tags: list[str]
    interests: list[str]
    expertise: list[str]
    needs: list[str]
    notes: str | None
    archived: bool
    last_contact_at: str | None
    source: str | None
    source_id: str | None
    created_at: str | None
    updated_at: str | None


class StrengthOut(TypedDict):
    """A tie strength (0-100) with its parts (null where a part had no data) and their weights."""

    total: float
    parts: dict[str, float | None]
    weights: dict[str, float]


class PersonPageOut(PersonOut):
    """`tieline show --json`: the person, with `cadence_days` the effective cadence, and their page."""

    memberships: list[MembershipOut]
    interaction_count: int
    strength: StrengthOut
    next_due: str | None
    timeline: list[InteractionOut]
    common_ground: CommonGroundOut


class PersonTieOut(PersonOut):
    """A person as the API returns one: every field, the tie strength and the effective cadence."""

    strength: StrengthOut
    effective_cadence_days: int | None
    next_due: str | None


def person_summary(person: Person | PersonSummary) -> PersonSummaryOut:
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
        "last_contact_at": iso(person.last_contact_at),
    }


def search_hit(person: Person | PersonSummary, score: float) -> SearchHitOut:
    """A search result: the person's summary and how well they matched."""
    return {**person_summary(person), "score": score}


def person_full(person: Person | PersonView) -> PersonOut:
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
        "met_on": iso(person.met_on),
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
        "last_contact_at": iso(person.last_contact_at),
        "source": person.source,
        "source_id": person.source_id,
        "created_at": iso(person.created_at),
        "updated_at": iso(person.updated_at),
    }


def strength(value: Strength) -> StrengthOut:
    """A tie strength with its parts (null where a part had no data) and the weights used."""
    return {
        "total": value.total,
        "parts": {k: (round(v, 1) if v is not None else None) for k, v in value.parts.items()},
        "weights": value.weights,
    }


def person_page(profile: PersonProfile, ground: CommonGround) -> PersonPageOut:
    """A person's page (`tieline show --json`): every field, memberships, strength, timeline and what
    you share; `cadence_days` is the effective cadence (their own, else their tier's)."""
    person = profile.person
    return {
        **person_full(person),
        "cadence_days": profile.cadence_days,  # keeps its place among the fields
        "memberships": [membership(m, person) for m in profile.memberships],
        "interaction_count": profile.interaction_count,
        "strength": strength(profile.strength),
        "next_due": iso(profile.next_due),
        "timeline": timeline(profile.timeline),
        "common_ground": common_ground(ground),
    }


def person_with_tie(person: Person | PersonView, profile: PersonProfile) -> PersonTieOut:
    """A person as the API returns one: every field, then strength and the effective cadence."""
    return {
        **person_full(person),
        "strength": strength(profile.strength),
        "effective_cadence_days": profile.cadence_days,
        "next_due": iso(profile.next_due),
    }
