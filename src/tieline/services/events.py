"""Events: who you met there, the follow-up each new contact is owed, and what came of it.

Meeting someone at an event is an interaction: it logs one `event` interaction with them (so their
last contact and tie strength move) and opens a follow-up due within `event.follow_up_hours` of
meeting them, which the agenda shows like any other follow-up. People you only saw there are
attendees: no interaction, no follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tieline import validate
from tieline.errors import Ambiguous, InvalidInput, NotFound
from tieline.models import EVENT_KINDS, Event, EventAttendee, FollowUp, Opportunity, Organisation, Person
from tieline.models.base import MAX_ID
from tieline.repo import events as events_repo
from tieline.repo import organisations as organisations_repo
from tieline.repo import people as people_repo
from tieline.repo import said as said_repo
from tieline.repo.events import AttendeeRow, EventCounts
from tieline.services import followups as followups_service
from tieline.services import interactions as interactions_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services import preferences, scoring
from tieline.text import fold

# The kind a new organiser is created as, when --organiser names one tieline does not know yet.
ORGANISER_KIND = {
    "meetup": "community",
    "social": "community",
    "alumni": "alumni_network",
    "team_building": "company",
}
DEFAULT_ORGANISER_KIND = "association"


@dataclass(frozen=True)
class Encounter:
    """What `met` or `attend` did for one person: created them, recorded them, or nothing new."""

    person: Person
    attendee: EventAttendee
    created: bool
    already: bool
    follow_up: FollowUp | None = None
    similar: Person | None = None  # a known person whose name is close to a new one's


@dataclass(frozen=True)
class EventPerson:
    """Someone at the event as `show` reports them, with where the relationship stands now."""

    row: AttendeeRow
    strength: float
    follow_up_state: str  # none, open, overdue, done, dismissed
    in_time: bool
    still_in_touch: bool


@dataclass(frozen=True)
class EventReturn:
    """The event's return: people met, followed up in time, still in touch, opportunities and wins."""

    met: int
    followed_up_in_time: int
    still_in_touch: int
    opportunities: int
    won: int

    def line(self) -> str:
        """The one-line summary `show` ends with."""
        return (
            f"met {self.met}, followed up {self.followed_up_in_time} in time, "
            f"{self.still_in_touch} still in touch, {self.opportunities} "
            f"{'opportunity' if self.opportunities == 1 else 'opportunities'} ({self.won} won)"
        )


@dataclass(frozen=True)
class EventReport:
    """Everything `tieline event show` displays."""

    event: Event
    organiser: Organisation | None
    met: list[EventPerson]
    attended: list[EventPerson]
    opportunities: list[tuple[Opportunity, str | None]]
    result: EventReturn


def check_kind(kind: str) -> str:
    """A known event kind (team-building and team_building both accepted)."""
    normalised = kind.strip().lower().replace("-", "_").replace(" ", "_")
    if normalised not in EVENT_KINDS:
        raise InvalidInput(f"unknown event kind {kind!r}: use one of {', '.join(EVENT_KINDS)}")
    return normalised


def last_day(event: Event) -> date:
    """The event's last day (its only day when it has no end date)."""
    return event.ends_on or event.starts_on


def describe(event: Event) -> str:
    """A one-line way to tell an event apart from others of the same name: name, id, date."""
    return f"{event.name} (#{event.id}, {event.starts_on.isoformat()})"


def organiser_for(
    session: Session, *, owner_id: int, text: str, event_kind: str, org_kind: str | None = None
) -> Organisation:
    """The organisation named as organiser, created (as `org_kind`, else per the event kind) if new."""
    try:
        return organisations_service.resolve_organisation(session, owner_id=owner_id, text=text)
    except NotFound:
        kind = org_kind or ORGANISER_KIND.get(event_kind, DEFAULT_ORGANISER_KIND)
        return organisations_service.ensure_organisation(session, owner_id=owner_id, name=text, kind=kind)


