"""Follow-ups and promises: dated things to do for or about a person, optionally recurring."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from tieline import validate
from tieline.errors import InvalidInput, NotFound
from tieline.models import FOLLOWUP_STATUSES, FollowUp, Person
from tieline.repo import followups as followups_repo
from tieline.repo.followups import FollowUpFilter


def add_followup(
    session: Session,
    *,
    owner_id: int,
    person: Person | None,
    text: str,
    due_on: date,
    every_days: int | None = None,
    is_promise: bool = False,
) -> FollowUp:
    """Record something to do by `due_on` (again every `every_days` days when given)."""
    if every_days is not None and every_days < 1:
        raise InvalidInput(f"--every must be at least 1 day, not {every_days}")
    followup = FollowUp(
        owner_id=owner_id,
        person_id=person.id if person is not None else None,
        text=validate.non_empty(text, "follow-up text"),
        due_on=due_on,
        every_days=every_days,
        is_promise=is_promise,
        status="open",
    )
    session.add(followup)
    session.flush()
    return followup


def get(session: Session, *, owner_id: int, followup_id: int) -> FollowUp:
    """The follow-up with this id, or NotFound."""
    followup = followups_repo.get(session, owner_id=owner_id, followup_id=followup_id)
    if followup is None:
        raise NotFound(f"no follow-up with id {followup_id}")
    return followup


def get_of_person(session: Session, *, owner_id: int, person_id: int, followup_id: int) -> FollowUp:
    """The follow-up with this id about this person, or NotFound (a person's page names both)."""
    followup = followups_repo.get(session, owner_id=owner_id, followup_id=followup_id)
    if followup is None or followup.person_id != person_id:
        raise NotFound(f"no follow-up with id {followup_id} for person {person_id}")
    return followup


def open_for(session: Session, *, owner_id: int, person_id: int) -> list[FollowUp]:
    """A person's open follow-ups, soonest due first."""
    rows = followups_repo.listing(session, owner_id=owner_id, person_id=person_id)
    return [followup for followup, _ in rows]


def page(
    session: Session,
    *,
    owner_id: int,
    status: str | None = "open",
    person_id: int | None = None,
    due_by: date | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[tuple[FollowUp, str | None]], int]:
    """A page of follow-ups by due date, with the name of whom each is about; narrowed to a status
    (None for every one), a person and a last due day where given; and how many match in all."""
    if status is not None and status not in FOLLOWUP_STATUSES:
        raise InvalidInput(f"a follow-up is {', '.join(FOLLOWUP_STATUSES)}, not {status!r}")
    where = FollowUpFilter(status=status, person_id=person_id, due_by=due_by)
    rows = followups_repo.page(session, owner_id=owner_id, where=where, limit=limit, offset=offset)
    return rows, followups_repo.count_matching(session, owner_id=owner_id, where=where)


def complete(followup: FollowUp, *, day: date, now: datetime) -> FollowUp:
    """Mark a follow-up done on `day`; a recurring one stays open and moves to its next due date.

    The next date is the first step of `every_days` from the current due date that lies after
    `day`, so a monthly check-in done three months late is not due three times in a row.
    """
    if followup.status != "open":
        raise InvalidInput(f"follow-up {followup.id} is already {followup.status}")
    if followup.every_days:
        step = timedelta(days=followup.every_days)
        try:
            due = followup.due_on + step
            while due <= day:
                due += step
        except OverflowError:
            raise InvalidInput(
                f"follow-up {followup.id} would next be due after 9999-12-31; dismiss it instead"
            ) from None
        followup.due_on = due
    else:
        followup.status = "done"
    followup.done_at = now
    return followup


def dismiss(followup: FollowUp) -> FollowUp:
    """Drop a follow-up without doing it (a recurring one stops recurring)."""
    if followup.status != "open":
        raise InvalidInput(f"follow-up {followup.id} is already {followup.status}")
    followup.status = "dismissed"
    return followup


def listing(
    session: Session, *, owner_id: int, include_closed: bool = False, person: Person | None = None
) -> list[tuple[FollowUp, str | None]]:
    """Follow-ups by due date with the name of whom they are about: open ones, or all."""
    return followups_repo.listing(
        session,
        owner_id=owner_id,
        include_closed=include_closed,
        person_id=person.id if person is not None else None,
    )
