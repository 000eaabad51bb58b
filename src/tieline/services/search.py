"""Search: the people a query names, and what was said where its words were written ("who did I talk
to about kayaking?"): interactions, events, introductions and opportunities, each with a snippet,
when it happened and who was there.

Archived people are left out as people search leaves them out: from the people shown with a match,
and a match is left out when everyone it had is archived. The CLI, the People page and the API call
`search` (or `said`); keeping the index in step is `repo.said.refresh`, called where items change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tieline.repo import said as said_repo
from tieline.repo.said import SaidPerson, SaidRow
from tieline.services import people as people_service
from tieline.services.people import PersonSummary
from tieline.services.search_snippets import Snippet, snippet
from tieline.text import query_tokens

SAID_LIMIT = 10  # matches of what was said shown beside the people found


@dataclass(frozen=True)
class SaidMatch:
    """Something said where the words were: the item (interaction, event, introduction or opportunity),
    its id and own kind (coffee, conference, job), when, its title, a snippet with the hits marked,
    who was there and the score (higher is better)."""

    item: str
    id: int
    kind: str | None
    at: datetime | date
    title: str | None
    snippet: Snippet
    people: list[SaidPerson]
    score: float


@dataclass(frozen=True)
class SearchResults:
    """The people found (each with a score), then what was said."""

    people: list[tuple[PersonSummary, float]]
    said: list[SaidMatch]


def search(
    session: Session, *, owner_id: int, query: str, limit: int = 20, said_limit: int = SAID_LIMIT
) -> SearchResults:
    """People matching the query and where its words were said, each best first."""
    return SearchResults(
        people=people_service.search(session, owner_id=owner_id, query=query, limit=limit),
        said=said(session, owner_id=owner_id, query=query, limit=said_limit),
    )


def said(
    session: Session, *, owner_id: int, query: str, limit: int = SAID_LIMIT, include_archived: bool = False
) -> list[SaidMatch]:
    """Where every word of the query was said, best first, with a snippet and who was there.

    Usually two queries; another page is read only when archived people hid some matches.
    """
    tokens = query_tokens(query)
    out: list[SaidMatch] = []
    offset = 0
    while tokens and len(out) < limit:
        found = said_repo.find(session, owner_id=owner_id, tokens=tokens, limit=limit, offset=offset)
        who = said_repo.people(session, owner_id=owner_id, found=found)
        for row in found:
            everyone = who.get((row.item, row.id), [])
            shown = everyone if include_archived else [p for p in everyone if not p.archived]
            if everyone and not shown:
                continue
            out.append(_match(row, shown, tokens))
            if len(out) == limit:
                break
        if len(found) < limit:
            break
        offset += limit
    return out


def _match(row: SaidRow, people: list[SaidPerson], tokens: list[str]) -> SaidMatch:
    texts = (row.title, *row.notes)
    return SaidMatch(row.item, row.id, row.kind, row.at, row.title, snippet(texts, tokens), people, row.score)
