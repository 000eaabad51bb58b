"""The cast of the demo network: organisations, and people with names, careers, handles and topics.

Pure planning: nothing here touches the database, and every choice comes from random streams
seeded from the seed, so the same seed gives the same cast. `services.demo` turns it into rows.
"""

from __future__ import annotations

import calendar
import functools
import random
import re
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import TypeVar

from tieline import validate
from tieline.repo.search import document
from tieline.services import demo_names as names
from tieline.text import fold, search_words

DAY = 86_400
# Dunbar-like layers: a handful of intimates, many acquaintances. Sizes of tiers 1 to 3; tier 4 is a
# quarter of the rest, tier 5 everyone else.
TIER_SIZES = (5, 10, 35)
# How much contact a person of each tier draws, before a heavy-tailed (Pareto) factor of their own.
TIER_WEIGHT = {1: 900.0, 2: 250.0, 3: 60.0, 4: 4.0, 5: 0.35}
# Share of each tier known from before the history starts (old friends, old colleagues).
TIER_OLD = {1: 0.7, 2: 0.5, 3: 0.3, 4: 0.15, 5: 0.05}
CLOSENESS = {1: (5, 5, 4), 2: (4, 4, 3), 3: (3, 3, 4, 2), 4: (2, 3, 1), 5: (1,)}
CLOSENESS_SHARE = {1: 1.0, 2: 0.9, 3: 0.6, 4: 0.15, 5: 0.02}
DEPARTMENT_WEIGHT = {"Engineering": 20, "Data": 8, "Product": 8, "Design": 5, "Marketing": 8, "Sales": 10,
                     "Finance": 8, "People": 5, "Legal": 3, "Operations": 7, "Research": 4,
                     "Customer Success": 5, "Strategy": 5, "Leadership": 4}  # fmt: skip
NOT_EMPLOYED = ("Independent Consultant", "Freelance Designer", "Student", "Career break", "Angel Investor")
REGIONS = ("Europe", "Asia", "Africa", "Americas", "Nordic", "MENA")
PERSONAL_DOMAINS = ("mail.example", "inbox.example", "post.example")
# Letters that Unicode does not decompose into a base letter plus an accent.
_ASCII = str.maketrans({"ø": "o", "ł": "l", "ı": "i", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})

T = TypeVar("T")
Span = tuple[int, str | None, date | None, date | None]  # organisation index, role, since, until


@dataclass(slots=True)
class Org:
    """An organisation to create; `parent` is an index into the cast's organisations."""

    kind: str
    name: str
    parent: int | None = None
    industry: str | None = None
    location: str | None = None
    website: str | None = None


@dataclass(slots=True)
class Member:
    """A person of the network, as planned (no ids yet)."""

    culture: names.Culture
    tier: int
    start: int  # when the relationship began, epoch seconds
    display_name: str = ""
    given: str | None = None
    middle: str | None = None
    family: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    nickname: str | None = None
    latin: tuple[str, str] = ("", "")
    title: str | None = None
    company: int | None = None
    department: str | None = None
    location: str = ""
    memberships: list[Span] = field(default_factory=list)
    met_how: str | None = None
    met_where: str | None = None
    topics: list[tuple[str, str]] = field(default_factory=list)
    hobby: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    birthday: tuple[int | None, int | None, int | None] = (None, None, None)
    cadence_days: int | None = None
    closeness: int | None = None
    notes: str | None = None
    archived: bool = False
    weight: float = 0.0  # share of the interactions this person draws


# Titles, cities, topics and first names repeat across thousands of people: fold each once.
_search_words = functools.lru_cache(maxsize=1 << 17)(search_words)
fold_name = functools.lru_cache(maxsize=1 << 16)(fold)


class DemoRandom(random.Random):
    """random.Random with cheaper `choice` and `randint`: the cast makes millions of draws."""

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        """A uniformly chosen element of a non-empty sequence."""
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        """An integer from a to b, both included."""
        return a + int(self.random() * (b - a + 1))


@functools.lru_cache(maxsize=1 << 16)
def slug(text: str, sep: str = "-") -> str:
    """An ASCII handle for a name: "Ødegaard Søren" -> "odegaard-soren"."""
    return re.sub(r"[^a-z0-9]+", sep, fold(text).translate(_ASCII)).strip(sep)


