"""Follow-ups and promises (tieline.services.followups)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import followups as followups_service

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def add(session: Session, person: Person | None, text: str, due_on: date, **extra: object):  # type: ignore[no-untyped-def]
    return followups_service.add_followup(
        session, owner_id=LOCAL_OWNER_ID, person=person, text=text, due_on=due_on, **extra
    )


def test_a_one_off_follow_up_is_closed_when_done(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    item = add(session, ana, "send the article", DAY)
    followups_service.complete(item, day=DAY, now=NOW)
    assert (item.status, item.due_on, item.done_at) == ("done", DAY, NOW)
    assert followups_service.listing(session, owner_id=LOCAL_OWNER_ID) == []


def test_a_recurring_follow_up_moves_forward_and_stays_open(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    item = add(session, ana, "monthly check-in", DAY, every_days=30)
    followups_service.complete(item, day=DAY, now=NOW)
    assert (item.status, item.due_on) == ("open", DAY + timedelta(days=30))
    followups_service.complete(item, day=DAY + timedelta(days=30), now=NOW)
    assert item.due_on == DAY + timedelta(days=60)


def test_a_recurring_follow_up_done_late_skips_the_missed_dates(
    session: Session, add_person: AddPerson
) -> None:
    item = add(session, add_person("Ana"), "weekly notes", DAY - timedelta(days=20), every_days=7)
    followups_service.complete(item, day=DAY, now=NOW)
    # 20 days late on a weekly rhythm: the next date is the first one after today, not three in a row.
    assert item.due_on == DAY + timedelta(days=1)


def test_a_recurring_follow_up_done_early_moves_one_step(session: Session, add_person: AddPerson) -> None:
    item = add(session, add_person("Ana"), "weekly notes", DAY + timedelta(days=3), every_days=7)
    followups_service.complete(item, day=DAY, now=NOW)
    assert item.due_on == DAY + timedelta(days=10)


def test_a_closed_follow_up_cannot_be_done_again(session: Session, add_person: AddPerson) -> None:
    item = add(session, add_person("Ana"), "call back", DAY)
    followups_service.complete(item, day=DAY, now=NOW)
    with pytest.raises(InvalidInput, match="already done"):
        followups_service.complete(item, day=DAY, now=NOW)
    with pytest.raises(InvalidInput, match="already done"):
        followups_service.dismiss(item)


@pytest.mark.parametrize("every", [0, -7])
def test_a_repeat_must_be_at_least_a_day(session: Session, add_person: AddPerson, every: int) -> None:
    with pytest.raises(InvalidInput, match="at least 1 day"):
        add(session, add_person("Ana"), "x", DAY, every_days=every)


def test_blank_text_is_refused(session: Session, add_person: AddPerson) -> None:
    with pytest.raises(InvalidInput, match="cannot be empty"):
        add(session, add_person("Ana"), "   ", DAY)


def test_listing_is_by_due_date_and_leaves_closed_ones_out_unless_asked(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    later = add(session, ana, "later", DAY + timedelta(days=5), is_promise=True)
    sooner = add(session, bo, "sooner", DAY)
    closed = add(session, bo, "closed", DAY - timedelta(days=1))
    followups_service.dismiss(closed)
    session.flush()
    open_rows = followups_service.listing(session, owner_id=LOCAL_OWNER_ID)
    assert [(f.id, name) for f, name in open_rows] == [(sooner.id, "Bo Chen"), (later.id, "Ana Lima")]
    every_row = followups_service.listing(session, owner_id=LOCAL_OWNER_ID, include_closed=True)
    assert [f.id for f, _ in every_row] == [closed.id, sooner.id, later.id]
    only_ana = followups_service.listing(session, owner_id=LOCAL_OWNER_ID, person=ana)
    assert [f.id for f, _ in only_ana] == [later.id]


def test_a_page_of_follow_ups_is_narrowed_and_counts_them_all(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    first = add(session, ana, "first", DAY)
    add(session, ana, "second", DAY + timedelta(days=3))
    about_bo = add(session, bo, "bo's", DAY + timedelta(days=1))
    closed = add(session, None, "closed", DAY - timedelta(days=1))
    followups_service.dismiss(closed)
    session.flush()
    rows, total = followups_service.page(session, owner_id=LOCAL_OWNER_ID, limit=2)
    assert ([(f.id, name) for f, name in rows], total) == (
        [(first.id, "Ana Lima"), (about_bo.id, "Bo Chen")],
        3,
    )
    rows, total = followups_service.page(session, owner_id=LOCAL_OWNER_ID, status=None, limit=1)
    assert ([(f.id, name) for f, name in rows], total) == ([(closed.id, None)], 4)
    rows, total = followups_service.page(
        session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, due_by=DAY + timedelta(days=1), limit=10
    )
    assert ([f.id for f, _ in rows], total) == ([first.id], 1)
    with pytest.raises(InvalidInput, match="open, done, dismissed"):
        followups_service.page(session, owner_id=LOCAL_OWNER_ID, status="late", limit=10)
