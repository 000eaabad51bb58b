"""Introductions worth making and people you should know (tieline.analytics.intros)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tests.analytics.helpers import AddPerson, knows, person
from tieline.analytics.intros import suggest_intros, suggest_people
from tieline.models import LOCAL_OWNER_ID, Introduction


def test_the_complementary_pair_comes_first_with_its_reasons(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    founder = person(
        session,
        add_person,
        "Fay Founder",
        70,
        lists={"needs": ["Fundraising"], "expertise": ["Product design"]},
    )
    investor = person(
        session,
        add_person,
        "Ivo Investor",
        70,
        lists={"expertise": ["fundraising"], "needs": ["product design"]},
    )
    person(session, add_person, "Olga Other", 70, lists={"expertise": ["Fundraising"]})
    person(session, add_person, "Nell Nothing", 90)
    found = suggest_intros(session, owner_id=LOCAL_OWNER_ID, now=now)
    first = found[0]
    assert {first.a_id, first.b_id} == {founder.id, investor.id}
    reasons = [r.lower() for r in first.reasons]
    assert "fay founder needs fundraising; ivo investor offers fundraising" in reasons
    assert "ivo investor needs product design; fay founder offers product design" in reasons
    assert first.complementarity > found[1].complementarity  # both ways beats one way
    assert all("Nell Nothing" not in (s.a_name, s.b_name) for s in found)


def test_people_who_already_know_each_other_or_were_introduced_are_not_suggested(
    session: Session, add_person: AddPerson, log, now: datetime
) -> None:
    a = person(session, add_person, "Ann Need", 60, lists={"needs": ["hiring"]})
    b = person(session, add_person, "Ben Offer", 60, lists={"expertise": ["hiring"]})
    c = person(session, add_person, "Cat Offer", 60, lists={"expertise": ["hiring"]})
    d = person(session, add_person, "Dan Offer", 60, lists={"expertise": ["hiring"]})
    knows(session, a, b)
    log("meeting", [a, c])
    session.add(Introduction(owner_id=LOCAL_OWNER_ID, person_a_id=a.id, person_b_id=d.id, why="x"))
    session.flush()
    assert suggest_intros(session, owner_id=LOCAL_OWNER_ID, now=now) == []


def test_pairs_whose_networks_overlap_rank_below_pairs_that_open_new_doors(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    need = person(session, add_person, "Nia Need", 60, lists={"needs": ["legal advice"]})
    near = person(session, add_person, "Ned Near", 60, lists={"expertise": ["legal advice"]})
    far = person(session, add_person, "Fae Far", 60, lists={"expertise": ["legal advice"]})
    friends = [person(session, add_person, f"Friend {i}", 10) for i in range(3)]
    for friend in friends:
        knows(session, need, friend)
        knows(session, near, friend)
    found = suggest_intros(session, owner_id=LOCAL_OWNER_ID, now=now)
    assert [s.b_id if s.a_id == need.id else s.a_id for s in found] == [far.id, near.id]
    assert found[0].novelty == 1.0 and found[1].novelty == 0.0


def test_people_you_should_know_are_the_weak_ties_your_close_ties_know(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    close1 = person(session, add_person, "Close One", 90)
    close2 = person(session, add_person, "Close Two", 80)
    stranger = person(session, add_person, "Sam Stranger", 5)
    loner = person(session, add_person, "Lou Loner", 5)
    knows(session, close1, stranger)
    knows(session, close2, stranger)
    knows(session, close1, close2)
    found = suggest_people(session, owner_id=LOCAL_OWNER_ID, now=now)
    assert [s.person_id for s in found] == [stranger.id]
    assert {pid for pid, _ in found[0].via} == {close1.id, close2.id}
    assert found[0].reasons[0] == "2 of your closest ties know them"
    assert loner.id not in {s.person_id for s in found}
