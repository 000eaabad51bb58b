"""Mentorship relations and what `mentors` / `mentees` show (tieline.services.mentorship)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Interaction, Person
from tieline.services import followups as followups_service
from tieline.services import mentorship

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]
OWNER = LOCAL_OWNER_ID


def test_a_relation_defaults_to_your_mentor_since_today(
    session: Session, add_person: AddPerson, today: date
) -> None:
    ana = add_person("Ana Lima")
    relation, created = mentorship.set_relation(session, owner_id=OWNER, person=ana, today=today)
    assert created
    assert (relation.kind, relation.person_id, relation.other_id, relation.started_on) == (
        "mentor",
        ana.id,
        None,
        today,
    )
    assert mentorship.describe(relation, "Ana Lima", None) == "Ana Lima is your mentor"


def test_rerunning_updates_the_current_relation_instead_of_adding_one(
    session: Session, add_person: AddPerson, today: date
) -> None:
    ana = add_person("Ana Lima")
    first, _ = mentorship.set_relation(
        session, owner_id=OWNER, person=ana, today=today, goals="staff engineer"
    )
    again, created = mentorship.set_relation(
        session, owner_id=OWNER, person=ana, today=today, since=date(2025, 1, 1), goals="  "
    )
    assert not created and again.id == first.id
    assert (again.started_on, again.goals) == (date(2025, 1, 1), "staff engineer")
    assert len(mentorship.listing(session, owner_id=OWNER, kinds=mentorship.MENTOR_KINDS)) == 1


def test_someone_elses_mentee_is_stored_as_their_mentor(
    session: Session, add_person: AddPerson, today: date
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    relation, _ = mentorship.set_relation(
        session, owner_id=OWNER, person=bo, of=ana, kind="mentee", today=today
    )
    assert (relation.kind, relation.person_id, relation.other_id) == ("mentor", ana.id, bo.id)
    same, created = mentorship.set_relation(session, owner_id=OWNER, person=ana, of=bo, today=today)
    assert not created and same.id == relation.id
    assert mentorship.describe(relation, "Ana Lima", "Bo Chen") == "Ana Lima is Bo Chen's mentor"


def test_refuses_unknown_kinds_self_relations_and_ends_before_starts(
    session: Session, add_person: AddPerson, today: date
) -> None:
    ana = add_person("Ana Lima")
    with pytest.raises(InvalidInput, match="unknown relation kind 'guru'"):
        mentorship.set_relation(session, owner_id=OWNER, person=ana, kind="guru", today=today)
    with pytest.raises(InvalidInput, match="cannot be their own coach"):
        mentorship.set_relation(session, owner_id=OWNER, person=ana, of=ana, kind="coach", today=today)
    with pytest.raises(InvalidInput, match="before the relation began"):
        mentorship.set_relation(
            session, owner_id=OWNER, person=ana, today=today, since=today, until=today - timedelta(days=1)
        )


def test_ending_a_relation_hides_it_unless_all_are_asked_for(
    session: Session, add_person: AddPerson, today: date
) -> None:
    ana = add_person("Ana Lima")
    mentorship.set_relation(
        session, owner_id=OWNER, person=ana, kind="mentee", today=today - timedelta(days=90)
    )
    ended = mentorship.end_relation(session, owner_id=OWNER, person=ana, kind="mentee", on=today)
    assert ended.ended_on == today
    assert mentorship.describe(ended, "Ana Lima", None) == "Ana Lima was your mentee"
    assert mentorship.listing(session, owner_id=OWNER, kinds=mentorship.MENTEE_KINDS) == []
    [view] = mentorship.listing(session, owner_id=OWNER, kinds=mentorship.MENTEE_KINDS, include_ended=True)
    assert view.relation.id == ended.id
    with pytest.raises(NotFound, match="Ana Lima is not your current mentee"):
        mentorship.end_relation(session, owner_id=OWNER, person=ana, kind="mentee", on=today)


def test_a_past_relation_can_be_recorded_with_its_end(
    session: Session, add_person: AddPerson, today: date
) -> None:
    ana = add_person("Ana Lima")
    relation, created = mentorship.set_relation(
        session,
        owner_id=OWNER,
        person=ana,
        kind="coach",
        today=today,
        since=date(2020, 1, 1),
        until=date(2021, 6, 30),
    )
    assert created and (relation.started_on, relation.ended_on) == (date(2020, 1, 1), date(2021, 6, 30))


def test_the_listing_shows_last_meeting_last_session_and_what_is_still_open(
    session: Session, add_person: AddPerson, log: Log, now: datetime, today: date
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    mentorship.set_relation(session, owner_id=OWNER, person=ana, today=today)
    mentorship.set_relation(session, owner_id=OWNER, person=bo, kind="sponsor", today=today)
    log("mentoring", [ana], when=now - timedelta(days=20), notes="old session")
    log("mentoring", [ana], when=now - timedelta(days=10), notes="agreed: draft the promo doc")
    log("coffee", [ana], when=now - timedelta(days=2))
    promise = followups_service.add_followup(
        session, owner_id=OWNER, person=ana, text="send the doc", due_on=today, is_promise=True
    )
    done = followups_service.add_followup(session, owner_id=OWNER, person=ana, text="old", due_on=today)
    followups_service.complete(done, day=today, now=now)
    views = {v.person: v for v in mentorship.listing(session, owner_id=OWNER, kinds=mentorship.MENTOR_KINDS)}
    assert set(views) == {"Ana Lima", "Bo Chen"}
    mine = views["Ana Lima"]
    assert mine.last_met_at == now - timedelta(days=2)
    assert (mine.last_session.occurred_at, mine.last_session.notes) == (
        now - timedelta(days=10),
        "agreed: draft the promo doc",
    )
    assert [f.id for f in mine.open_followups] == [promise.id]
    assert (views["Bo Chen"].last_met_at, views["Bo Chen"].last_session) == (None, None)
    assert mentorship.listing(session, owner_id=OWNER, kinds=mentorship.MENTEE_KINDS) == []
