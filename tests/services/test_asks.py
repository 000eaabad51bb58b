"""Planned asks and "give before you ask" proposals (tieline.services.asks)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import asks as asks_service
from tieline.services import favours as favours_service
from tieline.services import milestones as milestones_service
from tieline.services import people as people_service

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def favour(session: Session, person: Person, direction: str) -> None:
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=person, direction=direction, kind="advice", when=NOW, now=NOW
    )


def plan(session: Session, person: Person, text: str = "a reference") -> asks_service.AskPlan:
    return asks_service.plan_ask(session, owner_id=LOCAL_OWNER_ID, person=person, text=text, day=DAY)


@pytest.mark.parametrize(
    ("need", "offer", "match"),
    [
        ("machine learning", "Machine Learning", True),
        ("Café culture", "cafe culture", True),  # accents and case fold away
        ("machine-learning", "machine learning", True),
        ("python", "Python programming", True),
        ("fundraising for startups", "fundraising", True),
        ("java", "javascript", False),  # whole words only
        ("ml", "machine learning", False),
        ("", "anything", False),
    ],
)
def test_topics_match_on_folded_whole_words(need: str, offer: str, match: bool) -> None:
    assert asks_service.topics_match(need, offer) is match


def test_no_proposals_when_you_do_not_owe_them(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", lists={"interests": ["jazz"]})
    favour(session, ana, "received")
    favour(session, ana, "given")
    result = plan(session, ana)
    assert (result.ask.status, result.ask.text, result.balance.balance) == ("planned", "a reference", 0)
    assert result.proposals == []


def test_proposals_to_give_first_when_you_owe_them(session: Session, add_person: AddPerson) -> None:
    ana = add_person(
        "Ana Lima",
        birthday="03-20",
        lists={"needs": ["Machine Learning", "a designer"], "interests": ["jazz", "climbing"]},
    )
    # Names sort the weaker tie first, so only strength can put the stronger one ahead.
    weak = add_person("Alex Weak", lists={"expertise": ["machine learning"]})
    strong = add_person("Zoe Strong", closeness=5, lists={"expertise": ["machine-learning"]})
    gone = add_person("Archived Expert", closeness=5, lists={"expertise": ["Machine Learning"]})
    people_service.archive_person(gone)
    add_person("Unrelated", lists={"expertise": ["tax law"]})
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="promotion", occurred_on=date(2026, 3, 8)
    )
    favour(session, ana, "received")
    session.flush()
    assert weak.id != strong.id
    result = plan(session, ana)
    assert result.balance.owe_them
    assert [(p.kind, p.text, p.person_id) for p in result.proposals] == [
        ("congratulate", "congratulate them on the promotion (on 2026-03-08, 2 days ago)", None),
        ("congratulate", "congratulate them on their birthday (on 2026-03-20, in 10 days)", None),
        (
            "introduce",
            "introduce them to Zoe Strong (expertise: machine-learning) for their need: Machine Learning",
            strong.id,
        ),
        ("share", "share something on jazz", None),
        ("share", "share something on climbing", None),
    ]


def test_nobody_is_introduced_to_themself(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", lists={"needs": ["python"], "expertise": ["python"]})
    favour(session, ana, "received")
    assert plan(session, ana).proposals == []


def test_an_ask_can_be_asked_or_dropped(session: Session, add_person: AddPerson) -> None:
    ask = plan(session, add_person("Ana")).ask
    found = asks_service.get(session, owner_id=LOCAL_OWNER_ID, ask_id=ask.id)
    assert asks_service.set_status(found, "asked").status == "asked"
    assert asks_service.set_status(found, "dropped").status == "dropped"
    with pytest.raises(InvalidInput):
        asks_service.set_status(found, "forgotten")
    with pytest.raises(NotFound):
        asks_service.get(session, owner_id=LOCAL_OWNER_ID, ask_id=ask.id + 1)


def test_an_empty_ask_is_refused(session: Session, add_person: AddPerson) -> None:
    with pytest.raises(InvalidInput, match="cannot be empty"):
        plan(session, add_person("Ana"), "  ")
