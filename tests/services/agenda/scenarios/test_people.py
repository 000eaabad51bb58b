"""Whom the agenda suggests: the inner circle first, nobody nagged after a recent contact, a give
before an ask, dormant ties worth reviving, never anyone archived."""

from __future__ import annotations

from datetime import timedelta

from tests.services.agenda.scenarios.world import DAY, World, kinds, people_in
from tieline.services import people as people_service


def test_the_inner_circle_comes_before_the_wider_network(world: World) -> None:
    world.friend("Ana Lima", tier=1, silent=21, closeness=5)  # three weeks, weekly
    world.friend("Dee Eng", tier=3, silent=200)  # over six months, every three months
    world.friend("Cy Dorn", tier=4, silent=400)  # over a year, yearly
    top = world.top()
    assert [i.person_name for i in top if i.kind == "keep_in_touch"] == ["Ana Lima", "Dee Eng", "Cy Dorn"]
    assert top[0].reasons == ["inner circle: you usually talk every week; it has been three weeks"]
    [dee] = [i for i in top if i.person_name == "Dee Eng"]
    assert dee.reasons == ["you usually talk every three months; it has been almost seven months"]


def test_an_acquaintance_without_a_rhythm_is_never_nagged(world: World) -> None:
    zed = world.person("Zed Acq", tier=5, added=2000)
    world.talk(zed, 1500)  # once, four years ago: no cadence, and too weak to be worth reviving
    assert world.top() == []
    assert world.agenda().coming == []


def test_a_contact_yesterday_clears_every_reminder_to_get_in_touch(world: World) -> None:
    ana = world.friend("Ana Lima", tier=1, silent=30, closeness=4)  # check-in and tier review due
    bo = world.friend("Bo Chen", tier=5, silent=800, closeness=4)  # worth reconnecting
    assert {("keep_in_touch", "Ana Lima"), ("review_tier", "Ana Lima"), ("reactivate", "Bo Chen")} <= set(
        world.shown()
    )
    world.talk(ana, 1)
    world.talk(bo, 1)
    assert world.top() == []  # nothing to nag about: you just spoke


def test_a_recent_coffee_does_not_keep_a_promise(world: World) -> None:
    ana = world.person("Ana Lima", tier=1)
    world.promise(ana, "introduce her to Bo")
    world.talk(ana, 1)
    assert world.shown() == [("follow_up", "Ana Lima")]  # the promise is still owed


def test_someone_due_later_this_week_waits_for_their_day(world: World) -> None:
    world.friend("Bo Chen", tier=2, silent=27)  # monthly: due on Friday
    world.friend("Ana Lima", tier=1, silent=8)  # due today, so the day is not empty
    assert people_in(world.top()) == {"Ana Lima"}
    assert ("keep_in_touch", "Bo Chen") in world.shown(DAY + timedelta(days=3))


def test_give_before_you_ask_someone_you_owe(world: World) -> None:
    eve = world.person("Eve Park", lists={"interests": ["climbing"]})
    world.helped_me(eve, "advice", days_ago=40)
    world.helped_me(eve, "introduction", days_ago=30)
    world.thank(eve)
    world.plan_ask(eve, "a referral at Globex")
    line = world.line("Eve Park", "give_first")
    assert line.title == "Give to Eve Park before you ask"
    assert line.reasons == [
        "you plan to ask: a referral at Globex",
        "you gave Eve Park 0, received 2: you owe them (+2)",
        "give first: share something on climbing",
    ]


def test_no_give_first_when_you_have_given_as_much(world: World) -> None:
    eve = world.person("Eve Park")
    world.helped_me(eve, "advice", days_ago=40)
    world.thank(eve)
    world.helped_them(eve, "introduction", days_ago=20)
    world.plan_ask(eve, "a referral at Globex")
    assert "give_first" not in kinds(world.top())


def test_a_once_close_tie_gone_quiet_for_years_is_worth_reviving(world: World) -> None:
    world.friend("Bo Chen", tier=5, silent=1376, closeness=4, title="CTO", company="Globex")
    line = world.line("Bo Chen")
    assert (line.kind, line.title, line.draft) == ("reactivate", "Reconnect with Bo Chen", "reconnect")
    assert line.reasons[0] == "you were close once; you last spoke almost four years ago"
    assert line.reasons[-1] == "a tie this long dormant brings the most new ideas when it wakes"
    assert "1376 days" in line.details[0]  # the number stays in the details


def test_a_dormant_tie_whose_work_changed_says_there_is_news(world: World) -> None:
    bo = world.friend("Bo Chen", tier=5, silent=500, closeness=4, title="CTO", company="Globex")
    world.joined(bo, "Globex", "CTO", days_ago=100)
    line = world.line("Bo Chen", "reactivate")
    assert (
        line.reasons[1]
        == "their work changed since (now CTO at Globex, November 2025): plenty to catch up on"
    )


def test_a_weak_old_acquaintance_is_not_suggested(world: World) -> None:
    cy = world.person("Cy Dorn", tier=5, added=1600)
    world.talk(cy, 1400)
    assert world.shown() == []


def test_archived_people_never_appear_whatever_is_due(world: World) -> None:
    gone = world.friend("Gone Person", tier=1, silent=30, closeness=5, birthday="03-10")
    world.helped_me(gone, "job_lead")
    world.promise(gone, "send the deck")
    [gil] = world.met_at("Meetup", ["Gil Ray"], days_ago=1)
    world.plan_ask(gone, "a reference")
    for person in (gone, gil):
        people_service.archive_person(person)
    world.session.flush()
    view = world.agenda()
    assert (view.items, view.total) == ([], 0)
    assert all(
        not day.items or people_in(day.items).isdisjoint({"Gone Person", "Gil Ray"}) for day in view.coming
    )


def test_a_mentee_without_a_session_is_one_line_with_the_check_in(world: World) -> None:
    ana = world.friend("Ana Lima", tier=1, silent=45, closeness=4)
    world.mentee(ana, since_days=200)
    lines = [i for i in world.top() if i.person_name == "Ana Lima" and i.kind != "review_tier"]
    assert len(lines) == 1  # one "get in touch" line per person, the rest listed as "also"
    assert len(lines[0].also) == 1