def cum_zipf(n: int, s: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for ranks 1..n: the first few entries are picked far more often."""
    return list(accumulate(1.0 / (rank + 1) ** s for rank in range(n)))


def pick(rng: random.Random, cum: list[float]) -> int:
    """An index drawn with the given cumulative weights."""
    return min(bisect(cum, rng.random() * cum[-1]), len(cum) - 1)


# A few topics and tags are far more common than the rest, as in life.
_TOPIC_CUM = cum_zipf(len(names.PROFESSIONAL_TOPICS), 0.8)
_TAG_CUM = cum_zipf(len(names.TAGS))
_CULTURE_CUM = list(accumulate(c.weight for c in names.CULTURES))
_DEPARTMENTS = tuple(DEPARTMENT_WEIGHT)
_DEPARTMENT_CUM = list(accumulate(DEPARTMENT_WEIGHT.values()))
# Many people have no email address on record, a few several; fewer still a phone number.
_EMAIL_COUNTS, _EMAIL_CUM = (0, 1, 2, 3), list(accumulate((45, 40, 12, 3)))
_PHONE_COUNTS, _PHONE_CUM = (0, 1, 2), list(accumulate((57, 35, 8)))


class Cast:
    """The organisations and people of a demo network of `size` people."""

    def __init__(self, size: int, *, seed: int, begin: int, end: int) -> None:
        self.begin, self.end = begin, end
        self.today = datetime.fromtimestamp(end, UTC).date()
        self.orgs: list[Org] = []
        self.people: list[Member] = []
        self.roster: dict[int, list[int]] = {}  # company index -> people working there
        self.domains: list[str] = []  # company index -> email domain
        self._organisations(DemoRandom(f"{seed}:organisations"), companies=max(30, size // 12))
        self._people(DemoRandom(f"{seed}:people"), size)

    def _organisations(self, rng: random.Random, *, companies: int) -> None:
        seen: set[str] = set()
        cities = [c for culture in names.CULTURES for c in culture.cities]
        families = [f for culture in names.CULTURES for f in culture.family]
        while len(self.orgs) < companies:
            stem, (suffix, industry) = rng.choice(names.COMPANY_STEMS), rng.choice(names.COMPANY_KINDS)
            name = f"{stem} {suffix}"
            if rng.random() < 0.06:
                name, industry = f"{rng.choice(families)} & {rng.choice(families)}", "Legal Services"
            if fold(name) in seen:
                name = f"{name} {rng.choice(REGIONS)}"
            if fold(name) in seen:
                continue
            seen.add(fold(name))
            self.domains.append(f"{slug(name)}.example")
            site = f"https://www.{self.domains[-1]}"
            self.orgs.append(Org("company", name, None, industry, rng.choice(cities), site))
        self.company_cum = cum_zipf(len(self.orgs), 1.05)
        schools = list(
            dict.fromkeys([s for c in names.CULTURES for s in c.schools] + [*names.GLOBAL_SCHOOLS])
        )
        self.school = {name: len(self.orgs) + i for i, name in enumerate(schools)}
        self.orgs += [Org("school", name) for name in schools]
        self.alumni = {self.school[name]: len(self.orgs) + i for i, name in enumerate(schools)}
        self.orgs += [Org("alumni_network", f"{name} Alumni", parent=self.school[name]) for name in schools]
        self.associations = range(len(self.orgs), len(self.orgs) + len(names.ASSOCIATIONS))
        self.orgs += [Org("association", name) for name in names.ASSOCIATIONS]
        self.communities = range(len(self.orgs), len(self.orgs) + len(names.COMMUNITIES))
        self.orgs += [Org("community", name) for name in names.COMMUNITIES]
        # The owner's own career, so "common ground" has something to find.
        day = self.today
        self.owner_memberships: list[Span] = [
            (companies // 7, "Product Manager", day - timedelta(days=900), None),
            (self.school["London School of Economics"], "MSc Management", date(2012, 9, 1), date(2013, 7, 1)),
            (self.associations[9], "member", day - timedelta(days=1500), None),
            (self.communities[0], "member", day - timedelta(days=700), None),
        ]

    def _people(self, rng: random.Random, size: int) -> None:
        tiers = ([1] * TIER_SIZES[0] + [2] * TIER_SIZES[1] + [3] * TIER_SIZES[2])[:size]
        tiers += [4] * ((size - len(tiers)) // 4)
        tiers += [5] * (size - len(tiers))
        rng.shuffle(tiers)
        for i, tier in enumerate(tiers):
            if rng.random() < TIER_OLD[tier]:
                start = self.begin - int(rng.random() * 15 * 365 * DAY)
            else:
                # More people met recently than long ago: the network grows.
                start = self.begin + int((self.end - self.begin - DAY) * rng.random() ** 0.5)
            person = Member(names.CULTURES[pick(rng, _CULTURE_CUM)], tier, start)
            self._name(rng, person)
            self._career(rng, person)
            self._met(rng, person)
            self._topics(rng, person)
            self._handles(rng, person)
            self._details(rng, person)
            if person.company is not None:
                self.roster.setdefault(person.company, []).append(i)
            self.people.append(person)

    def _name(self, rng: random.Random, p: Member) -> None:
        c = p.culture
        female = rng.random() < 0.5
        if c.native and rng.random() < c.native_share:
            family, given, latin_family, latin_given = rng.choice(c.native)
            if c.native_joined:
                p.display_name = family + given
            else:
                p.display_name = f"{family} {given}" if c.native_family_first else f"{given} {family}"
        else:
            given = rng.choice(c.given_f if female else c.given_m)
            family = rng.choice(c.family)
            if c.key == "hispanic" and rng.random() < 0.3:
                family = f"{family} {rng.choice(c.family)}"  # both surnames, as in Spain and Mexico
            latin_given, latin_family = given, family
            p.display_name = f"{family} {given}" if rng.random() < c.family_first else f"{given} {family}"
            if c.key == "anglo" and rng.random() < 0.3:
                p.middle = rng.choice(names.MIDDLE_NAMES)
            if rng.random() < 0.4:
                p.nickname = names.NICKNAMES.get(given)
            if c.key in ("chinese", "korean") and rng.random() < 0.25:
                p.nickname = rng.choice(names.WESTERN_NICKNAMES)
        p.given, p.family, p.latin = given, family, (latin_given, latin_family)
        if rng.random() < 0.03:
            p.prefix = rng.choice(names.PREFIXES)
        if rng.random() < 0.03:
            p.suffix = rng.choice(names.SUFFIXES)

    def _career(self, rng: random.Random, p: Member) -> None:
        """Current job (kept in step with title and company), past jobs, schools, associations."""
        day = self.today
        home = p.culture if rng.random() < 0.75 else rng.choice(names.CULTURES)
        p.location = rng.choice(home.cities)
        career_start = day - timedelta(days=rng.randint(400, 9000))
        if rng.random() < 0.92:
            p.company = pick(rng, self.company_cum)
            p.department = _DEPARTMENTS[pick(rng, _DEPARTMENT_CUM)]
            titles = names.DEPARTMENTS[p.department]
            level = min(len(titles) - 1, int(len(titles) * rng.random() ** 1.6))
            p.title = titles[level]
            since = day - timedelta(days=rng.randint(60, 3000))
            p.memberships.append((p.company, p.title, since, None))
            for _ in range(rng.choice((0, 0, 0, 1, 1, 1, 1, 2, 2, 3))):
                until = since - timedelta(days=rng.randint(0, 90))
                since = until - timedelta(days=rng.randint(300, 1800))
                level = max(0, level - rng.randint(0, 2))
                p.memberships.append((pick(rng, self.company_cum), titles[level], since, until))
            career_start = since
        else:
            p.title = rng.choice(NOT_EMPLOYED)
        schools = p.culture.schools if rng.random() < 0.75 else names.GLOBAL_SCHOOLS
        if p.title == "Student":
            since = day - timedelta(days=rng.randint(30, 900))
            p.memberships.append((self.school[rng.choice(schools)], rng.choice(names.DEGREES), since, None))
        elif rng.random() < 0.88:
            until = career_start - timedelta(days=rng.randint(0, 200))
            for _ in range(2 if rng.random() < 0.25 else 1):
                school = self.school[rng.choice(schools)]
                since = until - timedelta(days=365 * rng.randint(1, 4))
                p.memberships.append((school, rng.choice(names.DEGREES), since, until))
                if rng.random() < 0.35:
                    p.memberships.append((self.alumni[school], "member", until, None))
                until = since - timedelta(days=rng.randint(0, 700))
        for share, pool, roles in (
            (0.22, self.associations, names.ASSOCIATION_ROLES),
            (0.12, self.communities, ("member",)),
        ):
            if rng.random() < share:
                since = day - timedelta(days=rng.randint(30, 3650))
                until = (
                    min(day, since + timedelta(days=rng.randint(365, 1500))) if rng.random() < 0.2 else None
                )
                p.memberships.append((rng.choice(pool), rng.choice(roles), since, until))

    def _met(self, rng: random.Random, p: Member) -> None:
        p.met_how = rng.choice(names.MET_HOW)
        year = datetime.fromtimestamp(p.start, UTC).year
        orgs = [self.orgs[m[0]] for m in p.memberships]
        p.met_where = {
            "at a conference": f"{rng.choice(names.EVENTS)} {year}",
            "classmate": next((o.name for o in orgs if o.kind == "school"), None),
            "former colleague": next((o.name for o in orgs if o.kind == "company"), None),
            "meetup": rng.choice(names.COMMUNITIES),
        }.get(p.met_how, p.location if rng.random() < 0.3 else None)

    def _topics(self, rng: random.Random, p: Member) -> None:
        """Interests, expertise and needs from one vocabulary; a few topics are far more common."""
        for kind, counts in (("interest", (1, 2, 3)), ("expertise", (0, 1, 2, 3)), ("need", (0, 0, 1, 2))):
            chosen: list[str] = []
            for _ in range(rng.choice(counts)):
                value = names.PROFESSIONAL_TOPICS[pick(rng, _TOPIC_CUM)]
                if kind == "interest" and rng.random() < 0.5:
                    value = rng.choice(names.HOBBIES)
                if value not in chosen:
                    chosen.append(value)
            p.topics += [(kind, value) for value in chosen]
        p.hobby = next((v for _, v in p.topics if v in names.HOBBIES), None) or rng.choice(names.HOBBIES)
        counts = (1, 2, 3) if p.tier <= 2 else (0, 0, 1, 2)
        tags = {names.TAGS[pick(rng, _TAG_CUM)] for _ in range(rng.choice(counts))}
        p.tags = sorted(tags | {"friend"} if p.tier == 1 else tags)

    def _handles(self, rng: random.Random, p: Member) -> None:
        """Emails (many people have none, some several), phones and web links."""
        given, family = slug(p.latin[0], "."), slug(p.latin[1], ".")
        work = self.domains[p.company] if p.company is not None else None
        for i in range(_EMAIL_COUNTS[pick(rng, _EMAIL_CUM)]):
            domain = work if i == 0 and work else PERSONAL_DOMAINS[i % len(PERSONAL_DOMAINS)]
            local = f"{given}.{family}" if i == 0 else f"{given}{family[:1]}{rng.randint(1, 99)}"
            address = validate.email(f"{local}@{domain}")
            if all(address != a for a, _ in p.emails):
                p.emails.append((address, "work" if domain == work else "home"))
        code = names.PHONE_CODES.get(p.location.rsplit(", ", 1)[-1], "+1")
        for label in ("mobile", "work")[: _PHONE_COUNTS[pick(rng, _PHONE_CUM)]]:
            digits = f"{rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            p.phones.append((f"{code} {digits}", label))
        handle = f"{given}-{family}".replace(".", "-")
        if rng.random() < 0.7:
            p.links.append(f"https://www.linkedin.com/in/{handle}-{rng.getrandbits(24):06x}")
        if rng.random() < 0.08:
            p.links.append(f"https://github.com/{handle}{rng.randint(1, 99)}")
        if rng.random() < 0.05:
            p.links.append(f"https://{handle}.example")

    def _details(self, rng: random.Random, p: Member) -> None:
        if rng.random() < 0.6:
            year = rng.randint(1955, 2003) if rng.random() < 0.6 else None  # many know the day, not the year
            month = rng.randint(1, 12)
            p.birthday = (year, month, rng.randint(1, calendar.monthrange(year or 2000, month)[1]))
        if rng.random() < 0.04:
            p.cadence_days = rng.choice((14, 21, 45, 60, 120, 180))
        if rng.random() < CLOSENESS_SHARE[p.tier]:
            p.closeness = rng.choice(CLOSENESS[p.tier])
        if rng.random() < 0.15:
            p.notes = rng.choice(names.PERSON_NOTES).format(
                channel=p.culture.messaging, hobby=p.hobby, city=p.location.split(",")[0],
                topic=rng.choice(names.PROFESSIONAL_TOPICS), event=rng.choice(names.EVENTS),
            )  # fmt: skip
        p.archived = p.tier == 5 and rng.random() < 0.02
        p.weight = TIER_WEIGHT[p.tier] * min(rng.paretovariate(1.2), 30.0)
        if p.tier == 5 and rng.random() < 0.4:
            p.weight = 0.0  # a connection never contacted since

    def search_document(self, p: Member) -> dict[str, str]:
        """What repo.search indexes for this person, built by the same function the models use."""
        company = self.orgs[p.company] if p.company is not None else None
        return document(
            names=[p.display_name, p.given, p.middle, p.family, p.nickname],
            handles=[a for a, _ in p.emails] + [n for n, _ in p.phones] + p.links,
            work=[p.title, company and company.name, p.department, company and company.industry, p.location],
            topics=[*p.tags, *(value for _, value in p.topics)],
            notes=[p.notes, p.met_how, p.met_where],
            words=_search_words,
        )
