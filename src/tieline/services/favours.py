"""The favour ledger: help given and received, reciprocity balances, and thanks owed.

Help received opens a "thanks owed" until a thank-you is logged: being thanked roughly doubles
the chance that a helper helps again (Grant & Gino 2010).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import FAVOUR_DIRECTIONS, FAVOUR_KINDS, Favour, Interaction, Person
from tieline.repo import favours as favours_repo
from tieline.repo import people as people_repo
from tieline.repo.favours import FavourFilter
from tieline.services import interactions as interactions_service
from tieline.services import preferences, scoring

# Words people type for a kind, mapped to the stored kind.
KIND_ALIASES = {
    "intro": "introduction",
    "lead": "job_lead",
    "article": "resource",
    "link": "resource",
    "reference": "recommendation",
    "endorsement": "recommendation",
    "review": "feedback",
}
# How a kind of help reads after "thank you for"; the others read "the <kind>".
_THANKS_PHRASES = {
    "advice": "your advice",
    "feedback": "your feedback",
    "help": "your help",
    "other": "your help",
}


@dataclass(frozen=True)
class Balance:
    """Favours exchanged with one person; a positive balance means you owe them."""

    person_id: int
    name: str
    given: int
    received: int

    @property
    def balance(self) -> int:
        """Received minus given."""
        return self.received - self.given

    @property
    def owe_them(self) -> bool:
        """True when they have helped you more than you have helped them."""
        return self.received > self.given

    def explain(self) -> str:
        """One line for people: who is ahead, and by how much."""
        counts = f"you gave {self.name} {self.given}, received {self.received}"
        if self.balance > 0:
            return f"{counts}: you owe them ({self.balance:+d})"
        if self.balance < 0:
            return f"{counts}: they owe you ({self.balance:+d})"
        return f"{counts}: even"


@dataclass(frozen=True)
class Ledger:
    """Every person's balance, and whether the owner is overall a giver or a taker."""

    given: int
    received: int
    people: list[Balance]

    @property
    def balance(self) -> int:
        """Received minus given, over everyone."""
        return self.received - self.given

    @property
    def stance(self) -> str:
        """'giver' (gave more than received), 'taker' (the reverse) or 'even'."""
        return "giver" if self.given > self.received else "taker" if self.received > self.given else "even"


@dataclass(frozen=True)
class PersonLedger:
    """One person's side of the ledger: every favour, newest first, and the balance they make."""

    balance: Balance
    entries: list[Favour]

    @property
    def thanks_owed(self) -> list[Favour]:
        """Help received and not thanked yet, oldest first (what `thank` would close)."""
        owed = [f for f in self.entries if f.direction == "received" and f.thanked_at is None]
        return sorted(owed, key=lambda f: (f.occurred_at, f.id))


@dataclass(frozen=True)
class ThankYou:
    """A thank-you logged: the help it closed and the interaction recorded."""

    closed: list[Favour]
    interaction: Interaction


def check_kind(kind: str) -> str:
    """A known favour kind, accepting job-lead, "job lead" and a few common words."""
    normalised = kind.strip().lower().replace("-", "_").replace(" ", "_")
    normalised = KIND_ALIASES.get(normalised, normalised)
    if normalised not in FAVOUR_KINDS:
        known = ", ".join(k.replace("_", "-") for k in FAVOUR_KINDS)
        raise InvalidInput(f"unknown favour kind {kind!r}: use one of {known}")
    return normalised


def record_favour(
    session: Session,
    *,
    owner_id: int,
    person: Person,
    direction: str,
    kind: str,
    when: datetime,
    now: datetime,
    text: str | None = None,
) -> Favour:
    """Log help given to or received from a person, and count it in the tie's reciprocity."""
    if direction not in FAVOUR_DIRECTIONS:
        raise InvalidInput(f"a favour is given or received, not {direction!r}")
    favour = Favour(
        owner_id=owner_id,
        person_id=person.id,
        direction=direction,
        kind=check_kind(kind),
        text=text.strip() if text and text.strip() else None,
        occurred_at=when,
    )
    session.add(favour)
    prefs = preferences.load(session, owner_id=owner_id)
    scoring.record_favour(session, person, direction=direction, delta=1, prefs=prefs, now=now)
    session.flush()
    return favour


def get(session: Session, *, owner_id: int, favour_id: int) -> Favour:
    """The favour with this id, or NotFound."""
    favour = favours_repo.get(session, owner_id=owner_id, favour_id=favour_id)
    if favour is None:
        raise NotFound(f"no favour with id {favour_id}")
    return favour


