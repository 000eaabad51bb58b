"""Opportunities: jobs, partnerships, collaborations, speaking, mentoring, clients; their stage, and
where they came from (a person, an event, an organisation, an introduction).

`--intro` without `--via` credits the introduction's second person (B, the one the introduction was
made to): the person who brought the opportunity is then the contact at the far side of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import (
    OPPORTUNITY_KINDS,
    OPPORTUNITY_STAGES,
    Event,
    Introduction,
    Opportunity,
    Organisation,
    Person,
)
from tieline.models.base import MAX_ID
from tieline.repo import opportunities as opportunities_repo
from tieline.repo import said as said_repo
from tieline.services import events as events_service
from tieline.services import introductions as introductions_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service

CLOSED_STAGES = opportunities_repo.CLOSED_STAGES
OPEN_STAGES = tuple(s for s in OPPORTUNITY_STAGES if s not in CLOSED_STAGES)


@dataclass(frozen=True)
class Origin:
    """Where an opportunity came from; any part may be missing."""

    person: Person | None = None
    organisation: Organisation | None = None
    event: Event | None = None
    introduction: Introduction | None = None


@dataclass(frozen=True)
class Move:
    """A stage change, and what a user should know about it."""

    opportunity: Opportunity
    previous: str
    notes: list[str]


@dataclass
class Source:
    """A person, event, organisation or introduction, and the opportunities it produced by stage."""

    kind: str
    id: int
    name: str
    stages: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Opportunities it produced, whatever their stage."""
        return sum(self.stages.values())

    @property
    def won(self) -> int:
        """Opportunities it produced that were won."""
        return self.stages.get("won", 0)

    @property
    def open(self) -> int:
        """Opportunities it produced that are still open."""
        return sum(n for stage, n in self.stages.items() if stage not in CLOSED_STAGES)


def check_kind(kind: str) -> str:
    """A known opportunity kind."""
    value = kind.strip().lower().replace("-", "_")
    if value not in OPPORTUNITY_KINDS:
        raise InvalidInput(f"unknown opportunity kind {kind!r}: use one of {', '.join(OPPORTUNITY_KINDS)}")
    return value


def check_stage(stage: str) -> str:
    """A known opportunity stage."""
    value = stage.strip().lower()
    if value not in OPPORTUNITY_STAGES:
        raise InvalidInput(f"unknown stage {stage!r}: use one of {', '.join(OPPORTUNITY_STAGES)}")
    return value


def get(session: Session, *, owner_id: int, opportunity_id: int) -> Opportunity:
    """The opportunity with this id, or NotFound."""
    found = None
    if 0 < opportunity_id <= MAX_ID:
        found = opportunities_repo.get(session, owner_id=owner_id, opportunity_id=opportunity_id)
    if found is None:
        raise NotFound(f"no opportunity with id {opportunity_id}")
    return found


def resolve_introduction(session: Session, *, owner_id: int, text: str) -> Introduction:
    """The introduction numbered `text` (12 or #12)."""
    number = text.strip().lstrip("#")
    if not (number.isascii() and number.isdigit()) or int(number) > MAX_ID:
        raise InvalidInput(f"an introduction is named by its number (#12), not {text!r}")
    return introductions_service.get(session, owner_id=owner_id, introduction_id=int(number))


def resolve_origin(
    session: Session,
    *,
    owner_id: int,
    person: str | None = None,
    organisation: str | None = None,
    event: str | None = None,
    introduction: str | None = None,
) -> Origin:
    """Where an opportunity came from, from what was typed for each part (a blank part is left out):
    a person, an organisation or an event by name or #id, an introduction by its #id."""
    person, organisation, event, introduction = (
        text.strip() if text and text.strip() else None
        for text in (person, organisation, event, introduction)
    )
    return Origin(
        person=people_service.resolve_person(session, owner_id=owner_id, text=person) if person else None,
        organisation=(
            organisations_service.resolve_organisation(session, owner_id=owner_id, text=organisation)
            if organisation
            else None
        ),
        event=events_service.resolve_event(session, owner_id=owner_id, text=event) if event else None,
        introduction=(
            resolve_introduction(session, owner_id=owner_id, text=introduction) if introduction else None
        ),
    )


