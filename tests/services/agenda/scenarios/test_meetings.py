"""A meeting on your calendar today with someone you know: read their brief first. It tops the day,
earlier meetings first, is gone once the meeting starts, and dismissing it quiets nobody."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.services.agenda.scenarios.world import DAY, NOW, OWNER, World, kinds
from tieline.importers.records import UpcomingMeeting
from tieline.models import Connection, Person
from tieline.repo import meetings as meetings_repo


def calendar_says(world: World, *meetings: tuple[str, datetime, list[Person | str]]) -> None:
    """What a calendar sync stores: each (title, start, attendees: people by their first address, or
    a stranger's address), an hour long."""
    connection = Connection(owner_id=OWNER, name="work", kind="ics", settings={})
    world.session.add(connection)
    world.session.flush()
    upcoming = [
        UpcomingMeeting(
            uid=f"{title}@calendar.example",
            recurrence_id=f"{start:%Y%m%dT%H%M%SZ}",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            title=title,
            emails=[a if isinstance(a, str) else a.emails[0].address for a in attendees],
            calendar="feed",
        )
        for title, start, attendees in meetings
    ]
    meetings_repo.replace(
        world.session, owner_id=OWNER, connection_id=connection.id, meetings=upcoming, read={"feed": None}
    )


def test_a_meeting_today_comes_first_even_before_a_birthday_and_a_late_thank_you(world: World) -> None:
    ana = world.correspondent("Ana Lima")
    world.person("Dee Eng", tier=5, birthday="1986-03-10")
    bo = world.person("Bo Chen")
    world.helped_me(bo, "advice", days_ago=6)  # thanks three days late
    world.talk(ana, 20, notes="her move to Lisbon")
    calendar_says(world, ("Design review", NOW + timedelta(hours=5), [ana, "zoe@elsewhere.net"]))
    top = world.top()
    assert kinds(top)[:3] == ["meeting", "thanks", "congratulate"]
    meeting = top[0]
    assert meeting.title == "Meeting with Ana Lima at 15:00 (Design review): read the brief"
    assert meeting.reasons == ["on your calendar from 15:00 to 16:00, with Ana"]
    assert meeting.brief and meeting.deadline == DAY
    assert meeting.context is not None and "her move to Lisbon" in meeting.context  # something to say


def test_earlier_meetings_come_first_and_one_already_started_is_gone(world: World) -> None:
    ana, bo, cy = (world.correspondent(n) for n in ("Ana Lima", "Bo Chen", "Cy Diaz"))
    calendar_says(
        world,
        ("Standup", NOW - timedelta(minutes=15), [cy]),  # started at 09:45
        ("Lunch", NOW + timedelta(hours=2), [bo]),
        ("Review", NOW + timedelta(hours=1), [ana]),
    )
    assert world.shown() == [("meeting", "Ana Lima"), ("meeting", "Bo Chen")]


def test_each_person_i_know_in_a_meeting_gets_a_line_naming_the_others(world: World) -> None:
    ana, bo = world.correspondent("Ana Lima"), world.correspondent("Bo Chen")
    calendar_says(world, ("Kick-off", NOW + timedelta(hours=3), [ana, bo, "zoe@elsewhere.net"]))
    lines = {item.person_name: item for item in world.top() if item.kind == "meeting"}
    assert set(lines) == {"Ana Lima", "Bo Chen"}  # the stranger is no line
    assert lines["Ana Lima"].reasons[1] == "also there: Bo Chen"


def test_an_empty_day_shows_tomorrow_s_meeting_coming_and_tomorrow_offers_it(world: World) -> None:
    ana = world.correspondent("Ana Lima", added=0)
    calendar_says(world, ("Planning", NOW + timedelta(days=1, hours=-1), [ana]))  # Wednesday 09:00
    view = world.agenda()
    assert view.items == []
    [coming] = [day for day in view.coming if day.day == DAY + timedelta(days=1)]
    assert [item.title for item in coming.items] == [
        "Meeting with Ana Lima at 09:00 (Planning): read the brief"
    ]


def test_dismissing_the_brief_line_does_not_quiet_the_person(world: World) -> None:
    # Overdue to keep in touch.
    ana = world.friend("Ana Lima", tier=1, silent=60, closeness=5, lists={"emails": ["ana@example.org"]})
    calendar_says(world, ("Coffee", NOW + timedelta(hours=4), [ana]))
    meeting = world.line("Ana Lima", "meeting")
    world.dismiss(meeting)
    assert ("keep_in_touch", "Ana Lima") in world.shown()  # still there: dismissing it quiets nobody
