"""Introductions worth making, and people you should know yourself.

`suggest_intros`: for people A and B,
    score = complementarity x min(your strength to A, to B) / 100 x novelty
- complementarity: the sum, over A's needs met by B's expertise and B's needs met by A's, of how
  well the words match (Jaccard of the folded words, at least MATCH); both ways scores about 2;
- novelty = 1 - Jaccard overlap of their neighbours in the graph (little overlap: a new bridge);
- excluded: pairs who already know each other (a knows link, an introduction, a shared
  interaction) and pairs already introduced in any state.
Only the PER_TOPIC people you are closest to on each side of a topic are paired, so the search
stays small at 30,000 people; the exact score is then computed best-first and stops once no
candidate left can beat the list.

`suggest_people`: people you have weak (below WEAK) or no ties to, scored by a weighted
Adamic-Adar over your strongest ties z: sum of s(you, z) x w(z, c) / log(1 + degree z).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy.orm import Session

from tieline.analytics.graph import Link, links_around
from tieline.analytics.measures import jaccard
from tieline.repo import graph as graph_repo
from tieline.text import search_words

MATCH = 0.5
PER_TOPIC = 40
BATCH = 200
KNOWING = {"knows", "introduction", "interaction"}  # evidence that two people already know each other
WEAK = 20.0
SEEDS = 200


@dataclass(frozen=True)
class IntroSuggestion:
    """Two people worth introducing, the score and why."""

    a_id: int
    a_name: str
    b_id: int
    b_name: str
    score: float
    complementarity: float
    novelty: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PersonSuggestion:
    """Someone you should know better, through whom, and why."""

    person_id: int
    name: str
    score: float
    strength: float  # your current tie strength (0-100)
    via: list[tuple[int, str]] = field(default_factory=list)  # (id, name) of the contacts linking you
    reasons: list[str] = field(default_factory=list)


@cache
def _words(text: str) -> frozenset[str]:
    return frozenset(search_words(text).split())


def _matches(
    needs: dict[frozenset[str], str], offers: dict[frozenset[str], str]
) -> list[tuple[frozenset[str], frozenset[str], float]]:
    by_word: dict[str, set[frozenset[str]]] = defaultdict(set)
    for key in offers:
        for word in key:
            by_word[word].add(key)
    out = []
    for need in needs:
        for offer in {o for w in need for o in by_word.get(w, ())}:
            score = len(need & offer) / len(need | offer)
            if score >= MATCH:
                out.append((need, offer, score))
    return out


def suggest_intros(
    session: Session, *, owner_id: int, now: datetime, limit: int = 10
) -> list[IntroSuggestion]:
    """The pairs who could help each other most, best first, each with its reasons."""
    strengths = graph_repo.owner_strengths(session, owner_id=owner_id)
    need_of: dict[frozenset[str], list[int]] = defaultdict(list)
    offer_of: dict[frozenset[str], list[int]] = defaultdict(list)
    labels: dict[frozenset[str], str] = {}
    for pid, kind, value in graph_repo.all_topics(session, owner_id=owner_id, kinds=("need", "expertise")):
        key = _words(value)
        if key and strengths.get(pid, 0.0) > 0:
            (need_of if kind == "need" else offer_of)[key].append(pid)
            labels.setdefault(key, value)

    def closest(ids: list[int]) -> list[int]:
        return sorted(set(ids), key=lambda p: (-strengths[p], p))[:PER_TOPIC]

    needers = {key: closest(ids) for key, ids in need_of.items()}
    experts = {key: closest(ids) for key, ids in offer_of.items()}
    pairs: dict[tuple[int, int], list[tuple[float, int, str, str]]] = defaultdict(list)
    for need, offer, score in _matches({k: labels[k] for k in need_of}, {k: labels[k] for k in offer_of}):
        for needer in needers[need]:
            for expert in experts[offer]:
                if needer != expert:
                    key = (min(needer, expert), max(needer, expert))
                    pairs[key].append((score, needer, labels[need], labels[offer]))
    introduced = graph_repo.introduced_pairs(session, owner_id=owner_id)
    # (upper bound, complementarity, a, b) per pair: plain tuples, not named ones, as there are about
    # 100,000 of them at `large` and the garbage collector can set plain tuples of numbers aside.
    bounds: list[tuple[float, float, int, int]] = []
    for (a, b), matches in pairs.items():
        if (a, b) in introduced:
            continue
        best: dict[tuple[int, str], float] = {}
        for score, needer, need, _offer in matches:  # one need counts once, by its best match
            best[(needer, need)] = max(best.get((needer, need), 0.0), score)
        complement = sum(best.values())
        bounds.append((complement * min(strengths[a], strengths[b]) / 100.0, complement, a, b))
    bounds.sort(key=lambda bound: (-bound[0], bound[2], bound[3]))
    return _rank_by_novelty(
        session, owner_id=owner_id, now=now, bounds=bounds, pairs=pairs, limit=limit, strengths=strengths
    )


class _Scored(NamedTuple):
    """A pair with its exact score."""

    score: float
    complement: float
    novelty: float
    a: int
    b: int


def _rank_by_novelty(
    session: Session,
    *,
    owner_id: int,
    now: datetime,
    bounds: list[tuple[float, float, int, int]],
    pairs: dict[tuple[int, int], list[tuple[float, int, str, str]]],
    limit: int,
    strengths: dict[int, float],
) -> list[IntroSuggestion]:
    """The best `limit` pairs by exact score (upper bound x novelty), reading the neighbours of pairs
    in order of their bound (novelty is at most 1), a batch at a time, until no bound left can beat
    the list."""
    neighbours: dict[int, dict[int, Link]] = {}
    found: list[_Scored] = []
    for start in range(0, len(bounds), BATCH):
        batch = bounds[start : start + BATCH]
        highest, *_ = batch[0]
        if len(found) >= limit and highest < sorted(f.score for f in found)[-limit]:
            break
        new = sorted({p for _, _, a, b in batch for p in (a, b)} - neighbours.keys())
        for p in new:
            neighbours[p] = {}
        for (x, y), link in links_around(session, owner_id=owner_id, now=now, person_ids=new).items():
            for me, other in ((x, y), (y, x)):
                if me in neighbours:
                    neighbours[me][other] = link
        for upper, complement, a, b in batch:
            link = neighbours[a].get(b)
            if link is not None and any(kind in KNOWING for kind, _ in link.evidence):
                continue
            novelty = 1.0 - jaccard(set(neighbours[a]) - {b}, set(neighbours[b]) - {a})
            found.append(_Scored(upper * novelty, complement, novelty, a, b))
    found.sort(key=lambda t: (-t.score, t.a, t.b))
    top = found[:limit]
    names = graph_repo.names_by_id(
        session, owner_id=owner_id, person_ids=[p for t in top for p in (t.a, t.b)]
    )
    out = []
    for t in top:
        a, b, novelty = t.a, t.b, t.novelty
        reasons = []
        for _s, needer, need, offer in sorted(pairs[(a, b)], key=lambda m: -m[0]):
            other = b if needer == a else a
            line = f"{names[needer]} needs {need}; {names[other]} offers {offer}"
            if line not in reasons:
                reasons.append(line)
        reasons.append(f"your ties: {names[a]} {strengths[a]:.0f}, {names[b]} {strengths[b]:.0f}")
        reasons.append(f"their networks overlap {100 * (1 - novelty):.0f}%")
        out.append(
            IntroSuggestion(
                a,
                names[a],
                b,
                names[b],
                round(t.score, 4),
                round(t.complement, 3),
                round(novelty, 3),
                reasons,
            )
        )
    return out


def suggest_people(
    session: Session, *, owner_id: int, now: datetime, limit: int = 10
) -> list[PersonSuggestion]:
    """People you have weak or no ties to whom your strongest ties know (weighted Adamic-Adar)."""
    strengths = graph_repo.owner_strengths(session, owner_id=owner_id)
    seeds = sorted((p for p, s in strengths.items() if s >= WEAK), key=lambda p: (-strengths[p], p))[:SEEDS]
    if not seeds:
        return []
    degree: dict[int, int] = defaultdict(int)
    around: dict[int, list[tuple[int, Link]]] = defaultdict(list)
    seed_set = set(seeds)
    for (x, y), link in links_around(session, owner_id=owner_id, now=now, person_ids=seeds).items():
        for z, c in ((x, y), (y, x)):
            if z in seed_set:
                degree[z] += 1
                around[c].append((z, link))
    scored = []
    for c, via in around.items():
        if c not in strengths or strengths[c] >= WEAK:
            continue
        score = sum(strengths[z] / 100.0 * link.strength / math.log(1 + degree[z]) for z, link in via)
        scored.append((score, c, via))
    scored.sort(key=lambda t: (-t[0], t[1]))
    top = scored[:limit]
    ids = {c for _, c, _ in top} | {z for _, _, via in top for z, _ in via}
    names = graph_repo.names_by_id(session, owner_id=owner_id, person_ids=sorted(ids))
    out = []
    for score, c, via in top:
        via = sorted(via, key=lambda v: (-strengths[v[0]] * v[1].strength, v[0]))
        reasons = [f"{len(via)} of your closest ties know them"] + [
            f"{names[z]} (your tie {strengths[z]:.0f}): {link.evidence[0][1]}" for z, link in via[:3]
        ]
        out.append(
            PersonSuggestion(
                c, names[c], round(score, 4), strengths[c], [(z, names[z]) for z, _ in via[:5]], reasons
            )
        )
    return out
