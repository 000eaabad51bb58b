"""Thanks owed on the agenda (tieline.services.agenda.gratitude)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Favour, Person
from tieline.repo import interactions as interactions_repo
from tieline.services import agenda, preferences
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import people as people_service
from tieline.services.agenda import AgendaItem, DoneOptions

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def thanks(session: Session, day: date = DAY) -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=noon(day))
    return [i for i in agenda.collect_all(ctx) if i.kind == "thanks"]


def help_from(
    session: Session, person: Person, kind: str = "advice", day: date = DAY, direction: str = "received"
) -> Favour:
    return favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=person, direction=direction, kind=kind, when=noon(day),
        now=noon(day),
    )  # fmt: skip


def test_help_received_puts_a_thank_you_on_the_agenda_from_that_day(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima")
    item = help_from(session, ana, "job_lead")
    assert thanks(session, DAY - timedelta(days=1)) == []
    [line] = thanks(session)
    assert line.key == f"thanks:{item.id}"
    assert line.title == "Thank Ana Lima for the job lead"
    assert line.reasons[0] == (
        "Ana gave you a job lead today; a thank-you by Friday roughly doubles the chance they help again "
        "(Grant & Gino 2010)"
    )
    assert line.deadline == date(2026, 3, 13)  # time-sensitive until the thank-you is due
    assert (line.person_id, line.ref_id, line.due_on, line.draft) == (
        ana.id,
        item.id,
        date(2026, 3, 13),
        "thank_you",
    )


def test_help_given_owes_no_thanks(session: Session, add_person: AddPerson) -> None:
    help_from(session, add_person("Bo Chen"), direction="given")
    assert thanks(session) == []


@pytest.mark.parametrize(
    ("days_after", "factor"), [(0, 1.0), (3, 1.0), (4, 4 / 3), (6, 2.0), (9, 3.0), (30, 3.0)]
)
def test_priority_rises_after_the_due_date_up_to_three_times(
    session: Session, add_person: AddPerson, days_after: int, factor: float
) -> None:
    help_from(session, add_person("Ana"))
    [line] = thanks(session, DAY + timedelta(days=days_after))
    assert line.priority == pytest.approx(4.0 * factor)  # default agenda.weight.thanks is 4


def test_the_due_days_setting_moves_the_due_date(session: Session, add_person: AddPerson) -> None:
    help_from(session, add_person("Ana"))
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="thanks.due_days", value="1")
    [line] = thanks(session, DAY + timedelta(days=4))
    assert line.due_on == DAY + timedelta(days=1)
    assert line.reasons[0] == (
        "Ana gave you advice on Tuesday; a thank-you was due Wednesday: late still beats never"
    )
    assert line.details[0].endswith("3 days past due")
    assert line.priority == pytest.approx(4.0 * 2)


def test_a_thank_you_closes_it_and_it_never_comes_back(session: Session, add_person: AddPerson) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    help_from(session, ana)
    help_from(session, ana, "introduction")
    bo_favour = help_from(session, bo)
    favours_service.thank(session, owner_id=LOCAL_OWNER_ID, person=ana, now=noon(DAY + timedelta(days=1)))
    for later in (DAY, DAY + timedelta(days=1), DAY + timedelta(days=10), DAY + timedelta(days=400)):
        assert [i.key for i in thanks(session, later)] == [f"thanks:{bo_favour.id}"]


def test_done_on_the_agenda_is_a_thank_you(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    first, second = help_from(session, ana, "introduction"), help_from(session, ana)
    agenda.done(
        session,
        owner_id=LOCAL_OWNER_ID,
        ref=f"thanks:{first.id}",
        now=noon(DAY),
        options=DoneOptions(log_kind="email"),
    )
    assert first.thanked_at == second.thanked_at == noon(DAY)
    [entry] = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert (entry.interaction.kind, entry.interaction.initiated_by) == ("email", "me")
    assert entry.interaction.notes == "Thank you for the introduction and your advice"
    assert thanks(session, DAY + timedelta(days=5)) == []


def test_snoozed_thanks_return_when_the_snooze_ends_and_dismissed_ones_do_not(
    session: Session, add_person: AddPerson
) -> None:
    snoozed = help_from(session, add_person("Ana Lima"))
    dismissed = help_from(session, add_person("Bo Chen"))
    agenda.snooze(session, owner_id=LOCAL_OWNER_ID, ref=f"thanks:{snoozed.id}", days=2, now=noon(DAY))
    agenda.dismiss(session, owner_id=LOCAL_OWNER_ID, ref=f"thanks:{dismissed.id}", now=noon(DAY))
    assert thanks(session, DAY) == []
    assert thanks(session, DAY + timedelta(days=1)) == []
    assert [i.key for i in thanks(session, DAY + timedelta(days=2))] == [f"thanks:{snoozed.id}"]
    assert dismissed.thanked_at is None  # dismissing hides the line; it does not pretend thanks were sent


def test_archived_helpers_are_left_out(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    help_from(session, ana)
    people_service.archive_person(ana)
    session.flush()
    assert thanks(session) == []


def test_the_thanks_weight_setting_changes_the_order(session: Session, add_person: AddPerson) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    help_from(session, ana, day=DAY - timedelta(days=3))  # thanks due today, as the follow-up is
    followups_service.add_followup(session, owner_id=LOCAL_OWNER_ID, person=bo, text="x", due_on=DAY)

    def order() -> list[str]:
        ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=noon(DAY))
        return [i.kind for i in agenda.collect_all(ctx) if i.kind in ("follow_up", "thanks")]

    assert order() == ["thanks", "follow_up"]
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="agenda.weight.thanks", value="2")
    assert order() == ["follow_up", "thanks"]


def test_a_thank_you_greets_by_the_given_name_like_every_other_line(
    session: Session, add_person: AddPerson
) -> None:
    # "Maria Clara" is one given name: the line names her as the reply-owed line would.
    maria = add_person("Maria Clara Souza", given_name="Maria Clara", family_name="Souza")
    help_from(session, maria, "advice")
    [line] = thanks(session)
    assert line.reasons[0].startswith("Maria Clara gave you advice today; ")
    assert line.details == [
        "received 2026-03-10, thanks due 2026-03-13 (`thanks.due_days` 3), 0 days past due"
    ]
