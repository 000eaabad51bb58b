"""Networking goals are measured from the data: each kind counts the right things, with pace."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import LOCAL_OWNER_ID, Event, Interaction, Introduction, Person
from tieline.services import goals, preferences


def _progress(session: Session, goal_id: int, today: date) -> goals.Progress:
    [found] = [
        p for p in goals.all_progress(session, owner_id=LOCAL_OWNER_ID, today=today) if p.goal.id == goal_id
    ]
    return found


def _goal(
    session: Session, kind: str, target: int, start: date, end: date | None = None, **scope: object
) -> int:
    return goals.add_goal(
        session, owner_id=LOCAL_OWNER_ID, kind=kind, target=target, starts_on=start, ends_on=end, **scope
    ).id  # type: ignore[arg-type]


def test_meet_people_counts_people_first_met_in_the_window_and_in_scope(
    session: Session, add_person: Callable[..., Person], today: date, now: datetime
) -> None:
    add_person("Old Friend", industry="Data Science", met_on=date(2020, 1, 1))
    add_person("New Scientist", industry="Data Science & AI", met_on=today - timedelta(days=3))
    add_person("New Banker", industry="Banking", met_on=today - timedelta(days=2))
    added = add_person("Added Today", industry="data science")  # no met-on: counted from when added
    added.created_at = now - timedelta(hours=1)
    tagged = add_person("Tagged", lists={"tags": ["PyData"]}, met_on=today)
    start = today - timedelta(days=10)
    scoped = _goal(session, "meet_people", 5, start, start + timedelta(days=99), industry="data science")
    anyone = _goal(session, "meet_people", 2, start, start + timedelta(days=99))
    by_tag = _goal(session, "meet_people", 1, start, start + timedelta(days=99), tag="pydata")
    p = _progress(session, scoped, today)
    assert (p.current.value, p.current.target) == (2, 5)
    assert {c.name for c in p.counted} == {"New Scientist", "Added Today"}
    # 11 of 100 days gone: 0.55 expected, 2 is well ahead.
    assert (p.current.expected, p.current.pace) == (0.55, "ahead")
    assert _progress(session, anyone, today).current.pace == "done"
    assert [c.id for c in _progress(session, by_tag, today).counted] == [tagged.id]


def test_pace_is_the_target_times_the_elapsed_share(session: Session, today: date) -> None:
    goal = _goal(session, "make_introductions", 4, today - timedelta(days=49), today + timedelta(days=50))
    p = _progress(session, goal, today)
    assert (p.current.value, p.current.expected, p.current.pace, p.days_left) == (0, 2.0, "behind", 50)
    early = _goal(session, "make_introductions", 4, today, today + timedelta(days=99))
    assert _progress(session, early, today).current.pace == "on pace"
    over = _goal(session, "make_introductions", 4, today - timedelta(days=99), today - timedelta(days=1))
    assert (_progress(session, over, today).current.pace, _progress(session, over, today).days_left) == (
        "missed",
        0,
    )


def test_introductions_count_when_made(
    session: Session, add_person: Callable[..., Person], today: date, now: datetime
) -> None:
    ana, bo, cy = add_person("Ana Lima"), add_person("Bo Chen"), add_person("Cy Dee")
    session.add_all(
        [
            Introduction(owner_id=LOCAL_OWNER_ID, person_a_id=ana.id, person_b_id=bo.id, why="x", state="made", made_at=now),
            Introduction(owner_id=LOCAL_OWNER_ID, person_a_id=ana.id, person_b_id=cy.id, why="y", state="asked_a"),
            Introduction(
                owner_id=LOCAL_OWNER_ID, person_a_id=bo.id, person_b_id=cy.id, why="z", state="made",
                made_at=now - timedelta(days=200),
            ),
        ]
    )  # fmt: skip
    session.flush()
    goal = _goal(session, "make_introductions", 4, today - timedelta(days=30), today + timedelta(days=60))
    p = _progress(session, goal, today)
    assert p.current.value == 1
    assert [c.name for c in p.counted] == ["Ana Lima -> Bo Chen"]


def test_attend_events_a_month_is_judged_on_the_current_period(session: Session, today: date) -> None:
    start = today - timedelta(days=40)  # periods: start..start+29, then today-10..today+19
    for name, day in (
        ("Old", start - timedelta(days=1)),
        ("First", start + timedelta(days=2)),
        ("Now", today),
        ("Planned", today + timedelta(days=3)),
    ):
        session.add(Event(owner_id=LOCAL_OWNER_ID, name=name, kind="meetup", starts_on=day))
    session.flush()
    goal = goals.add_goal(
        session, owner_id=LOCAL_OWNER_ID, kind="attend_events", target=2, starts_on=start, per="month"
    )
    p = _progress(session, goal.id, today)
    assert goal.ends_on == start + timedelta(days=364)
    assert (p.current.first_day, p.current.last_day) == (
        today - timedelta(days=10),
        today + timedelta(days=19),
    )
    assert (p.current.value, p.current.target) == (1, 2)
    assert p.current.pace == "on pace"  # 11 of 30 days: 0.73 expected
    assert p.overall is not None
    assert (p.overall.value, p.overall.expected, p.overall.pace) == (2, 2.73, "behind")
    assert p.description == f"attend 2 events a month until {goal.ends_on.isoformat()}"


def test_reconnecting_counts_contacts_after_a_dormant_silence(
    session: Session,
    add_person: Callable[..., Person],
    log: Callable[..., Interaction],
    now: datetime,
    today: date,
) -> None:
    woke, steady, new, early = (add_person(n) for n in ("Woke Up", "Steady", "Brand New", "Early"))
    log("coffee", [woke], when=now - timedelta(days=800))
    log("call", [woke], when=now - timedelta(days=5))
    log("call", [woke], when=now - timedelta(days=2))
    log("coffee", [steady], when=now - timedelta(days=100))
    log("coffee", [steady], when=now - timedelta(days=5))
    log("coffee", [new], when=now - timedelta(days=3))  # no contact before: new, not reconnected
    log("coffee", [early], when=now - timedelta(days=500))
    log("coffee", [early], when=now - timedelta(days=60))  # reconnected, but before the window
    goal = _goal(session, "reconnect_dormant", 10, today - timedelta(days=30), today + timedelta(days=60))
    p = _progress(session, goal, today)
    assert [c.name for c in p.counted] == ["Woke Up"]
    assert p.counted[0].on == (now - timedelta(days=5)).date()
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="dormant.days", value=90)
    assert _progress(session, goal, today).current.value == 2


def test_tier_on_cadence_is_the_share_of_the_tier_not_overdue(
    session: Session,
    add_person: Callable[..., Person],
    log: Callable[..., Interaction],
    now: datetime,
    today: date,
) -> None:
    fresh = add_person("Fresh", tier=1)
    late = add_person("Late", tier=1)
    own = add_person("Own Cadence", tier=1, cadence_days=30)
    add_person("Tier Two", tier=2)
    log("coffee", [fresh], when=now - timedelta(days=2))
    log("coffee", [late], when=now - timedelta(days=8))  # tier 1 cadence: 7 days
    log("coffee", [own], when=now - timedelta(days=20))  # its own 30 days: on cadence
    goal = _goal(session, "tier_on_cadence", 90, today, tier=1)
    p = _progress(session, goal, today)
    assert (p.current.value, p.current.target, p.current.pace) == (66, 90, "behind")
    assert [c.name for c in p.counted] == ["Late"]
    assert p.description == "keep 90% of tier 1 on cadence"


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("meet_people", {}, "--by DATE"),
        ("meet_people", {"per": "fortnight"}, "--per takes"),
        ("attend_events", {"per": "month", "industry": "x"}, "only apply to"),
        ("meet_people", {"per": "month", "tier": 1}, "--tier only applies"),
        ("tier_on_cadence", {"tier": 7}, "1 to 5"),
        ("make_friends", {"per": "month"}, "unknown goal kind"),
    ],
)
def test_goals_that_cannot_be_measured_are_refused(
    session: Session, today: date, kind: str, extra: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        goals.add_goal(session, owner_id=LOCAL_OWNER_ID, kind=kind, target=3, starts_on=today, **extra)  # type: ignore[arg-type]


def test_percentages_and_windows_are_checked(session: Session, today: date) -> None:
    with pytest.raises(InvalidInput, match="at most 100"):
        goals.add_goal(session, owner_id=LOCAL_OWNER_ID, kind="tier_on_cadence", target=120, starts_on=today)
    with pytest.raises(InvalidInput, match="before it starts"):
        goals.add_goal(
            session, owner_id=LOCAL_OWNER_ID, kind="meet_people", target=1, starts_on=today,
            ends_on=today - timedelta(days=1),
        )  # fmt: skip


def test_calendar_periods_for_by_and_from() -> None:
    day = date(2026, 3, 10)
    assert goals.period_bounds("quarter", day) == (date(2026, 1, 1), date(2026, 3, 31))
    assert goals.period_bounds("month", day) == (date(2026, 3, 1), date(2026, 3, 31))
    assert goals.period_bounds("week", day) == (date(2026, 3, 9), date(2026, 3, 15))
    assert goals.period_bounds("year", day) == (date(2026, 1, 1), date(2026, 12, 31))
    assert goals.period_bounds("2026-05-01", day) is None
    # What --from and --by (and the web form) take: a period's first day, or with `end` its last.
    assert goals.day_from_text("month", today=day, field="from", end=False) == date(2026, 3, 1)
    assert goals.day_from_text("Quarter", today=day, field="by", end=True) == date(2026, 3, 31)
    assert goals.day_from_text("2026-05-01", today=day, field="by", end=True) == date(2026, 5, 1)
    with pytest.raises(InvalidInput, match="--by"):
        goals.day_from_text("someday", today=day, field="--by", end=True)
