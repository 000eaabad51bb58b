"""Reasons a friend would give, each line with one thing to talk about, and an empty day that still
says what is coming."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.services.agenda.scenarios.world import DAY, NOW, OWNER, World, ago
from tieline.services import preferences
from tieline.services.drafts import render_draft


def test_reasons_say_how_long_in_words_and_keep_the_numbers_in_details(world: World) -> None:
    world.friend("Ana Lima", tier=1, silent=21, closeness=4)
    world.friend("Bo Chen", tier=5, silent=1376, closeness=4)
    for line in world.top():
        assert not re.search(r"\d+ days|due ratio|strength \d", " ".join(line.reasons)), line.reasons
        assert line.details, line.key  # the scores are one toggle away
    ana = world.line("Ana Lima", "keep_in_touch")
    assert ana.reasons == ["inner circle: you usually talk every week; it has been three weeks"]
    assert ana.details[1].startswith("due ratio 3.0, tie strength ")


def test_the_last_thing_you_talked_about_comes_with_the_line(world: World) -> None:
    ana = world.person("Ana Lima", tier=1, added=400)
    world.talk(ana, 21, notes="her move to Berlin and the new team")
    line = world.line("Ana Lima", "keep_in_touch")
    assert line.context == "last time (coffee on 17 February): her move to Berlin and the new team"


def test_their_open_need_when_nothing_was_written(world: World) -> None:
    world.friend("Bo Chen", tier=1, silent=21, lists={"needs": ["a designer"]})
    assert world.line("Bo Chen", "keep_in_touch").context == "what Bo is looking for: a designer"


def test_a_recent_job_change_is_news_to_mention(world: World) -> None:
    cy = world.friend("Cy Dorn", tier=2, silent=40)
    world.joined(cy, "Globex", "CTO", days_ago=30)
    assert world.line("Cy Dorn", "keep_in_touch").context == "Cy started as CTO at Globex on 8 February"


def test_an_interest_you_share_when_there_is_nothing_else(world: World) -> None:
    world.setting("me.interests", "climbing, jazz")
    world.friend("Dee Eng", tier=2, silent=40, lists={"interests": ["Jazz"]})
    assert world.line("Dee Eng", "keep_in_touch").context == "you both care about Jazz"


def test_the_order_is_last_talk_then_need_then_news_then_interest(world: World) -> None:
    world.setting("me.interests", "jazz")
    eve = world.person("Eve Park", tier=1, added=400, lists={"needs": ["a designer"], "interests": ["jazz"]})
    world.joined(eve, "Globex", "CTO", days_ago=30)
    world.talk(eve, 21, notes="the Lisbon offsite")
    line = world.line("Eve Park", "keep_in_touch")
    assert line.context == "last time (coffee on 17 February): the Lisbon offsite"


def test_notes_the_agenda_wrote_itself_are_not_something_to_talk_about(world: World) -> None:
    ana = world.person("Ana Lima", tier=1, added=400)
    world.talk(ana, 40, notes="the Berlin move")
    world.talk(ana, 20, "message", notes="checked in (from the agenda)")
    assert world.line("Ana Lima").context == "last time (coffee on 29 January): the Berlin move"


def test_a_congratulation_does_not_repeat_the_news_as_context(world: World) -> None:
    cy = world.person("Cy Dorn", tier=3, added=400)
    world.joined(cy, "Globex", "CTO", days_ago=2)
    world.news(cy, "new_job", days_ago=2, text="CTO at Globex")
    line = world.line("Cy Dorn", "congratulate")
    assert line.context is None  # "Cy started as CTO at Globex" is what the line is about already


def test_an_empty_day_shows_the_next_seven_days(world: World) -> None:
    ana = world.person("Ana Lima", tier=5, birthday="03-12")
    bo = world.person("Bo Chen", tier=5)
    world.promise(bo, "send the deck", due_in=4)
    world.friend("Cy Dorn", tier=2, silent=25)  # due in five days
    world.person("Dee Eng", tier=5, birthday="03-19")  # nine days: beyond the week
    view = world.agenda()
    assert (view.items, view.total) == ([], 0)
    assert [(d.day, [i.title for i in d.items]) for d in view.coming] == [
        (DAY + timedelta(days=2), ["Wish Ana Lima a happy birthday"]),
        (DAY + timedelta(days=4), ["Keep your promise to Bo Chen: send the deck"]),
        (DAY + timedelta(days=5), ["Get in touch with Cy Dorn"]),
    ]
    assert view.coming[0].items[0].person_id == ana.id


def test_a_day_with_lines_does_not_look_ahead(world: World) -> None:
    world.person("Ana Lima", tier=5, birthday="03-12")
    bo = world.person("Bo Chen", tier=5)
    world.promise(bo, "send the deck")
    assert world.agenda().coming == []


def test_a_talk_before_an_event_follow_up_gives_it_something_to_say(world: World) -> None:
    [ana] = world.met_at("DevOps Days", ["Ana Lima"], days_ago=1, note="runs the platform team at Acme")
    line = world.line("Ana Lima")
    assert line.kind == "follow_up"
    assert line.context == "last time (event yesterday): runs the platform team at Acme"
    assert ana.last_contact_at == ago(1)


def test_an_event_follow_up_draft_says_where_you_met(world: World) -> None:
    world.met_at("DevOps Days", ["Ana Lima"], days_ago=2)
    line = world.line("Ana Lima")
    prefs = preferences.load(world.session, owner_id=OWNER)
    draft = render_draft(world.session, owner_id=OWNER, item=line, prefs=prefs, data_dir=None, now=NOW)
    assert draft.subject == "Following up: DevOps Days"
    assert "It was good to meet you at DevOps Days on Sunday." in draft.body
    assert "Follow up with Ana Lima after DevOps Days" not in draft.body  # the task is not the message
