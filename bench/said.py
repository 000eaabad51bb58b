"""Searching what was said at `large`: what people type to find a conversation, the service that
answers (`services.search.said`: the matches, their people and snippets), and its figures."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, Interaction
from tieline.services import demo
from tieline.services import demo_names as names
from tieline.services import search as search_service
from tieline.text import fold, query_tokens

# The frame the demo writes notes in ("Talked about {topic}."): words people seldom look for.
FRAME = set(query_tokens(" ".join((*names.INTERACTION_NOTES, *demo.SUBJECTS, *demo.MEETINGS, "re"))))
FUNCTION_WORDS = set(
    query_tokens("a an and at by for from in of on or the to with we our my me you they them")
)


def said_queries(db: Database, *, count: int = 200, seed: int = 11) -> list[str]:
    """Words from what was written, as someone recalls them: mostly a topic, hobby, event, place or
    company mentioned (one word, or two from the same note), sometimes a word of the note's frame
    (referral, article), accents and capitals as typed, or the start of a word."""
    rng = random.Random(seed)
    with db.sessions() as session:
        top = session.scalar(sa.select(sa.func.max(Interaction.id))) or 0
        texts: list[str] = []
        while len(texts) < count * 3:
            ids = [rng.randint(1, top) for _ in range(500)]
            stmt = sa.select(Interaction.subject, Interaction.notes).where(
                Interaction.id.in_(ids),
                sa.or_(Interaction.subject.is_not(None), Interaction.notes.is_not(None)),
            )
            texts += [" ".join(t for t in row if t) for row in session.execute(stmt)]
    rng.shuffle(texts)
    queries: list[str] = []
    for text in texts:
        words = [w for w in query_tokens(text) if len(w) > 2 and w not in FUNCTION_WORDS and not w.isdigit()]
        said = [w for w in words if w not in FRAME]
        frame = [w for w in words if w in FRAME and len(w) > 5]
        roll = rng.random()
        if roll < 0.15 and frame:
            queries.append(rng.choice(frame))
        elif roll < 0.30 and len(said) > 1:
            queries.append(" ".join(rng.sample(said, 2)))
        elif roll < 0.40 and said:
            queries.append(rng.choice(said)[: rng.randint(4, 6)])
        elif said:
            word = _as_typed(text, rng.choice(said))
            queries.append(word.upper() if rng.random() < 0.1 else word)
        if len(queries) == count:
            break
    return queries


def _as_typed(text: str, token: str) -> str:
    """The word as the note wrote it (with its accents and capitals), else the folded token."""
    for word in text.split():
        if fold(word).strip(".,;:!?()") == token:
            return word.strip(".,;:!?()")
    return token


def said_service(db: Database) -> Callable[[str], Any]:
    """`tieline search`'s said part: the matches with their people and snippets."""

    def run(query: str) -> Any:
        with db.sessions() as session:
            return search_service.said(session, owner_id=LOCAL_OWNER_ID, query=query)

    return run
