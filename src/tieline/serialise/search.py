"""The shape of a search: the people found, and what was said where the words were written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing_extensions import TypedDict

from tieline.serialise.people import SearchHitOut, search_hit
from tieline.serialise.values import iso

if TYPE_CHECKING:
    from tieline.services.search import SaidMatch, SearchResults


class SaidPersonOut(TypedDict):
    """Someone who was there (or whom the item is about)."""

    id: int
    name: str


class SnippetPartOut(TypedDict):
    """A stretch of a snippet; `hit` when it is a word searched for."""

    text: str
    hit: bool


class SaidMatchOut(TypedDict):
    """Something said where the words were: an interaction, event, introduction or opportunity."""

    item: str
    id: int
    kind: str | None
    when: str | None
    title: str | None
    snippet: list[SnippetPartOut]
    people: list[SaidPersonOut]
    score: float


class SearchOut(TypedDict):
    """People matching the words, then what was said with them, each best first."""

    people: list[SearchHitOut]
    said: list[SaidMatchOut]


def said_match(match: SaidMatch) -> SaidMatchOut:
    """A match of what was said, its snippet in parts (hits marked) and who was there."""
    return {
        "item": match.item,
        "id": match.id,
        "kind": match.kind,
        "when": iso(match.at),
        "title": match.title,
        "snippet": [{"text": text, "hit": hit} for text, hit in match.snippet.parts],
        "people": [{"id": p.id, "name": p.name} for p in match.people],
        "score": match.score,
    }


def search_results(results: SearchResults) -> SearchOut:
    """Both lists of a search."""
    return {
        "people": [search_hit(person, score) for person, score in results.people],
        "said": [said_match(m) for m in results.said],
    }
