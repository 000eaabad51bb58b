"""Text folding (tieline.text): what makes search and name matching case- and accent-insensitive."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tieline.text import fold, query_tokens, search_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  José  Álvarez ", "jose alvarez"),
        ("ÉMILE ZOLA", "emile zola"),
        ("Straße", "strasse"),
        ("Dvořák", "dvorak"),
        ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("王小明", "王小明"),
        ("محمد علي", "محمد علي"),
        ("a\tb\nc", "a b c"),
    ],
)
def test_fold_lowercases_strips_accents_and_collapses_space(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_search_words_drops_punctuation() -> None:
    assert search_words("ana.lima@example.com") == "ana lima example com"
    assert search_words("O'Brien-Smith, Jr.") == "o brien smith jr"
    assert search_words("snake_case") == "snake case"


def test_search_words_splits_chinese_and_japanese_into_characters() -> None:
    assert search_words("王小明") == "王 小 明"
    assert search_words("田中さん") == "田 中 さ ん"


def test_search_words_keeps_arabic_words_whole() -> None:
    assert search_words("محمد علي") == "محمد علي"


def test_search_words_of_nothing_is_empty() -> None:
    assert search_words(None) == ""
    assert search_words("") == ""
    assert search_words("...!") == ""


def test_query_tokens_are_folded_words() -> None:
    assert query_tokens("  JOSÉ  álvarez!") == ["jose", "alvarez"]
    assert query_tokens("--") == []


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_search_words_is_idempotent(text: str) -> None:
    assert search_words(search_words(text)) == search_words(text)


@given(st.text())
def test_fold_leaves_no_combining_marks(text: str) -> None:
    folded = fold(text)
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", folded))


@given(st.text(alphabet=st.characters(codec="ascii", categories=("Lu", "Ll"))))
def test_accents_and_case_do_not_change_the_search_words(word: str) -> None:
    # Put an acute accent on every letter and flip the case: the indexed words must not change.
    accented = "".join(unicodedata.normalize("NFC", c + "\u0301") for c in word.swapcase())
    assert search_words(accented) == search_words(word)
