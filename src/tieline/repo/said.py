"""Full-text search over what was said: FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL, one call.

`said_search` holds the folded words of every item with something written in it: an interaction's
subject and notes, an event's name, notes and goals, an introduction's why and outcome, an
opportunity's title and notes. `index` and `refresh` write them after an item is made or changed;
deleting an item deletes its words (the key columns cascade). `find` gives the best matches with
the text they were found in; `people` says who was there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import (
    Event,
    EventAttendee,
    Interaction,
    InteractionParticipant,
    Introduction,
    Opportunity,
)
from tieline.models import Person as _Person
from tieline.models.search import SAID_ITEMS, SaidSearch, said_id
from tieline.repo import bulk
from tieline.text import search_words

_said = SaidSearch.__table__
_person = _Person.__table__

# A query word this long or longer also finds the words it begins ("kayak" finds "kayaking"); a
# shorter one only itself, as a prefix of one or two letters would match most of a million notes.
PREFIX_MIN = 3
# A subject outweighs a mention in the notes.
SQLITE_WEIGHTS = (4.0, 1.0)
# The weighted document of the PostgreSQL index, exactly as migration 0007 writes it.
PG_DOCUMENT = (
    "setweight(to_tsvector('simple', s.subject), 'A') || setweight(to_tsvector('simple', s.notes), 'D')"
)
# Rows per INSERT on SQLite: FTS5 writes its pending entries out after every statement.
_DOCUMENTS_PER_STATEMENT = 1000
_CHUNK = 500


class Source(NamedTuple):
    """Where an item's text lives: its table, the time it was said, its subject and its notes."""

    table: sa.Table
    when: str
    subject: str | None
    notes: tuple[str, ...]
    kind: str | None  # the item's own kind column (coffee, conference, job)


SOURCES: dict[str, Source] = {
    "interaction": Source(Interaction.__table__, "occurred_at", "subject", ("notes",), "kind"),
    "event": Source(Event.__table__, "starts_on", "name", ("notes", "goals"), "kind"),
    "introduction": Source(Introduction.__table__, "created_at", None, ("why", "outcome"), None),
    "opportunity": Source(Opportunity.__table__, "spotted_on", "title", ("notes",), "kind"),
}
assert tuple(SOURCES) == SAID_ITEMS


class ItemText(NamedTuple):
    """What was written in one item, as stored: its id, when, its subject and its notes."""

    id: int
    when: datetime | date
    subject: str | None
    notes: tuple[str | None, ...]


class SaidRow(NamedTuple):
    """A match: the item (interaction, event, introduction, opportunity), its id and kind, when it
    happened, its title (subject, event name, opportunity title), the texts it was found in, and its
    score (higher is better)."""

    item: str
    id: int
    kind: str | None
    at: datetime | date
    title: str | None
    notes: tuple[str, ...]
    score: float


class SaidPerson(NamedTuple):
    """Someone who was there (or who the item is about)."""

    id: int
    name: str
    archived: bool


def is_prefix(token: str) -> bool:
    """Whether a query word matches the words it begins, or only itself."""
    return len(token) >= PREFIX_MIN


# --- writing ---------------------------------------------------------------------------------------


def _moment(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time(), UTC)


# Each item's key columns, all empty but its own (filled in per row), in one order for every row.
_ITEM_KEYS = {item: {f"{other}_id": None for other in SAID_ITEMS} for item in SAID_ITEMS}


def _documents(owner_id: int, item: str, texts: Iterable[ItemText]) -> list[dict[str, Any]]:
    """The said_search rows of these items: those with something written in them."""
    folded: dict[str, str] = {}  # a thread's messages share a subject: fold it once

    def words(text: str | None) -> str:
        if not text:
            return ""
        if (found := folded.get(text)) is None:
            found = folded[text] = search_words(text)
        return found

    keys, key = _ITEM_KEYS[item], f"{item}_id"
    out = []
    for text in texts:
        subject = words(text.subject)
        notes = " ".join(w for n in text.notes if (w := words(n)))
        if subject or notes:
            out.append({
                "id": said_id(item, text.id), "owner_id": owner_id, **keys, key: text.id,
                "occurred_at": _moment(text.when), "subject": subject, "notes": notes,
            })  # fmt: skip
    return out


def index(
    session: Session, *, owner_id: int, item: str, texts: Iterable[ItemText], new: bool = False
) -> None:
    """Write the words of these items (replacing what was there, unless they are `new`); an item
    with nothing written in it has none."""
    key = _said.c[f"{item}_id"]
    texts = list(texts)
    if not new:
        for start in range(0, len(texts), _CHUNK):
            ids = [t.id for t in texts[start : start + _CHUNK]]
            session.execute(sa.delete(_said).where(key.in_(ids), _said.c.owner_id == owner_id))
    documents = _documents(owner_id, item, texts)
    if documents:
        bulk.insert_many(session, "said_search", documents, rows_per_statement=_DOCUMENTS_PER_STATEMENT)


