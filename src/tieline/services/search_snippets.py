"""Snippets: a stretch of what was written around the words searched for, the hits marked as parts
(never as markup in the text, so each edge escapes the text and marks the hits its own way)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from tieline.repo.said import is_prefix
from tieline.text import search_words

WIDTH = 180  # characters of text shown at most
LEAD = 40  # characters shown before the first hit of the stretch
ELLIPSIS = "…"
# A word as written: letters and digits, with any combining accents (a decomposed "á" stays one word).
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])+")
_SPACES = re.compile(r"\s+")


class Snippet(NamedTuple):
    """Text in parts, each with whether it is a word searched for."""

    parts: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        """The snippet as plain text."""
        return "".join(text for text, _ in self.parts)

    @property
    def hits(self) -> list[str]:
        """The words marked as hits."""
        return [text for text, hit in self.parts if hit]


def is_hit(word: str, tokens: Sequence[str]) -> bool:
    """Whether a written word is one searched for, folded as search folds it (longer query words
    also find the words they begin, as the full-text query does)."""
    for folded in search_words(word).split():
        for token in tokens:
            if folded == token or (is_prefix(token) and folded.startswith(token)):
                return True
    return False


def snippet(texts: Sequence[str | None], tokens: Sequence[str], *, width: int = WIDTH) -> Snippet:
    """The stretch of `texts` (a subject, then notes; joined by a dash) with the most hits, at most
    `width` characters, cut at spaces, "…" where it was cut."""
    text = _SPACES.sub(" ", " — ".join(t.strip() for t in texts if t and t.strip()))
    hits = [(m.start(), m.end()) for m in _WORD.finditer(text) if is_hit(m.group(), tokens)]
    start, end = _window(text, hits, width)
    parts: list[tuple[str, bool]] = [(ELLIPSIS if start > 0 else "", False)]
    at = start
    for hit_start, hit_end in hits:
        if hit_start < start or hit_end > end:
            continue
        parts += [(text[at:hit_start], False), (text[hit_start:hit_end], True)]
        at = hit_end
    parts += [(text[at:end], False), (ELLIPSIS if end < len(text) else "", False)]
    return Snippet(_merged(parts))


def _window(text: str, hits: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """Where the stretch starts and ends: around the densest run of hits, cut between words."""
    if len(text) <= width:
        return 0, len(text)
    first = 0
    if hits:
        # The hit that starts the window holding the most hits (of the first hundred: notes pasted
        # from a long mail could have thousands).
        some = hits[:100]
        first = max(
            some, key=lambda h: sum(1 for s, e in some if h[0] - LEAD <= s and e <= h[0] - LEAD + width)
        )[0]
    start = max(0, first - LEAD)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(start, first + 1), end)
        end = space if space != -1 else end
    return start, end


def _merged(parts: list[tuple[str, bool]]) -> tuple[tuple[str, bool], ...]:
    """Adjacent plain parts joined, empty ones dropped."""
    out: list[tuple[str, bool]] = []
    for text, hit in parts:
        if not text:
            continue
        if out and not hit and not out[-1][1]:
            out[-1] = (out[-1][0] + text, False)
        else:
            out.append((text, hit))
    return tuple(out)
