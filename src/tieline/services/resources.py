"""Resources worth passing on (articles, talks, reports, job openings) and who to pass them to.

Suggestions are lexical: each topic is matched against a person's needs and interests (weight 3),
expertise (2), tags (1.5), title and industry (1) and notes (0.5), a whole-word match counting
fully and a prefix match ("data" in "database") 0.6. A person's score is, over the topics, the best
field each topic matched, summed; times a small bonus for tie strength (up to 1.25 at 100).
The full-text index finds the candidates, so a large network is scored in one pass over a few
thousand people at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import RESOURCE_KINDS, Person, Resource, ResourceShare
from tieline.repo import resources as resources_repo
from tieline.services import favours as favours_service
from tieline.services import interactions as interactions_service
from tieline.text import fold, query_tokens, search_words

# Field kind -> (weight, how a reason reads).
FIELD_WEIGHTS = {
    "need": (3.0, "needs: {}"),
    "interest": (3.0, "interested in {}"),
    "expertise": (2.0, "expertise: {}"),
    "tag": (1.5, "tagged {}"),
    "title": (1.0, "title: {}"),
    "industry": (1.0, "industry: {}"),
    "notes": (0.5, "notes mention {}"),
}
PREFIX_CREDIT = 0.6
STRENGTH_BONUS = 0.25  # at tie strength 100 the score is multiplied by 1.25
# People the full-text index hands over for scoring, the best matches first.
CANDIDATES = 3000


@dataclass(frozen=True)
class Suggestion:
    """A person to pass a resource to, how well they match, and why."""

    person_id: int
    name: str
    score: float
    reasons: list[str]


@dataclass(frozen=True)
class Shared:
    """The outcome of sharing with one person: the new share, or None when they already had it."""

    person: Person
    share: ResourceShare | None


def check_kind(kind: str) -> str:
    """A known resource kind."""
    value = kind.strip().lower().replace("-", "_")
    if value not in RESOURCE_KINDS:
        raise InvalidInput(f"unknown resource kind {kind!r}: use one of {', '.join(RESOURCE_KINDS)}")
    return value


def clean_topics(topics: list[str]) -> list[str]:
    """Topics as typed, stripped, without blanks or repeats (case- and accent-insensitive)."""
    out: dict[str, str] = {}
    for raw in topics:
        value = raw.strip()
        if value and search_words(value) and fold(value) not in out:
            out[fold(value)] = value
    return list(out.values())


def save_resource(
    session: Session,
    *,
    owner_id: int,
    url: str,
    topics: list[str] | None = None,
    title: str | None = None,
    kind: str | None = None,
) -> Resource:
    """Store a resource by its address, or update it: new topics are added, a title or kind replaced."""
    address = url.strip()
    if not address or any(c.isspace() for c in address):
        raise InvalidInput(f"not an address: {url!r}")
    resource = resources_repo.get_by_url(session, owner_id=owner_id, url=address)
    new_topics = clean_topics(topics or [])
    if resource is None:
        resource = Resource(owner_id=owner_id, url=address, kind="article", topics=[])
        session.add(resource)
    merged = clean_topics([*resource.topics, *new_topics])
    if merged != list(resource.topics):
        resource.topics = merged
    if title and title.strip():
        resource.title = title.strip()
    if kind:
        resource.kind = check_kind(kind)
    session.flush()
    return resource


def suggest(session: Session, *, owner_id: int, resource: Resource, limit: int = 10) -> list[Suggestion]:
    """The people to pass a resource to, best first, leaving out the archived and those who had it."""
    topics = [(t, query_tokens(t)) for t in resource.topics]
    topics = [(t, tokens) for t, tokens in topics if tokens]
    if not topics:
        raise InvalidInput("the resource has no topics: add one with --topic")
    words = sorted({w for _, tokens in topics for w in tokens})
    ids = resources_repo.candidates(session, owner_id=owner_id, words=words, limit=CANDIDATES)
    shared = resources_repo.shared_person_ids(session, owner_id=owner_id, resource_id=resource.id)
    ids = [pid for pid in ids if pid not in shared]
    rows = resources_repo.profiles(session, owner_id=owner_id, person_ids=ids)
    values = resources_repo.topics_and_tags(session, owner_id=owner_id, person_ids=ids)
    found = []
    for row in rows:
        fields = [
            *values.get(row.id, []),
            ("title", row.title),
            ("industry", row.industry),
            ("notes", row.notes),
        ]
        score, reasons = _score(topics, [(kind, text) for kind, text in fields if text])
        if score > 0:
            bonus = 1 + STRENGTH_BONUS * min(max(float(row.strength), 0.0), 100.0) / 100
            found.append(Suggestion(row.id, row.display_name, round(score * bonus, 3), reasons))
    found.sort(key=lambda s: (-s.score, fold(s.name), s.person_id))
    return found[:limit]


def _score(topics: list[tuple[str, list[str]]], fields: list[tuple[str, str]]) -> tuple[float, list[str]]:
    """Sum over topics of the best field each matched, and a reason per matching topic."""
    words = [(kind, text, search_words(text).split()) for kind, text in fields]
    total, reasons = 0.0, []
    for topic, tokens in topics:
        best, why = 0.0, ""
        for kind, text, field_words in words:
            quality = _match(tokens, field_words)
            if not quality:
                continue
            weight, phrase = FIELD_WEIGHTS[kind]
            if weight * quality > best:
                best = weight * quality
                why = phrase.format(topic if kind == "notes" else text)
        if best:
            total += best
            reasons.append(why)
    return total, list(dict.fromkeys(reasons))


def _match(tokens: list[str], field_words: list[str]) -> float:
    """1 when every token is a word of the field, PREFIX_CREDIT when some only start a word, else 0."""
    exact = True
    for token in tokens:
        if token in field_words:
            continue
        if any(word.startswith(token) for word in field_words):
            exact = False
            continue
        return 0.0
    return 1.0 if exact else PREFIX_CREDIT


def share(
    session: Session,
    *,
    owner_id: int,
    resource: Resource,
    people: list[Person],
    now: datetime,
    note: str | None = None,
) -> list[Shared]:
    """Pass a resource to people: per person a share, a favour given and a message logged; once each."""
    already = resources_repo.shared_person_ids(session, owner_id=owner_id, resource_id=resource.id)
    what = resource.title or resource.url
    out = []
    for person in {p.id: p for p in people}.values():
        if person.id in already:
            out.append(Shared(person, None))
            continue
        favour = favours_service.record_favour(
            session, owner_id=owner_id, person=person, direction="given", kind="resource", when=now, now=now,
            text=what,
        )  # fmt: skip
        notes = f"Shared {resource.title}: {resource.url}" if resource.title else f"Shared {resource.url}"
        if note and note.strip():
            notes += f"\n{note.strip()}"
        interaction = interactions_service.log_interaction(
            session, owner_id=owner_id, kind="message", people=[person], when=now, notes=notes,
            initiated_by="me", now=now,
        )  # fmt: skip
        item = ResourceShare(
            owner_id=owner_id,
            resource_id=resource.id,
            person_id=person.id,
            shared_at=now,
            favour_id=favour.id,
            interaction_id=interaction.id,
        )
        session.add(item)
        out.append(Shared(person, item))
    session.flush()
    return out


def listing(session: Session, *, owner_id: int) -> list[tuple[Resource, list[tuple[ResourceShare, str]]]]:
    """Every resource, newest first, with who it was shared with."""
    resources = resources_repo.listing(session, owner_id=owner_id)
    shares = resources_repo.shares_of(session, owner_id=owner_id, resource_ids=[r.id for r in resources])
    return [(r, shares[r.id]) for r in resources]
