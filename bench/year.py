"""A simulated year of following the agenda (issue 14): on the `small` demo network, a user who does
the lines shown every morning for 365 days (the top five, the daily cap, and any line the agenda
shows past the cap because it cannot wait: a follow-up whose 48 hours end before tomorrow), while contacts reach out, ask for help, help, and
now and then an event brings new people (`bench.year_world`).

Each day, in one transaction, the world's happenings (08:00 to 21:00) take place in time order, and
at `--at` (09:00 by default) the agenda is built with the day's cap (`services.agenda.agenda_for`,
as `tieline today`) and its lines are done in order, five minutes apart, through
`services.agenda.done` with default `DoneOptions` (as `tieline done N`); a line no longer due when
its turn comes (an earlier one settled it) is skipped. At the end of the day the live tier 1 and 2
people are read back from the database and each one's silence compared with their cadence.

The figures (`bench.year_report`) come from the database and the services' answers: favours with
their thank-you times, events with their follow-ups, the lines each day showed and those it left
below the cap. Nothing uses the real clock; the time zone is pinned to UTC so a seed gives the same
year on any machine.

python -m bench.year [--seed 42] [--days 365] [--start 2026-01-01] [--at 09:00]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy.orm import Session

from bench.year_world import DORMANT_DAYS, World, WorldCounts
from tieline.config import Settings
from tieline.db import Database, open_database
from tieline.errors import NotFound
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import people as people_repo
from tieline.repo.people import PersonFilter
from tieline.services import agenda, demo, events, favours, preferences, scoring
from tieline.services.agenda import AgendaItem, DoneOptions
from tieline.services.agenda.items import days_between

START = date(2026, 1, 1)
AGENDA_AT = clock_time(9, 0)
DONE_EVERY = timedelta(minutes=5)
TOP = 5  # the daily cap: the agenda shows five, and past them only what cannot wait
# Kinds that are due by a date: the simulation records each day where one waits below the cap.
TIMELY = ("thanks", "follow_up", "congratulate", "give_first")


@dataclass(frozen=True)
class Seen:
    """An agenda line as the simulation saw it: kind, key, priority, rank, and what was merged into it."""

    kind: str
    key: str
    priority: float
    rank: int
    person_id: int | None
    tier12: bool  # about a tier 1 or 2 person
    merged: tuple[str, ...] = ()  # titles of the lines folded into this one


@dataclass
class DaySample:
    """One simulated day: the lines shown, the pressing lines left below the cap, tier 1-2 silence."""

    day: date
    shown: list[Seen]
    below: list[Seen]  # time-sensitive or tier 1-2 lines ranked below the cap
    waiting: int  # all lines below the cap
    tier12: int = 0
    within: int = 0  # silence <= cadence at the end of the day
    not_due: int = 0  # silence < cadence: not on the losing-touch list
    skipped: int = 0  # lines no longer due when their turn came
    past_cap: int = 0  # lines shown past the cap (what cannot wait), done too


@dataclass(frozen=True)
class Revival:
    """A dormant person contacted through an agenda line."""

    day: date
    person_id: int
    kind: str  # the kind of the line that was done
    silent_days: int


@dataclass(frozen=True)
class ThanksTime:
    """Help received and when it was thanked (None: still owed at the end)."""

    received: datetime
    thanked: datetime | None


@dataclass(frozen=True)
class FollowUpTime:
    """Someone met at an event: when, when the follow-up was done, and the service's own in-time verdict."""

    event_day: date
    met_at: datetime
    done_at: datetime | None
    in_time: bool


@dataclass
class Year:
    """Everything the simulated year produced."""

    seed: int
    start: date
    agenda_at: clock_time = AGENDA_AT
    days: list[DaySample] = field(default_factory=list)
    revived: list[Revival] = field(default_factory=list)
    demoted: list[tuple[date, int, int]] = field(default_factory=list)  # (day, person id, tier before)
    thanks: list[ThanksTime] = field(default_factory=list)
    follow_ups: list[FollowUpTime] = field(default_factory=list)
    world: WorldCounts = field(default_factory=WorldCounts)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, part: str, started: float) -> None:
        """Add the time since `started` to `part`."""
        self.seconds[part] = self.seconds.get(part, 0.0) + time.perf_counter() - started


