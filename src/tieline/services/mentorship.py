"""Mentorship: your mentors, mentees, coaches and sponsors (or those of people you know), and your sessions.

A relation is stored as "person is (owner's | other's) kind". "B is A's mentee" is stored as "A is B's
mentor", so one relation between two other people has one row. Sessions are interactions of kind
`mentoring`; what was agreed is the latest session's notes and the person's open follow-ups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import RELATION_KINDS, FollowUp, Person, Relation
from tieline.repo import mentorship as mentorship_repo

# Who guides you; `tieline mentors` lists them, `tieline mentees` the people you guide.
MENTOR_KINDS = ("mentor", "coach", "sponsor")
MENTEE_KINDS = ("mentee",)
# Relations that live on regular sessions; a sponsor advocates for you rather than meeting on a cadence.
SESSION_KINDS = ("mentor", "mentee", "coach")


@dataclass(frozen=True)
class RelationView:
    """A relation with what a listing shows: when you last met, the latest session, what is still open."""

    relation: Relation
    person: str
    other: str | None
    last_met_at: datetime | None
    last_session: Any | None  # `id`, `occurred_at`, `notes` of the latest mentoring interaction
    open_followups: list[FollowUp]


def check_kind(kind: str) -> str:
    """A known relation kind (mentor, mentee, coach, sponsor)."""
    normalised = kind.strip().lower()
    if normalised not in RELATION_KINDS:
        raise InvalidInput(f"unknown relation kind {kind!r}: use one of {', '.join(RELATION_KINDS)}")
    return normalised


def describe(relation: Relation, person: str, other: str | None) -> str:
    """ "Ana Lima is your mentor", "Ana Lima was Bo Chen's coach"."""
    verb = "was" if relation.ended_on else "is"
    whose = f"{other}'s" if other else "your"
    return f"{person} {verb} {whose} {relation.kind}"


def _clean(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def set_relation(
    session: Session,
    *,
    owner_id: int,
    person: Person,
    today: date,
    kind: str = "mentor",
    of: Person | None = None,
    since: date | None = None,
    until: date | None = None,
    goals: str | None = None,
    notes: str | None = None,
) -> tuple[Relation, bool]:
    """Record (or update) that `person` is your `kind`, or `of`'s; True when a new relation was made.

    Re-running updates the current relation of that kind: given values replace the stored ones, and
    `until` ends it. Without a current relation, `until` records one that has already ended.
    """
    kind = check_kind(kind)
    if of is not None and of.id == person.id:
        raise InvalidInput(f"{person.display_name} cannot be their own {kind}")
    if of is not None and kind == "mentee":
        person, of, kind = of, person, "mentor"
    other_id = of.id if of is not None else None
    relation = mentorship_repo.find_open(
        session, owner_id=owner_id, kind=kind, person_id=person.id, other_id=other_id
    )
    created = relation is None
    if relation is None:
        relation = Relation(
            owner_id=owner_id,
            kind=kind,
            person_id=person.id,
            other_id=other_id,
            started_on=since or (None if until else today),
        )
        session.add(relation)
    elif since is not None:
        relation.started_on = since
    if _clean(goals):
        relation.goals = _clean(goals)
    if _clean(notes):
        relation.notes = _clean(notes)
    if until is not None:
        relation.ended_on = until
    if relation.started_on and relation.ended_on and relation.ended_on < relation.started_on:
        raise InvalidInput(
            f"--end {relation.ended_on.isoformat()} is before the relation began "
            f"({relation.started_on.isoformat()})"
        )
    session.flush()
    return relation, created


def end_relation(
    session: Session,
    *,
    owner_id: int,
    person: Person,
    on: date,
    kind: str = "mentor",
    of: Person | None = None,
) -> Relation:
    """End the current relation of this kind with `person` (or between `person` and `of`)."""
    kind = check_kind(kind)
    lookup_person, lookup_other, lookup_kind = person, of, kind
    if of is not None and kind == "mentee":
        lookup_person, lookup_other, lookup_kind = of, person, "mentor"
    relation = mentorship_repo.find_open(
        session,
        owner_id=owner_id,
        kind=lookup_kind,
        person_id=lookup_person.id,
        other_id=lookup_other.id if lookup_other else None,
    )
    if relation is None:
        whose = f"{of.display_name}'s" if of else "your"
        raise NotFound(f"{person.display_name} is not {whose} current {kind}")
    relation, _ = set_relation(
        session, owner_id=owner_id, person=person, today=on, kind=kind, of=of, until=on
    )
    return relation


def listing(
    session: Session, *, owner_id: int, kinds: Sequence[str], include_ended: bool = False
) -> list[RelationView]:
    """Relations of these kinds (yours first), each with last meeting, last session and open follow-ups."""
    rows = mentorship_repo.listing(session, owner_id=owner_id, kinds=kinds, include_ended=include_ended)
    return _views(session, owner_id=owner_id, rows=rows)


def view(session: Session, *, owner_id: int, relation: Relation) -> RelationView:
    """One relation as a listing shows it."""
    names = {
        p.id: p.display_name
        for p in (session.get(Person, relation.person_id), _other(session, relation))
        if p
    }
    rows = [(relation, names[relation.person_id], names.get(relation.other_id or 0))]
    return _views(session, owner_id=owner_id, rows=rows)[0]


def _other(session: Session, relation: Relation) -> Person | None:
    return session.get(Person, relation.other_id) if relation.other_id else None


def _views(
    session: Session, *, owner_id: int, rows: list[tuple[Relation, str, str | None]]
) -> list[RelationView]:
    ids = sorted({r.person_id for r, _, _ in rows})
    met = mentorship_repo.last_met(session, owner_id=owner_id, person_ids=ids)
    sessions = mentorship_repo.last_sessions(session, owner_id=owner_id, person_ids=ids)
    followups = mentorship_repo.open_followups(session, owner_id=owner_id, person_ids=ids)
    return [
        RelationView(
            relation=r,
            person=name,
            other=other,
            last_met_at=met.get(r.person_id),
            last_session=sessions.get(r.person_id),
            open_followups=followups.get(r.person_id, []),
        )
        for r, name, other in rows
    ]
