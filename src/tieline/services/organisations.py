"""Organisations and memberships: companies, schools, associations, alumni networks, teams."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tieline import validate
from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import ORGANISATION_KINDS, Membership, Organisation, Person, Tie
from tieline.models.base import MAX_ID
from tieline.repo import organisations as organisations_repo
from tieline.repo.organisations import OrganisationCounts, OrganisationLine, PairMembership
from tieline.services import preferences, scoring
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


@dataclass(frozen=True)
class Insider:
    """Someone you know in an organisation (or one under it), with their memberships there."""

    person: Person
    memberships: list[tuple[Membership, Organisation]]  # current first, then newest first
    current: bool
    strength: float


@dataclass(frozen=True)
class CommonMembership:
    """An organisation both you and a person belong or belonged to, with each side's memberships.

    `overlap` is the longest stretch you were both there, from memberships with known start dates
    (an open end counts as today), or None when the dates do not show one.
    """

    organisation: OrganisationLine
    mine: list[PairMembership]
    theirs: list[PairMembership]
    overlap: tuple[date, date] | None


def is_current(membership: Membership | PairMembership, *, today: date) -> bool:
    """A membership with no end date, or one ending today or later."""
    return membership.end_date is None or membership.end_date >= today


def who(session: Session, organisation: Organisation, *, now: datetime) -> list[Insider]:
    """The people you know in an organisation and everything under it: current members first,
    then past ones, each group strongest tie first."""
    owner_id = organisation.owner_id
    today = now.astimezone().date()
    prefs = preferences.load(session, owner_id=owner_id)
    grouped: dict[int, tuple[Person, Tie | None, list[tuple[Membership, Organisation]]]] = {}
    for m, org, person, tie in organisations_repo.members_of_tree(
        session, owner_id=owner_id, organisation_id=organisation.id
    ):
        grouped.setdefault(person.id, (person, tie, []))[2].append((m, org))
    insiders = []
    for person, tie, memberships in grouped.values():
        memberships.sort(key=lambda pair: not is_current(pair[0], today=today))
        insiders.append(
            Insider(
                person=person,
                memberships=memberships,
                current=is_current(memberships[0][0], today=today),
                strength=scoring.strength(person, tie, at=now, prefs=prefs).total,
            )
        )
    insiders.sort(key=lambda i: (not i.current, -i.strength, i.person.sort_name, i.person.id))
    return insiders


def common_memberships(
    session: Session, *, owner_id: int, person_id: int, today: date, other_id: int | None = None
) -> list[CommonMembership]:
    """The organisations a person shares with you (your memberships have no person), or with
    `other_id`, most specific first: both in Acme's data team gives the data team, one in data and
    one in sales gives Acme. `mine` holds your (or the other's) memberships, `theirs` the person's."""
    memberships = organisations_repo.memberships_of_pair(
        session, owner_id=owner_id, person_id=person_id, other_id=other_id
    )
    orgs = organisations_repo.with_ancestors(
        session, owner_id=owner_id, organisation_ids=sorted({m.organisation_id for m in memberships})
    )
    lines: dict[int, list[int]] = {org_id: _line_up(org_id, orgs) for org_id in orgs}
    mine: dict[int, list[PairMembership]] = {}
    theirs: dict[int, list[PairMembership]] = {}
    for m in memberships:
        side = theirs if m.person_id == person_id else mine
        for org_id in lines.get(m.organisation_id, [m.organisation_id]):
            side.setdefault(org_id, []).append(m)
    shared = set(mine) & set(theirs)
    # Keep the most specific: drop an organisation when one of its departments is shared too.
    specific = [o for o in shared if not any(o != other and o in lines[other] for other in shared)]
    found = [
        CommonMembership(orgs[o], mine[o], theirs[o], _overlap(mine[o], theirs[o], today=today))
        for o in specific
    ]
    found.sort(
        key=lambda c: (
            c.overlap is None,
            -(c.overlap[1].toordinal() if c.overlap else 0),
            c.organisation.match_name,
        )
    )
    return found


def _line_up(org_id: int, orgs: dict[int, OrganisationLine]) -> list[int]:
    """The organisation and its parents, nearest first (a parent loop stops at the first repeat)."""
    line: list[int] = []
    current: int | None = org_id
    while current is not None and current in orgs and current not in line:
        line.append(current)
        current = orgs[current].parent_id
    return line


def _overlap(
    mine: list[PairMembership], theirs: list[PairMembership], *, today: date
) -> tuple[date, date] | None:
    best: tuple[date, date] | None = None
    for a in mine:
        for b in theirs:
            if a.start_date is None or b.start_date is None:
                continue
            start = max(a.start_date, b.start_date)
            end = min(a.end_date or today, b.end_date or today)
            if start <= end and (best is None or (end - start) > (best[1] - best[0])):
                best = (start, end)
    return best


@dataclass(frozen=True)
class OrganisationPage:
    """What an organisation's page shows: where it sits, its members now and before, and yours."""

    organisation: Organisation
    parent: Organisation | None
    departments: list[OrganisationCounts]
    current: list[tuple[Membership, Person]]
    past: list[tuple[Membership, Person]]
    mine: list[Membership]  # your own memberships, current first


def listing(
    session: Session, *, owner_id: int, today: date, kind: str = "", query: str = "", limit: int = 200
) -> tuple[list[OrganisationCounts], int]:
    """Organisations by name, filtered by kind and a piece of their name, with current member
    counts; and how many match in all."""
    checked = check_kind(kind) if kind.strip() else None
    part = fold(query) or None
    rows = organisations_repo.listing(
        session, owner_id=owner_id, today=today, kind=checked, name_part=part, limit=limit
    )
    if len(rows) < limit:
        return rows, len(rows)
    return rows, organisations_repo.count_matching(session, owner_id=owner_id, kind=checked, name_part=part)


def with_member_counts(
    session: Session, *, owner_id: int, kind: str | None = None
) -> list[tuple[Organisation, int]]:
    """Every organisation (of `kind`, when given) by name, with how many people are or were members."""
    checked = check_kind(kind) if kind else None
    return organisations_repo.list_with_counts(session, owner_id=owner_id, kind=checked)


def page(session: Session, organisation: Organisation, *, today: date) -> OrganisationPage:
    """An organisation with its parent, its departments and teams, and its members split into
    current and past (past: ended before today), your own memberships apart. Archived people are
    left out, as `who` and the member counts leave them out."""
    owner_id = organisation.owner_id
    parent = (
        organisations_repo.get(session, owner_id=owner_id, organisation_id=organisation.parent_id)
        if organisation.parent_id is not None
        else None
    )
    departments = organisations_repo.listing(
        session, owner_id=owner_id, today=today, parent_id=organisation.id
    )
    current: list[tuple[Membership, Person]] = []
    past: list[tuple[Membership, Person]] = []
    mine: list[Membership] = []
    for m, person in view(session, organisation).members:
        if person is None:
            mine.append(m)
        elif not person.archived:
            (current if is_current(m, today=today) else past).append((m, person))
    mine.sort(key=lambda m: not is_current(m, today=today))
    return OrganisationPage(organisation, parent, departments, current, past, mine)