def at(day: date, moment: clock_time) -> datetime:
    """`moment` on `day`, in the local zone."""
    return datetime.combine(day, moment).astimezone()


def load_demo(db: Database, *, seed: int, start: date) -> None:
    """The small demo network, its history ending before the first simulated day."""
    with db.transaction(writes=True) as session:
        demo.load(
            session, owner_id=LOCAL_OWNER_ID, scale=demo.SCALES["small"], seed=seed,
            now=at(start - timedelta(days=1), clock_time(20, 0)),
        )  # fmt: skip


def simulate(
    db: Database, *, seed: int, start: date = START, days: int = 365, agenda_at: clock_time = AGENDA_AT
) -> Year:
    """Load the small demo into the (empty) database, live `days` days from `start`, and measure."""
    year, world = begin(db, seed=seed, start=start, agenda_at=agenda_at)
    live(db, world, year, days=days)
    return finish(db, world, year)


def begin(db: Database, *, seed: int, start: date, agenda_at: clock_time = AGENDA_AT) -> tuple[Year, World]:
    """The demo network loaded and the world as the year begins."""
    year = Year(seed, start, agenda_at)
    started = time.perf_counter()
    load_demo(db, seed=seed, start=start)
    year.timed("demo load", started)
    with db.transaction() as session:
        world = World.begin(session, seed=seed)
    return year, world


def live(db: Database, world: World, year: Year, *, days: int) -> None:
    """Live the next `days` days, each in its own transaction."""
    for _ in range(days):
        day = year.start + timedelta(days=len(year.days))
        with db.transaction(writes=True) as session:
            year.days.append(live_day(session, world, day, year))


def finish(db: Database, world: World, year: Year) -> Year:
    """Read the year's favours and event follow-ups back from the database."""
    started = time.perf_counter()
    with db.transaction() as session:
        end = at(year.start + timedelta(days=len(year.days)), clock_time(0, 0))
        year.thanks = thanks_times(session)
        year.follow_ups = follow_up_times(session, now=end)
    year.world = world.counts
    year.timed("measure", started)
    return year


def live_day(session: Session, world: World, day: date, year: Year) -> DaySample:
    """The world's day lived around the agenda done at `year.agenda_at`; tier 1-2 silence at its end."""
    morning = at(day, year.agenda_at)
    started = time.perf_counter()
    world.make_planned_asks(session, day)
    happenings = world.plan_day(day)
    for happening in (h for h in happenings if h.at < morning):
        world.happen(session, happening)
    year.timed("the world", started)
    started = time.perf_counter()
    view = agenda.agenda_for(session, owner_id=LOCAL_OWNER_ID, day=day, now=morning)
    year.timed("agenda (the day's cap)", started)
    started = time.perf_counter()
    tier12 = tier12_people(session)
    ranked = agenda.collect_all(agenda.context(session, owner_id=LOCAL_OWNER_ID, day=day, now=morning))
    shown_keys = {item.key for item in view.items}
    below = [
        seen(item, rank, tier12)
        for rank, item in enumerate(ranked, 1)
        if item.key not in shown_keys and (item.kind in TIMELY or item.person_id in tier12)
    ]
    sample = DaySample(
        day, [seen(item, rank, tier12) for rank, item in enumerate(view.items, 1)], below,
        waiting=max(0, len(ranked) - len(view.items)),
    )  # fmt: skip
    year.timed("looking below the cap", started)
    started = time.perf_counter()
    sample.past_cap = max(0, len(view.items) - TOP)
    for n, item in enumerate(view.items):
        sample.skipped += not do_line(session, item, now=morning + n * DONE_EVERY, year=year)
    year.timed("done", started)
    started = time.perf_counter()
    for happening in (h for h in happenings if h.at >= morning):
        world.happen(session, happening)
    year.timed("the world", started)
    started = time.perf_counter()
    sample.tier12, sample.within, sample.not_due = cadence_sample(session, day)
    year.timed("measure", started)
    return sample


def seen(item: AgendaItem, rank: int, tier12: dict[int, int]) -> Seen:
    """What the simulation keeps of an agenda line."""
    return Seen(
        item.kind, item.key, item.priority, rank, item.person_id, item.person_id in tier12, tuple(item.also)
    )


