"""Floors: the hand-written SQL that fetches what a service returns, on a raw driver connection
(people search, what was said, the person page).

A service should cost little more than its floor; what it costs beyond is ORM and Python overhead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import psycopg

from tieline.repo.said import PG_DOCUMENT as _PG_SAID_DOCUMENT
from tieline.repo.said import SQLITE_WEIGHTS as _SAID_WEIGHTS
from tieline.repo.said import match_expression
from tieline.repo.search import SQLITE_WEIGHTS
from tieline.text import fold, query_tokens

OWNER = 1

# Search gives the owner's live people matching the words, best first, with what a result shows:
# name, role, tier, last contact, emails and tags.
_PEOPLE = "p.id, p.display_name, p.title, p.company, p.tier, p.archived, p.last_contact_at"
_SQLITE_SEARCH = (
    f"SELECT {_PEOPLE}, m.rank FROM (SELECT rowid, bm25(person_fts, {', '.join(map(str, SQLITE_WEIGHTS))}) "
    "AS rank FROM person_fts WHERE person_fts MATCH ?) m JOIN person p ON p.id = m.rowid "
    "WHERE p.owner_id = 1 AND NOT p.archived ORDER BY m.rank, p.sort_name LIMIT 20"
)
_PG_DOCUMENT = (
    "setweight(to_tsvector('simple', names), 'A') || setweight(to_tsvector('simple', handles), 'B') || "
    "setweight(to_tsvector('simple', work), 'B') || setweight(to_tsvector('simple', topics), 'C') || "
    "setweight(to_tsvector('simple', notes), 'D')"
)
_PG_SEARCH = (
    f"SELECT {_PEOPLE}, m.rank FROM (SELECT person_id, ts_rank(({_PG_DOCUMENT}), q) AS rank "
    f"FROM person_search, to_tsquery('simple', %s) q WHERE ({_PG_DOCUMENT}) @@ q AND owner_id = 1) m "
    "JOIN person p ON p.id = m.person_id WHERE p.owner_id = 1 AND NOT p.archived "
    "ORDER BY m.rank DESC, p.sort_name LIMIT 20"
)
_SEARCH_LISTS = (
    "SELECT person_id, address FROM person_email WHERE person_id IN ({ids}) ORDER BY position",
    "SELECT person_id, tag FROM person_tag WHERE person_id IN ({ids}) ORDER BY tag",
)
# Searching what was said gives the owner's ten best matches (a subject hit first, then more hits,
# then the newest) with what a match shows: the item's kind, time, title and texts, then who was there.
_SAID_KEYS = "s.id, s.interaction_id, s.event_id, s.introduction_id, s.opportunity_id, s.occurred_at"
_SAID_SHOWN = (
    "SELECT m.*, i.kind, i.occurred_at, i.subject, i.notes, e.kind, e.starts_on, e.name, e.notes, e.goals, "
    "n.created_at, n.why, n.outcome, o.kind, o.spotted_on, o.title, o.notes FROM ({matches} "
    "ORDER BY rank DESC, s.occurred_at DESC, s.id DESC LIMIT 10) m "
    "LEFT JOIN interaction i ON i.id = m.interaction_id LEFT JOIN event e ON e.id = m.event_id "
    "LEFT JOIN introduction n ON n.id = m.introduction_id LEFT JOIN opportunity o ON o.id = m.opportunity_id "
    "ORDER BY m.rank DESC, m.occurred_at DESC, m.id DESC"
)
_SQLITE_SAID = _SAID_SHOWN.format(
    matches=f"SELECT {_SAID_KEYS}, -bm25(said_fts, {', '.join(map(str, _SAID_WEIGHTS))}) AS rank "
    "FROM said_fts JOIN said_search s ON s.id = said_fts.rowid WHERE said_fts MATCH ? AND s.owner_id = 1"
)
_PG_SAID = _SAID_SHOWN.format(
    matches=f"SELECT {_SAID_KEYS}, ts_rank(({_PG_SAID_DOCUMENT}), q) AS rank FROM said_search s, "
    f"to_tsquery('simple', %s) q WHERE ({_PG_SAID_DOCUMENT}) @@ q AND s.owner_id = 1"
)
_SAID_PEOPLE = {
    1: "SELECT ip.interaction_id, p.id, p.display_name, p.archived FROM interaction_participant ip "
    "JOIN person p ON p.id = ip.person_id WHERE ip.interaction_id IN ({ids}) ORDER BY ip.interaction_id, p.sort_name",
    2: "SELECT a.event_id, p.id, p.display_name, p.archived FROM event_attendee a "
    "JOIN person p ON p.id = a.person_id WHERE a.event_id IN ({ids}) ORDER BY a.event_id, p.sort_name",
    3: "SELECT n.id, p.id, p.display_name, p.archived FROM introduction n "
    "JOIN person p ON p.id IN (n.person_a_id, n.person_b_id) WHERE n.id IN ({ids}) ORDER BY n.id, p.sort_name",
    4: "SELECT o.id, p.id, p.display_name, p.archived FROM opportunity o "
    "JOIN person p ON p.id = o.person_id WHERE o.id IN ({ids}) ORDER BY o.id, p.sort_name",
}

# The person page: the person, their many-valued fields, memberships, tie, the owner's settings
# (the strength and cadence shown are computed with them), the latest 50 interactions with who
# else was there, and how many interactions there are in all.
_SHOW = {
    "by_name": "SELECT * FROM person WHERE owner_id = {p} AND sort_name = {p}",
    "by_id": "SELECT * FROM person WHERE owner_id = {p} AND id = {p}",
    "emails": "SELECT * FROM person_email WHERE person_id = {p} ORDER BY position",
    "phones": "SELECT * FROM person_phone WHERE person_id = {p} ORDER BY position",
    "links": "SELECT * FROM person_link WHERE person_id = {p} ORDER BY position",
    "tags": "SELECT * FROM person_tag WHERE person_id = {p} ORDER BY tag",
    "topics": "SELECT * FROM person_topic WHERE person_id = {p} ORDER BY position",
    "tie": "SELECT * FROM tie WHERE person_id = {p}",
    "settings": "SELECT key, value FROM setting WHERE owner_id = {p}",
    "memberships": (
        "SELECT m.*, o.* FROM membership m JOIN organisation o ON o.id = m.organisation_id "
        "WHERE m.owner_id = {p} AND m.person_id = {p} "
        "ORDER BY m.end_date IS NOT NULL, m.start_date DESC, m.id DESC"
    ),
    "recent": (
        "SELECT i.* FROM interaction_participant ip JOIN interaction i ON i.id = ip.interaction_id "
        "WHERE ip.person_id = {p} ORDER BY ip.occurred_at DESC, ip.interaction_id DESC LIMIT 50"
    ),
    "others": (
        "SELECT ip.interaction_id, x.display_name FROM interaction_participant ip "
        "JOIN person x ON x.id = ip.person_id WHERE ip.interaction_id IN ({ids}) AND ip.person_id <> {p}"
    ),
    "count": "SELECT count(*) FROM interaction_participant WHERE person_id = {p}",
}


class Floor:
    """Raw-driver versions of search and the person page for one database."""

    def __init__(
        self, conn: Any, mark: str, search_sql: str, match: Any, said_sql: str, dialect: str
    ) -> None:
        self.conn, self.mark, self.search_sql, self.match = conn, mark, search_sql, match
        self.said_sql, self.dialect = said_sql, dialect
        self.sql = {k: v.replace("{p}", mark) for k, v in _SHOW.items()}

    def search(self, query: str) -> list[Any]:
        """The full-text query joined to the people it finds, then their emails and tags."""
        tokens = query_tokens(query)
        if not tokens:
            return []
        found = self._all(self.search_sql, (self.match(tokens),))
        if found:
            ids = [row[0] for row in found]
            marks = ", ".join(self.mark for _ in ids)
            for sql in _SEARCH_LISTS:
                found += self._all(sql.replace("{ids}", marks), tuple(ids))
        return found

    def said(self, query: str) -> list[Any]:
        """The best matches of what was said, then who was there (one query per kind of item found)."""
        tokens = query_tokens(query)
        if not tokens:
            return []
        matches = self._all(self.said_sql, (match_expression(tokens, self.dialect),))
        found = list(matches)
        for column, sql in _SAID_PEOPLE.items():
            ids = [row[column] for row in matches if row[column] is not None]
            if ids:
                found += self._all(sql.replace("{ids}", ", ".join(self.mark for _ in ids)), tuple(ids))
        return found

    def show(self, text: str) -> int:
        """Every row the person page shows; returns how many rows came back."""
        if text.startswith("#"):
            person = self._all(self.sql["by_id"], (OWNER, int(text[1:])))[0]
        else:
            person = self._all(self.sql["by_name"], (OWNER, fold(text)))[0]
        pid = person[0]
        rows = [
            self._all(self.sql[k], (pid,)) for k in ("emails", "phones", "links", "tags", "topics", "tie")
        ]
        rows.append(self._all(self.sql["memberships"], (OWNER, pid)))
        rows.append(self._all(self.sql["settings"], (OWNER,)))
        recent = self._all(self.sql["recent"], (pid,))
        ids = [r[0] for r in recent]
        if ids:
            others = self.sql["others"].replace("{ids}", ", ".join(self.mark for _ in ids))
            rows.append(self._all(others, (*ids, pid)))
        rows.append(self._all(self.sql["count"], (pid,)))
        return sum(len(r) for r in rows) + len(recent) + 1

    def _all(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        cur = self.conn.execute(sql, params)
        return list(cur.fetchall())

    def close(self) -> None:
        """Close the raw connection."""
        self.conn.close()


def _sqlite_match(tokens: list[str]) -> str:
    return " ".join(f'"{t}"*' for t in tokens)


def _pg_match(tokens: list[str]) -> str:
    return " & ".join(f"'{t}':*" for t in tokens)


def sqlite_floor(path: str) -> Floor:
    """Floors on a raw sqlite3 connection to the database file."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA cache_size=-65536")  # what tieline's own connections use
    return Floor(conn, "?", _SQLITE_SEARCH, _sqlite_match, _SQLITE_SAID, "sqlite")


def postgres_floor(url: str) -> Floor:
    """Floors on a raw psycopg connection (autocommit, so reads take no locks between queries)."""
    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    return Floor(conn, "%s", _PG_SEARCH, _pg_match, _PG_SAID, "postgresql")
