"""The shapes of events: an event, its listing, who was there, what was just recorded, its page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.growth import OpportunityOut, opportunity
from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.models import Person
    from tieline.models.followup import FollowUp
    from tieline.models.growth import Event, EventAttendee
    from tieline.services.events import Encounter, EventPerson, EventReport, EventReturn


class EventOut(TypedDict):
    """An event, with its organiser's name."""

    id: int
    name: str
    kind: str
    starts_on: str | None
    ends_on: str | None
    place: str | None
    organiser_id: int | None
    organiser: str | None
    goals: str | None
    notes: str | None


class EventSummaryOut(EventOut):
    """An event in a listing: how many people you met, saw, and followed up."""

    met: int
    attended: int
    followed_up: int


class EventAttendeeOut(TypedDict):
    """A person at an event: met (when, a note, the follow-up it opened) or only there."""

    person_id: int
    person: str
    met: bool
    met_at: str | None
    note: str | None
    follow_up_id: int | None
    follow_up_due_on: str | None


class EncounterOut(EventAttendeeOut):
    """Someone just recorded at an event: new or not, recorded before or not, and a lookalike."""

    created: bool
    already: bool
    looks_like_id: int | None


class EventPersonOut(EventAttendeeOut):
    """Someone on an event's page: the follow-up, the contact since, and the tie now."""

    follow_up_status: str
    followed_up_at: str | None
    followed_up_in_time: bool
    last_contact_after: str | None
    still_in_touch: bool
    strength: float


class EventReturnOut(TypedDict):
    """What an event gave: people met, followed up in time, still in touch, opportunities, won."""

    met: int
    followed_up_in_time: int
    still_in_touch: int
    opportunities: int
    won: int
    line: str


# `return` is a Python keyword, hence the functional form (the event's keys, then the page's).
EventPageOut = TypedDict(
    "EventPageOut",
    {
        **EventOut.__annotations__,
        "met_people": list[EventPersonOut],
        "attended_people": list[EventPersonOut],
        "opportunities": list[OpportunityOut],
        "return": EventReturnOut,
    },
)
EventPageOut.__doc__ = "`tieline event show --json`: the event, who you met and saw there, and its return."


def event(item: Event, organiser: str | None = None) -> EventOut:
    """An event, with its organiser's name."""
    return {
        "id": item.id,
        "name": item.name,
        "kind": item.kind,
        "starts_on": iso(item.starts_on),
        "ends_on": iso(item.ends_on),
        "place": item.place,
        "organiser_id": item.organiser_id,
        "organiser": organiser,
        "goals": item.goals,
        "notes": item.notes,
    }


def event_summary(
    item: Event, organiser: str | None, met: int, attended: int, followed_up: int
) -> EventSummaryOut:
    """An event in a listing: the event plus how many people you met, saw and followed up."""
    return {**event(item, organiser), "met": met, "attended": attended, "followed_up": followed_up}


def event_attendee(
    item: EventAttendee, person: Person, follow_up: FollowUp | None = None
) -> EventAttendeeOut:
    """A person at an event: met (with when, a note and the follow-up it opened) or only there."""
    return {
        "person_id": item.person_id,
        "person": person.display_name,
        "met": item.met,
        "met_at": iso(item.met_at),
        "note": item.note,
        "follow_up_id": item.follow_up_id,
        "follow_up_due_on": iso(follow_up.due_on) if follow_up is not None else None,
    }


def encounter(item: Encounter) -> EncounterOut:
    """Someone just recorded at an event (services.events.Encounter): the attendee, whether the person
    is new, whether they were recorded before, and a known person whose name is close."""
    return {
        **event_attendee(item.attendee, item.person, item.follow_up),
        "created": item.created,
        "already": item.already,
        "looks_like_id": item.similar.id if item.similar is not None else None,
    }


def event_return(result: EventReturn) -> EventReturnOut:
    """An event's return (services.events.EventReturn)."""
    return {
        "met": result.met,
        "followed_up_in_time": result.followed_up_in_time,
        "still_in_touch": result.still_in_touch,
        "opportunities": result.opportunities,
        "won": result.won,
        "line": result.line(),
    }


def event_person(entry: EventPerson) -> EventPersonOut:
    """Someone on an event's page (services.events.EventPerson): follow-up, last contact, strength."""
    row = entry.row
    follow_up = row.follow_up
    return {
        **event_attendee(row.attendee, row.person, follow_up),
        "follow_up_status": entry.follow_up_state,
        "followed_up_at": iso(follow_up.done_at)
        if follow_up is not None and follow_up.status == "done"
        else None,
        "followed_up_in_time": entry.in_time,
        "last_contact_after": iso(row.last_contact_after),
        "still_in_touch": entry.still_in_touch,
        "strength": entry.strength,
    }


def event_page(report: EventReport) -> EventPageOut:
    """`tieline event show --json` (services.events.EventReport)."""
    return {
        **event(report.event, report.organiser.name if report.organiser else None),
        "met_people": [event_person(p) for p in report.met],
        "attended_people": [event_person(p) for p in report.attended],
        "opportunities": [
            opportunity(o, person, event=report.event.name if o.event_id == report.event.id else None)
            for o, person in report.opportunities
        ],
        "return": event_return(report.result),
    }
