"""Text folding shared by search, name matching and de-duplication: case- and accent-insensitive."""

from __future__ import annotations

import re
import unicodedata

# Scripts written without spaces between words: each character becomes a word of its own, so a
# search for part of a Chinese, Japanese or Korean name finds it.
_UNSPACED = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse white space: "  José  Álvarez" -> "jose alvarez"."""
    if text.isascii():  # nothing to decompose: the same result, several times faster (bulk imports)
        return _SPACES.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()


def search_words(text: str | None) -> str:
    """The words of `text` as search indexes them: folded, punctuation removed, CJK split apart."""
    if not text:
        return ""
    words = _NOT_WORD.sub(" ", fold(text))
    words = _UNSPACED.sub(r" \1 ", words)
    return _SPACES.sub(" ", words).strip()


def query_tokens(query: str) -> list[str]:
    """The tokens of a search query, folded the same way as the indexed text."""
    return search_words(query).split()
