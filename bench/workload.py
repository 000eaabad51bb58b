"""What the benchmark asks for: realistic search queries and people to show, drawn from the network."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import sqlalchemy as sa

from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, InteractionParticipant, Person, PersonTag, PersonTopic
from tieline.text import fold

Row = sa.Row[tuple[int, str, str | None, str | None, str | None]]


def search_queries(db: Database, *, count: int = 200, seed: int = 7) -> list[str]:
    """A mix of what people type: whole and partial names, with and without accents, companies,
    tags, topics, and a name narrowed by an employer."""
    with db.sessions() as session:
        people = session.execute(
            sa.select(Person.id, Person.display_name, Person.given_name, Person.family_name, Person.company)
            .where(Person.owner_id == LOCAL_OWNER_ID)
            .order_by(Person.id)
        ).all()
        tags = sorted(session.scalars(sa.select(PersonTag.tag).distinct()))
        topics = sorted(session.scalars(sa.select(PersonTopic.value).distinct()))
    rng = random.Random(seed)
    accented = [p for p in people if fold(p.display_name) != p.display_name.lower()]
    makers: list[tuple[int, Callable[[], str]]] = [
        (40, lambda: rng.choice(people).display_name),
        (30, lambda: fold(rng.choice(accented).display_name)),
        (30, lambda: rng.choice(people).given_name or ""),
        (30, lambda: (rng.choice(people).family_name or "")[: rng.randint(3, 5)]),
        (25, lambda: _company(rng, people)),
        (20, lambda: rng.choice(tags)),
        (15, lambda: rng.choice(topics)),
        (10, lambda: _name_at_company(rng, people)),
    ]
    queries = [make() for share, make in makers for _ in range(share)]
    queries = [q for q in queries if q.strip()]
    rng.shuffle(queries)
    return queries[:count]


def _company(rng: random.Random, people: list[Row]) -> str:
    company = rng.choice([p.company for p in people if p.company])
    return company if rng.random() < 0.5 else company.split()[0]


def _name_at_company(rng: random.Random, people: list[Row]) -> str:
    person = rng.choice([p for p in people if p.company and p.given_name])
    return f"{fold(person.given_name or '')} {(person.company or '').split()[0].lower()}"


def show_targets(db: Database, *, count: int = 200, heavy: int = 50, seed: int = 7) -> list[str]:
    """How a user names people to show: the name when it is unique, else #id. A quarter are the
    most contacted people (thousands of interactions each), the rest drawn at random."""
    with db.sessions() as session:
        busiest = session.scalars(
            sa.select(InteractionParticipant.person_id)
            .group_by(InteractionParticipant.person_id)
            .order_by(sa.func.count().desc(), InteractionParticipant.person_id)
            .limit(heavy)
        ).all()
        people = session.execute(
            sa.select(Person.id, Person.display_name, Person.sort_name).where(
                Person.owner_id == LOCAL_OWNER_ID
            )
        ).all()
    names = Counter(p.sort_name for p in people)
    by_id = {p.id: p for p in people}
    rng = random.Random(seed)
    rest = sorted(set(by_id) - set(busiest))
    chosen = list(busiest) + rng.sample(rest, min(len(rest), count - len(busiest)))
    rng.shuffle(chosen)
    return [by_id[i].display_name if names[by_id[i].sort_name] == 1 else f"#{i}" for i in chosen]
