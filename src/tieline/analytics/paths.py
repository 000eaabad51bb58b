"""Warm paths, reactivation and job search.

`find_path`: the strongest chain from you to a person, or to anyone currently at an organisation:
the product of link strengths is maximised (a shortest path on -log strength). It searches
backwards from the targets, best first, fetching only the links of the people it expands
(graph.links_around), and stops once no unexpanded person can beat the chain found: every link
is at most 1, so a partial chain's value bounds every chain through it.

`suggest_reconnect`: dormant ties, score = past strength x novelty x engagement, where
- past strength is the strength at the last contact (tie.contact_strength) / 100;
- novelty = the mean of: 1 - the share of your current strong ties in their industry, the same
  for their company, and 1 - the share of their links that reach your current strong ties;
- engagement = past reciprocity (services.scoring.reciprocity) / 100, 0.5 with no evidence.

`suggest_ask`: people at, formerly at, or linked to people at an organisation; score =
inverted_u(your tie strength) x access (1 works there, 0.6 worked there, else the strongest
link to someone there), after Rajkumar et al. 2022: moderately weak ties helped job mobility most.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import NamedTuple

from sqlalchemy.orm import Session

from tieline.analytics.graph import links_around
from tieline.analytics.measures import inverted_u
from tieline.analytics.stats import STRONG
from tieline.errors import NotFound
from tieline.models import Tie
from tieline.repo import graph as graph_repo
from tieline.repo import organisations as organisations_repo
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services import preferences
from tieline.services.scoring import reciprocity
from tieline.text import fold

MAX_HOPS = 4  # people in a chain, the target included
EXPAND = 500
FORMER_ACCESS = 0.6
NETWORK_CHECK = 200


@dataclass(frozen=True)
class Step:
    """One person on a chain, the strength of the link that reaches them and why."""

    person_id: int
    name: str
    strength: float  # of the link from the previous step (you, for the first)
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WarmPath:
    """The strongest chain from you to the target: the product of its links, and each step."""

    target: str
    strength: float
    steps: list[Step]


class Target(NamedTuple):
    """What a path leads to: its name, the people who count as reaching it, and which kind it is:
    `person_id` for one of your people, else `organisation` (its name) for an organisation."""

    name: str
    person_ids: list[int]
    person_id: int | None
    organisation: str | None


def resolve_target(session: Session, *, owner_id: int, text: str, today: date) -> tuple[str, list[int]]:
    """What a path leads to, as typed: its name and the people who count as reaching it."""
    found = target_of(session, owner_id=owner_id, text=text, today=today)
    return found.name, found.person_ids


def target_of(session: Session, *, owner_id: int, text: str, today: date) -> Target:
    """What a path leads to, as typed (`resolve_target`), saying whether it is a person or an
    organisation.

    The one organisation named exactly, else a person (name or #id), else an organisation by prefix;
    an organisation is reached through anyone currently in it."""
    exact = organisations_repo.find_by_name(session, owner_id=owner_id, match_name=fold(text))
    org = exact[0] if len(exact) == 1 else None
    if org is None:
        try:
            person = people_service.resolve_person(session, owner_id=owner_id, text=text)
        except NotFound:
            if text.strip().startswith("#"):
                raise
            org = organisations_service.resolve_organisation(session, owner_id=owner_id, text=text)
        else:
            return Target(person.display_name, [person.id], person.id, None)
    members = graph_repo.members_of(session, owner_id=owner_id, organisation_id=org.id, today=today)
    return Target(org.name, members, None, org.name)


def find_path(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    target: str,
    person_ids: list[int],
    max_hops: int = MAX_HOPS,
) -> WarmPath | None:
    """The strongest chain from you to any of `person_ids` (named `target`); None when there is none.

    Searches from whichever side is smaller: backwards from the targets, or forwards from the only
    people a stronger chain than the best direct tie could start with (your ties stronger than it)."""
    owner = {p: s / 100.0 for p, s in graph_repo.owner_strengths(session, owner_id=owner_id).items()}
    targets = {p for p in person_ids if p in owner}
    if not targets:
        return None
    direct = max(targets, key=lambda p: (owner[p], -p))
    floor = owner[direct]
    starts = {p: v for p, v in owner.items() if v > floor and p not in targets}
    if len(starts) < len(targets):  # forwards: chain value so far, closed by reaching a target
        seeds, close = starts, (lambda p: 1.0 if p in targets else 0.0)
    else:  # backwards: from the targets, closed by your tie to the person reached
        seeds, close = dict.fromkeys(targets, 1.0), (lambda p: owner.get(p, 0.0))
    search = _search_chains(
        session,
        owner_id=owner_id,
        now=now,
        seeds=seeds,
        close=close,
        floor=floor,
        live=owner,
        max_hops=max_hops,
    )
    if search.end is None:
        if floor <= 0:
            return None
        value, chain = floor, [direct]
    else:
        value, chain = search.value, [search.end]
        while search.previous[chain[-1]] is not None:
            chain.append(search.previous[chain[-1]])  # type: ignore[arg-type]
        if seeds is starts:
            chain.reverse()  # forwards the search ran you -> target; show it that way too
    names = graph_repo.names_by_id(session, owner_id=owner_id, person_ids=chain)
    steps = [
        Step(
            chain[0],
            names[chain[0]],
            round(owner[chain[0]], 4),
            [f"your tie strength {100 * owner[chain[0]]:.0f}"],
        )
    ]
    for before, here in pairwise(chain):
        key = (min(before, here), max(before, here))
        strength, why = search.evidence[key]
        steps.append(Step(here, names[here], round(strength, 4), why))
    return WarmPath(target, round(value, 4), steps)


class _ChainSearch(NamedTuple):
    """What `_search_chains` found: the best chain's value and last person (None: nothing beat the
    floor), how each person reached was reached, and the link (strength, evidence) of each step."""

    value: float
    end: int | None
    previous: dict[int, int | None]
    evidence: dict[tuple[int, int], tuple[float, list[str]]]


def _search_chains(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    seeds: dict[int, float],
    close: Callable[[int], float],
    floor: float,
    live: dict[int, float],
    max_hops: int,
) -> _ChainSearch:
    """The strongest chain from `seeds`, searched best first; a chain ending at p is worth
    best[p] * close(p). Stops when no unexpanded person's value beats the best chain (every link
    is at most 1)."""
    best = dict(seeds)
    previous: dict[int, int | None] = dict.fromkeys(seeds)
    depth = dict.fromkeys(seeds, 1)
    evidence: dict[tuple[int, int], tuple[float, list[str]]] = {}
    found, end = floor, None
    for p, v in seeds.items():
        if v * close(p) > found:
            found, end = v * close(p), p
    heap = [(-v, p) for p, v in sorted(seeds.items())]
    heapq.heapify(heap)
    expanded: set[int] = set()
    while heap:
        batch: list[int] = []
        while heap and len(batch) < EXPAND:
            value, p = heapq.heappop(heap)
            if -value <= found:
                heap = []
                break
            if p not in expanded and -value >= best[p] and depth[p] < max_hops:
                batch.append(p)
        if not batch:
            break
        expanded.update(batch)
        in_batch = set(batch)
        for (x, y), link in links_around(session, owner_id=owner_id, now=now, person_ids=batch).items():
            for here, there in ((x, y), (y, x)):
                if here not in in_batch or there not in live:
                    continue
                value = best[here] * link.strength
                if value > best.get(there, 0.0):
                    best[there], previous[there], depth[there] = value, here, depth[here] + 1
                    evidence[(x, y)] = (link.strength, [d for _, d in link.evidence[:3]])
                    heapq.heappush(heap, (-value, there))
                    if value * close(there) > found:
                        found, end = value * close(there), there
    return _ChainSearch(found, end, previous, evidence)


@dataclass(frozen=True)
class Reconnect:
    """A dormant tie worth reviving, with the three parts of its score."""

    person_id: int
    name: str
    score: float
    past_strength: float  # 0-100
    novelty: float
    engagement: float
    days_since: int
    reasons: list[str] = field(default_factory=list)


class _Dormant(NamedTuple):
    """A dormant tie before the network check: its score without novelty's network part, and the
    two parts of its score already known."""

    first_score: float
    person: graph_repo.LivePerson
    attributes: float  # novelty from industry and company alone
    engagement: float


def suggest_reconnect(session: Session, *, owner_id: int, now: datetime, limit: int = 10) -> list[Reconnect]:
    """Dormant ties ranked by past strength x novelty x engagement."""
    prefs = preferences.load(session, owner_id=owner_id)
    dormant_days = int(prefs["dormant.days"])
    people = graph_repo.live_people(session, owner_id=owner_id)
    strong = [
        p
        for p in people
        if p.last_contact_at
        and (now - p.last_contact_at).days <= dormant_days
        and (p.strength or 0) >= STRONG
    ]
    industries = Counter(fold(p.industry) for p in strong if p.industry)
    companies = Counter(fold(p.company) for p in strong if p.company)
    strong_ids = {int(p.id) for p in strong}
    n_strong = max(1, len(strong))
    candidates = []
    for person in people:
        last = person.last_contact_at
        if not last or (now - last).days <= dormant_days or not person.contact_strength:
            continue
        tie = Tie(
            initiated_by_me=person.initiated_by_me or 0,
            initiated_by_them=person.initiated_by_them or 0,
            favours_given=person.favours_given or 0,
            favours_received=person.favours_received or 0,
        )
        recip = reciprocity(tie)
        engagement = recip / 100.0 if recip is not None else 0.5
        same_industry = industries[fold(person.industry)] / n_strong if person.industry else 0.0
        same_company = companies[fold(person.company)] / n_strong if person.company else 0.0
        attributes = (2.0 - same_industry - same_company) / 2.0
        first_score = float(person.contact_strength) / 100.0 * attributes * engagement
        candidates.append(_Dormant(first_score, person, attributes, engagement))
    candidates.sort(key=lambda c: (-c.first_score, c.person.id))
    shortlist = candidates[: max(NETWORK_CHECK, limit)]
    reach: dict[int, list[int]] = defaultdict(list)
    ids = [int(c.person.id) for c in shortlist]
    for (x, y), _link in links_around(session, owner_id=owner_id, now=now, person_ids=ids).items():
        reach[x].append(y)
        reach[y].append(x)
    out = []
    for candidate in shortlist:
        person, attributes, engagement = candidate.person, candidate.attributes, candidate.engagement
        past = float(person.contact_strength or 0.0)
        pid = int(person.id)
        links = reach.get(pid, [])
        network = 1.0 - (sum(1 for q in links if q in strong_ids) / len(links)) if links else 1.0
        novelty = (2.0 * attributes + network) / 3.0
        score = past / 100.0 * novelty * engagement
        days = (now - person.last_contact_at).days  # type: ignore[operator]
        reasons = [
            f"strength {past:.0f} when you were last in touch, {days // 30} months ago",
            f"novelty {novelty:.2f}: "
            + ", ".join(x for x in (person.industry, person.company) if x)
            + ("" if links else ", no links to your current circle")
            + f" ({network:.0%} of their links outside it)",
            f"engagement {engagement:.2f} (reciprocity when you were in touch)",
        ]
        out.append(
            Reconnect(
                pid,
                person.display_name,
                round(score, 4),
                past,
                round(novelty, 3),
                round(engagement, 3),
                days,
                reasons,
            )
        )
    out.sort(key=lambda s: (-s.score, s.person_id))
    return out[:limit]


@dataclass(frozen=True)
class AskSuggestion:
    """Someone to ask about roles at an organisation: how they relate to it and why."""

    person_id: int
    name: str
    score: float
    strength: float  # your tie, 0-100
    relation: str  # works there, worked there, knows someone there
    reasons: list[str] = field(default_factory=list)


class _Access(NamedTuple):
    """How someone reaches an organisation: how well (0-1), as what, and the evidence."""

    reach: float
    relation: str
    why: str  # "#id: evidence" when through a member, named once names are read


_NO_ACCESS = _Access(0.0, "", "")


class _AskScore(NamedTuple):
    """Someone to ask, scored: inverted_u(your tie) x reach."""

    score: float
    person_id: int
    relation: str
    why: str
    weight: float  # inverted_u of your tie


def suggest_ask(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    organisation_id: int,
    organisation: str,
    limit: int = 10,
) -> list[AskSuggestion]:
    """Who to ask about roles at the organisation, favouring moderately weak ties."""
    owner = graph_repo.owner_strengths(session, owner_id=owner_id)
    today = now.date()
    current = set(
        graph_repo.members_of(session, owner_id=owner_id, organisation_id=organisation_id, today=today)
    )
    former = (
        set(
            graph_repo.former_members_of(
                session, owner_id=owner_id, organisation_id=organisation_id, today=today
            )
        )
        - current
    )
    access: dict[int, _Access] = {p: _Access(1.0, "works there", f"works at {organisation}") for p in current}
    for p in former:
        access[p] = _Access(FORMER_ACCESS, "worked there", f"worked at {organisation}")
    ranked_members = sorted(current, key=lambda p: (-owner.get(p, 0.0), p))[:EXPAND]
    for (x, y), link in links_around(session, owner_id=owner_id, now=now, person_ids=ranked_members).items():
        for inside, outside in ((x, y), (y, x)):
            known = inside in current and outside not in current and outside in owner
            if known and link.strength > access.get(outside, _NO_ACCESS).reach:
                access[outside] = _Access(
                    link.strength,
                    "knows someone there",
                    f"#{inside}: {link.evidence[0][1]}",
                )
    scored = []
    for p, way in access.items():
        if p not in owner or owner[p] <= 0:
            continue
        weight = inverted_u(owner[p] / 100.0)
        scored.append(_AskScore(weight * way.reach, p, way.relation, way.why, weight))
    scored.sort(key=lambda t: (-t.score, t.person_id))
    top = scored[:limit]
    mentioned = {t.person_id for t in top}
    for t in top:
        if t.why.startswith("#"):
            mentioned.add(int(t.why[1:].split(":")[0]))
    names = graph_repo.names_by_id(session, owner_id=owner_id, person_ids=sorted(mentioned))
    out = []
    for t in top:
        why = t.why
        if why.startswith("#"):
            inside, detail = why[1:].split(":", 1)
            why = f"knows {names[int(inside)]} at {organisation}:{detail}"
        p = t.person_id
        reasons = [
            why,
            f"your tie strength {owner[p]:.0f}: weight {t.weight:.2f} (moderately weak ties help most)",
        ]
        out.append(AskSuggestion(p, names[p], round(t.score, 4), owner[p], t.relation, reasons))
    return out
