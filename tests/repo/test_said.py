"""Full-text search over what was said (tieline.repo.said): FTS5 on SQLite, tsvector on PostgreSQL,
the same answers; the words kept in step with the items they come from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Interaction, Owner, Person
from tieline.models.search import SaidSearch
from tieline.repo import said as said_repo
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.text import query_tokens

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
# Notes that match none of the words searched for: with a handful of rows, a word found in every
# one of them would carry no weight in bm25, and every match would tie.
FILLER = ("Quarterly numbers", "Budget review", "Lunch plans", "Hiring update", "Travel dates")


def found(
    session: Session, query: str, owner_id: int = LOCAL_OWNER_ID, **options: int
) -> list[tuple[str, int]]:
    rows = said_repo.find(session, owner_id=owner_id, tokens=query_tokens(query), **options)
    return [(row.item, row.id) for row in rows]


def filler(log: Log, person: Person) -> None:
    for n, text in enumerate(FILLER):
        log("call", [person], when=NOW - timedelta(days=100 + n), notes=text)


def test_a_word_from_the_notes_finds_the_interaction(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima")
    filler(log, ana)
    coffee = log("coffee", [ana], notes="She is into kayaking on weekends")
    assert found(session, "kayaking") == [("interaction", coffee.id)]
    [row] = said_repo.find(session, owner_id=LOCAL_OWNER_ID, tokens=["kayaking"])
    assert row.kind == "coffee" and row.notes == ("She is into kayaking on weekends",)
    assert row.at == coffee.occurred_at and row.score > 0


def test_case_and_accents_are_ignored_both_ways(session: Session, add_person: AddPerson, log: Log) -> None:
    ana = add_person("Ana Lima")
    plain = log("coffee", [ana], notes="kayak trip in May")
    accented = log("call", [ana], notes="Réunion à Montréal")
    assert found(session, "Kayák") == [("interaction", plain.id)]
    assert found(session, "KAYAK") == [("interaction", plain.id)]
    assert found(session, "montreal reunion") == [("interaction", accented.id)]


def test_longer_words_match_as_prefixes_shorter_ones_only_whole(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima")
    kayaking = log("coffee", [ana], notes="kayaking")
    ai = log("call", [ana], notes="AI ethics")
    aim = log("call", [ana], notes="aims for next year")
    assert found(session, "kayak") == [("interaction", kayaking.id)]
    assert found(session, "ai") == [("interaction", ai.id)]  # not "aims"
    assert sorted(found(session, "aim")) == [("interaction", aim.id)]
    assert found(session, "ayak") == []  # a word's middle is not its beginning


def test_every_word_of_the_query_must_be_said(session: Session, add_person: AddPerson, log: Log) -> None:
    ana = add_person("Ana Lima")
    both = log("coffee", [ana], notes="kayaking and chess")
    log("coffee", [ana], notes="kayaking only")
    assert found(session, "chess kayak") == [("interaction", both.id)]


def test_a_subject_hit_ranks_above_a_notes_hit_and_more_hits_above_fewer(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima")
    filler(log, ana)
    once = log("email", [ana], when=NOW - timedelta(days=1), notes="We could go kayaking some time, or not")
    twice = log(
        "call", [ana], when=NOW - timedelta(days=2), notes="Kayaking again: she kayaks every week, kayaking"
    )
    subject = log("email", [ana], when=NOW - timedelta(days=3), subject="Kayaking", notes="see you Saturday")
    assert found(session, "kayak") == [
        ("interaction", subject.id),
        ("interaction", twice.id),
        ("interaction", once.id),
    ]


def test_equal_matches_come_newest_first_a_page_at_a_time(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima")
    filler(log, ana)
    logged = [log("call", [ana], when=NOW - timedelta(days=d), notes="Talked about chess") for d in (5, 1, 3)]
    newest_first = [("interaction", i.id) for i in sorted(logged, key=lambda i: i.occurred_at, reverse=True)]
    assert found(session, "chess") == newest_first
    assert found(session, "chess", limit=2) + found(session, "chess", limit=2, offset=2) == newest_first


def test_one_owner_never_finds_another_owners_words(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    session.add(Owner(id=2, name="someone else"))
    session.flush()
    other = people_service.add_person(
        session, owner_id=2, name="Olga Other", changes=PersonChanges(), today=NOW.date()
    )
    session.flush()
    theirs = interactions_service.log_interaction(
        session, owner_id=2, kind="coffee", people=[other], when=NOW, notes="kayaking secrets"
    )
    mine = log("coffee", [add_person("Ana Lima")], notes="kayaking plans")
    assert found(session, "kayaking") == [("interaction", mine.id)]
    assert found(session, "secrets") == []
    assert found(session, "secrets", owner_id=2) == [("interaction", theirs.id)]
    # Nor are the names of the other owner's people given, whatever ids are asked about.
    their_rows = said_repo.find(session, owner_id=2, tokens=["secrets"])
    assert said_repo.people(session, owner_id=LOCAL_OWNER_ID, found=their_rows) == {}


def test_an_edit_is_found_by_its_new_words_and_not_its_old_ones(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    coffee = log("coffee", [add_person("Ana Lima")], notes="kayaking")
    coffee.notes, coffee.subject = "chess club", "Rematch"
    session.flush()
    said_repo.refresh(session, owner_id=LOCAL_OWNER_ID, item="interaction", ids=[coffee.id])
    assert found(session, "kayaking") == []
    assert found(session, "chess") == found(session, "rematch") == [("interaction", coffee.id)]
    coffee.notes = coffee.subject = None  # nothing written any more: no words left
    session.flush()
    said_repo.refresh(session, owner_id=LOCAL_OWNER_ID, item="interaction", ids=[coffee.id])
    assert session.scalar(sa.select(sa.func.count()).select_from(SaidSearch)) == 0


def test_deleting_an_interaction_deletes_its_words(session: Session, add_person: AddPerson, log: Log) -> None:
    coffee = log("coffee", [add_person("Ana Lima")], notes="kayaking")
    session.execute(sa.delete(Interaction).where(Interaction.id == coffee.id))
    assert found(session, "kayaking") == []
    assert session.scalar(sa.select(sa.func.count()).select_from(SaidSearch)) == 0


def test_an_interaction_with_nothing_written_has_no_words(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    log("coffee", [add_person("Ana Lima")])
    assert session.scalar(sa.select(sa.func.count()).select_from(SaidSearch)) == 0


def test_people_are_who_was_there_by_name(session: Session, add_person: AddPerson, log: Log) -> None:
    bo, ana = add_person("Bo Chen"), add_person("Ana Lima")
    coffee = log("coffee", [bo, ana], notes="kayaking")
    rows = said_repo.find(session, owner_id=LOCAL_OWNER_ID, tokens=["kayaking"])
    assert said_repo.people(session, owner_id=LOCAL_OWNER_ID, found=rows) == {
        ("interaction", coffee.id): [
            said_repo.SaidPerson(ana.id, "Ana Lima", False),
            said_repo.SaidPerson(bo.id, "Bo Chen", False),
        ]
    }


def test_rebuild_writes_every_items_words_again(session: Session, add_person: AddPerson, log: Log) -> None:
    coffee = log("coffee", [add_person("Ana Lima")], notes="kayaking")
    session.execute(sa.delete(SaidSearch))
    assert found(session, "kayaking") == []
    said_repo.rebuild(session)
    assert found(session, "kayaking") == [("interaction", coffee.id)]
    said_repo.rebuild(session, owner_id=LOCAL_OWNER_ID)  # again: nothing doubled
    assert session.scalar(sa.select(sa.func.count()).select_from(SaidSearch)) == 1


def test_an_event_on_a_date_is_found_with_its_date(session: Session) -> None:
    from tieline.services import events as events_service

    event = events_service.add_event(
        session, owner_id=LOCAL_OWNER_ID, name="Paddle meetup", starts_on=date(2026, 5, 2), notes="kayak demo"
    )
    [row] = said_repo.find(session, owner_id=LOCAL_OWNER_ID, tokens=["kayak"])
    assert (row.item, row.id, row.kind, row.at, row.title) == (
        "event",
        event.id,
        "conference",
        date(2026, 5, 2),
        "Paddle meetup",
    )


def test_rebuilding_everyone_keeps_each_owners_words_their_own(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    # A restore rebuilds every owner's words at once (owner_id=None).
    session.add(Owner(id=2, name="someone else"))
    session.flush()
    other = people_service.add_person(
        session, owner_id=2, name="Olga Other", changes=PersonChanges(), today=NOW.date()
    )
    session.flush()
    theirs = interactions_service.log_interaction(
        session, owner_id=2, kind="coffee", people=[other], when=NOW, notes="kayaking secrets"
    )
    mine = log("coffee", [add_person("Ana Lima")], notes="kayaking plans")
    session.execute(sa.delete(SaidSearch))
    said_repo.rebuild(session)
    assert found(session, "kayaking") == [("interaction", mine.id)]
    assert found(session, "kayaking", owner_id=2) == [("interaction", theirs.id)]
    # Rebuilding one owner's words leaves the other's alone.
    said_repo.rebuild(session, owner_id=LOCAL_OWNER_ID)
    assert found(session, "secrets", owner_id=2) == [("interaction", theirs.id)]
    assert session.scalar(sa.select(sa.func.count()).select_from(SaidSearch)) == 2
