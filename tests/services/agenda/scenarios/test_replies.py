"""Replies owed: a message to you alone, days without an answer, is a line until you are in touch
again; a message to a group owes nothing; the line outranks what can wait."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from tests.services.agenda.scenarios.world import DAY, NOW, OWNER, World, kinds
from tieline.repo import interactions as interactions_repo
from tieline.services import agenda, drafts
from tieline.services import people as people_service
from tieline.services.agenda import reply_owed
from tieline.services.preferences import load


def replies(world: World, day=DAY) -> list[agenda.AgendaItem]:  # type: ignore[no-untyped-def]
    """The reply lines shown on `day`."""
    return [item for item in world.top(day) if item.kind == "reply"]


def owed(world: World) -> list[str]:
    """Titles of every reply owed today, shown or not, hidden or not (the source's own answer)."""
    ctx = agenda.context(world.session, owner_id=OWNER, day=DAY, now=NOW)
    return [item.title for item in reply_owed.collect(ctx)]


def test_a_message_to_you_alone_four_days_old_is_a_reply_owed_with_its_subject_and_age(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 4, "Lunch next week?")  # Friday
    [line] = world.top()
    assert (line.kind, line.person_name) == ("reply", "Ana Lima")
    assert line.title == "Reply to Ana Lima: Lunch next week?"
    assert line.reasons[0] == "Ana wrote to you alone on Friday; four days without an answer"
    assert line.deadline == DAY - timedelta(days=1)  # due Monday, three days after Friday
    assert line.draft == "reply"


def test_a_message_a_day_old_is_not_owed_yet_and_comes_once_its_days_have_passed(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 1, "Lunch next week?")  # Monday
    assert replies(world) == []
    assert replies(world, DAY + timedelta(days=2)) == []  # Thursday: three days, still within them
    [line] = replies(world, DAY + timedelta(days=3))
    assert line.reasons[0] == "Ana wrote to you alone on Monday; four days without an answer"


def test_the_days_a_reply_may_wait_are_a_setting(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 2, "Lunch next week?")
    assert replies(world) == []
    world.setting("reply.due_days", "1")
    assert [line.title for line in replies(world)] == ["Reply to Ana Lima: Lunch next week?"]


def test_a_message_to_you_and_others_owes_no_reply(world: World) -> None:
    ana, bo = world.correspondent("Ana Lima"), world.correspondent("Bo Chen")
    world.mail(ana, 5, "Team offsite", to=[bo])
    assert owed(world) == []


def test_a_message_logged_by_hand_owes_no_reply(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.talk(ana, 5, "message", notes="asked about lunch", by="them")  # as `tieline log` stores it
    assert owed(world) == []


def test_an_email_you_sent_them_later_clears_it(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 6, "Lunch next week?")
    assert owed(world) == ["Reply to Ana Lima: Lunch next week?"]
    world.mail(None, 1, "Re: Lunch next week?", to=[ana])
    assert owed(world) == []
    assert "reply" not in kinds(world.top())


def test_a_phone_call_since_clears_it(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 6, "Lunch next week?")
    world.talk(ana, 2, "call")
    assert owed(world) == []


def test_another_message_from_them_does_not_answer_the_first(world: World) -> None:
    ana, bo = world.correspondent("Ana Lima"), world.correspondent("Bo Chen")
    world.wrote_to_me(ana, 6, "Lunch next week?")
    world.mail(ana, 5, "Team offsite", to=[bo])  # they wrote again, to a group: still nobody answered
    world.talk(ana, 4, "call", by="them")  # they called: what they started is no answer of yours
    assert owed(world) == ["Reply to Ana Lima: Lunch next week?"]


def test_two_unanswered_messages_are_one_line_with_the_other_beside_it(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 8, "Lunch next week?")
    world.wrote_to_me(ana, 5, "Lunch, take two")
    [line] = world.top()
    assert line.title == "Reply to Ana Lima: Lunch next week?"  # the older one is later, so more pressing
    assert line.also == ["Reply to Ana Lima: Lunch, take two"]


def test_dismiss_hides_it_for_good(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 4, "Newsletter?")
    [line] = world.top()
    world.dismiss(line)
    assert replies(world) == []
    assert replies(world, DAY + timedelta(days=5)) == []


def test_done_logs_a_message_to_them_which_answers_it(world: World, session: Session) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 4, "Lunch next week?")
    [line] = world.top()
    world.done(line)
    [latest] = interactions_repo.timeline(session, owner_id=OWNER, person_id=ana.id, limit=1)
    assert (latest.interaction.kind, latest.interaction.initiated_by) == ("message", "me")
    assert latest.interaction.occurred_at == NOW
    assert latest.interaction.notes == "replied to Ana Lima: Lunch next week? (from the agenda)"
    assert owed(world) == []  # answered, not only remembered as done
    session.refresh(ana)
    assert ana.last_contact_at == NOW


def test_someone_archived_is_never_owed_a_reply(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 4, "Lunch next week?")
    people_service.archive_person(ana)
    world.session.flush()
    assert owed(world) == []


def test_a_month_without_an_answer_and_the_reply_is_no_longer_owed(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, reply_owed.OWED_FOR_DAYS + 1, "Lunch last month?")
    world.wrote_to_me(ana, reply_owed.OWED_FOR_DAYS, "Lunch this month?")
    assert owed(world) == ["Reply to Ana Lima: Lunch this month?"]


def test_a_reply_owed_ranks_above_overdue_check_ins(world: World) -> None:
    for n in range(5):
        world.friend(f"Friend {n}", tier=1, silent=35 + 5 * n, closeness=4)
    bo = world.correspondent("Bo Chen", tier=5)
    world.wrote_to_me(bo, 4, "Quick question")
    top = world.top()
    assert (top[0].kind, top[0].person_name) == ("reply", "Bo Chen")
    assert top[0].deadline is not None and all(i.deadline is None for i in top[1:])


def test_a_reply_owed_and_thanks_owed_to_one_person_are_one_line(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.helped_me(ana, "advice", days_ago=9)
    world.wrote_to_me(ana, 8, "How did it go?")
    [line] = world.top()  # a reply is a contact: one line per person among contact lines
    assert line.title == "Thank Ana Lima for the advice"  # six days late, the more pressing
    assert line.also == ["Reply to Ana Lima: How did it go?"]


def test_the_draft_replies_to_the_message_by_its_subject(world: World, session: Session) -> None:
    ana = world.correspondent("Ana Lima")
    world.wrote_to_me(ana, 4, "Lunch next week?")
    [line] = world.top()
    draft = drafts.render_draft(
        session, owner_id=OWNER, item=line, prefs=load(session, owner_id=OWNER), data_dir=None, now=NOW
    )
    assert draft.subject == "Re: Lunch next week?"
    assert draft.to == ["ana.lima@example.org"]
    assert draft.body.startswith('Hi Ana,\n\nThank you for your email on Friday about "Lunch next week?"')