def _texts(source: Source) -> sa.Select[Any]:
    c = source.table.c
    subject = c[source.subject] if source.subject else sa.null()
    return sa.select(c.id, c.owner_id, c[source.when], subject, *(c[n] for n in source.notes))


def _item_text(row: Sequence[Any]) -> ItemText:
    return ItemText(row[0], row[2], row[3], tuple(row[4:]))


def refresh(session: Session, *, owner_id: int, item: str, ids: Collection[int]) -> None:
    """Write the words of these items anew from their rows as they are now (after an edit)."""
    source = SOURCES[item]
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        stmt = _texts(source).where(source.table.c.id.in_(chunk), source.table.c.owner_id == owner_id)
        # Every item of the chunk that still exists, written in or not: `index` replaces its words.
        found = [_item_text(row) for row in session.execute(stmt)]
        index(session, owner_id=owner_id, item=item, texts=found)


def _every_text(
    session: Session, source: Source, owner_id: int | None
) -> Iterator[list[tuple[int, ItemText]]]:
    """(owner, text) of every item of a source with something written in it, a batch at a time."""
    c = source.table.c
    written = sa.or_(*(c[n].is_not(None) for n in (source.subject, *source.notes) if n))
    last = 0
    while True:
        stmt = _texts(source).where(written, c.id > last).order_by(c.id).limit(5_000)
        if owner_id is not None:
            stmt = stmt.where(c.owner_id == owner_id)
        batch = session.execute(stmt).all()
        if not batch:
            return
        yield [(row[1], _item_text(row)) for row in batch]
        last = batch[-1][0]


def rebuild(session: Session, *, owner_id: int | None = None) -> None:
    """Write every item's words anew: the owner's, or everyone's (after a restore or a bulk load)."""
    delete = sa.delete(_said)
    session.execute(delete if owner_id is None else delete.where(_said.c.owner_id == owner_id))
    for item, source in SOURCES.items():
        for batch in _every_text(session, source, owner_id):
            owners: dict[int, list[ItemText]] = {}
            for owner, text in batch:
                owners.setdefault(owner, []).append(text)
            for owner, texts in owners.items():
                index(session, owner_id=owner, item=item, texts=texts, new=True)


# --- finding ---------------------------------------------------------------------------------------

_MATCH_COLUMNS = {
    "said_id": sa.Integer,
    **{f"{item}_id": sa.Integer for item in SAID_ITEMS},
    "occurred_at": sa.Text,  # only ordered by: stored text on SQLite, a timestamp on PostgreSQL
    "score": sa.Float,
}
_KEYS = "s.id AS said_id, " + ", ".join(f"s.{item}_id" for item in SAID_ITEMS) + ", s.occurred_at"

# The owner is written `owner_id + 0` so that no index serves it: the full-text match must lead.
_SQLITE_MATCHES = sa.text(
    f"SELECT {_KEYS}, -bm25(said_fts, {', '.join(map(str, SQLITE_WEIGHTS))}) AS score "
    "FROM said_fts JOIN said_search s ON s.id = said_fts.rowid "
    "WHERE said_fts MATCH :match AND s.owner_id + 0 = :owner_id"
).columns(**_MATCH_COLUMNS)

_PG_MATCHES = sa.text(
    f"SELECT {_KEYS}, ts_rank(({PG_DOCUMENT}), q) AS score "
    "FROM said_search s, to_tsquery('simple', :match) q "
    f"WHERE ({PG_DOCUMENT}) @@ q AND s.owner_id + 0 = :owner_id"
).columns(**_MATCH_COLUMNS)


def _best_first(c: Any) -> tuple[sa.UnaryExpression[Any], ...]:
    """Higher scores first, then the newest (the id settles the rest)."""
    return (c.score.desc(), c.occurred_at.desc(), c.said_id.desc())


def _found(matches: sa.TextClause) -> sa.Select[Any]:
    """The best matches (a page of them), with each item's kind, time, title and texts."""
    m = matches.subquery("matches")
    top = (
        sa.select(m)
        .order_by(*_best_first(m.c))
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
        .subquery("top")
    )
    columns: list[Any] = [top.c.score]
    joined: Any = top
    for item, source in SOURCES.items():
        t = source.table.alias(item)
        joined = joined.outerjoin(t, t.c.id == top.c[f"{item}_id"])
        columns += [
            t.c.id.label(f"{item}_id"),
            (t.c[source.kind] if source.kind else sa.null()).label(f"{item}_kind"),
            t.c[source.when].label(f"{item}_when"),
            (t.c[source.subject] if source.subject else sa.null()).label(f"{item}_title"),
            *(t.c[n].label(f"{item}_{n}") for n in source.notes),
        ]
    return sa.select(*columns).select_from(joined).order_by(*_best_first(top.c))