def origin_names(session: Session, item: Opportunity) -> tuple[str | None, str | None, str | None]:
    """The names of the person, organisation and event an opportunity came from (None where missing)."""
    return opportunities_repo.names_of(session, item)


def add_opportunity(
    session: Session,
    *,
    owner_id: int,
    title: str,
    kind: str = "job",
    stage: str = "spotted",
    origin: Origin | None = None,
    spotted_on: date,
    due_on: date | None = None,
    notes: str | None = None,
) -> Opportunity:
    """Record an opportunity and where it came from; an introduction without a person credits its B."""
    clean = title.strip()
    if not clean:
        raise InvalidInput("an opportunity needs a title")
    origin = origin or Origin()
    person = origin.person
    if origin.introduction is not None and person is None:
        person = session.get(Person, origin.introduction.person_b_id)
    item = Opportunity(
        owner_id=owner_id,
        title=clean,
        kind=check_kind(kind),
        stage=check_stage(stage),
        person_id=person.id if person else None,
        organisation_id=origin.organisation.id if origin.organisation else None,
        event_id=origin.event.id if origin.event else None,
        introduction_id=origin.introduction.id if origin.introduction else None,
        spotted_on=spotted_on,
        stage_on=spotted_on,
        due_on=due_on,
        notes=notes.strip() if notes and notes.strip() else None,
    )
    session.add(item)
    session.flush()
    said_repo.refresh(session, owner_id=owner_id, item="opportunity", ids=[item.id])  # for search
    return item


def move(item: Opportunity, *, stage: str, on: date) -> Move:
    """Move an opportunity to another stage as of `on`; reopening a won or lost one is allowed, and said."""
    new = check_stage(stage)
    previous = item.stage
    if on < item.spotted_on:
        raise InvalidInput(
            f"--date {on.isoformat()} is before the opportunity was spotted ({item.spotted_on.isoformat()})"
        )
    notes = []
    if new == previous:
        notes.append(f"already {new} since {item.stage_on.isoformat()}; nothing changed")
        return Move(item, previous, notes)
    if previous in CLOSED_STAGES and new not in CLOSED_STAGES:
        notes.append(f"reopened: it was {previous} on {item.stage_on.isoformat()}")
    item.stage, item.stage_on = new, on
    return Move(item, previous, notes)


def listing(
    session: Session, *, owner_id: int, stage: str | None = None, open_only: bool = False
) -> list[tuple[Opportunity, str | None, str | None, str | None]]:
    """Opportunities with their person, organisation and event names: open first, soonest due first."""
    stages: tuple[str, ...] | None = None
    if stage is not None:
        stages = (check_stage(stage),)
        if open_only and stages[0] in CLOSED_STAGES:
            return []
    elif open_only:
        stages = OPEN_STAGES
    return opportunities_repo.listing(session, owner_id=owner_id, stages=stages)


def sources(session: Session, *, owner_id: int) -> list[Source]:
    """Who and what produced opportunities, best first: most won, then most in total, then most open."""
    found: dict[tuple[str, int], Source] = {}
    for dimension in ("person", "event", "organisation"):
        for key, name, stage, n in opportunities_repo.counts_by_source(
            session, owner_id=owner_id, dimension=dimension
        ):
            found.setdefault((dimension, key), Source(dimension, key, name)).stages[stage] = int(n)
    for count in opportunities_repo.counts_by_introduction(session, owner_id=owner_id):
        key, name = count.introduction_id, f"{count.a_name} -> {count.b_name}"
        found.setdefault(("introduction", key), Source("introduction", key, name)).stages[count.stage] = int(
            count.count
        )
    return sorted(found.values(), key=lambda s: (-s.won, -s.total, -s.open, s.kind, s.name, s.id))
