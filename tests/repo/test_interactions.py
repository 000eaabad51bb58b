"""Queries about interactions (tieline.repo.interactions): timelines and last-contact times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Interaction, InteractionParticipant, Person
from tieline.repo import interactions as interactions_repo

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]


def test_logging_moves_last_contact_forward_but_never_back(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana = add_person("Ana")
    log("call", [ana], when=now - timedelta(days=3))
    assert ana.last_contact_at == now - timedelta(days=3)
    log("coffee", [ana], when=now - timedelta(days=1))
    assert ana.last_contact_at == now - timedelta(days=1)
    log("email", [ana], when=now - timedelta(days=30))
    assert ana.last_contact_at == now - timedelta(days=1)


def test_last_contact_is_recomputed_from_the_interactions(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, bo = add_person("Ana"), add_person("Bo")
    log("call", [ana], when=now - timedelta(days=5))
    log("call", [ana, bo], when=now - timedelta(days=2))
    assert interactions_repo.last_contact(
        session, owner_id=LOCAL_OWNER_ID, person_id=ana.id
    ) == now - timedelta(days=2)
    assert (
        interactions_repo.last_contact(session, owner_id=LOCAL_OWNER_ID, person_id=add_person("Cy").id)
        is None
    )


def test_timeline_is_newest_first_with_the_others_present(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, bo, cy = add_person("Ana"), add_person("Bo"), add_person("Cy")
    log("call", [ana], when=now - timedelta(days=10), notes="old call")
    log("meeting", [ana, cy, bo], when=now - timedelta(days=1), notes="team lunch")
    log("email", [ana], when=now - timedelta(days=5), notes="follow-up")
    entries = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    assert [e.interaction.notes for e in entries] == ["team lunch", "follow-up", "old call"]
    assert [e.others for e in entries] == [["Bo", "Cy"], [], []]


def test_timeline_limit_keeps_the_most_recent(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana = add_person("Ana")
    for days in range(6):
        log("message", [ana], when=now - timedelta(days=days), notes=f"{days} days ago")
    entries = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, limit=2)
    assert [e.interaction.notes for e in entries] == ["0 days ago", "1 days ago"]
    assert interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=add_person("Bo").id) == []


def test_timeline_limit_counts_interactions_not_the_people_in_them(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, bo, cy, di = add_person("Ana"), add_person("Bo"), add_person("Cy"), add_person("Di")
    log("call", [ana], when=now - timedelta(days=3), notes="oldest")
    # Two group interactions at the same moment: each keeps its own others.
    log("meeting", [ana, bo, cy], when=now - timedelta(days=1), notes="first")
    log("meeting", [ana, di], when=now - timedelta(days=1), notes="second")
    entries = interactions_repo.timeline(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, limit=2)
    assert [(e.interaction.notes, e.others) for e in entries] == [("second", ["Di"]), ("first", ["Bo", "Cy"])]


def test_count_for_person_counts_group_interactions_once(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana, bo = add_person("Ana"), add_person("Bo")
    log("call", [ana])
    log("meeting", [ana, bo])
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 2
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=bo.id) == 1


def test_delete_sole_interactions_keeps_group_interactions(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana, bo = add_person("Ana"), add_person("Bo")
    log("call", [ana], notes="only ana")
    log("meeting", [ana, bo], notes="both")
    log("call", [bo], notes="only bo")
    interactions_repo.delete_sole_interactions(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id)
    remaining = session.scalars(sa.select(Interaction.notes).order_by(Interaction.notes)).all()
    assert remaining == ["both", "only bo"]


def test_participants_repeat_the_interaction_time(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    item = log("meeting", [add_person("Ana"), add_person("Bo")], when=now - timedelta(hours=3))
    times = session.scalars(
        sa.select(InteractionParticipant.occurred_at).where(InteractionParticipant.interaction_id == item.id)
    ).all()
    assert times == [now - timedelta(hours=3)] * 2