# Built once per engine: a search only binds its values.
_FOUND = {"sqlite": _found(_SQLITE_MATCHES), "postgresql": _found(_PG_MATCHES)}


def match_expression(tokens: Sequence[str], dialect: str) -> str:
    """The full-text query for these folded words: every one, longer ones as prefixes."""
    if dialect == "sqlite":
        return " ".join(f'"{t}"*' if is_prefix(t) else f'"{t}"' for t in tokens)
    return " & ".join(f"'{t}':*" if is_prefix(t) else f"'{t}'" for t in tokens)


def find(
    session: Session, *, owner_id: int, tokens: Sequence[str], limit: int = 10, offset: int = 0
) -> list[SaidRow]:
    """The owner's items where every word was said (folded words, see `text.query_tokens`), best
    first: a subject hit above notes, more hits above fewer, then the newest. One query."""
    if not tokens:
        return []
    dialect = session.get_bind().dialect.name
    params = {
        "match": match_expression(tokens, dialect),
        "owner_id": owner_id,
        "limit": limit,
        "offset": offset,
    }
    return [_said_row(row._mapping) for row in session.execute(_FOUND[dialect], params)]


def _said_row(row: Any) -> SaidRow:
    for item, source in SOURCES.items():
        item_id = row[f"{item}_id"]
        if item_id is None:
            continue
        notes = tuple(text for n in source.notes if (text := row[f"{item}_{n}"]))
        when = row[f"{item}_when"]
        return SaidRow(item, item_id, row[f"{item}_kind"], when, row[f"{item}_title"], notes, row["score"])
    raise LookupError("a said_search row names no item")  # the check constraint forbids it


def _people_of(item: str, item_id: sa.ColumnElement[int], person_id: sa.ColumnElement[int]) -> sa.Select[Any]:
    """The people of one kind of item, by the item ids bound under the item's name."""
    # The owner written so no index serves it (`+ 0`): SQLite would otherwise read every person of
    # the owner by the owner index, instead of the few the item ids name.
    p = _person.c
    return sa.select(
        sa.literal(item).label("item"),
        item_id.label("item_id"),
        p.id,
        p.display_name,
        p.archived,
        p.sort_name,
    ).where(p.id == person_id, (p.owner_id + 0) == sa.bindparam("owner_id"))


_participant = InteractionParticipant.__table__.c
_attendee = EventAttendee.__table__.c
_intro = Introduction.__table__.c
_opportunity = Opportunity.__table__.c
_PEOPLE = sa.union_all(
    _people_of("interaction", _participant.interaction_id, _participant.person_id).where(
        _participant.interaction_id.in_(sa.bindparam("interaction", expanding=True))
    ),
    _people_of("event", _attendee.event_id, _attendee.person_id).where(
        _attendee.event_id.in_(sa.bindparam("event", expanding=True))
    ),
    _people_of("introduction", _intro.id, _intro.person_a_id).where(
        _intro.id.in_(sa.bindparam("introduction", expanding=True))
    ),
    _people_of("introduction", _intro.id, _intro.person_b_id).where(
        _intro.id.in_(sa.bindparam("introduction", expanding=True))
    ),
    _people_of("opportunity", _opportunity.id, _opportunity.person_id).where(
        _opportunity.id.in_(sa.bindparam("opportunity", expanding=True))
    ),
)
_PEOPLE_SORTED = sa.select(_PEOPLE.subquery("who")).order_by(
    sa.text("item"), sa.text("item_id"), sa.text("sort_name")
)


def people(
    session: Session, *, owner_id: int, found: Sequence[SaidRow]
) -> dict[tuple[str, int], list[SaidPerson]]:
    """Who was there, for each match, by name: (item, id) -> people. One query."""
    if not found:
        return {}
    params: dict[str, Any] = {item: [] for item in SAID_ITEMS}
    for row in found:
        params[row.item].append(row.id)
    out: dict[tuple[str, int], list[SaidPerson]] = {}
    for item, item_id, person_id, name, archived, _ in session.execute(
        _PEOPLE_SORTED, {**params, "owner_id": owner_id}
    ):
        out.setdefault((item, item_id), []).append(SaidPerson(person_id, name, bool(archived)))
    return out
