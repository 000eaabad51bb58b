"""Issue 5's acceptance story, told through the CLI on a clock moved by hand between steps.

Attend a conference, meet three people, follow up with two in time, introduce one to an existing
contact, get an opportunity through that introduction; at each step the agenda, the favour ledger,
the event's return, the opportunity's sources and the goals must say what a user expects.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Cli

FOLLOW_UP = "Follow up with {name} after PyCon Lisbon, {by}"
MET = "you met at PyCon Lisbon on Tuesday; a note within 48 hours is remembered"
MET_YESTERDAY = MET.replace("on Tuesday", "yesterday")
WHY = "Ana wants a platform role; Bo is hiring one"


def at(cli: Cli, moment: str) -> None:
    """Move the CLI's clock (the only thing mocked): `moment` is a UTC time like 2026-03-12T09:00."""
    cli.env["TIELINE_NOW"] = f"{moment}:00+00:00"


def goals(cli: Cli) -> dict[str, tuple[str, int, int, str]]:
    """Each goal by kind: (description, value, target, pace)."""
    return {
        g["kind"]: (g["description"], g["current"]["value"], g["current"]["target"], g["current"]["pace"])
        for g in cli.json("goals")
    }


def agenda(cli: Cli) -> list[tuple[str, str, str]]:
    """Today's agenda lines as (kind, title, first reason); also records the numbers `done` takes."""
    return [(i["kind"], i["title"], i["reasons"][0]) for i in cli.json("today")["items"]]


def done(cli: Cli, title: str) -> None:
    """Mark the agenda line with this title done, by the number `today` gave it."""
    [number] = [i["number"] for i in cli.json("today")["items"] if i["title"] == title]
    cli.ok("done", str(number))


def follow_ups_at_the_event(page: dict[str, Any]) -> list[tuple[str, str, str | None, bool, bool]]:
    """(person, follow-up status, followed up at, in time, still in touch) of everyone met there."""
    return [
        (
            p["person"],
            p["follow_up_status"],
            p["followed_up_at"],
            p["followed_up_in_time"],
            p["still_in_touch"],
        )
        for p in page["met_people"]
    ]


