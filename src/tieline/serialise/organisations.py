"""The shapes of organisations, memberships, and the people you know in an organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING, NotRequired

from typing_extensions import TypedDict

from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models import Membership, Organisation, Person
    from tieline.repo.person_view import MembershipItem, PersonView
    from tieline.services.organisations import Insider


class OrganisationOut(TypedDict):
    """An organisation; `members` counts its members in listings."""

    id: int
    name: str
    kind: str
    industry: str | None
    location: str | None
    website: str | None
    notes: str | None
    parent_id: int | None
    members: NotRequired[int]


class MembershipOut(TypedDict):
    """A membership; `person` is null when it is the owner's own."""

    id: int
    organisation_id: int
    organisation: str | None
    person_id: int | None
    person: str | None
    role: str | None
    since: str | None
    until: str | None


class InsiderOut(TypedDict):
    """Someone you know in an organisation, for `tieline who`."""

    person_id: int
    person: str
    title: str | None
    company: str | None
    current: bool
    strength: float
    memberships: list[MembershipOut]


def organisation(org: Organisation, members: int | None = None) -> OrganisationOut:
    """An organisation, with its member count in listings."""
    data: OrganisationOut = {
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


def membership(item: Membership | MembershipItem, person: Person | PersonView | None = None) -> MembershipOut:
    """A membership; `person` is null when it is the owner's own."""
    return {
        "id": item.id,
        "organisation_id": item.organisation_id,
        "organisation": item.organisation.name if item.organisation else None,
        "person_id": item.person_id,
        "person": person.display_name if person else None,
        "role": item.role,
        "since": iso(item.start_date),
        "until": iso(item.end_date),
    }


def insider(item: Insider) -> InsiderOut:
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
