"""Looking back over a span (tieline.repo.review): interactions, people contacted, people added."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Interaction, Person
from tieline.repo import review

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]
OWNER = LOCAL_OWNER_ID


def test_interactions_are_newest_first_with_everyone_who_took_part(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    log("meeting", [bo, ana], when=now - timedelta(days=2))
    log("call", [ana], when=now - timedelta(days=1))
    log("email", [bo], when=now - timedelta(days=30))

    rows = review.interactions(session, owner_id=OWNER, start=now - timedelta(days=7), end=now)

    assert [(r.interaction.kind, r.people) for r in rows] == [
        ("call", ["Ana Lima"]),
        ("meeting", ["Ana Lima", "Bo Chen"]),
    ]
    assert (
        len(review.interactions(session, owner_id=OWNER, start=now - timedelta(days=7), end=now, limit=1))
        == 1
    )


def test_people_contacted_most_first_with_the_total(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, bo, cy = add_person("Ana Lima"), add_person("Bo Chen"), add_person("Cy Dee")
    log("meeting", [bo, ana], when=now - timedelta(days=3))
    log("call", [bo], when=now - timedelta(days=1))
    log("call", [cy], when=now - timedelta(days=40))

    rows, total = review.people_contacted(
        session, owner_id=OWNER, start=now - timedelta(days=7), end=now, limit=1
    )

    assert total == 2
    assert [(r.name, r.interactions, r.last_at) for r in rows] == [("Bo Chen", 2, now - timedelta(days=1))]


def test_people_added_counts_by_creation_time(session: Session, add_person: AddPerson, now: datetime) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    ana.created_at = now - timedelta(days=2)
    bo.created_at = now - timedelta(days=20)
    session.flush()
    assert review.people_added(session, owner_id=OWNER, start=now - timedelta(days=7), end=now) == 1
