"""Full-text search over people: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL, one call."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Person, PersonSearch
from tieline.text import query_tokens, search_words

# Column weights: a name outweighs a handle or employer, which outweigh topics and notes.
SQLITE_WEIGHTS = (10.0, 4.0, 4.0, 2.0, 1.0)

_PG_DOCUMENT = (
    "setweight(to_tsvector('simple', names), 'A') || "
    "setweight(to_tsvector('simple', handles), 'B') || "
    "setweight(to_tsvector('simple', work), 'B') || "
    "setweight(to_tsvector('simple', topics), 'C') || "
    "setweight(to_tsvector('simple', notes), 'D')"
)

_SQLITE_SEARCH = sa.text(
    f"""
    SELECT p.id AS person_id, -bm25(person_fts, {", ".join(map(str, SQLITE_WEIGHTS))}) AS score
    FROM person_fts JOIN person p ON p.id = person_fts.rowid
    WHERE person_fts MATCH :match AND p.owner_id = :owner_id AND (:archived OR NOT p.archived)
    ORDER BY score DESC, p.sort_name, p.id
    LIMIT :limit
    """
)

_PG_SEARCH = sa.text(
    f"""
    SELECT p.id AS person_id, ts_rank(({_PG_DOCUMENT}), q) AS score
    FROM person_search s
    JOIN person p ON p.id = s.person_id,
    to_tsquery('simple', :match) q
    WHERE ({_PG_DOCUMENT}) @@ q AND s.owner_id = :owner_id AND (:archived OR NOT p.archived)
    ORDER BY score DESC, p.sort_name, p.id
    LIMIT :limit
    """
)


@dataclass(frozen=True)
class SearchHit:
    """A person found by search, with the engine's relevance score (higher is better)."""

    person_id: int
    score: float


def document_for(person: Person) -> dict[str, str]:
    """The five weighted columns search indexes for a person."""
    names = [
        person.display_name,
        person.given_name,
        person.middle_name,
        person.family_name,
        person.nickname,
    ]
    handles = [e.address for e in person.emails] + [p.number for p in person.phones]
    handles += [link.url for link in person.links]
    work = [person.title, person.company, person.department, person.industry, person.location]
    topics = [t.tag for t in person.tags] + [t.value for t in person.topics]
    notes = [person.notes, person.met_how, person.met_where]
    return {
        "names": " ".join(search_words(v) for v in names if v),
        "handles": " ".join(search_words(v) for v in handles if v),
        "work": " ".join(search_words(v) for v in work if v),
        "topics": " ".join(search_words(v) for v in topics if v),
        "notes": " ".join(search_words(v) for v in notes if v),
    }


def refresh_document(session: Session, person: Person) -> None:
    """Write the person's search document (insert or replace)."""
    doc = document_for(person)
    row = session.get(PersonSearch, person.id)
    if row is None:
        session.add(PersonSearch(person_id=person.id, owner_id=person.owner_id, **doc))
    else:
        for key, value in doc.items():
            setattr(row, key, value)


def search_people(
    session: Session, *, owner_id: int, query: str, limit: int = 20, include_archived: bool = False
) -> list[SearchHit]:
    """People matching every word of `query` (each as a prefix), best first."""
    tokens = query_tokens(query)
    if not tokens:
        return []
    params = {"owner_id": owner_id, "limit": limit, "archived": include_archived}
    if session.get_bind().dialect.name == "sqlite":
        match = " ".join(f'"{t}"*' for t in tokens)
        rows = session.execute(_SQLITE_SEARCH, {**params, "match": match})
    else:
        match = " & ".join(f"'{t}':*" for t in tokens)
        rows = session.execute(_PG_SEARCH, {**params, "match": match})
    return [SearchHit(person_id=r.person_id, score=float(r.score)) for r in rows]
