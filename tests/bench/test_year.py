"""The simulated year (`python -m bench.year`): a few days on the small demo, and the figures it reads
back from the database."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from bench import year as sim
from bench import year_report, year_world
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import people as people_repo
from tieline.repo.people import PersonFilter
from tieline.services import events, favours

START = date(2026, 1, 1)


def test_a_few_days_follow_the_agenda_and_read_thanks_and_follow_ups_back(db: Database) -> None:
    year, world = sim.begin(db, seed=42, start=START)
    sim.live(db, world, year, days=1)
    evening = sim.at(START, time(20, 0))
    with db.transaction(writes=True) as session:
        helper = people_repo.list_summaries(session, owner_id=LOCAL_OWNER_ID, where=PersonFilter(tier=2))[0]
        favours.record_favour(
            session, owner_id=LOCAL_OWNER_ID, direction="received", kind="introduction", when=evening,
            now=evening, person=people_repo.get(session, owner_id=LOCAL_OWNER_ID, person_id=helper.id),
        )  # fmt: skip
        meetup = events.add_event(session, owner_id=LOCAL_OWNER_ID, name="Year Test Meetup", starts_on=START)
        events.meet(
            session, owner_id=LOCAL_OWNER_ID, event=meetup, names=["Ysolde Qarth", "Zebulon Vex"], now=evening
        )
    sim.live(db, world, year, days=3)
    sim.finish(db, world, year)

    assert [d.day for d in year.days] == [START + timedelta(days=n) for n in range(4)]
    # The demo starts with a backlog, so the first morning fills the cap and the user does all five.
    assert len(year.days[0].shown) == sim.TOP and year.days[0].waiting > 0
    assert all(len(d.shown) <= sim.TOP for d in year.days)
    assert all(d.tier12 > 0 and 0 <= d.not_due <= d.within <= d.tier12 for d in year.days)
    thanked = [t for t in year.thanks if t.received == evening]
    assert len(thanked) == 1 and thanked[0].thanked is not None
    assert thanked[0].thanked - evening <= timedelta(days=3)
    met = [f for f in year.follow_ups if f.met_at == evening]
    assert len(met) == 2
    assert all(f.done_at is not None and f.done_at - f.met_at <= timedelta(hours=48) for f in met)
    assert len(year.thanks) == year.world.helped_you + 1
    assert len(year.follow_ups) == year.world.people_met + 2

    report = year_report.render(year, seconds=1.0)
    assert "1 (2026-01)" in report
    assert [t.text.split(":")[0] for t in year_report.targets(year)] == [
        "tier 1-2 within cadence >= 95% every month from month 3",
        "every thank-you within 3 days",
        "every event follow-up inside 48 hours",
    ]


def test_the_world_draws_the_same_days_from_the_same_seed() -> None:
    def days(seed: int) -> list[list[tuple[str, int]]]:
        world = year_world.World(random.Random(f"{seed}:year-world"))
        for person_id in range(1, 301):
            world.know(person_id, 1 + person_id % 5)
        return [[(h.what, h.person_id) for h in world.plan_day(START + timedelta(days=n))] for n in range(30)]

    assert days(42) == days(42)
    assert days(42) != days(43)
