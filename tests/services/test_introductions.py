"""Double opt-in introductions (tieline.services.introductions): states, refusals, what "made" records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Introduction, Person
from tieline.repo import interactions as interactions_repo
from tieline.services import favours as favours_service
from tieline.services import introductions as intros
from tieline.services import knows as knows_service

AddPerson = Callable[..., Person]
OWNER = LOCAL_OWNER_ID


@pytest.fixture
def pair(add_person: AddPerson) -> tuple[Person, Person]:
    return add_person("Ana Lima"), add_person("Bo Chen")


def propose(
    session: Session, a: Person, b: Person, now: datetime, why: str = "both into data"
) -> Introduction:
    return intros.propose(session, owner_id=OWNER, a=a, b=b, why=why, now=now)


def test_an_introduction_goes_proposed_asked_a_asked_b_made(
    session: Session, pair: tuple[Person, Person], now: datetime
) -> None:
    a, b = pair
    intro = propose(session, a, b, now)
    assert (intro.state, intro.created_at) == ("proposed", now)
    intros.ask_a(session, intro, now=now + timedelta(days=1))
    assert (intro.state, intro.asked_a_at) == ("asked_a", now + timedelta(days=1))
    intros.ask_b(session, intro, now=now + timedelta(days=2))
    assert (intro.state, intro.asked_b_at) == ("asked_b", now + timedelta(days=2))
    intros.make(session, owner_id=OWNER, intro=intro, now=now + timedelta(days=3))
    assert (intro.state, intro.made_at) == ("made", now + timedelta(days=3))
    assert intros.next_step(
        intro, "Ana", "Bo"
    ) == "ask how it went, then `tieline intro outcome 1 TEXT`".replace("1", str(intro.id))
    intros.record_outcome(session, intro, " they hired her ", now=now + timedelta(days=40))
    assert (intro.outcome, intro.outcome_at) == ("they hired her", now + timedelta(days=40))
    assert intros.next_step(intro, "Ana", "Bo") is None


def test_making_it_gives_a_favour_to_both_links_them_and_logs_the_email(
    session: Session, pair: tuple[Person, Person], now: datetime
) -> None:
    a, b = pair
    intro = propose(session, a, b, now)
    intros.ask_a(session, intro, now=now)
    intros.ask_b(session, intro, now=now)
    intros.make(session, owner_id=OWNER, intro=intro, now=now)
    for person, other in ((a, b), (b, a)):
        [favour] = favours_service.entries(session, owner_id=OWNER, person=person)
        assert (favour.direction, favour.kind, favour.text) == (
            "given",
            "introduction",
            f"introduced to {other.display_name}",
        )
    [link] = knows_service.known_by(session, owner_id=OWNER, person=a)
    assert (link.other.id, link.knows.source, link.knows.note) == (b.id, "introduction", "both into data")
    [entry] = interactions_repo.timeline(session, owner_id=OWNER, person_id=a.id)
    assert (entry.interaction.kind, entry.interaction.initiated_by, entry.others) == (
        "email",
        "me",
        ["Bo Chen"],
    )
    assert entry.interaction.subject == "Introduction: Ana Lima and Bo Chen"
    assert a.last_contact_at == now and b.last_contact_at == now


def test_illegal_moves_say_what_to_do_next(
    session: Session, pair: tuple[Person, Person], now: datetime
) -> None:
    a, b = pair
    intro = propose(session, a, b, now)
    with pytest.raises(
        InvalidInput, match=r"cannot mark introduction #\d+ as made: it is proposed \(next: ask Ana"
    ):
        intros.make(session, owner_id=OWNER, intro=intro, now=now)
    with pytest.raises(InvalidInput, match="as asked B: it is proposed"):
        intros.ask_b(session, intro, now=now)
    with pytest.raises(InvalidInput, match="log an outcome"):
        intros.record_outcome(session, intro, "great", now=now)
    intros.ask_a(session, intro, now=now)
    with pytest.raises(InvalidInput, match="as asked A: it is asked A"):
        intros.ask_a(session, intro, now=now)
    assert intro.state == "asked_a"


def test_refuses_self_introductions_empty_reasons_and_a_second_open_one_for_the_pair(
    session: Session, pair: tuple[Person, Person], now: datetime
) -> None:
    a, b = pair
    with pytest.raises(InvalidInput, match="cannot introduce Ana Lima to themselves"):
        propose(session, a, a, now)
    with pytest.raises(InvalidInput, match="--why"):
        propose(session, a, b, now, why="  ")
    first = propose(session, a, b, now)
    with pytest.raises(
        InvalidInput, match=f"introduction #{first.id} of Bo Chen and Ana Lima is already proposed"
    ):
        propose(session, b, a, now)
    intros.decline(session, owner_id=OWNER, intro=first, by=None, now=now)
    assert propose(session, b, a, now).id != first.id


def test_only_someone_who_was_asked_can_decline(
    session: Session, pair: tuple[Person, Person], now: datetime
) -> None:
    a, b = pair
    intro = propose(session, a, b, now)
    intros.ask_a(session, intro, now=now)
    with pytest.raises(InvalidInput, match="Bo Chen has not been asked yet"):
        intros.decline(session, owner_id=OWNER, intro=intro, by="b", now=now)
    intros.decline(session, owner_id=OWNER, intro=intro, by="Ana", now=now)
    assert (intro.state, intro.declined_by, intro.declined_at) == ("declined", a.id, now)
    with pytest.raises(InvalidInput, match=r"cannot decline introduction #\d+: it is declined"):
        intros.decline(session, owner_id=OWNER, intro=intro, by=None, now=now)
    with pytest.raises(InvalidInput, match="there is no message to draft"):
        intros.step_item(intro.id, intro.state, a=(a.id, "Ana"), b=(b.id, "Bo"))


def test_decline_by_someone_else_is_refused(
    session: Session, pair: tuple[Person, Person], add_person: AddPerson, now: datetime
) -> None:
    a, b = pair
    add_person("Cy Dee")
    intro = propose(session, a, b, now)
    intros.ask_a(session, intro, now=now)
    with pytest.raises(InvalidInput, match="Cy Dee is neither Ana Lima \\(A\\) nor Bo Chen \\(B\\)"):
        intros.decline(session, owner_id=OWNER, intro=intro, by="Cy", now=now)


def test_an_unknown_number_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no introduction #99"):
        intros.get(session, owner_id=OWNER, introduction_id=99)
    # Past the largest id a column holds (PostgreSQL would refuse the query itself).
    with pytest.raises(NotFound, match=f"no introduction #{2**31}"):
        intros.get(session, owner_id=OWNER, introduction_id=2**31)
