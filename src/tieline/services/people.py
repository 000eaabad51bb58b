"""Adding, editing, finding and showing people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tieline import validate
from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import (
    Membership,
    Person,
    PersonEmail,
    PersonLink,
    PersonPhone,
    PersonTag,
    PersonTopic,
    utcnow,
)
from tieline.models.base import MAX_ID
from tieline.repo import interactions as interactions_repo
from tieline.repo import organisations as organisations_repo
from tieline.repo import people as people_repo
from tieline.repo import person_view as person_view_repo
from tieline.repo import search as search_repo
from tieline.repo import ties as ties_repo
from tieline.repo.interactions import TimelineEntry
from tieline.repo.person_view import MembershipItem, PersonSummary, PersonView
from tieline.services import organisations as organisations_service
from tieline.services import preferences, scoring
from tieline.services.person_fields import FIELD, LIST_FIELDS, SCALAR_FIELDS
from tieline.text import fold

_TOPIC_OF = {"interests": "interest", "expertise": "expertise", "needs": "need"}

# Whole-name similarity, word order ignored ("Alvarez Jose" finds "José Álvarez"); no partial
# matching, which would let "Nobody" match "Bo" and act on the wrong person.
FUZZY_CUTOFF = 80.0


@dataclass
class PersonChanges:
    """What to set on a person, and which many-valued entries to add or remove."""

    set: dict[str, Any] = field(default_factory=dict)
    add: dict[str, list[str]] = field(default_factory=dict)
    remove: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = (set(self.set) - set(SCALAR_FIELDS)) | (set(self.add) | set(self.remove)) - set(LIST_FIELDS)
        if unknown:
            raise InvalidInput(f"unknown person field(s): {', '.join(sorted(unknown))}")


@dataclass(frozen=True)
class PersonProfile:
    """Everything `show` displays about a person."""

    person: PersonView
    memberships: list[MembershipItem]
    timeline: list[TimelineEntry]
    interaction_count: int
    strength: scoring.Strength
    cadence_days: int | None
    next_due: date | None


def split_name(display_name: str) -> tuple[str | None, str | None]:
    """A guess at (given, family) for a name typed in one piece; unspaced names stay whole."""
    parts = display_name.split()
    if len(parts) < 2:
        return display_name, None
    return " ".join(parts[:-1]), parts[-1]


def add_person(
    session: Session,
    *,
    owner_id: int,
    name: str,
    changes: PersonChanges | None = None,
    today: date,
    now: datetime | None = None,
) -> Person:
    """Create a person from a name and optional fields; `now` (the command's clock) stamps creation."""
    display_name = validate.non_empty(name, "name")
    changes = changes or PersonChanges()
    person = Person(owner_id=owner_id, display_name=display_name, sort_name=fold(display_name), tier=4)
    if now is not None:
        # Cadences count from creation for people never contacted: use the same clock as the command.
        person.created_at = person.updated_at = now
    person.emails, person.phones, person.links, person.tags, person.topics = [], [], [], [], []
    if "given_name" not in changes.set and "family_name" not in changes.set:
        person.given_name, person.family_name = split_name(display_name)
    session.add(person)
    _apply(session, person, changes, today=today, now=now)
    return person


def edit_person(
    session: Session, person: Person, changes: PersonChanges, *, today: date, now: datetime | None = None
) -> Person:
    """Apply changes to an existing person (`now`: the clock scores are taken at)."""
    _apply(session, person, changes, today=today, now=now)
    return person


def _apply(
    session: Session, person: Person, changes: PersonChanges, *, today: date, now: datetime | None
) -> None:
    for key, value in changes.set.items():
        _set_scalar(person, key, value)
    for key, values in changes.remove.items():
        _remove_values(person, key, values)
    for key, values in changes.add.items():
        _add_values(person, key, values)
    session.flush()
    if "company" in changes.set or "title" in changes.set:
        _record_employment(session, person, today=today)
    search_repo.refresh_document(session, person)
    if {"tier", "cadence_days", "closeness", "met_on"} & changes.set.keys():
        _rescore(session, person, now=now or utcnow())
    session.flush()


def _rescore(session: Session, person: Person, *, now: datetime) -> None:
    """A new tier or cadence changes the recency half-life, so the tie is rebuilt from its history."""
    if ties_repo.get(session, person_id=person.id) is None:
        return
    prefs = preferences.load(session, owner_id=person.owner_id)
    scoring.recompute_person(session, person, prefs=prefs, now=now)


def _set_scalar(person: Person, key: str, value: Any) -> None:
    if isinstance(value, str):
        value = value.strip() or None
    if key == "display_name":
        old = person.display_name
        person.display_name = validate.non_empty(value or "", "name")
        person.sort_name = fold(person.display_name)
        # Given and family names guessed from the old name follow the new one; typed ones stay.
        if old is not None and (person.given_name, person.family_name) == split_name(old):
            person.given_name, person.family_name = split_name(person.display_name)
    elif key == "birthday":
        if value is None:
            person.birthday_year = person.birthday_month = person.birthday_day = None
        else:
            person.birthday_year, person.birthday_month, person.birthday_day = validate.birthday(value)
    elif key == "tier":
        person.tier = validate.tier(value if value is not None else 4)
    elif key == "closeness":
        person.closeness = None if value is None else _within(key, validate.closeness(int(value)))
    elif key == "cadence_days":
        person.cadence_days = None if value is None else _within(key, validate.cadence(int(value)))
    elif key == "met_on":
        if value is not None and not isinstance(value, date):
            raise InvalidInput(f"met_on must be a date, not {value!r}")
        person.met_on = value
    else:
        setattr(person, key, value)


def _within(key: str, value: int) -> int:
    """A count no larger than the field's declared bound (which the API and the form state too)."""
    high = FIELD[key].high
    if high is not None and value > high:
        raise InvalidInput(f"{key.replace('_', ' ')} must be at most {high:,}, not {value:,}")
    return value


def _add_values(person: Person, key: str, values: list[str]) -> None:
    owner_id = person.owner_id
    if key == "emails":
        have = {e.address for e in person.emails}
        for raw in values:
            address = validate.email(raw)
            if address not in have:
                person.emails.append(PersonEmail(owner_id=owner_id, address=address, position=len(have)))
                have.add(address)
    elif key == "phones":
        have = {p.match_key for p in person.phones}
        for raw in values:
            match_key = validate.phone_key(raw)
            if match_key not in have:
                person.phones.append(
                    PersonPhone(
                        owner_id=owner_id, number=raw.strip(), match_key=match_key, position=len(have)
                    )
                )
                have.add(match_key)
    elif key == "links":
        have = {link.url for link in person.links}
        for raw in values:
            url = validate.non_empty(raw, "link")
            if url not in have:
                person.links.append(
                    PersonLink(owner_id=owner_id, url=url, kind=validate.link_kind(url), position=len(have))
                )
                have.add(url)
    elif key == "tags":
        have = {t.tag for t in person.tags}
        for raw in values:
            tag = validate.non_empty(raw, "tag")
            if tag not in have:
                person.tags.append(PersonTag(owner_id=owner_id, tag=tag))
                have.add(tag)
    else:
        kind = _TOPIC_OF[key]
        have = {fold(t.value) for t in person.topics if t.kind == kind}
        for raw in values:
            value = validate.non_empty(raw, key)
            if fold(value) not in have:
                person.topics.append(
                    PersonTopic(owner_id=owner_id, kind=kind, value=value, position=len(person.topics))
                )
                have.add(fold(value))


def _remove_values(person: Person, key: str, values: list[str]) -> None:
    wanted = {fold(v) for v in values}
    if key == "emails":
        person.emails = [e for e in person.emails if fold(e.address) not in wanted]
    elif key == "phones":
        keys = {validate.phone_key(v) for v in values}
        person.phones = [p for p in person.phones if p.match_key not in keys]
    elif key == "links":
        person.links = [link for link in person.links if fold(link.url) not in wanted]
    elif key == "tags":
        person.tags = [t for t in person.tags if fold(t.tag) not in wanted]
    else:
        kind = _TOPIC_OF[key]
        person.topics = [t for t in person.topics if not (t.kind == kind and fold(t.value) in wanted)]


def _record_employment(session: Session, person: Person, *, today: date) -> None:
    """Keep a company membership in step with the person's current company and title."""
    owner_id = person.owner_id
    current = [
        m
        for m in organisations_repo.memberships_of_person(session, owner_id=owner_id, person_id=person.id)
        if m.end_date is None and m.organisation.kind == "company"
    ]
    target = None
    if person.company:
        target = organisations_service.ensure_organisation(
            session, owner_id=owner_id, name=person.company, kind="company"
        )
    for membership in current:
        if target is not None and membership.organisation_id == target.id:
            membership.role = person.title
            return
        membership.end_date = max(today, membership.start_date or today)
    if target is not None:
        session.add(
            Membership(
                owner_id=owner_id,
                person_id=person.id,
                organisation_id=target.id,
                role=person.title,
                start_date=None if not current else today,
            )
        )


def get_person(session: Session, *, owner_id: int, person_id: int, details: bool = True) -> Person:
    """The owner's person with this id, with their many-valued fields unless `details` is False."""
    person = people_repo.get(session, owner_id=owner_id, person_id=person_id, details=details)
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    return person


def get_people(
    session: Session, *, owner_id: int, person_ids: Sequence[int], details: bool = True
) -> list[Person]:
    """The owner's people with these ids, each once, in the order given; NotFound names any missing."""
    wanted = list(dict.fromkeys(person_ids))
    people = people_repo.get_many(session, owner_id=owner_id, person_ids=wanted, details=details)
    missing = set(wanted) - {p.id for p in people}
    if missing:
        raise NotFound(f"no person with id {', '.join(str(i) for i in sorted(missing))}")
    return people


def check_exists(session: Session, *, owner_id: int, person_id: int) -> None:
    """NotFound unless the owner has a person with this id (without loading them)."""
    if not people_repo.exists(session, owner_id=owner_id, person_id=person_id):
        raise NotFound(f"no person with id {person_id}")


def edit_people(
    session: Session, *, owner_id: int, person_ids: Sequence[int], changes: PersonChanges, today: date
) -> int:
    """Apply the same changes to each of these people (ids no longer there are passed over): how many."""
    people = people_repo.get_many(session, owner_id=owner_id, person_ids=list(person_ids))
    for person in people:
        edit_person(session, person, changes, today=today)
    return len(people)


def resolve_person(session: Session, *, owner_id: int, text: str) -> Person:
    """Find one person by id (#12), exact name, name prefix, then fuzzy name; else say why not."""
    # An id is checked by loading the person itself (a name only ever resolves to someone stored).
    person_id = resolve_person_id(session, owner_id=owner_id, text=text, verify_id=False)
    person = people_repo.get(session, owner_id=owner_id, person_id=person_id)
    if person is None:
        raise NotFound(f"no person with id {text.strip().lstrip('#')}")
    return person


def resolve_person_id(session: Session, *, owner_id: int, text: str, verify_id: bool = True) -> int:
    """`resolve_person` without loading the person: their id.

    A caller that loads the person next (and says "no person with id N" when there is none, as
    `profile` does) passes `verify_id=False` to spare a query when the text is an id.
    """
    query = text.strip()
    if not query:
        raise InvalidInput("no person named")
    number = query.lstrip("#")
    if number.isascii() and number.isdigit():
        too_big = int(number) > MAX_ID
        if too_big or (
            verify_id and not people_repo.exists(session, owner_id=owner_id, person_id=int(number))
        ):
            raise NotFound(f"no person with id {number}")
        return int(number)
    folded = fold(query)
    for finder in (people_repo.find_by_sort_name, _find_prefix):
        found = finder(session, owner_id=owner_id, sort_name=folded)
        if len(found) == 1:
            return found[0].id
        if found:
            live = [p for p in found if not p.archived]
            if len(live) == 1:
                return live[0].id
            raise _ambiguous(query, [p.id for p in found], session, owner_id)
    from rapidfuzz import fuzz, process  # only when no name matched exactly or by prefix

    names = people_repo.all_names(session, owner_id=owner_id)
    matches = process.extract(
        folded,
        {pid: name for pid, name in names},
        scorer=fuzz.token_sort_ratio,
        score_cutoff=FUZZY_CUTOFF,
        limit=5,
    )
    if not matches:
        raise NotFound(f"no person matches {query!r}")
    best = matches[0]
    if len(matches) == 1 or best[1] - matches[1][1] >= 5:
        return int(best[2])
    close = [m[2] for m in matches if best[1] - m[1] < 5]
    raise _ambiguous(query, close, session, owner_id)


def _find_prefix(session: Session, *, owner_id: int, sort_name: str) -> list[people_repo.NameMatch]:
    return people_repo.find_by_name_prefix(session, owner_id=owner_id, prefix=sort_name)


def _ambiguous(query: str, person_ids: list[int], session: Session, owner_id: int) -> Ambiguous:
    people = people_repo.get_many(session, owner_id=owner_id, person_ids=person_ids, details=False)
    candidates = [describe(p) for p in people]
    return Ambiguous(f"{query!r} matches {len(people)} people: " + "; ".join(candidates), candidates)


def number_of_people(count: int) -> str:
    """ "1 person", "2 people", "30,000 people"."""
    return f"{count:,} {'person' if count == 1 else 'people'}"


def describe(person: Person) -> str:
    """A one-line way to tell a person apart from namesakes: name, role, id."""
    role = " at ".join(x for x in (person.title, person.company) if x)
    archived = ", archived" if person.archived else ""
    return f"{person.display_name} (#{person.id}{', ' + role if role else ''}{archived})"


def profile(
    session: Session,
    *,
    owner_id: int,
    person_id: int,
    timeline_limit: int = 50,
    now: datetime | None = None,
) -> PersonProfile:
    """The person page's data: profile, tie strength and cadence, memberships, latest interactions."""
    now = now or utcnow()
    # The page is read with plain Core queries, which do not flush the session by themselves:
    # flush first, so what this transaction just changed is what the page shows.
    session.flush()
    page = person_view_repo.person_page(session, owner_id=owner_id, person_id=person_id)
    if page is None:
        raise NotFound(f"no person with id {person_id}")
    person, tie = page.person, page.tie
    prefs = preferences.load(session, owner_id=owner_id)
    cadence = scoring.cadence_days(person, prefs)
    since = person.last_contact_at or person.created_at
    next_due = (since.astimezone().date() + timedelta(days=cadence)) if cadence and since else None
    return PersonProfile(
        person=person,
        strength=scoring.strength(person, tie, at=now, prefs=prefs),
        cadence_days=cadence,
        next_due=next_due,
        memberships=page.memberships,
        timeline=interactions_repo.timeline(
            session, owner_id=owner_id, person_id=person_id, limit=timeline_limit
        )
        if timeline_limit
        else [],
        # The tie counts every interaction as it is logged; count the rows only when there is no tie.
        interaction_count=tie.interactions
        if tie is not None
        else interactions_repo.count_for_person(session, owner_id=owner_id, person_id=person_id),
    )


def archive_person(person: Person, *, archived: bool = True) -> Person:
    """Hide a person from listings and the agenda (or bring them back) without losing anything."""
    person.archived = archived
    return person


def delete_person(session: Session, person: Person) -> None:
    """Delete a person, and the interactions nobody else took part in."""
    interactions_repo.delete_sole_interactions(session, owner_id=person.owner_id, person_id=person.id)
    session.delete(person)
    session.flush()


def search(
    session: Session, *, owner_id: int, query: str, limit: int = 20
) -> list[tuple[PersonSummary, float]]:
    """People matching a query, best first, with their scores (as summaries: what results show)."""
    return search_repo.find_people(session, owner_id=owner_id, query=query, limit=limit)


def list_values(person: Person, key: str) -> list[str]:
    """The current values of one of the person's list fields (emails, phones, links, tags, topics)."""
    if key == "emails":
        return [e.address for e in person.emails]
    if key == "phones":
        return [p.number for p in person.phones]
    if key == "links":
        return [link.url for link in person.links]
    if key == "tags":
        return [t.tag for t in person.tags]
    return person.topic_values(_TOPIC_OF[key])