def test_a_conference_grows_into_an_introduction_and_a_won_opportunity(cli: Cli) -> None:
    # Day 0, Monday 9 March: Bo, a hiring manager met two years ago, and three goals for March.
    at(cli, "2026-03-09T09:00")
    bo = cli.json(
        "add", "Bo Chen", "--company", "Acme", "--title", "Hiring manager", "--met-on", "2024-05-02"
    )
    for kind, target in (("meet-people", "3"), ("attend-events", "1"), ("make-introductions", "1")):
        cli.ok("goal", "add", kind, "--target", target, "--by", "2026-03-31")
    assert goals(cli) == {
        "meet_people": ("meet 3 new people by 2026-03-31", 0, 3, "on pace"),
        "attend_events": ("attend 1 event by 2026-03-31", 0, 1, "on pace"),
        "make_introductions": ("make 1 introduction by 2026-03-31", 0, 1, "on pace"),
    }
    assert agenda(cli) == []

    # Tuesday 10 March, 10:00, at the conference: three new people, each owed a follow-up in 48 hours.
    at(cli, "2026-03-10T10:00")
    cli.ok("event", "add", "PyCon Lisbon", "--date", "2026-03-10", "--end", "2026-03-11", "--place", "Lisbon")
    met = cli.json("event", "met", "PyCon", "Ana Lima", "Carla Dias", "Dee Evans", "--note", "platform teams")
    assert [(m["person"], m["created"], m["met_at"], m["follow_up_due_on"]) for m in met] == [
        ("Ana Lima", True, "2026-03-10T10:00:00+00:00", "2026-03-12"),
        ("Carla Dias", True, "2026-03-10T10:00:00+00:00", "2026-03-12"),
        ("Dee Evans", True, "2026-03-10T10:00:00+00:00", "2026-03-12"),
    ]
    ana, carla, dee = (m["person_id"] for m in met)
    assert [(f["person"], f["text"], f["due_on"], f["status"]) for f in cli.json("follow-ups")] == [
        (name, f"Follow up with {name} after PyCon Lisbon", "2026-03-12", "open")
        for name in ("Ana Lima", "Carla Dias", "Dee Evans")
    ]
    assert agenda(cli) == []  # due in 48 hours: not on today's agenda yet
    assert goals(cli) == {
        "meet_people": ("meet 3 new people by 2026-03-31", 3, 3, "done"),
        "attend_events": ("attend 1 event by 2026-03-31", 1, 1, "done"),
        "make_introductions": ("make 1 introduction by 2026-03-31", 0, 1, "on pace"),
    }
    [meeting, event_goal] = [g["counted"] for g in cli.json("goals")[:2]]
    assert {c["name"] for c in meeting} == {"Ana Lima", "Carla Dias", "Dee Evans"}  # not Bo, met in 2024
    assert event_goal == [{"id": 1, "name": "PyCon Lisbon (met 3)", "on": "2026-03-10"}]
    page = cli.json("event", "show", "PyCon")
    assert follow_ups_at_the_event(page) == [
        ("Ana Lima", "open", None, False, False),
        ("Carla Dias", "open", None, False, False),
        ("Dee Evans", "open", None, False, False),
    ]
    assert page["return"]["line"] == "met 3, followed up 0 in time, 0 still in touch, 0 opportunities (0 won)"

    # Wednesday 11 March, the day after: the three follow-ups are on the agenda, with their "by" day.
    at(cli, "2026-03-11T09:00")
    assert agenda(cli) == [
        ("follow_up", FOLLOW_UP.format(name=name, by="by tomorrow"), MET_YESTERDAY)
        for name in ("Ana Lima", "Carla Dias", "Dee Evans")
    ]

    # Thursday 12 March, the due day: the agenda lists the three; Ana and Carla get theirs in time.
    at(cli, "2026-03-12T09:00")
    assert agenda(cli) == [
        ("follow_up", FOLLOW_UP.format(name=name, by="today"), MET)
        for name in ("Ana Lima", "Carla Dias", "Dee Evans")
    ]
    done(cli, FOLLOW_UP.format(name="Ana Lima", by="today"))
    done(cli, FOLLOW_UP.format(name="Carla Dias", by="today"))
    assert agenda(cli) == [("follow_up", FOLLOW_UP.format(name="Dee Evans", by="today"), MET)]

    # Friday 13 March: Dee's follow-up has lapsed and stays open, overdue, on the agenda.
    at(cli, "2026-03-13T09:00")
    assert agenda(cli) == [("follow_up", FOLLOW_UP.format(name="Dee Evans", by="was due yesterday"), MET)]
    [(still_open, status)] = [(f["person_id"], f["status"]) for f in cli.json("follow-ups")]
    assert (still_open, status) == (dee, "open")
    page = cli.json("event", "show", "PyCon")
    assert follow_ups_at_the_event(page) == [
        ("Ana Lima", "done", "2026-03-12T09:00:00+00:00", True, True),
        ("Carla Dias", "done", "2026-03-12T09:00:00+00:00", True, True),
        ("Dee Evans", "overdue", None, False, False),
    ]
    # Following up is a contact: done logged a message to each, so both are still in touch.
    assert page["return"] == {
        "met": 3, "followed_up_in_time": 2, "still_in_touch": 2, "opportunities": 0, "won": 0,
        "line": "met 3, followed up 2 in time, 2 still in touch, 0 opportunities (0 won)",
    }  # fmt: skip

    # Monday 16 March: propose introducing Ana to Bo; asking A is the agenda's next step.
    at(cli, "2026-03-16T09:00")
    intro = cli.json("intro", "Ana", "Bo", "--why", WHY)
    assert (intro["id"], intro["person_a_id"], intro["person_b_id"], intro["state"]) == (
        1,
        ana,
        bo["id"],
        "proposed",
    )
    ask_ana = "Ask Ana Lima whether they would welcome an introduction to Bo Chen"
    assert agenda(cli) == [
        ("follow_up", FOLLOW_UP.format(name="Dee Evans", by="was due Thursday"), MET),
        ("introduction", ask_ana, "proposed today; double opt-in: A first, then B"),
    ]
    assert cli.json("intro", "ask-a", "1")["state"] == "asked_a"
    assert [line for line in agenda(cli) if line[0] == "introduction"] == []  # waiting on Ana, not on you

    # Thursday 19 March: no answer for three days brings a nudge; then Ana agrees and Bo is asked.
    at(cli, "2026-03-19T09:00")
    assert [line for line in agenda(cli) if line[0] == "introduction"] == [
        (
            "introduction",
            "No answer from Ana Lima about meeting Bo Chen: nudge or move on",
            "asked 3 days ago; `tieline intro declined 1 --by a` if it is not going to happen",
        )
    ]
    assert cli.json("intro", "ask-b", "1")["state"] == "asked_b"
    assert [line for line in agenda(cli) if line[0] == "introduction"] == []

    # Friday 20 March: Bo agrees and the introduction is made: a favour to each, and they know each other.
    at(cli, "2026-03-20T09:00")
    made = cli.json("intro", "made", "1")
    assert (made["state"], made["made_at"]) == ("made", "2026-03-20T09:00:00+00:00")
    ledger = cli.json("favours")
    assert (ledger["given"], ledger["received"], ledger["balance"], ledger["stance"]) == (2, 0, -2, "giver")
    assert sorted((p["person"], p["given"], p["received"], p["balance"]) for p in ledger["people"]) == [
        ("Ana Lima", 1, 0, -1),
        ("Bo Chen", 1, 0, -1),
    ]
    for name, other in (("Ana Lima", "Bo Chen"), ("Bo Chen", "Ana Lima")):
        [favour] = cli.json("favours", name)["favours"]
        assert (favour["direction"], favour["kind"], favour["text"], favour["occurred_at"]) == (
            "given", "introduction", f"introduced to {other}", "2026-03-20T09:00:00+00:00"
        )  # fmt: skip
    [link] = cli.json("knows", "Ana")
    assert (link["other_id"], link["source"], link["note"]) == (bo["id"], "introduction", WHY)
    assert goals(cli)["make_introductions"] == ("make 1 introduction by 2026-03-31", 1, 1, "done")
    assert cli.json("goals")[2]["counted"] == [{"id": 1, "name": "Ana Lima -> Bo Chen", "on": "2026-03-20"}]
    assert [
        line for line in agenda(cli) if line[0] == "introduction"
    ] == []  # the outcome is asked in 30 days
    # The introduction email is Ana's latest contact since the conference.
    page = cli.json("event", "show", "PyCon")
    assert [(p["person"], p["last_contact_after"], p["still_in_touch"]) for p in page["met_people"]] == [
        ("Ana Lima", "2026-03-20T09:00:00+00:00", True),
        ("Carla Dias", "2026-03-12T09:00:00+00:00", True),
        ("Dee Evans", None, False),
    ]
    assert page["return"]["line"] == "met 3, followed up 2 in time, 2 still in touch, 0 opportunities (0 won)"

    # Friday 27 March: Bo brings a consulting contract through the introduction, and it is won.
    at(cli, "2026-03-27T09:00")
    deal = cli.json(
        "opportunity",
        "add",
        "Platform consulting for Acme",
        "--kind",
        "client",
        "--intro",
        "1",
        "--org",
        "Acme",
    )
    assert (deal["person_id"], deal["person"], deal["introduction_id"], deal["organisation"], deal["event"]) == (
        bo["id"], "Bo Chen", 1, "Acme", None
    )  # fmt: skip
    won = cli.json("opportunity", "move", str(deal["id"]), "won")
    assert (won["stage"], won["stage_on"]) == ("won", "2026-03-27")
    assert [
        (s["kind"], s["name"], s["total"], s["won"], s["open"]) for s in cli.json("opportunity", "sources")
    ] == [
        ("introduction", "Ana Lima -> Bo Chen", 1, 1, 0),
        ("organisation", "Acme", 1, 1, 0),
        ("person", "Bo Chen", 1, 1, 0),
    ]
    outcome = cli.json("intro", "outcome", "1", "Bo hired me to consult on Acme's platform")
    assert outcome["next_step"] is None

    # The event's return counts an opportunity recorded against the event, or one that came through
    # someone met there (spotted since the event began). The introduction is not followed back: the
    # contract came through Bo, whom you did not meet at PyCon, so the conference is not credited.
    page = cli.json("event", "show", "PyCon")
    assert page["opportunities"] == []
    assert page["return"]["line"] == "met 3, followed up 2 in time, 2 still in touch, 0 opportunities (0 won)"

    # Two that are linked to it do count: one through Carla (met there), one recorded against it.
    talk = cli.json("opportunity", "add", "Talk at PyData Porto", "--kind", "speaking", "--via", "Carla")
    workshop = cli.json(
        "opportunity", "add", "Workshop at PyCon Lisbon 2027", "--kind", "speaking", "--event", "PyCon"
    )
    cli.ok("opportunity", "move", str(talk["id"]), "won")
    page = cli.json("event", "show", "PyCon")
    assert [(o["title"], o["person_id"], o["event_id"], o["stage"]) for o in page["opportunities"]] == [
        ("Talk at PyData Porto", carla, None, "won"),
        ("Workshop at PyCon Lisbon 2027", None, workshop["event_id"], "spotted"),
    ]
    assert page["return"] == {
        "met": 3, "followed_up_in_time": 2, "still_in_touch": 2, "opportunities": 2, "won": 1,
        "line": "met 3, followed up 2 in time, 2 still in touch, 2 opportunities (1 won)",
    }  # fmt: skip
    assert [
        (s["kind"], s["name"], s["total"], s["won"], s["open"]) for s in cli.json("opportunity", "sources")
    ] == [
        ("introduction", "Ana Lima -> Bo Chen", 1, 1, 0),
        ("organisation", "Acme", 1, 1, 0),
        ("person", "Bo Chen", 1, 1, 0),
        ("person", "Carla Dias", 1, 1, 0),
        ("event", "PyCon Lisbon", 1, 0, 1),
    ]
    # Every goal was met, and what counted has not moved since.
    assert goals(cli) == {
        "meet_people": ("meet 3 new people by 2026-03-31", 3, 3, "done"),
        "attend_events": ("attend 1 event by 2026-03-31", 1, 1, "done"),
        "make_introductions": ("make 1 introduction by 2026-03-31", 1, 1, "done"),
    }
