"""What cannot wait comes first: birthdays on the day, thanks within days, event follow-ups within 48
hours, promises on their date; kinds share the top; the daily cap keeps the day short."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from tests.services.agenda.scenarios.world import DAY, OWNER, World, kinds
from tieline.services import agenda


def overdue_friends(world: World, count: int, *, tier: int = 1) -> None:
    """`count` friends, each a little more overdue than the last."""
    for n in range(count):
        world.friend(f"Friend {n}", tier=tier, silent=35 + 5 * n, closeness=4)


def test_a_birthday_today_comes_before_a_close_friend_silent_for_months(world: World) -> None:
    world.friend("Ana Lima", tier=1, silent=60, closeness=5)  # the strongest tie, long overdue
    world.person("Dee Eng", tier=5, birthday="1986-03-10")  # an acquaintance, 40 today
    top = world.top()
    assert [(i.kind, i.person_name) for i in top[:2]] == [
        ("congratulate", "Dee Eng"),
        ("keep_in_touch", "Ana Lima"),
    ]
    # Why: the wish is worth most today; a check-in with Ana loses nothing by waiting a day.
    assert top[0].reasons == ["birthday today (turns 40): a wish on the day means the most"]
    assert top[0].deadline == DAY
    assert top[1].reasons == ["inner circle: you usually talk every week; it has been two months"]
    assert top[1].deadline is None


def test_thanks_owed_today_ranks_above_five_overdue_check_ins(world: World) -> None:
    overdue_friends(world, 5)
    bo = world.person("Bo Chen")
    world.helped_me(bo, "introduction", days_ago=1)
    top = world.top()
    assert (top[0].kind, top[0].person_name) == ("thanks", "Bo Chen")
    assert top[0].reasons[0] == (
        "Bo gave you an introduction yesterday; a thank-you by Thursday roughly doubles the chance they "
        "help again (Grant & Gino 2010)"
    )
    assert world.agenda().total > 5  # some check-ins wait below the cap; the thanks never does


def test_a_late_thank_you_stays_on_top_and_says_late_still_beats_never(world: World) -> None:
    overdue_friends(world, 6)
    bo = world.person("Bo Chen")
    world.helped_me(bo, "advice", days_ago=6)  # due Saturday: three days late
    [thanks] = [i for i in world.top() if i.kind == "thanks"]
    assert world.top()[0] == thanks
    assert (
        thanks.reasons[0]
        == "Bo gave you advice on Wednesday; a thank-you was due Saturday: late still beats never"
    )
    assert thanks.details[0].endswith("3 days past due")


def test_a_thank_you_logged_closes_the_line(world: World) -> None:
    bo = world.person("Bo Chen")
    world.helped_me(bo, "referral", days_ago=1)
    assert kinds(world.top()) == ["thanks"]
    world.thank(bo)
    assert "thanks" not in kinds(world.top())


def test_event_follow_ups_show_from_the_day_after_meeting_with_their_by_day(world: World) -> None:
    world.met_at("DevOps Days", ["Ana Lima", "Bo Chen"], days_ago=2)  # Sunday, due within 48 hours
    sunday, monday = DAY - timedelta(days=2), DAY - timedelta(days=1)
    assert world.top(sunday) == []  # the day you met: you are still there
    monday_lines = world.top(monday)
    assert [i.title for i in monday_lines] == [
        "Follow up with Ana Lima after DevOps Days, by tomorrow",
        "Follow up with Bo Chen after DevOps Days, by tomorrow",
    ]
    assert monday_lines[0].reasons == [
        "you met at DevOps Days yesterday; a note within 48 hours is remembered"
    ]
    [ana, bo] = world.top()
    assert bo.title == "Follow up with Bo Chen after DevOps Days, today"
    assert ana.title == "Follow up with Ana Lima after DevOps Days, today"
    # Advice, not bookkeeping: the old "a note to self, not a promise" is gone.
    assert ana.reasons == ["you met at DevOps Days on Sunday; a note within 48 hours is remembered"]
    assert ana.deadline == ana.due_on == DAY
    assert ana.key == monday_lines[0].key  # the same line, shown earlier: done or snoozed, it stays so


def test_a_missed_follow_up_window_stays_and_says_a_late_note_still_beats_none(world: World) -> None:
    world.met_at("Data Summit", ["Cy Dorn"], days_ago=4)  # Friday: due Sunday
    [line] = world.top()
    assert line.title == "Follow up with Cy Dorn after Data Summit, was due Sunday"
    assert line.reasons == [
        "you met at Data Summit on Friday; a note within 48 hours is remembered",
        "the window has passed, but a late note still beats none",
    ]


def test_event_follow_ups_keep_their_places_over_any_number_of_check_ins(world: World) -> None:
    overdue_friends(world, 6)
    world.met_at("Meetup", ["Ana Lima", "Bo Chen", "Cy Dorn"], days_ago=1)
    top = world.top()
    assert kinds(top)[:3] == ["follow_up"] * 3  # urgency is never traded for variety
    assert {i.person_name for i in top[:3]} == {"Ana Lima", "Bo Chen", "Cy Dorn"}
    assert set(kinds(top)[3:]) <= {"keep_in_touch", "review_tier"}


def test_what_you_owe_is_never_pushed_down_for_variety(world: World) -> None:
    world.met_at("Meetup", ["Ana Lima", "Bo Chen", "Cy Dorn", "Dee Eng"], days_ago=1)  # due tomorrow
    for name in ("Eve Park", "Fay Wong"):
        world.helped_me(world.person(name), "advice")  # due Friday
    overdue_friends(world, 3)
    view = world.agenda()
    # Four follow-ups in a row: each is owed, and the nearest deadline comes first.
    assert kinds(view.items) == ["follow_up", "follow_up", "follow_up", "follow_up", "thanks"]
    assert view.total > 6


def test_courtesies_share_the_top_with_other_kinds(world: World) -> None:
    for n in range(4):
        world.person(f"Birthday {n}", tier=4, birthday="03-10")  # four birthdays today...
    overdue_friends(world, 3)  # ...and three inner-circle friends overdue
    top = world.top()
    # Two wishes, then the other kinds get their places before the remaining wishes.
    assert kinds(top) == ["congratulate", "congratulate", "keep_in_touch", "keep_in_touch", "review_tier"]
    assert kinds(world.agenda(limit=10).items).count("congratulate") == 4  # none is lost, only later


def test_a_promise_due_today_ranks_above_a_stronger_line_that_can_wait(world: World) -> None:
    world.friend("Ana Lima", tier=1, silent=40, closeness=5)
    world.setting("agenda.weight.keep_in_touch", "5")  # Ana's line now weighs far more
    bo = world.person("Bo Chen")
    world.promise(bo, "send the slides")
    top = world.top()
    assert (top[0].kind, top[0].title) == ("follow_up", "Keep your promise to Bo Chen: send the slides")
    assert top[0].reasons == ["due today: a promise kept builds trust; one forgotten erodes it"]
    assert top[0].priority < top[1].priority  # ranked first by its deadline, not by a bigger weight


def test_fresh_news_is_congratulated_this_week_and_not_after(world: World) -> None:
    overdue_friends(world, 5)
    cy = world.person("Cy Dorn", tier=3)
    world.news(cy, "new_job", days_ago=2, text="CTO at Globex")
    line = world.line("Cy Dorn", "congratulate")
    assert line == world.top()[0]
    assert line.title == "Congratulate Cy Dorn on the new job: CTO at Globex"
    assert line.reasons == ["new job on Sunday: congratulations are warmest while the news is fresh"]
    assert "congratulate" not in kinds(world.top(DAY + timedelta(days=6)))


def test_the_daily_cap_shows_five_and_counts_the_rest(world: World) -> None:
    overdue_friends(world, 8, tier=2)
    view = world.agenda()
    assert len(view.items) == 5
    assert view.total >= 8


def test_a_smaller_daily_cap_keeps_what_cannot_wait(world: World) -> None:
    overdue_friends(world, 4)
    world.person("Dee Eng", birthday="03-10")
    world.helped_me(world.person("Bo Chen"), "job_lead")
    world.setting("agenda.daily_cap", "2")
    assert world.shown() == [("congratulate", "Dee Eng"), ("thanks", "Bo Chen")]


def test_the_top_mixes_kinds_when_several_wait(world: World) -> None:
    overdue_friends(world, 5, tier=2)  # five check-ins...
    for name, silent in (("Old Colleague", 900), ("Old Classmate", 1200)):  # ...two dormant ties...
        world.friend(name, tier=5, silent=silent, closeness=4)
    eve = world.person("Eve Park")  # ...and someone you owe, about to be asked
    world.helped_me(eve, "advice", days_ago=40)
    world.helped_me(eve, "introduction", days_ago=30)
    world.thank(eve)
    world.plan_ask(eve, "a referral at Globex")
    top = world.top()
    counts = Counter(kinds(top))
    assert counts["keep_in_touch"] <= 2  # not five check-ins in a row
    assert {"give_first", "reactivate"} <= set(counts)
    assert top[0].kind == "give_first"  # the highest weight among lines that can all wait a day


def test_six_people_met_at_one_event_are_six_notes_when_their_48_hours_end_before_tomorrow(
    world: World,
) -> None:
    names = ["Ana Lima", "Bo Chen", "Cy Diaz", "Dee Eng", "Eli Fox", "Fay Gil"]
    world.met_at("DevOps Days", names, days_ago=1)  # Monday at noon: the 48 hours end Wednesday noon
    overdue_friends(world, 3)

    def agenda_at(hour: int) -> list[str]:
        view = agenda.agenda_for(
            world.session, owner_id=OWNER, day=DAY, now=datetime.combine(DAY, time(hour), tzinfo=UTC)
        )
        return [item.person_name for item in view.items if item.kind == "follow_up"]

    # Read at 09:00, the sixth note can wait for tomorrow morning, still inside the 48 hours.
    assert len(agenda_at(9)) == 5
    # Read at 19:00, tomorrow's agenda comes after Wednesday noon: the cap holds none of them back.
    assert sorted(agenda_at(19)) == names


def test_the_cap_still_holds_back_what_can_wait(world: World) -> None:
    overdue_friends(world, 8)
    bo = world.person("Bo Chen")
    world.promise(bo, "send the deck", due_in=-3)
    world.promise(bo, "call about the offsite", due_in=-2)
    view = world.agenda(limit=1)
    # Both promises are late: the first takes the one place, the other waits its turn (nothing
    # late is shown past the cap), and so do the eight check-ins.
    assert [i.title for i in view.items] == ["Keep your promise to Bo Chen: send the deck"]
    assert view.total > 9


def test_a_weak_ties_work_anniversary_waits_behind_a_close_friend_a_close_ones_does_not(
    world: World,
) -> None:
    world.friend("Ana Lima", tier=1, silent=30, closeness=5)
    far = world.person("Gus Hale", tier=5, added=900)
    near = world.person("Ivy Jones", tier=2, added=900)
    world.talk(near, 3)  # Ivy is not overdue: only her anniversary puts her on the agenda
    for person in (far, near):
        world.joined(person, "Acme", "Engineer", days_ago=3 * 365 + 1)  # three years today
    shown = world.shown()
    assert shown.index(("congratulate", "Ivy Jones")) < shown.index(("keep_in_touch", "Ana Lima"))
    assert ("congratulate", "Gus Hale") not in shown[: shown.index(("keep_in_touch", "Ana Lima")) + 1]
    [gus] = [i for i in world.agenda(limit=20).items if i.person_name == "Gus Hale"]
    assert gus.deadline is None
