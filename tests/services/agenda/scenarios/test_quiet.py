"""Snooze and dismiss mean the person: "not them, not now" quiets their other suggestions for as long,
while what is dated (a birthday, a promise, thanks owed) still shows."""

from __future__ import annotations

from datetime import timedelta

from tests.services.agenda.scenarios.world import DAY, NOW, OWNER, World, kinds, people_in
from tieline.services import agenda


def test_snoozing_a_check_in_quiets_the_tier_review_for_as_long(world: World) -> None:
    world.friend("Ana Lima", tier=1, silent=30, closeness=4)
    assert world.shown() == [("keep_in_touch", "Ana Lima"), ("review_tier", "Ana Lima")]
    world.snooze(world.line("Ana Lima", "keep_in_touch"), days=3)
    for later in (0, 1, 2):
        assert world.top(DAY + timedelta(days=later)) == [], later
    assert set(kinds(world.top(DAY + timedelta(days=3)))) == {"keep_in_touch", "review_tier"}


def test_a_snoozed_person_still_gets_their_birthday_and_your_promise(world: World) -> None:
    ana = world.friend("Ana Lima", tier=1, silent=30, closeness=4, birthday="03-11")
    world.promise(ana, "send the deck", due_in=1)
    world.snooze(world.line("Ana Lima", "keep_in_touch"), days=7)
    tomorrow = world.top(DAY + timedelta(days=1))
    assert sorted(kinds(tomorrow)) == ["congratulate", "follow_up"]
    assert all(not item.also for item in tomorrow)  # the quiet check-in is not even mentioned


def test_snoozing_a_thank_you_quiets_the_give_first_for_that_person(world: World) -> None:
    eve = world.person("Eve Park")
    world.helped_me(eve, "advice", days_ago=30)
    world.thank(eve)
    world.helped_me(eve, "introduction")  # owed thanks again, and you still owe her
    world.plan_ask(eve, "a referral")
    assert sorted(kinds(world.top())) == ["give_first", "thanks"]
    world.snooze(world.line("Eve Park", "thanks"), days=2)
    assert world.top() == [] and world.top(DAY + timedelta(days=1)) == []
    assert sorted(kinds(world.top(DAY + timedelta(days=2)))) == ["give_first", "thanks"]


def test_dismissing_someone_quiets_them_until_you_are_next_in_touch(world: World) -> None:
    ana = world.friend("Ana Lima", tier=2, silent=100)  # check-in and tier review due
    world.dismiss(world.line("Ana Lima", "keep_in_touch"))
    for later in (0, 30, 200):
        assert "Ana Lima" not in people_in(world.top(DAY + timedelta(days=later))), later
    world.talk(ana, 0)  # a new situation: a contact today
    assert world.top(DAY + timedelta(days=29)) == []
    assert world.shown(DAY + timedelta(days=30)) == [("keep_in_touch", "Ana Lima")]


def test_dismissing_a_tier_review_still_reminds_you_to_get_in_touch(world: World) -> None:
    world.friend("Ana Lima", tier=1, silent=30, closeness=4)
    world.dismiss(world.line("Ana Lima", "review_tier"))  # "keep her in my inner circle"
    assert world.shown() == [("keep_in_touch", "Ana Lima")]


def test_a_snooze_by_line_number_quiets_the_person_too(world: World) -> None:
    world.friend("Ana Lima", tier=1, silent=30, closeness=4)
    world.friend("Bo Chen", tier=2, silent=45)
    shown = world.agenda()  # remembered: `tieline snooze 1` means its first line
    assert shown.items[0].person_name == "Ana Lima"
    agenda.snooze(world.session, owner_id=OWNER, ref="1", days=2, now=NOW)
    assert people_in(world.top()) == {"Bo Chen"}
