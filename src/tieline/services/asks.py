"""Planned asks, and "give before you ask": what to offer someone you owe before asking again.

When the ledger says they have helped you more than you have helped them, tieline proposes a
give first: congratulations due, an introduction to someone whose expertise meets their needs,
or something to share on one of their interests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session

from tieline import validate
from tieline.errors import InvalidInput, NotFound
from tieline.models import Ask, Person
from tieline.repo import asks as asks_repo
from tieline.services import favours as favours_service
from tieline.services import milestones as milestones_service
from tieline.services import preferences, scoring
from tieline.services.favours import Balance
from tieline.text import search_words

ASK_STATUSES = ("planned", "asked", "dropped")
# Occasions from this many days ago to this many days ahead are worth a congratulation first.
RECENT_DAYS = 7
UPCOMING_DAYS = 14
MAX_INTRODUCTIONS = 3
MAX_SHARES = 3
# Matching experts whose exact tie strength is computed, the strongest by their stored strength.
SHORTLIST = 12


@dataclass(frozen=True)
class Proposal:
    """One way to give first: congratulate, introduce or share."""

    kind: str
    text: str
    person_id: int | None = None  # the person to introduce them to


@dataclass(frozen=True)
class AskPlan:
    """A planned ask, the balance with the person, and what to give first when you owe them."""

    ask: Ask
    balance: Balance
    proposals: list[Proposal]


def plan_ask(
    session: Session, *, owner_id: int, person: Person, text: str, day: date, now: datetime | None = None
) -> AskPlan:
    """Record something to ask a person; proposals to give first come with it when you owe them."""
    ask = Ask(owner_id=owner_id, person_id=person.id, text=validate.non_empty(text, "ask"), status="planned")
    session.add(ask)
    session.flush()
    balance = favours_service.balance_of(session, owner_id=owner_id, person=person)
    found = proposals(session, owner_id=owner_id, person=person, day=day, at=now) if balance.owe_them else []
    return AskPlan(ask=ask, balance=balance, proposals=found)


def get(session: Session, *, owner_id: int, ask_id: int) -> Ask:
    """The ask with this id, or NotFound."""
    ask = asks_repo.get(session, owner_id=owner_id, ask_id=ask_id)
    if ask is None:
        raise NotFound(f"no ask with id {ask_id}")
    return ask


def set_status(ask: Ask, status: str) -> Ask:
    """Mark a planned ask as asked or dropped (which takes it off the agenda)."""
    if status not in ASK_STATUSES:
        raise InvalidInput(f"an ask is {', '.join(ASK_STATUSES)}, not {status!r}")
    ask.status = status
    return ask


def proposals(
    session: Session,
    *,
    owner_id: int,
    person: Person,
    day: date,
    at: datetime | None = None,
    experts: Experts | None = None,
) -> list[Proposal]:
    """Ways to give to a person first: congratulations due, introductions, things to share.

    Tie strengths (to pick whom to introduce) are taken `at` a moment, by default noon on `day`;
    pass `experts` to share one index of the network's expertise over many people.
    """
    at = at or datetime.combine(day, time(12, 0)).astimezone()
    found = [
        Proposal("congratulate", f"congratulate them on {o.text} ({_relative(o.on, day)})")
        for o in milestones_service.occasions(
            session, owner_id=owner_id, person=person, day=day, back=RECENT_DAYS, ahead=UPCOMING_DAYS
        )
    ]
    if person.topic_values("need"):
        experts = experts or Experts(session, owner_id=owner_id, at=at)
        found += introductions(person, experts)
    found += [
        Proposal("share", f"share something on {interest}")
        for interest in person.topic_values("interest")[:MAX_SHARES]
    ]
    return found


def introductions(person: Person, experts: Experts) -> list[Proposal]:
    """Introductions to people whose expertise meets the person's needs, the strongest tie for each."""
    found: list[Proposal] = []
    for need in person.topic_values("need"):
        taken = {person.id, *(p.person_id for p in found)}
        best = next((e for e in experts.ranked(need) if e.person_id not in taken), None)
        if best is None:
            continue
        found.append(
            Proposal(
                "introduce",
                f"introduce them to {best.name} (expertise: {best.topic}) for their need: {need}",
                person_id=best.person_id,
            )
        )
        if len(found) >= MAX_INTRODUCTIONS:
            break
    return found


@dataclass(frozen=True)
class Expert:
    """Someone offering a topic, with the strength of the owner's tie to them."""

    person_id: int
    name: str
    topic: str
    strength: float


class Experts:
    """The network's expertise for matching needs, quick at 30,000 people: needs are matched against
    the distinct topics (folded once), the people offering a match are shortlisted in SQL by a rough
    strength, and only the shortlist gets its exact, current tie strength computed."""

    def __init__(self, session: Session, *, owner_id: int, at: datetime) -> None:
        self._session, self._owner_id, self._at = session, owner_id, at
        self._prefs = preferences.load(session, owner_id=owner_id)
        self._topics = [(t, search_words(t)) for t in asks_repo.expertise_topics(session, owner_id=owner_id)]
        self._people: dict[int, tuple[str, float]] = {}  # person id -> (name, exact strength)
        self._ranked: dict[str, list[Expert]] = {}

    def ranked(self, need: str) -> list[Expert]:
        """The strongest ties whose expertise matches `need` (a shortlist), strongest first."""
        wanted = search_words(need)
        if wanted not in self._ranked:
            self._ranked[wanted] = self._rank(wanted)
        return self._ranked[wanted]

    def _rank(self, wanted: str) -> list[Expert]:
        topics = [typed for typed, folded in self._topics if _contains(wanted, folded)]
        # A person may offer several matching topics: fetch enough rows for SHORTLIST people.
        rows = asks_repo.offering(self._session, owner_id=self._owner_id, topics=topics, limit=SHORTLIST * 4)
        shortlist: dict[int, str] = {}
        for row in rows:
            shortlist.setdefault(row.person_id, row.topic)
            if len(shortlist) >= SHORTLIST:
                break
        self._score([pid for pid in shortlist if pid not in self._people])
        experts = [
            Expert(pid, self._people[pid][0], topic, self._people[pid][1]) for pid, topic in shortlist.items()
        ]
        return sorted(experts, key=lambda e: (-e.strength, e.name.casefold(), e.person_id))

    def _score(self, person_ids: list[int]) -> None:
        for row in asks_repo.people_with_ties(self._session, owner_id=self._owner_id, person_ids=person_ids):
            self._people[row.id] = (
                row.display_name,
                scoring.strength(row, row, at=self._at, prefs=self._prefs).total,
            )


def topics_match(need: str, offer: str) -> bool:
    """True when two topics are the same once folded, or one is a whole-word part of the other."""
    return _contains(search_words(need), search_words(offer))


def _contains(a: str, b: str) -> bool:
    """Whether folded word strings `a` and `b` are equal or one is a run of whole words of the other."""
    if not a or not b:
        return False
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _relative(on: date, day: date) -> str:
    delta = (on - day).days
    if delta == 0:
        return "today"
    if delta > 0:
        return f"on {on.isoformat()}, in {delta} day{'s' if delta != 1 else ''}"
    return f"on {on.isoformat()}, {-delta} day{'s' if delta != -1 else ''} ago"