def page(
    session: Session,
    *,
    owner_id: int,
    person_id: int | None = None,
    direction: str | None = None,
    kind: str | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[tuple[Favour, str]], int]:
    """A page of favours, newest first, with the person's name; narrowed to a person, a direction and
    a kind where given; and how many match in all."""
    if direction is not None and direction not in FAVOUR_DIRECTIONS:
        raise InvalidInput(f"a favour is given or received, not {direction!r}")
    where = FavourFilter(person_id=person_id, direction=direction, kind=check_kind(kind) if kind else None)
    rows = favours_repo.listing(session, owner_id=owner_id, where=where, limit=limit, offset=offset)
    return rows, favours_repo.count_matching(session, owner_id=owner_id, where=where)


def delete_favour(session: Session, *, owner_id: int, favour: Favour, now: datetime) -> None:
    """Delete a favour logged by mistake, and take it out of the tie's reciprocity count."""
    person = people_repo.get(session, owner_id=owner_id, person_id=favour.person_id, details=False)
    session.delete(favour)
    if person is not None:
        prefs = preferences.load(session, owner_id=owner_id)
        scoring.record_favour(session, person, direction=favour.direction, delta=-1, prefs=prefs, now=now)
    session.flush()


def balance_of(session: Session, *, owner_id: int, person: Person) -> Balance:
    """The favours exchanged with one person."""
    given, received = favours_repo.counts(session, owner_id=owner_id, person_ids=[person.id]).get(
        person.id, (0, 0)
    )
    return Balance(person.id, person.display_name, given, received)


def ledger(session: Session, *, owner_id: int) -> Ledger:
    """Everyone's balance, the most lopsided first, and the owner's totals."""
    counts = favours_repo.counts(session, owner_id=owner_id)
    names = favours_repo.names(session, owner_id=owner_id, person_ids=list(counts))
    people = [Balance(pid, names.get(pid, f"#{pid}"), g, r) for pid, (g, r) in counts.items()]
    people.sort(key=lambda b: (-abs(b.balance), -b.received, b.name, b.person_id))
    return Ledger(given=sum(b.given for b in people), received=sum(b.received for b in people), people=people)


def entries(session: Session, *, owner_id: int, person: Person) -> list[Favour]:
    """A person's favours, newest first."""
    return favours_repo.of_person(session, owner_id=owner_id, person_id=person.id)


def person_ledger(session: Session, *, owner_id: int, person_id: int, name: str) -> PersonLedger:
    """A person's favours with their balance and the thanks owed, in one query (the person page)."""
    items = favours_repo.of_person(session, owner_id=owner_id, person_id=person_id)
    given = sum(1 for f in items if f.direction == "given")
    return PersonLedger(Balance(person_id, name, given, len(items) - given), items)


def thanks_due_on(received_at: datetime, due_days: int) -> date:
    """The day a thank-you for help received at `received_at` is due by."""
    return received_at.astimezone().date() + timedelta(days=due_days)


def thanks_owed(session: Session, *, owner_id: int, person: Person) -> list[Favour]:
    """Help received from a person and not thanked yet, oldest first."""
    return favours_repo.unthanked(session, owner_id=owner_id, person_id=person.id)


def thank(
    session: Session,
    *,
    owner_id: int,
    person: Person,
    now: datetime,
    text: str | None = None,
    kind: str = "message",
) -> ThankYou:
    """Log a thank-you to a person: every thanks owed to them is closed, and the contact recorded."""
    owed = favours_repo.unthanked(session, owner_id=owner_id, person_id=person.id)
    for favour in owed:
        favour.thanked_at = now
    note = f"Thank you: {text.strip()}" if text and text.strip() else default_note(owed)
    interaction = interactions_service.log_interaction(
        session,
        owner_id=owner_id,
        kind=kind,
        people=[person],
        when=now,
        notes=note,
        initiated_by="me",
        now=now,
    )
    session.flush()
    return ThankYou(closed=owed, interaction=interaction)


def default_note(owed: list[Favour]) -> str:
    """ "Thank you for the introduction and the advice", from the help being thanked for."""
    things = list(dict.fromkeys(_THANKS_PHRASES.get(f.kind, f"the {f.kind.replace('_', ' ')}") for f in owed))
    if not things:
        return "Thank you"
    listed = things[0] if len(things) == 1 else ", ".join(things[:-1]) + " and " + things[-1]
    return f"Thank you for {listed}"
