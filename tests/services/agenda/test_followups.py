"""Follow-ups and promises on the agenda (tieline.services.agenda.followups)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.errors import NotFound
from tieline.models import LOCAL_OWNER_ID, FollowUp, Interaction, Person
from tieline.repo import interactions as interactions_repo
from tieline.services import agenda, preferences
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import people as people_service
from tieline.services.agenda import AgendaItem
from tieline.services.agenda.actions import DoneOptions

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def due_items(session: Session, day: date = DAY) -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    return [i for i in agenda.collect_all(ctx) if i.kind == "follow_up"]


def add(session: Session, person: Person | None, text: str, due_on: date, **extra: object) -> FollowUp:
    return followups_service.add_followup(
        session, owner_id=LOCAL_OWNER_ID, person=person, text=text, due_on=due_on, **extra
    )


def test_a_follow_up_is_due_from_its_date_on(session: Session, add_person: AddPerson) -> None:
    item = add(session, add_person("Ana Lima"), "send the article", DAY + timedelta(days=2))
    assert due_items(session, DAY) == []
    assert due_items(session, DAY + timedelta(days=1)) == []
    [line] = due_items(session, DAY + timedelta(days=2))
    assert line.key == f"follow:{item.id}:2026-03-12"
    assert (line.ref_id, line.due_on, line.draft) == (item.id, DAY + timedelta(days=2), "follow_up")
    assert line.title == "Follow up with Ana Lima: send the article"
    assert line.reasons == ["due today: a reminder you set yourself"]
    assert line.deadline == DAY + timedelta(days=2)


def test_a_promise_says_so_and_counts_overdue_days(session: Session, add_person: AddPerson) -> None:
    add(session, add_person("Ana Lima"), "intro to Bo", DAY - timedelta(days=3), is_promise=True)
    [line] = due_items(session)
    assert line.title == "Keep your promise to Ana Lima: intro to Bo"
    assert line.reasons == ["was due on Saturday: a promise kept builds trust; one forgotten erodes it"]
    assert line.details == ["due 2026-03-07, 3 days overdue"]


@pytest.mark.parametrize(("overdue", "factor"), [(0, 1.0), (7, 2.0), (14, 3.0), (40, 3.0)])
def test_priority_grows_with_overdue_days_up_to_two_weeks(
    session: Session, add_person: AddPerson, overdue: int, factor: float
) -> None:
    add(session, add_person("Ana"), "x", DAY - timedelta(days=overdue))
    [line] = due_items(session)
    assert line.priority == pytest.approx(3.0 * factor)  # default agenda.weight.follow_up is 3


def test_archived_people_and_closed_follow_ups_stay_off(session: Session, add_person: AddPerson) -> None:
    gone = add_person("Gone Person")
    add(session, gone, "x", DAY)
    people_service.archive_person(gone)
    done = add(session, add_person("Ana"), "done already", DAY)
    followups_service.complete(done, day=DAY, now=noon(DAY))
    own = add(session, None, "update my CV", DAY)
    session.flush()
    assert [i.ref_id for i in due_items(session)] == [own.id]
    assert due_items(session)[0].title == "Follow up: update my CV"


def test_done_closes_a_one_off_for_good(session: Session, add_person: AddPerson) -> None:
    item = add(session, add_person("Ana"), "x", DAY)
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=f"follow:{item.id}:2026-03-10", now=noon(DAY))
    assert item.status == "done"
    for later in (DAY, DAY + timedelta(days=1), DAY + timedelta(days=365)):
        assert due_items(session, later) == []


def test_done_on_a_follow_up_with_someone_logs_the_contact(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    item = add(session, ana, "send the article", DAY)
    own = add(session, None, "update my CV", DAY)
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=f"follow:{item.id}:2026-03-10", now=noon(DAY))
    [entry] = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert (entry.interaction.kind, entry.interaction.notes, entry.interaction.initiated_by) == (
        "message",
        "followed up: send the article",
        "me",
    )
    assert ana.last_contact_at == noon(DAY)
    options = DoneOptions(log_kind="call", note="rang her")
    again = add(session, ana, "ask about the job", DAY)
    agenda.done(
        session, owner_id=LOCAL_OWNER_ID, ref=f"follow:{again.id}:2026-03-10", now=noon(DAY), options=options
    )
    latest = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)[0].interaction
    assert (latest.kind, latest.notes) == ("call", "rang her")
    # A follow-up with nobody (a note to self) is closed, and no contact is logged.
    before = session.scalar(sa.select(sa.func.count()).select_from(Interaction))
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=f"follow:{own.id}:2026-03-10", now=noon(DAY))
    assert own.status == "done"
    assert session.scalar(sa.select(sa.func.count()).select_from(Interaction)) == before


def test_done_moves_a_recurring_one_to_its_next_date(session: Session, add_person: AddPerson) -> None:
    item = add(session, add_person("Ana"), "check in", DAY, every_days=14)
    agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=f"follow:{item.id}:2026-03-10", now=noon(DAY))
    assert (item.status, item.due_on) == ("open", DAY + timedelta(days=14))
    assert due_items(session, DAY + timedelta(days=13)) == []
    [line] = due_items(session, DAY + timedelta(days=14))
    assert line.key == f"follow:{item.id}:2026-03-24"


def test_a_snoozed_follow_up_returns_only_when_the_snooze_ends(
    session: Session, add_person: AddPerson
) -> None:
    item = add(session, add_person("Ana"), "x", DAY)
    key = f"follow:{item.id}:2026-03-10"
    _, until = agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=key, days=3, now=noon(DAY))
    assert until == DAY + timedelta(days=3)
    for day in (DAY, DAY + timedelta(days=1), DAY + timedelta(days=2)):
        assert due_items(session, day) == []
    assert [i.key for i in due_items(session, until)] == [key]
    assert item.status == "open"


def test_a_dismissed_follow_up_does_not_return(session: Session, add_person: AddPerson) -> None:
    item = add(session, add_person("Ana"), "x", DAY)
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=f"follow:{item.id}:2026-03-10", now=noon(DAY))
    assert due_items(session, DAY + timedelta(days=30)) == []


def test_a_follow_up_not_yet_due_cannot_be_done_from_the_agenda(
    session: Session, add_person: AddPerson
) -> None:
    item = add(session, add_person("Ana"), "x", DAY + timedelta(days=1))
    with pytest.raises(NotFound):
        agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=f"follow:{item.id}:2026-03-11", now=noon(DAY))
    assert item.status == "open"


def test_the_follow_up_weight_setting_changes_the_order(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana")
    follow = add(session, ana, "x", DAY)
    # Thanks due today, as the follow-up is: the weights decide between them.
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=add_person("Bo"), direction="received", kind="advice",
        when=noon(DAY - timedelta(days=3)), now=noon(DAY),
    )  # fmt: skip

    def order() -> list[str]:
        ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY))
        return [i.kind for i in agenda.collect_all(ctx) if i.kind in ("follow_up", "thanks")]

    assert order() == ["thanks", "follow_up"]  # thanks weigh 4, follow-ups 3 by default
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.weight.follow_up", value="5")
    assert order() == ["follow_up", "thanks"]
    assert follow.status == "open"
