"""Organisations and memberships: companies, schools, associations, alumni networks, teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tieline import validate
from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import ORGANISATION_KINDS, Membership, Organisation, Person
from tieline.models.base import MAX_ID
from tieline.repo import organisations as organisations_repo
from tieline.text import fold


@dataclass(frozen=True)
class OrganisationView:
    """An organisation with its members, current and past."""

    organisation: Organisation
    members: list[tuple[Membership, Person | None]]


def check_kind(kind: str) -> str:
    """A known organisation kind (alumni-network and alumni_network both accepted)."""
    normalised = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if normalised not in ORGANISATION_KINDS:
        raise InvalidInput(f"unknown organisation kind {kind!r}: use one of {', '.join(ORGANISATION_KINDS)}")
    return normalised


def ensure_organisation(session: Session, *, owner_id: int, name: str, kind: str = "company") -> Organisation:
    """The organisation of this kind and name, created if it does not exist yet."""
    clean = validate.non_empty(name, "organisation name")
    kind = check_kind(kind)
    found = organisations_repo.find_by_name(session, owner_id=owner_id, match_name=fold(clean), kind=kind)
    if found:
        return found[0]
    org = Organisation(owner_id=owner_id, name=clean, match_name=fold(clean), kind=kind)
    session.add(org)
    session.flush()
    return org


def add_organisation(
    session: Session,
    *,
    owner_id: int,
    name: str,
    kind: str = "company",
    industry: str | None = None,
    location: str | None = None,
    website: str | None = None,
    notes: str | None = None,
    parent: Organisation | None = None,
) -> Organisation:
    """Create an organisation; adding one that exists already is an error, not a duplicate."""
    clean = validate.non_empty(name, "organisation name")
    kind = check_kind(kind)
    if organisations_repo.find_by_name(session, owner_id=owner_id, match_name=fold(clean), kind=kind):
        raise InvalidInput(f"there is already a {kind.replace('_', ' ')} named {clean!r}")
    org = Organisation(
        owner_id=owner_id,
        name=clean,
        match_name=fold(clean),
        kind=kind,
        industry=industry,
        location=location,
        website=website,
        notes=notes,
        parent_id=parent.id if parent else None,
    )
    session.add(org)
    session.flush()
    return org


def resolve_organisation(session: Session, *, owner_id: int, text: str) -> Organisation:
    """Find one organisation by id (#3), exact name, then name prefix."""
    query = text.strip()
    number = query.lstrip("#")
    if number.isascii() and number.isdigit():
        org = None
        if int(number) <= MAX_ID:
            org = organisations_repo.get(session, owner_id=owner_id, organisation_id=int(number))
        if org is None:
            raise NotFound(f"no organisation with id {query.lstrip('#')}")
        return org
    folded = fold(query)
    exact = organisations_repo.find_by_name(session, owner_id=owner_id, match_name=folded)
    found = exact or organisations_repo.find_by_name_prefix(session, owner_id=owner_id, prefix=folded)
    if not found:
        raise NotFound(f"no organisation matches {query!r}")
    if len(found) > 1:
        candidates = [f"{o.name} (#{o.id}, {o.kind.replace('_', ' ')})" for o in found]
        raise Ambiguous(f"{query!r} matches {len(found)} organisations: " + "; ".join(candidates), candidates)
    return found[0]


def add_membership(
    session: Session,
    *,
    person: Person | None,
    organisation: Organisation,
    role: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Membership:
    """Record that a person (or the owner, when person is None) belongs or belonged to an organisation."""
    if since and until and until < since:
        raise InvalidInput(f"--until {until} is before --since {since}")
    if person is not None:
        current = organisations_repo.current_membership(
            session, owner_id=organisation.owner_id, person_id=person.id, organisation_id=organisation.id
        )
        if current is not None:
            # Naming an organisation someone is already in updates that membership, not a second one.
            current.role = role if role is not None else current.role
            current.start_date = since or current.start_date
            current.end_date = until
            session.flush()
            return current
    membership = Membership(
        owner_id=organisation.owner_id,
        person_id=person.id if person else None,
        organisation_id=organisation.id,
        role=role,
        start_date=since,
        end_date=until,
    )
    session.add(membership)
    session.flush()
    return membership


def view(session: Session, organisation: Organisation) -> OrganisationView:
    """An organisation with everyone who is or was in it."""
    members = organisations_repo.memberships_of_organisation(
        session, owner_id=organisation.owner_id, organisation_id=organisation.id
    )
    return OrganisationView(organisation=organisation, members=members)
