"""People you have not met in tieline yet: addresses a sync saw that match nobody, with how often and
how recently, to add as a person, link to someone who exists, or ignore for good. Nobody is created
without being asked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.importers.records import InteractionRecord
from tieline.models import Discovered, Person
from tieline.repo import sync as sync_repo
from tieline.services import people as people_service
from tieline.services.people import PersonChanges


@dataclass
class Sighting:
    """What one sync saw of one unknown address: each message or meeting, as (is a meeting, when)."""

    email: str
    name: str | None = None
    seen: list[tuple[bool, datetime]] = field(default_factory=list)

    def add(self, record: InteractionRecord) -> None:
        """Count a message or meeting with this address."""
        self.seen.append((record.kind == "meeting", record.occurred_at))
        self.name = self.name or record.names.get(self.email)

    def after(self, moment: datetime | None) -> tuple[int, int]:
        """(messages, meetings) seen after a moment (all of them for None): what a queued entry has
        not counted yet, so what an earlier sync counted is not counted again."""
        later = [meeting for meeting, when in self.seen if moment is None or when > moment]
        return len(later) - sum(later), sum(later)

    @property
    def first(self) -> datetime:
        return min(when for _, when in self.seen)

    @property
    def last(self) -> datetime:
        return max(when for _, when in self.seen)


def strangers(
    records: Iterable[InteractionRecord], *, known: set[str], own_emails: frozenset[str]
) -> dict[str, Sighting]:
    """email -> what the records show of each participant who matches nobody: `known` holds those
    of their addresses that belong to a person (folded), as the store looked them up."""
    out: dict[str, Sighting] = {}
    for record in records:
        for email in dict.fromkeys(e.strip().lower() for e in record.emails):
            if email and email not in known and email not in own_emails:
                out.setdefault(email, Sighting(email)).add(record)
    return out


def note(session: Session, *, owner_id: int, sightings: dict[str, Sighting], source: str) -> int:
    """Queue (or count again) the addresses seen; an ignored one keeps counting but stays hidden.
    A queued address counts only what came after its last sighting: a calendar read again after a
    change, or a mail folder renumbered by its server, brings back what was counted before.
    How many entries were written."""
    existing = sync_repo.discovered(session, owner_id=owner_id, emails=sightings)
    written = 0
    for email, seen in sightings.items():
        first, last = seen.first, seen.last
        entry = existing.get(email)
        messages, meetings = seen.after(entry.last_seen_at if entry is not None else None)
        if entry is None:
            entry = Discovered(
                owner_id=owner_id, email=email, name=seen.name, messages=0, meetings=0,
                first_seen_at=first, last_seen_at=last, state="new", source=source,
            )  # fmt: skip
            session.add(entry)
        elif not messages and not meetings and first >= entry.first_seen_at:
            continue  # read again: nothing it had not counted
        entry.messages = (entry.messages or 0) + messages
        entry.meetings = (entry.meetings or 0) + meetings
        entry.first_seen_at = min(entry.first_seen_at, first)
        entry.last_seen_at = max(entry.last_seen_at, last)
        entry.name = entry.name or seen.name
        written += 1
    session.flush()
    return written


def listing(
    session: Session, *, owner_id: int, include_ignored: bool = False, limit: int | None = None
) -> list[Discovered]:
    """The queue, most recently seen first (ignored entries only when asked; the first `limit` if given)."""
    return sync_repo.discovered_listing(
        session, owner_id=owner_id, include_ignored=include_ignored, limit=limit
    )


def count(session: Session, *, owner_id: int) -> int:
    """How many entries wait in the queue (what the nav and the Sync page show)."""
    return sync_repo.discovered_count(session, owner_id=owner_id)


def _entry(session: Session, *, owner_id: int, email: str) -> Discovered:
    folded = email.strip().lower()
    entry = sync_repo.discovered(session, owner_id=owner_id, emails=[folded]).get(folded)
    if entry is None:
        raise NotFound(f"{email} is not in the discovered queue (see tieline discovered)")
    return entry


def add_person(
    session: Session, *, owner_id: int, email: str, name: str | None, today: date, now: datetime
) -> Person:
    """Make a person of a discovered address (named as seen unless `name` is given)."""
    entry = _entry(session, owner_id=owner_id, email=email)
    person = people_service.add_person(
        session,
        owner_id=owner_id,
        name=name or entry.name or entry.email,
        changes=PersonChanges(add={"emails": [entry.email]}),
        today=today,
        now=now,
    )
    session.delete(entry)
    session.flush()
    return person


def link(session: Session, *, owner_id: int, email: str, person: str, today: date, now: datetime) -> Person:
    """Give a discovered address to a person who exists (their next messages match them)."""
    entry = _entry(session, owner_id=owner_id, email=email)
    found = people_service.resolve_person(session, owner_id=owner_id, text=person)
    people_service.edit_person(
        session, found, PersonChanges(add={"emails": [entry.email]}), today=today, now=now
    )
    session.delete(entry)
    session.flush()
    return found


def ignore(session: Session, *, owner_id: int, email: str) -> Discovered:
    """Hide an address for good: later syncs still count it, but it is not listed again."""
    entry = _entry(session, owner_id=owner_id, email=email)
    if entry.state == "ignored":
        raise InvalidInput(f"{entry.email} is already ignored")
    entry.state = "ignored"
    session.flush()
    return entry
