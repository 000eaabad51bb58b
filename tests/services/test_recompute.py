"""The full recompute (tieline.services.recompute): the same ties as logging one by one, from scratch."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Owner, Person, Tie
from tieline.services import favours as favours_service
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services import preferences, scoring
from tieline.services.people import PersonChanges
from tieline.services.recompute import recompute_all

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
KINDS = ("meeting", "coffee", "call", "video_call", "event", "email", "message", "social", "other")
COLUMNS = (
    "intensity", "intensity_at", "half_life_days", "first_contact_at", "interactions", "initiated_by_me",
    "initiated_by_them", "favours_given", "favours_received", "strength", "strength_at", "contact_strength",
)  # fmt: skip


def ties(session: Session, owner_id: int = LOCAL_OWNER_ID) -> dict[int, dict[str, object]]:
    session.flush()
    session.expire_all()
    rows = session.scalars(sa.select(Tie).where(Tie.owner_id == owner_id))
    return {t.person_id: {c: getattr(t, c) for c in COLUMNS} for t in rows}


def assert_close(got: dict[int, dict[str, object]], want: dict[int, dict[str, object]]) -> None:
    assert got.keys() == want.keys()
    for person_id, fields in want.items():
        for name, value in fields.items():
            if isinstance(value, float):
                assert got[person_id][name] == pytest.approx(value, rel=1e-9, abs=1e-6), (person_id, name)
            else:
                assert got[person_id][name] == value, (person_id, name)


def rescore(session: Session, owner_id: int = LOCAL_OWNER_ID, now: datetime = NOW) -> int:
    return recompute_all(
        session, owner_id=owner_id, prefs=preferences.load(session, owner_id=owner_id), now=now
    )


def test_a_random_history_logged_out_of_order_rebuilds_to_the_same_ties(
    session: Session, add_person: AddPerson
) -> None:
    rng = random.Random(20260310)
    people = [
        add_person(f"Person {i:02}", tier=rng.randint(1, 5), closeness=rng.choice([None, 1, 3, 5]))
        for i in range(24)
    ]
    people_service.edit_person(session, people[0], PersonChanges(set={"cadence_days": 3}), today=DAY)
    for _ in range(160):  # random times, so most are back-dated relative to earlier logs
        group = rng.sample(people, rng.choice([1, 1, 1, 2, 3]))
        when = NOW - timedelta(days=rng.uniform(0, 2000))
        interactions_service.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind=rng.choice(KINDS), people=group, when=when,
            initiated_by=rng.choice([None, "me", "them"]), now=NOW,
        )  # fmt: skip
    for person in rng.sample(people, 8):
        favours_service.record_favour(
            session, owner_id=LOCAL_OWNER_ID, person=person, direction=rng.choice(["given", "received"]),
            kind="advice", when=NOW, now=NOW,
        )  # fmt: skip
    incremental = ties(session)
    assert len(incremental) >= 20

    assert rescore(session) == len(people)
    rebuilt = ties(session)
    # The rebuild also gives a (zero) tie to anyone never met; compare the rest.
    assert_close({pid: rebuilt[pid] for pid in incremental}, incremental)
    for pid in rebuilt.keys() - incremental.keys():
        assert rebuilt[pid]["interactions"] == 0 and rebuilt[pid]["strength"] <= 10.0

    assert rescore(session) == len(people)
    assert ties(session) == rebuilt  # idempotent


def test_people_never_met_get_an_empty_tie_scored_by_the_rules(
    session: Session, add_person: AddPerson
) -> None:
    rated = add_person("Ana Lima", closeness=4)
    unknown = add_person("Bo Chen", met_on=date(2015, 1, 1))
    assert rescore(session) == 2
    got = ties(session)
    assert got[rated.id]["strength"] == 80.0
    assert got[unknown.id]["strength"] == 10.0  # duration alone is capped
    assert got[rated.id]["interactions"] == 0 and got[rated.id]["intensity_at"] is None
    assert got[rated.id]["contact_strength"] == 0.0


def test_a_changed_cadence_takes_effect_for_existing_ties_at_the_recompute(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", tier=2)
    for days in (0, 30, 60):
        interactions_service.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind="message", people=[ana], when=NOW - timedelta(days=days),
            now=NOW,
        )  # fmt: skip
    assert ties(session)[ana.id]["intensity"] == pytest.approx(1 + 0.5 + 0.25)
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="cadence.tier2", value="60")
    assert ties(session)[ana.id]["half_life_days"] == 30.0  # the running sum keeps its half-life...
    rescore(session)
    after = ties(session)[ana.id]
    assert after["half_life_days"] == 60.0  # ...until everyone is rescored
    assert after["intensity"] == pytest.approx(1 + 2**-0.5 + 0.5)


def test_the_recompute_takes_scores_at_the_moment_given(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=2, closeness=3)
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind="meeting", people=[ana], when=NOW, now=NOW
    )
    later = NOW + timedelta(days=90)
    rescore(session, now=later)
    got = ties(session)[ana.id]
    tie = session.get(Tie, ana.id)
    prefs = preferences.load(session, owner_id=LOCAL_OWNER_ID)
    assert got["strength_at"] == later
    assert got["strength"] == scoring.strength(ana, tie, at=later, prefs=prefs).total
    assert got["contact_strength"] == scoring.strength(ana, tie, at=NOW, prefs=prefs).total
    assert got["strength"] < got["contact_strength"]


def test_another_owners_ties_are_left_alone(session: Session, add_person: AddPerson) -> None:
    session.add(Owner(id=2, name="someone else"))
    session.flush()
    theirs = people_service.add_person(session, owner_id=2, name="Zed Other", today=DAY)
    session.flush()
    interactions_service.log_interaction(
        session, owner_id=2, kind="meeting", people=[theirs], when=NOW - timedelta(days=3), now=NOW
    )
    mine = add_person("Ana Lima")
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind="call", people=[mine], when=NOW, now=NOW
    )
    before_theirs = ties(session, owner_id=2)
    assert rescore(session) == 1
    assert ties(session, owner_id=2) == before_theirs
    assert set(ties(session)) == {mine.id}
    assert ties(session)[mine.id]["intensity"] == 2.0
