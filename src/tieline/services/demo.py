"""The demo network: a generated, realistic professional network to try tieline on and to benchmark it.

Every choice comes from `random.Random` streams named after the seed, and times are counted back
from the given day, so the same seed and day always give the same rows. `DemoPlan` decides who is
who (`services.demo_people`) and when they were in touch; `DemoPlan.batches()` turns that into table
rows with real ids; `load()` writes them through `repo.bulk_load` inside the caller's transaction.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any, Literal

from sqlalchemy.orm import Session

from tieline import validate
from tieline.errors import InvalidInput
from tieline.repo import bulk_load
from tieline.repo import people as people_repo
from tieline.repo import said as said_repo
from tieline.repo.bulk_load import Batch
from tieline.services import demo_names as names
from tieline.services import preferences, recompute
from tieline.services.demo_people import DAY, Cast, DemoRandom, Member, Span, fold_name, pick
from tieline.services.people import number_of_people
from tieline.text import fold

# Bump whenever the same seed would give different rows: cached benchmark datasets are keyed by it.
GENERATOR_VERSION = 1
SOURCE = "demo"
YEARS = 6
BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Scale:
    """How big a network to generate."""

    name: str
    people: int
    interactions: int


SCALES = {
    "small": Scale("small", 300, 6_000),
    # LinkedIn's connection cap, and six years of a busy professional's messages, mails and meetings.
    "large": Scale("large", 30_000, 1_000_000),
}

COLUMNS: dict[str, tuple[str, ...]] = {
    "organisation": ("id", "owner_id", "name", "match_name", "kind", "parent_id", "industry", "location",
                     "website", "source", "source_id", "created_at", "updated_at"),
    "person": ("id", "owner_id", "display_name", "sort_name", "given_name", "middle_name", "family_name",
               "name_prefix", "name_suffix", "nickname", "title", "company", "department", "industry",
               "location", "birthday_year", "birthday_month", "birthday_day", "met_how", "met_where",
               "met_on", "tier", "cadence_days", "closeness", "notes", "archived", "last_contact_at",
               "source", "source_id", "created_at", "updated_at"),
    "person_email": ("id", "owner_id", "person_id", "address", "label", "position"),
    "person_phone": ("id", "owner_id", "person_id", "number", "match_key", "label", "position"),
    "person_link": ("id", "owner_id", "person_id", "url", "kind", "position"),
    "person_tag": ("id", "owner_id", "person_id", "tag"),
    "person_topic": ("id", "owner_id", "person_id", "kind", "value", "position"),
    "person_search": ("person_id", "owner_id", "names", "handles", "work", "topics", "notes"),
    "membership": ("id", "owner_id", "person_id", "organisation_id", "role", "start_date", "end_date",
                   "source", "source_id", "created_at", "updated_at"),
    "interaction": ("id", "owner_id", "kind", "occurred_at", "initiated_by", "channel", "subject", "notes",
                    "source", "source_id", "created_at", "updated_at"),
    "interaction_participant": ("interaction_id", "person_id", "occurred_at", "owner_id"),
}  # fmt: skip
ID_TABLES = tuple(t for t, cols in COLUMNS.items() if cols[0] == "id")
# Tables big enough that building their indexes once, after the load, is faster (see repo.bulk_load).
DEFERRED = ("person_topic", "person_search", "membership", "interaction", "interaction_participant")

# How a person's contact is spread over the relationship: below 1 leans recent, above 1 leans to
# the start (ties going dormant).
TIER_SKEW = {1: 0.9, 2: 1.0, 3: 1.2, 4: 2.0, 5: 3.5}
SOLO_KINDS = {"message": 30, "email": 26, "call": 8, "video_call": 9, "meeting": 6, "coffee": 6, "event": 3,
              "social": 10, "other": 2}  # fmt: skip
GROUP_KINDS = {"meeting": 35, "video_call": 30, "event": 20, "email": 10, "message": 5}
GROUP_SIZES = (2, 2, 2, 3, 3, 4, 5)
GROUP_SHARE = 0.07
NOTE_SHARE = 0.12
SUBJECTS = ("Catching up", "Quick question", "Intro", "Coffee next week?", "Thank you!", "Following up")
MEETINGS = ("Project sync", "Quarterly review", "Intro call", "Mentoring session", "Interview prep")

IfExists = Literal["error", "skip", "replace"]
Progress = Callable[[str, int, int | None], None]  # (stage or table, rows done, rows in all)


def scale_named(name: str) -> Scale:
    """The scale called `name`, or InvalidInput listing the known ones."""
    if name not in SCALES:
        raise InvalidInput(f"unknown demo scale {name!r}: use one of {', '.join(SCALES)}")
    return SCALES[name]


def _stamp(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class DemoPlan:
    """A whole demo network, planned in memory; `batches()` writes it out as rows."""

    def __init__(self, scale: Scale, *, seed: int, today: date) -> None:
        self.scale, self.seed = scale, seed
        # History ends the day before yesterday (UTC), so no interaction is in anyone's future.
        self.end = int(datetime.combine(today - timedelta(days=1), datetime.min.time(), UTC).timestamp())
        self.begin = self.end - YEARS * 365 * DAY
        self.cast = Cast(scale.people, seed=seed, begin=self.begin, end=self.end)
        self._plan_interactions(DemoRandom(f"{seed}:interactions"))

    def _plan_interactions(self, rng: random.Random) -> None:
        """When each interaction happened and who was there, sorted by time; heavy-tailed per person."""
        people = self.cast.people
        count = self.scale.interactions
        cum = list(accumulate(p.weight for p in people))
        primaries = rng.choices(range(len(people)), cum_weights=cum, k=count)
        lows = [max(p.start, self.begin) for p in people]
        skews = [TIER_SKEW[p.tier] for p in people]
        rand, end = rng.random, self.end
        times = [0] * count
        parts: list[int | tuple[int, ...]] = [0] * count
        for k, i in enumerate(primaries):
            low = lows[i]
            moment = low + int((end - low) * rand() ** skews[i])
            times[k] = moment - moment % DAY + 25_200 + int(rand() * 840) * 60  # 07:00 to 21:00 UTC
            parts[k] = self._group(rng, i, cum) if rand() < GROUP_SHARE else i
        order = sorted(range(count), key=times.__getitem__)
        self.times = [times[k] for k in order]
        self.parts = [parts[k] for k in order]
        self.first: list[int | None] = [None] * len(people)
        self.last: list[int | None] = [None] * len(people)
        for moment, part in zip(self.times, self.parts, strict=True):
            for i in part if isinstance(part, tuple) else (part,):
                if self.first[i] is None:
                    self.first[i] = moment
                self.last[i] = moment  # times ascend, so the last one seen is the latest

    def _group(self, rng: random.Random, i: int, cum: list[float]) -> int | tuple[int, ...]:
        """2 to 5 people: mostly colleagues of the first, else anyone, weighted by contact."""
        size = rng.choice(GROUP_SIZES)
        company = self.cast.people[i].company
        roster = self.cast.roster.get(company, []) if company is not None else []
        members = [i]
        for _ in range(size * 3):
            if len(members) == size:
                break
            j = rng.choice(roster) if roster and rng.random() < 0.6 else pick(rng, cum)
            if j not in members:
                members.append(j)
        return tuple(members) if len(members) > 1 else i

    def row_count(self) -> int:
        """How many rows `batches()` writes (organisations already present included)."""
        people = self.cast.people
        per_person = sum(
            1 + 1 + len(p.emails) + len(p.phones) + len(p.links) + len(p.tags) + len(p.topics)
            + len(p.memberships)
            for p in people
        )  # fmt: skip
        participants = sum(len(x) if isinstance(x, tuple) else 1 for x in self.parts)
        extra = len(self.cast.orgs) + len(self.cast.owner_memberships)
        return per_person + extra + len(self.times) + participants

    def batches(
        self, *, owner_id: int, first_ids: Mapping[str, int], existing_orgs: Mapping[tuple[str, str], int]
    ) -> Iterator[Batch]:
        """Every row, parents before children, ids counted from `first_ids`; existing organisations reused."""
        src = f"s{self.seed}"
        epoch = _stamp(self.begin)
        org_ids: list[int] = []
        rows: list[tuple[Any, ...]] = []
        for j, org in enumerate(self.cast.orgs):
            key = (org.kind, fold(org.name))
            if key in existing_orgs:
                org_ids.append(existing_orgs[key])
                continue
            org_ids.append(first_ids["organisation"] + len(rows))
            parent = org_ids[org.parent] if org.parent is not None else None
            rows.append((org_ids[-1], owner_id, org.name, key[1], org.kind, parent, org.industry,
                         org.location, org.website, SOURCE, f"{src}/o{j}", epoch, epoch))  # fmt: skip
        yield from _chunks("organisation", rows)
        person0 = first_ids["person"]
        yield from _chunks(
            "person", [self._person_row(i, p, person0 + i, owner_id) for i, p in enumerate(self.cast.people)]
        )
        yield from self._details(person0, owner_id, first_ids)
        spans: list[tuple[int | None, Span]] = [(None, s) for s in self.cast.owner_memberships]
        spans += [(person0 + i, s) for i, p in enumerate(self.cast.people) for s in p.memberships]
        rows = [
            (first_ids["membership"] + k, owner_id, person_id, org_ids[org], role, since, until, SOURCE,
             f"{src}/m{k}", epoch, epoch)
            for k, (person_id, (org, role, since, until)) in enumerate(spans)
        ]  # fmt: skip
        yield from _chunks("membership", rows)
        yield from self._interactions(person0, owner_id, first_ids["interaction"])

    def _person_row(self, i: int, p: Member, person_id: int, owner_id: int) -> tuple[Any, ...]:
        first, last = self.first[i], self.last[i]
        met_on = _stamp(min(p.start, first) if first is not None else p.start).date()
        company = self.cast.orgs[p.company] if p.company is not None else None
        created = _stamp(max(p.start, self.begin))
        return (
            person_id, owner_id, p.display_name, fold_name(p.display_name), p.given, p.middle, p.family, p.prefix,
            p.suffix, p.nickname, p.title, company and company.name, p.department,
            company and company.industry, p.location, *p.birthday, p.met_how, p.met_where, met_on, p.tier,
            p.cadence_days, p.closeness, p.notes, p.archived, _stamp(last) if last is not None else None,
            SOURCE, f"s{self.seed}/p{i}", created, created,
        )  # fmt: skip

    def _details(self, person0: int, owner_id: int, first_ids: Mapping[str, int]) -> Iterator[Batch]:
        """Emails, phones, links, tags, topics and the search document of every person."""
        tables: dict[str, list[tuple[Any, ...]]] = {
            name: [] for name in COLUMNS if name.startswith("person_")
        }
        for i, p in enumerate(self.cast.people):
            pid = person0 + i
            for position, (address, label) in enumerate(p.emails):
                tables["person_email"].append((0, owner_id, pid, address, label, position))
            for position, (number, label) in enumerate(p.phones):
                key = validate.phone_key(number)
                tables["person_phone"].append((0, owner_id, pid, number, key, label, position))
            for position, url in enumerate(p.links):
                tables["person_link"].append((0, owner_id, pid, url, validate.link_kind(url), position))
            tables["person_tag"] += [(0, owner_id, pid, tag) for tag in p.tags]
            tables["person_topic"] += [(0, owner_id, pid, k, v, n) for n, (k, v) in enumerate(p.topics)]
            doc = self.cast.search_document(p)
            tables["person_search"].append(
                (pid, owner_id, doc["names"], doc["handles"], doc["work"], doc["topics"], doc["notes"])
            )
        for table, rows in tables.items():
            if table in first_ids:  # number the rows now that each table's order is final
                base = first_ids[table]
                rows[:] = [(base + n, *row[1:]) for n, row in enumerate(rows)]
            yield from _chunks(table, rows)

    def _interactions(self, person0: int, owner_id: int, first_id: int) -> Iterator[Batch]:
        rng = DemoRandom(f"{self.seed}:interaction-rows")
        people = self.cast.people
        for begin in range(0, len(self.times), BATCH_ROWS):
            interactions: list[tuple[Any, ...]] = []
            participants: list[tuple[Any, ...]] = []
            for k in range(begin, min(begin + BATCH_ROWS, len(self.times))):
                part = self.parts[k]
                who = part if isinstance(part, tuple) else (part,)
                when = _stamp(self.times[k])
                interaction_id = first_id + k
                details = _interaction_details(rng, people[who[0]], len(who) > 1, when)
                interactions.append(
                    (interaction_id, owner_id, *details, SOURCE, f"s{self.seed}/i{k:07d}", when, when)
                )
                participants += [(interaction_id, person0 + i, when, owner_id) for i in who]
            yield Batch("interaction", COLUMNS["interaction"], interactions)
            yield Batch("interaction_participant", COLUMNS["interaction_participant"], participants)


_SOLO = (tuple(SOLO_KINDS), list(accumulate(SOLO_KINDS.values())))
_GROUP = (tuple(GROUP_KINDS), list(accumulate(GROUP_KINDS.values())))


def _interaction_details(
    rng: random.Random, main: Member, group: bool, when: datetime
) -> tuple[str, datetime, str | None, str | None, str | None, str | None]:
    """(kind, occurred_at, initiated_by, channel, subject, notes) of one interaction."""
    kinds, cum = _GROUP if group else _SOLO
    kind = kinds[pick(rng, cum)]
    roll = rng.random()
    initiated_by = None if roll < (0.4 if group else 0.1) else ("me" if rng.random() < 0.5 else "them")
    channel = subject = notes = None
    if kind == "message":
        channel = rng.choice((main.culture.messaging, main.culture.messaging, "LinkedIn", "SMS", "Slack"))
    elif kind == "video_call":
        channel = rng.choice(("Zoom", "Google Meet", "Microsoft Teams"))
    elif kind == "social":
        channel = rng.choice(("LinkedIn", "LinkedIn", "X", "Instagram"))
    elif kind == "call":
        channel = "phone"
    topic = rng.choice(main.topics)[1] if main.topics else rng.choice(names.PROFESSIONAL_TOPICS)
    if kind == "event":
        subject = f"{rng.choice(names.EVENTS)} {when.year}"
    elif kind == "email" and rng.random() < 0.7:
        subject = f"Re: {topic}" if rng.random() < 0.5 else rng.choice(SUBJECTS)
    elif kind == "meeting" and rng.random() < 0.2:
        subject = rng.choice(MEETINGS)
    if rng.random() < NOTE_SHARE:
        notes = rng.choice(names.INTERACTION_NOTES).format(
            topic=topic,
            hobby=main.hobby,
            event=rng.choice(names.EVENTS),
            company=rng.choice(names.COMPANY_STEMS),
        )
    return kind, when, initiated_by, channel, subject, notes


def _chunks(table: str, rows: list[tuple[Any, ...]]) -> Iterator[Batch]:
    for begin in range(0, len(rows), BATCH_ROWS):
        yield Batch(table, COLUMNS[table], rows[begin : begin + BATCH_ROWS])


@dataclass(frozen=True)
class LoadResult:
    """What `load` did: rows written per table and the time it took, planning included."""

    counts: dict[str, int]
    seconds: float
    replaced_people: int = 0  # people deleted first (if_exists="replace")
    skipped_people: int = 0  # people already there, so nothing was done (if_exists="skip")

    @property
    def rows(self) -> int:
        """Rows written in all."""
        return sum(self.counts.values())


def load(
    session: Session,
    *,
    owner_id: int,
    scale: Scale,
    seed: int,
    now: datetime,
    if_exists: IfExists = "error",
    on_progress: Progress | None = None,
) -> LoadResult:
    """Generate the demo network, history up to `now`, and write it in the session's transaction.

    When the owner already has people: "error" refuses, "skip" does nothing, "replace" deletes all of
    the owner's data first. Ties are scored at the end, as logging each interaction would have.
    """
    existing = people_repo.count(session, owner_id=owner_id)
    if existing and if_exists == "skip":
        return LoadResult({}, 0.0, skipped_people=existing)
    if existing and if_exists == "error":
        raise InvalidInput(
            f"the database already has {number_of_people(existing)}; the demo goes into an empty database "
            "(or replace everything with `tieline demo --replace`)"
        )
    report = on_progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    if existing:
        report("deleting", 0, None)
        bulk_load.delete_owner_data(session, owner_id=owner_id)
    report("planning", 0, None)
    plan = DemoPlan(scale, seed=seed, today=now.astimezone(UTC).date())
    total, done = plan.row_count(), 0

    def advance(batch: Batch) -> None:
        nonlocal done
        done += len(batch.rows)
        report(batch.table, done, total)

    batches = plan.batches(
        owner_id=owner_id,
        first_ids=bulk_load.next_ids(session, ID_TABLES),
        existing_orgs=bulk_load.organisation_ids(session, owner_id=owner_id),
    )
    counts = bulk_load.insert(session, batches, defer=DEFERRED, on_batch=advance)
    report("indexing what was said", total, total)
    said_repo.rebuild(session, owner_id=owner_id)
    report("scoring ties", total, total)
    prefs = preferences.load(session, owner_id=owner_id)
    counts["tie"] = recompute.recompute_all(session, owner_id=owner_id, prefs=prefs, now=now)
    return LoadResult(counts, time.perf_counter() - started, replaced_people=existing)