def do_line(session: Session, item: AgendaItem, *, now: datetime, year: Year) -> bool:
    """Do a line as `tieline done` does; False when an earlier line already settled it."""
    person = None
    if item.person_id is not None:
        person = people_repo.get(session, owner_id=LOCAL_OWNER_ID, person_id=item.person_id, details=False)
    before = (person.last_contact_at, person.tier) if person is not None else (None, None)
    try:
        agenda.done(session, owner_id=LOCAL_OWNER_ID, ref=item.key, now=now, options=DoneOptions())
    except NotFound:
        return False
    last, tier = before
    if person is not None and last is not None and person.last_contact_at != last:
        silent = (now.date() - last.astimezone().date()).days
        if silent >= DORMANT_DAYS:
            year.revived.append(Revival(now.date(), person.id, item.kind, silent))
    if person is not None and tier is not None and person.tier > tier:
        year.demoted.append((now.date(), person.id, tier))
    return True


def tier12_people(session: Session) -> dict[int, int]:
    """Live tier 1 and 2 people: id -> tier."""
    return {
        p.id: p.tier
        for tier in (1, 2)
        for p in people_repo.list_summaries(session, owner_id=LOCAL_OWNER_ID, where=PersonFilter(tier=tier))
    }


def cadence_sample(session: Session, day: date) -> tuple[int, int, int]:
    """(live tier 1-2 people, those silent no longer than their cadence, those not yet due) on `day`."""
    prefs = preferences.load(session, owner_id=LOCAL_OWNER_ID)
    ids = list(tier12_people(session))
    within = not_due = 0
    for person in people_repo.plain_many(session, owner_id=LOCAL_OWNER_ID, person_ids=ids):
        cadence = scoring.cadence_days(person, prefs)
        assert cadence, f"tier {person.tier} has no cadence"
        silent = days_between(person.last_contact_at or person.created_at, day)  # as the agenda counts
        within += silent <= cadence
        not_due += silent < cadence
    return len(ids), within, not_due


def thanks_times(session: Session) -> list[ThanksTime]:
    """Every favour received in the ledger, with when it was thanked."""
    rows, _ = favours.page(session, owner_id=LOCAL_OWNER_ID, direction="received", limit=100_000)
    return sorted((ThanksTime(f.occurred_at, f.thanked_at) for f, _ in rows), key=lambda t: t.received)


def follow_up_times(session: Session, *, now: datetime) -> list[FollowUpTime]:
    """Everyone met at an event, from each event's report (what `tieline event show` prints)."""
    out = []
    for counts in events.listing(session, owner_id=LOCAL_OWNER_ID):
        report = events.report(session, counts.event, now=now)
        for person in report.met:
            attendee, follow_up = person.row.attendee, person.row.follow_up
            assert attendee.met_at is not None and follow_up is not None
            done_at = follow_up.done_at if follow_up.status == "done" else None
            out.append(FollowUpTime(counts.event.starts_on, attendee.met_at, done_at, person.in_time))
    return sorted(out, key=lambda f: f.met_at)


def main(argv: list[str] | None = None) -> None:
    """Run the year on a scratch SQLite database and print its figures."""
    from bench.year_report import render

    parser = argparse.ArgumentParser(prog="python -m bench.year", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=42, help="the demo network's and the world's seed")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--start", type=date.fromisoformat, default=START, help="the first day (ISO date)")
    parser.add_argument(
        "--at", type=clock_time.fromisoformat, default=AGENDA_AT, help="when the user does the agenda (HH:MM)"
    )
    args = parser.parse_args(argv)
    os.environ["TZ"] = "UTC"  # local dates decide what is due: the same on every machine
    time.tzset()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tieline-year-") as directory:
        db = open_database(Settings(data_dir=Path(directory), database_url=f"sqlite:///{directory}/year.db"))
        try:
            year = simulate(db, seed=args.seed, start=args.start, days=args.days, agenda_at=args.at)
        finally:
            db.dispose()
    print(render(year, seconds=time.perf_counter() - started))


if __name__ == "__main__":
    main()
