"""The world around the simulated user of `python -m bench.year`: contacts who reach out, ask for help,
help, events where new people are met, and asks the user plans.

Every draw comes from one `random.Random` seeded by the run's seed, and no draw depends on what the
user did with the agenda (rates follow the tier each person had when the year began), so two agenda
versions run with the same seed face the same year.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import people as people_repo
from tieline.repo.people import PersonFilter
from tieline.services import asks, events, favours, interactions
from tieline.services import demo_names as names
from tieline.text import fold

# Chance a day that a person of each tier (as the year began) gets in touch of their own accord:
# the inner circle every three weeks or so, acquaintances every few years.
REACH_OUT = {1: 1 / 21, 2: 1 / 60, 3: 1 / 180, 4: 1 / 720, 5: 1 / 3000}
# Who asks for or offers help, by tier: closer people far more often.
HELP_WEIGHT = {1: 8.0, 2: 5.0, 3: 2.0, 4: 0.6, 5: 0.1}
ASKED_PER_DAY = 1 / 10  # someone asks you for help (a favour given)
HELPED_PER_DAY = 1 / 7  # someone helps you (a favour received: thanks owed)
PLAN_ASK_PER_DAY = 1 / 30  # you plan to ask someone something
ASK_AFTER_DAYS = 7  # a planned ask is made this many days later, given first or not
EVENT_PER_DAY = 1 / 18  # "a handful of events a quarter"
MET_AT_EVENT = (2, 6)  # new people met at one event, fewest and most
# Happenings fall between 08:00 and 21:00; people are met at events between 10:00 and 20:00.
FIRST_MINUTE, LAST_MINUTE = 8 * 60, 21 * 60
EVENT_MINUTES = (10 * 60, 20 * 60)
REACH_KINDS = ("message", "message", "email", "call", "video_call", "coffee")
HELP_KINDS = ("introduction", "advice", "referral", "resource", "job_lead", "feedback", "recommendation")
EVENT_KINDS = ("conference", "meetup", "meetup", "workshop")
DORMANT_DAYS = 365


@dataclass(frozen=True, order=True)
class Happening:
    """Something the world does at a moment: reach_out, asked_you, helped_you, plan_ask or event."""

    at: datetime
    what: str
    person_id: int  # who does it (0 for an event: the people met there are new)


@dataclass
class WorldCounts:
    """What the world did in the year."""

    reach_outs: int = 0
    dormant_reached_out: int = 0  # of the reach-outs, from someone silent for a year or more
    asked_you: int = 0
    helped_you: int = 0
    asks_planned: int = 0
    events: int = 0
    people_met: int = 0


@dataclass
class World:
    """The contacts' side of the simulated year."""

    rng: random.Random
    rates: dict[int, float] = field(default_factory=dict)  # person id -> reach-out chance a day
    help_weights: dict[int, float] = field(default_factory=dict)
    planned: list[tuple[date, int]] = field(default_factory=list)  # (day to ask, ask id)
    counts: WorldCounts = field(default_factory=WorldCounts)

    @classmethod
    def begin(cls, session: Session, *, seed: int) -> World:
        """The world as the year begins: every live person with the tier they have now."""
        world = cls(random.Random(f"{seed}:year-world"))
        for person in people_repo.list_summaries(session, owner_id=LOCAL_OWNER_ID, where=PersonFilter()):
            world.know(person.id, person.tier)
        return world

    def know(self, person_id: int, tier: int) -> None:
        """Add someone the world can pick from."""
        self.rates[person_id] = REACH_OUT[tier]
        self.help_weights[person_id] = HELP_WEIGHT[tier]

    def plan_day(self, day: date) -> list[Happening]:
        """What will happen to the user on `day`, in time order (drawn now, whatever the user does)."""
        rng = self.rng
        plan: list[tuple[int, str, int]] = []  # (minute of the day, what, person id)
        for person_id, rate in self.rates.items():
            if rng.random() < rate:
                plan.append((self._minute(), "reach_out", person_id))
        people, weights = list(self.help_weights), list(self.help_weights.values())
        for what, chance in (("asked_you", ASKED_PER_DAY), ("helped_you", HELPED_PER_DAY),
                             ("plan_ask", PLAN_ASK_PER_DAY)):  # fmt: skip
            if rng.random() < chance:
                plan.append((self._minute(), what, rng.choices(people, weights)[0]))
        if rng.random() < EVENT_PER_DAY:
            plan.append((rng.randint(*EVENT_MINUTES), "event", 0))
        return [
            Happening(datetime.combine(day, time(minute // 60, minute % 60)).astimezone(), what, person_id)
            for minute, what, person_id in sorted(plan)
        ]

    def happen(self, session: Session, happening: Happening) -> None:
        """Make one planned happening so, through the services."""
        if happening.what == "event":
            self._event(session, happening.at)
            return
        person = people_repo.get(
            session, owner_id=LOCAL_OWNER_ID, person_id=happening.person_id, details=False
        )
        assert person is not None, f"person {happening.person_id} vanished"
        getattr(self, f"_{happening.what}")(session, person, happening.at)

    def _minute(self) -> int:
        return self.rng.randint(FIRST_MINUTE, LAST_MINUTE)

    def _reach_out(self, session: Session, person: Person, at: datetime) -> None:
        last = person.last_contact_at
        if last is not None and (at - last) >= timedelta(days=DORMANT_DAYS):
            self.counts.dormant_reached_out += 1
        interactions.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind=self.rng.choice(REACH_KINDS), people=[person], when=at,
            initiated_by="them", notes="they got in touch", now=at,
        )  # fmt: skip
        self.counts.reach_outs += 1

    def _asked_you(self, session: Session, person: Person, at: datetime) -> None:
        interactions.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind="message", people=[person], when=at, initiated_by="them",
            notes="asked for help", now=at,
        )  # fmt: skip
        self._favour(session, person, at, "given", "helped when they asked")
        self.counts.asked_you += 1

    def _helped_you(self, session: Session, person: Person, at: datetime) -> None:
        self._favour(session, person, at, "received", "helped you")
        self.counts.helped_you += 1

    def _favour(self, session: Session, person: Person, at: datetime, direction: str, text: str) -> None:
        favours.record_favour(
            session, owner_id=LOCAL_OWNER_ID, person=person, direction=direction,
            kind=self.rng.choice(HELP_KINDS), when=at, now=at, text=text,
        )  # fmt: skip

    def _plan_ask(self, session: Session, person: Person, at: datetime) -> None:
        day = at.astimezone().date()
        plan = asks.plan_ask(
            session, owner_id=LOCAL_OWNER_ID, person=person, text="ask for advice", day=day, now=at
        )
        self.planned.append((day + timedelta(days=ASK_AFTER_DAYS), plan.ask.id))
        self.counts.asks_planned += 1

    def make_planned_asks(self, session: Session, day: date) -> None:
        """Asks planned a week ago are made today, whether or not the user gave first."""
        due = [ask_id for when, ask_id in self.planned if when <= day]
        self.planned = [(when, ask_id) for when, ask_id in self.planned if when > day]
        for ask_id in due:
            asks.set_status(asks.get(session, owner_id=LOCAL_OWNER_ID, ask_id=ask_id), "asked")

    def _event(self, session: Session, at: datetime) -> None:
        rng, day = self.rng, at.astimezone().date()
        kind = rng.choice(EVENT_KINDS)
        name = f"{rng.choice(names.EVENTS)} {kind} #{self.counts.events + 1}"
        event = events.add_event(session, owner_id=LOCAL_OWNER_ID, name=name, starts_on=day, kind=kind)
        met: list[str] = []
        for _ in range(rng.randint(*MET_AT_EVENT)):
            met.append(self._new_name(session, taken=met))
        encounters = events.meet(session, owner_id=LOCAL_OWNER_ID, event=event, names=met, now=at)
        for encounter in encounters:
            self.know(encounter.person.id, encounter.person.tier)
        self.counts.events += 1
        self.counts.people_met += len(encounters)

    def _new_name(self, session: Session, *, taken: list[str]) -> str:
        """A name nobody in the network has yet (nor begins with), so `meet` creates a new person."""
        while True:
            culture = self.rng.choice(names.CULTURES)
            given = self.rng.choice(culture.given_f if self.rng.random() < 0.5 else culture.given_m)
            name = f"{given} {self.rng.choice(culture.family)}"
            if name in taken:
                continue
            if not people_repo.find_by_name_prefix(
                session, owner_id=LOCAL_OWNER_ID, prefix=fold(name), limit=1
            ):
                return name
