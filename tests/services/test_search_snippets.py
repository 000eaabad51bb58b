"""Snippets of what was said (tieline.services.search_snippets): the words searched for marked, as
written, in a stretch of text cut between words."""

from __future__ import annotations

from tieline.services.search_snippets import ELLIPSIS, WIDTH, snippet
from tieline.text import query_tokens


def parts(texts: list[str | None], query: str, **kw: int) -> tuple[tuple[str, bool], ...]:
    return snippet(texts, query_tokens(query), **kw).parts


def test_the_hits_are_marked_as_written_accents_and_case_kept() -> None:
    assert parts(["Went Kayák-ing with Bo; KAYAKING again soon"], "kayak") == (
        ("Went ", False),
        ("Kayák", True),
        ("-ing with Bo; ", False),
        ("KAYAKING", True),
        (" again soon", False),
    )


def test_a_decomposed_accent_stays_inside_its_word() -> None:
    decomposed = "Re\u0301union de\u0301but"  # "Réunion début" typed with combining accents
    assert snippet([decomposed], query_tokens("reunion")).hits == ["Re\u0301union"]


def test_a_short_word_is_marked_only_whole_a_longer_one_as_a_beginning() -> None:
    assert snippet(["AI aims and aid"], ["ai"]).hits == ["AI"]
    assert snippet(["AI aims and aid"], ["aim"]).hits == ["aims"]


def test_subject_and_notes_read_as_one_line() -> None:
    shown = snippet(["Chess", "Rematch on\nFriday"], ["chess"])
    assert shown.text == "Chess — Rematch on Friday"
    assert shown.hits == ["Chess"]


def test_long_notes_are_cut_around_the_hits_between_words() -> None:
    before = " ".join(f"word{n}" for n in range(60))
    after = " ".join(f"more{n}" for n in range(60))
    shown = snippet([f"{before} we talked about kayaking a lot {after}"], ["kayaking"])
    assert shown.hits == ["kayaking"]
    assert shown.text.startswith(ELLIPSIS) and shown.text.endswith(ELLIPSIS)
    assert len(shown.text) <= WIDTH + 2
    inner = shown.text.strip(ELLIPSIS)
    assert inner.split()[0] in before.split() and inner.split()[-1] in after.split()  # whole words


def test_the_stretch_with_the_most_hits_is_shown() -> None:
    filler = " ".join(["blah"] * 80)
    text = f"chess once {filler} chess and chess and chess together {filler}"
    shown = snippet([text], ["chess"], width=60)
    assert len(shown.hits) == 3


def test_text_that_is_not_a_hit_is_never_marked_even_markup() -> None:
    shown = snippet(["<script>alert('kayak')</script> kayak"], ["kayak"])
    assert shown.hits == ["kayak", "kayak"]
    assert [text for text, hit in shown.parts if not hit] == ["<script>alert('", "')</script> "]


def test_no_hit_shows_the_beginning() -> None:
    assert snippet(["nothing to see " * 30], ["kayak"], width=40).text.startswith("nothing to see")
