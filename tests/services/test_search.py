"""Search (tieline.services.search): people, and what was said, kept in step with every way an
interaction, event, introduction or opportunity is written, changed, moved or deleted."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from tests.conftest import scratch_database
from tieline.config import Settings
from tieline.db import Database, open_database
from tieline.exporters.backup import BackupReader
from tieline.models import LOCAL_OWNER_ID, Interaction, Person
from tieline.services import (
    backup_restore,
    demo,
    events,
    imports,
    introductions,
    merge,
    opportunities,
    search,
)
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def said(session: Session, query: str, **options: object) -> list[tuple[str, list[str]]]:
    """(item, names of who was there) per match, best first."""
    found = search.said(session, owner_id=LOCAL_OWNER_ID, query=query, **options)  # type: ignore[arg-type]
    return [(m.item, [p.name for p in m.people]) for m in found]


def test_a_search_gives_the_people_and_what_was_said(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Kayak")
    coffee = log("coffee", [ana, bo], notes="Talked about kayaking in Norway")
    results = search.search(session, owner_id=LOCAL_OWNER_ID, query="kayak")
    assert [(p.display_name, score > 0) for p, score in results.people] == [("Bo Kayak", True)]
    [match] = results.said
    assert (match.item, match.id, match.kind, match.at) == (
        "interaction",
        coffee.id,
        "coffee",
        coffee.occurred_at,
    )
    assert [p.name for p in match.people] == ["Ana Lima", "Bo Kayak"]
    assert match.snippet.hits == ["kayaking"]


def test_archived_people_are_left_out_as_people_search_leaves_them_out(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana, gone = add_person("Ana Lima"), add_person("Gus Gone")
    log("coffee", [gone], notes="kayaking alone", when=NOW - timedelta(days=1))
    log("coffee", [ana, gone], notes="kayaking together", when=NOW - timedelta(days=2))
    events.add_event(
        session, owner_id=LOCAL_OWNER_ID, name="Paddle day", starts_on=date(2026, 1, 5), notes="kayaking"
    )
    people_service.archive_person(gone)
    session.flush()
    assert people_service.search(session, owner_id=LOCAL_OWNER_ID, query="gus") == []
    assert said(session, "kayaking") == [("interaction", ["Ana Lima"]), ("event", [])]
    assert said(session, "kayaking", include_archived=True) == [
        ("interaction", ["Gus Gone"]),
        ("interaction", ["Ana Lima", "Gus Gone"]),
        ("event", []),
    ]


def test_matches_hidden_by_archived_people_do_not_shorten_the_list(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana, gone = add_person("Ana Lima"), add_person("Gus Gone")
    for day in range(1, 4):  # the newest three: with an archived person only
        log("call", [gone], notes="chess", when=NOW - timedelta(days=day))
    for day in range(10, 13):
        log("call", [ana], notes="chess", when=NOW - timedelta(days=day))
    gone.archived = True
    session.flush()
    assert said(session, "chess", limit=2) == [("interaction", ["Ana Lima"])] * 2
    assert said(session, "chess", limit=5) == [("interaction", ["Ana Lima"])] * 3


def test_deleting_a_person_deletes_what_was_said_with_them_alone(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    log("coffee", [bo], notes="kayaking alone with Bo")
    log("coffee", [ana, bo], notes="kayaking, the three of us")
    people_service.delete_person(session, bo)
    assert said(session, "kayaking") == [("interaction", ["Ana Lima"])]
    assert said(session, "alone") == []


def test_a_merge_moves_what_was_said_to_the_kept_person_and_an_unmerge_moves_it_back(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana, twin = add_person("Ana Lima"), add_person("Ana L.")
    log("coffee", [twin], notes="kayaking in Norway")
    record = merge.merge(session, kept=ana, merged=twin, now=NOW)
    assert said(session, "norway") == [("interaction", ["Ana Lima"])]
    merge.unmerge(session, owner_id=LOCAL_OWNER_ID, merge_id=record.id, now=NOW)
    assert said(session, "norway") == [("interaction", ["Ana L."])]


def test_events_introductions_and_opportunities_are_found_with_their_people(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    event = events.add_event(
        session,
        owner_id=LOCAL_OWNER_ID,
        name="Rust meetup",
        starts_on=date(2026, 2, 1),
        goals="meet kayak makers",
    )
    events.attend(session, owner_id=LOCAL_OWNER_ID, event=event, people=[bo])
    intro = introductions.propose(
        session, owner_id=LOCAL_OWNER_ID, a=ana, b=bo, why="both build kayaks", now=NOW
    )
    opportunities.add_opportunity(
        session,
        owner_id=LOCAL_OWNER_ID,
        title="Kayak rental website",
        origin=opportunities.Origin(person=ana),
        spotted_on=date(2026, 3, 1),
        notes="needs a booking system",
    )
    assert sorted(said(session, "kayak")) == [
        ("event", ["Bo Chen"]),
        ("introduction", ["Ana Lima", "Bo Chen"]),
        ("opportunity", ["Ana Lima"]),
    ]
    assert said(session, "booking") == [("opportunity", ["Ana Lima"])]
    # A later outcome is said too, beside why they were introduced.
    introductions.ask_a(session, intro, now=NOW)
    introductions.ask_b(session, intro, now=NOW)
    introductions.make(session, owner_id=LOCAL_OWNER_ID, intro=intro, now=NOW)
    introductions.record_outcome(session, intro, "They started a paddling club", now=NOW)
    assert ("introduction", ["Ana Lima", "Bo Chen"]) in said(session, "paddling club")
    assert ("introduction", ["Ana Lima", "Bo Chen"]) in said(session, "kayaks")


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//tieline tests//EN
BEGIN:VEVENT
UID:kayak-planning-1
SUMMARY:{summary}
DTSTART:20260301T100000Z
DTEND:20260301T110000Z
ORGANIZER;CN="Me":mailto:me@example.com
ATTENDEE;CN="Ana Lima";PARTSTAT=ACCEPTED:mailto:ana@example.com
END:VEVENT
END:VCALENDAR
"""