def add_event(
    session: Session,
    *,
    owner_id: int,
    name: str,
    starts_on: date,
    ends_on: date | None = None,
    kind: str = "conference",
    place: str | None = None,
    organiser: Organisation | None = None,
    goals: str | None = None,
    notes: str | None = None,
) -> Event:
    """Record an event; the same name on the same first day is the same event, so it is refused."""
    clean = validate.non_empty(name, "event name")
    kind = check_kind(kind)
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(f"--end {ends_on} is before --date {starts_on}")
    if ends_on == starts_on:
        ends_on = None
    folded = fold(clean)
    for event_id, other, day in events_repo.names(session, owner_id=owner_id):
        if day == starts_on and fold(other) == folded:
            raise InvalidInput(f"there is already an event named {other!r} on {day} (#{event_id})")
    event = Event(
        owner_id=owner_id,
        name=clean,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        place=_text(place),
        organiser_id=organiser.id if organiser else None,
        goals=_text(goals),
        notes=_text(notes),
    )
    session.add(event)
    session.flush()
    said_repo.refresh(session, owner_id=owner_id, item="event", ids=[event.id])  # for search
    return event


def _text(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def resolve_event(session: Session, *, owner_id: int, text: str) -> Event:
    """Find one event by id (#3), exact name (case and accents ignored), then name prefix."""
    query = text.strip()
    if not query:
        raise InvalidInput("no event named")
    number = query.lstrip("#")
    if number.isascii() and number.isdigit():
        event = (
            events_repo.get(session, owner_id=owner_id, event_id=int(number))
            if int(number) <= MAX_ID
            else None
        )
        if event is None:
            raise NotFound(f"no event with id {number}")
        return event
    folded = fold(query)
    rows = events_repo.names(session, owner_id=owner_id)
    found = [i for i, name, _ in rows if fold(name) == folded]
    found = found or [i for i, name, _ in rows if fold(name).startswith(folded)]
    if not found:
        raise NotFound(f"no event matches {query!r}")
    events = events_repo.get_many(session, owner_id=owner_id, event_ids=found)
    if len(events) > 1:
        candidates = [describe(e) for e in events]
        raise Ambiguous(f"{query!r} matches {len(events)} events: " + "; ".join(candidates), candidates)
    return events[0]


def meeting_time(event: Event, *, now: datetime) -> datetime:
    """When you met people at the event: now while it runs, else noon on its last day."""
    today = now.astimezone().date()
    if today < event.starts_on:
        raise InvalidInput(
            f"{event.name} starts on {event.starts_on}: you can record whom you met once it has begun "
            "(use `event attend` for people you know will be there)"
        )
    if today <= last_day(event):
        return now
    return datetime.combine(last_day(event), time(12, 0)).astimezone()


def follow_up_due(met_at: datetime, *, hours: int) -> date:
    """The day a follow-up is due: the local date `hours` after meeting."""
    return (met_at + timedelta(hours=hours)).astimezone().date()


def meet(
    session: Session,
    *,
    owner_id: int,
    event: Event,
    names: list[str],
    note: str | None = None,
    now: datetime,
) -> list[Encounter]:
    """Record the people you met at the event, creating those tieline does not know yet.

    Each person met for the first time at this event gets an `event` interaction dated when you met
    and a follow-up due `event.follow_up_hours` later; meeting them again changes nothing (a note
    given then fills an empty one). Someone recorded with `attend` is upgraded to met.
    """
    if not names:
        raise InvalidInput("name at least one person you met")
    met_at = meeting_time(event, now=now)
    note = _text(note)
    today = now.astimezone().date()
    people: dict[int, tuple[Person, bool, Person | None]] = {}
    for name in names:
        person, similar = _find_or_new(session, owner_id=owner_id, name=name)
        created = person is None
        if person is None:
            person = _new_person(
                session, owner_id=owner_id, name=name, event=event, met_at=met_at, today=today, now=now
            )
        people.setdefault(person.id, (person, created, similar))
    prefs = preferences.load(session, owner_id=owner_id)
    hours = int(prefs["event.follow_up_hours"])
    known = events_repo.attendees_by_person(
        session, owner_id=owner_id, event_id=event.id, person_ids=list(people)
    )
    encounters = []
    for person_id, (person, created, similar) in people.items():
        attendee = known.get(person_id)
        if attendee is not None and attendee.met:
            if note and not attendee.note:
                attendee.note = note
            encounters.append(Encounter(person, attendee, created=False, already=True))
            continue
        if not created:
            _fill_met_fields(session, person, event=event, met_at=met_at, today=today, now=now)
        if attendee is None:
            attendee = EventAttendee(owner_id=owner_id, event_id=event.id, person_id=person_id)
            session.add(attendee)
        attendee.met, attendee.met_at = True, met_at
        attendee.note = attendee.note or note
        follow_up = followups_service.add_followup(
            session,
            owner_id=owner_id,
            person=person,
            text=f"Follow up with {person.display_name} after {event.name}",
            due_on=follow_up_due(met_at, hours=hours),
        )
        attendee.follow_up_id = follow_up.id
        interactions_service.log_interaction(
            session, owner_id=owner_id, kind="event", people=[person], when=met_at, notes=note,
            subject=event.name, now=now,
        )  # fmt: skip
        encounters.append(Encounter(person, attendee, created, False, follow_up, similar))
    session.flush()
    return encounters


def _find_or_new(session: Session, *, owner_id: int, name: str) -> tuple[Person | None, Person | None]:
    """(the person a name means, None), or (None, a look-alike or None) when it names nobody yet.

    Ids, exact names and name prefixes resolve as everywhere; a fuzzy match does not, since at an
    event "Jon Smith" is more likely someone new than the John Smith you know.
    """
    folded = fold(name)
    by_id = name.strip().lstrip("#").isdigit()
    try:
        person = people_service.resolve_person(session, owner_id=owner_id, text=name)
    except NotFound:
        if by_id:
            raise
        return None, None
    except Ambiguous:
        if people_repo.find_by_name_prefix(session, owner_id=owner_id, prefix=folded, limit=1):
            raise  # namesakes: the user chooses one by #id
        return None, None  # only look-alikes
    if by_id or person.sort_name.startswith(folded) or f" {folded}" in person.sort_name:
        return person, None
    return None, person


def _met_fields(event: Event, met_at: datetime) -> dict[str, object]:
    return {
        "met_how": f"at {event.name} ({event.kind.replace('_', ' ')})",
        "met_where": event.place,
        "met_on": met_at.astimezone().date(),
    }


def _new_person(
    session: Session, *, owner_id: int, name: str, event: Event, met_at: datetime, today: date, now: datetime
) -> Person:
    fields = {k: v for k, v in _met_fields(event, met_at).items() if v is not None}
    person = people_service.add_person(
        session, owner_id=owner_id, name=name, changes=people_service.PersonChanges(set=fields), today=today,
        now=now,
    )  # fmt: skip
    session.flush()
    return person


def _fill_met_fields(
    session: Session, person: Person, *, event: Event, met_at: datetime, today: date, now: datetime
) -> None:
    """Someone you had no contact with before the event was met there: say so where nothing is said."""
    if person.last_contact_at is not None and person.last_contact_at < met_at:
        return
    empty = {
        k: v for k, v in _met_fields(event, met_at).items() if v is not None and getattr(person, k) is None
    }
    if empty:
        people_service.edit_person(
            session, person, people_service.PersonChanges(set=empty), today=today, now=now
        )


def attend(session: Session, *, owner_id: int, event: Event, people: list[Person]) -> list[Encounter]:
    """Record people you know who were at the event (no follow-up); those met there stay met."""
    if not people:
        raise InvalidInput("name at least one person who was there")
    unique = list({p.id: p for p in people}.values())
    known = events_repo.attendees_by_person(
        session, owner_id=owner_id, event_id=event.id, person_ids=[p.id for p in unique]
    )
    encounters = []
    for person in unique:
        attendee = known.get(person.id)
        if attendee is None:
            attendee = EventAttendee(owner_id=owner_id, event_id=event.id, person_id=person.id, met=False)
            session.add(attendee)
            encounters.append(Encounter(person, attendee, created=False, already=False))
        else:
            encounters.append(Encounter(person, attendee, created=False, already=True))
    session.flush()
    return encounters


def listing(session: Session, *, owner_id: int) -> list[EventCounts]:
    """Every event, newest first, with how many people you met, saw and followed up."""
    return events_repo.listing(session, owner_id=owner_id)


def still_in_touch(*, last_contact_after: datetime | None, now: datetime, dormant_days: int) -> bool:
    """The one definition of a relationship from an event that is still alive.

    You have been in contact since meeting them (an interaction logged after the meeting itself),
    and the latest such contact is more recent than `dormant.days` (365 by default): a follow-up
    email and then a year of silence is a tie that has gone dormant, not one the event built.
    """
    if last_contact_after is None:
        return False
    return (now - last_contact_after) < timedelta(days=dormant_days)


def follow_up_state(
    follow_up: FollowUp | None, *, today: date, met_at: datetime | None = None, hours: int | None = None
) -> tuple[str, bool]:
    """(none | open | overdue | done | dismissed, whether it was done in time).

    In time is within `hours` of meeting when both are known (the 48 hours the agenda promises),
    else on or before the due day.
    """
    if follow_up is None:
        return "none", False
    if follow_up.status == "done":
        done_at = follow_up.done_at
        if done_at is None:
            return "done", False
        if met_at is not None and hours is not None:
            return "done", done_at <= met_at + timedelta(hours=hours)
        return "done", done_at.astimezone().date() <= follow_up.due_on
    if follow_up.status == "open":
        return ("overdue" if follow_up.due_on < today else "open"), False
    return follow_up.status, False


def report(session: Session, event: Event, *, now: datetime) -> EventReport:
    """The event's page: who you met, their follow-ups, who is still in touch, what came of it."""
    owner_id = event.owner_id
    prefs = preferences.load(session, owner_id=owner_id)
    dormant_days = int(prefs["dormant.days"])
    hours = int(prefs["event.follow_up_hours"])
    today = now.astimezone().date()
    met, attended = [], []
    for row in events_repo.attendee_rows(session, owner_id=owner_id, event_id=event.id):
        state, in_time = (
            follow_up_state(row.follow_up, today=today, met_at=row.attendee.met_at, hours=hours)
            if row.attendee.met
            else ("none", False)
        )
        entry = EventPerson(
            row=row,
            strength=scoring.strength(row.person, row.tie, at=now, prefs=prefs).total,
            follow_up_state=state,
            in_time=in_time,
            still_in_touch=row.attendee.met
            and still_in_touch(last_contact_after=row.last_contact_after, now=now, dormant_days=dormant_days),
        )
        (met if row.attendee.met else attended).append(entry)
    opportunities = events_repo.opportunities(
        session, owner_id=owner_id, event_id=event.id, since=event.starts_on
    )
    organiser = (
        organisations_repo.get(session, owner_id=owner_id, organisation_id=event.organiser_id)
        if event.organiser_id is not None
        else None
    )
    result = EventReturn(
        met=len(met),
        followed_up_in_time=sum(1 for p in met if p.in_time),
        still_in_touch=sum(1 for p in met if p.still_in_touch),
        opportunities=len(opportunities),
        won=sum(1 for o, _ in opportunities if o.stage == "won"),
    )
    return EventReport(event, organiser, met, attended, opportunities, result)


def upcoming_and_past(
    session: Session, *, owner_id: int, today: date
) -> tuple[list[EventCounts], list[EventCounts]]:
    """Events not over yet (running today or later), soonest first; and past ones, newest first."""
    rows = events_repo.listing(session, owner_id=owner_id)
    upcoming = [r for r in rows if last_day(r.event) >= today]
    past = [r for r in rows if last_day(r.event) < today]
    upcoming.reverse()
    return upcoming, past
