"""Full-text search over people: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL, one call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Person, PersonSearch
from tieline.repo import person_view
from tieline.repo.people import with_details
from tieline.repo.person_view import SUMMARY_COLUMNS, PersonSummary
from tieline.text import query_tokens, search_words

_person = Person.__table__

# Column weights: a name outweighs a handle or employer, which outweigh topics and notes.
SQLITE_WEIGHTS = (10.0, 4.0, 4.0, 2.0, 1.0)

# The weighted document of the PostgreSQL full-text index, exactly as the migration writes it, so the
# planner uses the GIN index (repo/resources.py matches against it too).
PG_DOCUMENT = (
    "setweight(to_tsvector('simple', names), 'A') || "
    "setweight(to_tsvector('simple', handles), 'B') || "
    "setweight(to_tsvector('simple', work), 'B') || "
    "setweight(to_tsvector('simple', topics), 'C') || "
    "setweight(to_tsvector('simple', s.notes), 'D')"
)

# The matches and their scores, joined below to the owner's people.
_SQLITE_MATCHES = sa.text(
    f"SELECT rowid AS person_id, -bm25(person_fts, {', '.join(map(str, SQLITE_WEIGHTS))}) AS score "
    "FROM person_fts WHERE person_fts MATCH :match"
).columns(person_id=sa.Integer, score=sa.Float)

_PG_MATCHES = sa.text(
    f"SELECT s.person_id, ts_rank(({PG_DOCUMENT}), q) AS score "
    "FROM person_search s, to_tsquery('simple', :match) q "
    f"WHERE ({PG_DOCUMENT}) @@ q AND s.owner_id = :owner_id"
).columns(person_id=sa.Integer, score=sa.Float)


def _found(matches: sa.TextClause, *, include_archived: bool) -> sa.Select[Any]:
    """The owner's people matching the query (live ones unless asked), best first, as summary rows."""
    m = matches.subquery("matches")
    person = _person.c
    stmt = sa.select(*SUMMARY_COLUMNS, m.c.score).where(
        person.id == m.c.person_id, person.owner_id == sa.bindparam("owner_id")
    )
    if not include_archived:
        stmt = stmt.where(person.archived.is_(False))
    return stmt.order_by(m.c.score.desc(), person.sort_name, person.id).limit(sa.bindparam("limit"))


# Built once per engine and per archived-or-not: a search only binds its values.
_FOUND = {
    (dialect, archived): _found(matches, include_archived=archived)
    for dialect, matches in (("sqlite", _SQLITE_MATCHES), ("postgresql", _PG_MATCHES))
    for archived in (False, True)
}


def document_for(person: Person) -> dict[str, str]:
    """The five weighted columns search indexes for a person."""
    return document(
        names=[
            person.display_name,
            person.given_name,
            person.middle_name,
            person.family_name,
            person.nickname,
        ],
        handles=[e.address for e in person.emails]
        + [p.number for p in person.phones]
        + [link.url for link in person.links],
        work=[person.title, person.company, person.department, person.industry, person.location],
        topics=[t.tag for t in person.tags] + [t.value for t in person.topics],
        notes=[person.notes, person.met_how, person.met_where],
    )


def document(
    *,
    names: Sequence[str | None],
    handles: Sequence[str | None],
    work: Sequence[str | None],
    topics: Sequence[str | None],
    notes: Sequence[str | None],
    words: Callable[[str], str] = search_words,
) -> dict[str, str]:
    """The five weighted columns from plain values, in `document_for`'s order (bulk loads use it too).

    `words` is `search_words`, or a memoised copy of it when many documents share values.
    """
    columns = {"names": names, "handles": handles, "work": work, "topics": topics, "notes": notes}
    return {key: " ".join(words(v) for v in values if v) for key, values in columns.items()}


def rebuild_index(session: Session) -> None:
    """Rebuild the SQLite full-text index from every person_search row, after a bulk load.

    PostgreSQL's GIN index keeps itself current, so there it does nothing.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sa.text("INSERT INTO person_fts(person_fts) VALUES ('rebuild')"))


def rebuild_documents(session: Session) -> None:
    """Write every person's search document anew, a thousand people at a time (after a restore,
    which leaves person_search empty)."""
    last = 0
    while True:
        stmt = sa.select(Person).where(Person.id > last).order_by(Person.id).limit(1_000)
        people = session.scalars(stmt.options(*with_details())).all()
        if not people:
            return
        docs = [{"person_id": p.id, "owner_id": p.owner_id, **document_for(p)} for p in people]
        session.execute(sa.insert(PersonSearch.__table__), docs)
        last = people[-1].id
        session.expunge_all()


def refresh_document(session: Session, person: Person) -> None:
    """Write the person's search document (insert or replace)."""
    doc = document_for(person)
    row = session.get(PersonSearch, person.id)
    if row is None:
        session.add(PersonSearch(person_id=person.id, owner_id=person.owner_id, **doc))
    else:
        for key, value in doc.items():
            setattr(row, key, value)


def find_people(
    session: Session, *, owner_id: int, query: str, limit: int = 20, include_archived: bool = False
) -> list[tuple[PersonSummary, float]]:
    """People matching every word of `query` (each as a prefix), best first, with their scores
    (higher is better), as summaries: name, role, tier, emails, tags. Two queries."""
    tokens = query_tokens(query)
    if not tokens:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        match = " ".join(f'"{t}"*' for t in tokens)
    else:
        match = " & ".join(f"'{t}':*" for t in tokens)
    params = {"match": match, "owner_id": owner_id, "limit": limit}
    rows = session.execute(_FOUND[dialect, include_archived], params).all()
    found = person_view.summaries(session, [row[:-1] for row in rows])
    return [(person, float(row[-1])) for person, row in zip(found, rows, strict=True)]


# Rows per INSERT when writing many documents on SQLite: FTS5 writes its pending entries out after
# every statement, so one row per statement costs four times as much.
_DOCUMENTS_PER_STATEMENT = 1000


def insert_documents(session: Session, documents: list[dict[str, Any]]) -> None:
    """Write the search documents of many new people at once (rows of person_search, every key)."""
    from tieline.repo import bulk

    bulk.insert_many(session, "person_search", documents, rows_per_statement=_DOCUMENTS_PER_STATEMENT)