def test_imports_and_their_undo_keep_what_was_said_in_step(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        people_service.add_person(
            session, owner_id=LOCAL_OWNER_ID, name="Ana Lima", changes=PersonChanges(add={"emails": ["ana@example.com"]}),
            today=NOW.date(),
        )  # fmt: skip
    calendar = tmp_path / "meetings.ics"

    def run(summary: str) -> None:
        calendar.write_text(ICS.format(summary=summary), encoding="utf-8")
        imports.import_path(db, calendar, owner_id=LOCAL_OWNER_ID, now=NOW)

    def found(query: str) -> list[tuple[str, list[str]]]:
        with db.sessions() as session:
            return said(session, query)

    run("Kayak trip planning")
    assert found("kayak") == [("interaction", ["Ana Lima"])]
    run("Chess club planning")  # the same meeting, renamed: the import updates it
    assert found("kayak") == []
    assert found("chess") == [("interaction", ["Ana Lima"])]
    with db.sessions() as session:
        later, first = (run.id for run in imports.runs(session, owner_id=LOCAL_OWNER_ID))
    with db.transaction() as session:
        imports.undo_run(session, owner_id=LOCAL_OWNER_ID, run_id=later, now=NOW)
    assert found("chess") == []
    assert found("kayak") == [("interaction", ["Ana Lima"])]
    with db.transaction() as session:
        imports.undo_run(session, owner_id=LOCAL_OWNER_ID, run_id=first, now=NOW)
    assert found("kayak") == []


def test_a_restored_backup_finds_what_was_said(db: Database, backend: str, tmp_path: Path) -> None:
    with db.transaction() as session:
        ana = people_service.add_person(
            session, owner_id=LOCAL_OWNER_ID, name="Ana Lima", changes=PersonChanges(), today=NOW.date()
        )
        session.flush()
        from tieline.services import interactions

        interactions.log_interaction(
            session,
            owner_id=LOCAL_OWNER_ID,
            kind="coffee",
            people=[ana],
            when=NOW,
            notes="kayaking in Norway",
        )
        events.add_event(session, owner_id=LOCAL_OWNER_ID, name="Fjord trip", starts_on=date(2026, 6, 1))
    out = io.StringIO()
    with db.transaction() as session:
        backup_restore.write_backup(session, out)
    with scratch_database(backend, tmp_path) as url:
        other = open_database(Settings(data_dir=tmp_path / "data", database_url=url))
        try:
            with other.transaction() as session:
                backup_restore.restore(session, BackupReader(io.StringIO(out.getvalue()), path="backup.json"))
            with other.sessions() as session:
                assert said(session, "norway") == [("interaction", ["Ana Lima"])]
                assert said(session, "fjord") == [("event", [])]
        finally:
            other.dispose()


def test_the_demo_network_is_searchable_for_what_was_said(session: Session) -> None:
    demo.load(session, owner_id=LOCAL_OWNER_ID, scale=demo.SCALES["small"], seed=3, now=NOW)
    notes = session.scalars(
        Interaction.__table__.select()
        .with_only_columns(Interaction.notes)
        .where(Interaction.notes.like("Talked about %"))
    ).first()
    assert notes is not None
    word = notes.removeprefix("Talked about ").rstrip(".").split()[0]
    found = search.said(session, owner_id=LOCAL_OWNER_ID, query=word, limit=5)
    assert len(found) == 5 and all(m.people for m in found)
    assert all(word.lower() in m.snippet.text.lower() for m in found)
