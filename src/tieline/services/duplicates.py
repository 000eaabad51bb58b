"""The review queue of possible duplicates, computed on demand from everyone's identity facts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tieline.repo import imports as imports_repo
from tieline.services.identity import Facts, Match, duplicate_pairs, linkedin_key, phone_key


@dataclass(frozen=True)
class Candidate:
    """Two people who may be one, with names for display and the evidence."""

    match: Match
    a_name: str
    b_name: str


def load_facts(session: Session, *, owner_id: int) -> list[Facts]:
    """Identity facts (name, company, emails, LinkedIn keys, phone keys) of every person."""
    people, emails, links, phones = imports_repo.identity_rows(session, owner_id=owner_id)
    facts = {pid: Facts(id=pid, name=name, company=company) for pid, name, company in people}
    for pid, address in emails:
        facts[pid].emails.add(address)
    for pid, url in links:
        if key := linkedin_key(url):
            facts[pid].linkedin.add(key)
    for pid, number in phones:
        if key := phone_key(number):
            facts[pid].phones.add(key)
    return list(facts.values())


def find(session: Session, *, owner_id: int, min_confidence: float = 0.6) -> list[Candidate]:
    """Pairs of people who may be one person, best first, minus pairs marked as distinct."""
    facts = load_facts(session, owner_id=owner_id)
    names = {f.id: f.name for f in facts}
    distinct = imports_repo.distinct_pairs(session, owner_id=owner_id)
    return [
        Candidate(m, names[m.a], names[m.b])
        for m in duplicate_pairs(facts, min_confidence=min_confidence)
        if (min(m.a, m.b), max(m.a, m.b)) not in distinct
    ]
