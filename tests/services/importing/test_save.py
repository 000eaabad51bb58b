"""Saving imports on SQLite and PostgreSQL: idempotent, all-or-nothing, undoable, job changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tieline.db import Database
from tieline.importers.records import InteractionRecord, MalformedFile, Origin, PersonRecord
from tieline.models import LOCAL_OWNER_ID, Interaction, Milestone, Person, Tie
from tieline.services import imports
from tieline.services.importing.save import save
from tieline.services.imports import options_for

DATA = Path(__file__).parents[2] / "data" / "linkedin"
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]


def run(db: Database, path: Path, **options: object) -> imports.ImportReport:
    return imports.import_path(db, path, owner_id=LOCAL_OWNER_ID, now=NOW, **options)  # type: ignore[arg-type]


def data_rows(snapshot: Snapshot) -> dict[str, list[tuple[str, ...]]]:
    return {t: rows for t, rows in snapshot().items() if t not in ("import_run", "import_change")}


def test_first_import_adds_people_interactions_history_and_favours(db: Database) -> None:
    report = run(db, DATA / "export_2024")
    assert report.counts["people"]["added"] == 6
    assert report.counts["interactions"]["added"] == 4
    assert report.counts["memberships"]["added"] == 3
    assert report.counts["favours"]["added"] == 1
    assert len(report.skipped) == 6 and report.run_id is not None
    with db.sessions() as s:
        ana = s.scalars(sa.select(Person).where(Person.sort_name == "ana lima")).one()
        assert ana.last_contact_at == datetime(2024, 12, 17, 9, 2, 11, tzinfo=UTC)
        tie = s.get(Tie, ana.id)
        assert tie is not None and tie.interactions == 3 and tie.initiated_by_me == 2
        assert [link.url for link in ana.links] == ["https://www.linkedin.com/in/ana-lima-fake"]


def test_reimport_changes_nothing_and_writes_no_row(db: Database, snapshot: Snapshot) -> None:
    run(db, DATA / "export_2024")
    before = snapshot()
    report = run(db, DATA / "export_2024")
    assert snapshot() == before
    assert not report.changed and report.run_id is None
    assert report.counts["people"]["unchanged"] == 6 and report.counts["interactions"]["unchanged"] == 4


def test_same_name_and_company_with_different_profiles_stay_two_people(db: Database) -> None:
    run(db, DATA / "export_2024")
    with db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).where(Person.sort_name == "wei zhang")) == 2


def test_a_later_export_turns_a_new_job_into_a_milestone(db: Database) -> None:
    run(db, DATA / "export_2024")
    report = run(db, DATA / "export_2024_later")
    assert report.counts["people"] == {"added": 1, "updated": 2, "merged": 0, "unchanged": 4}
    with db.sessions() as s:
        texts = sorted(s.scalars(sa.select(Milestone.text).where(Milestone.kind == "new_job")))
        assert texts == [
            "Director of Product at Northwind (was Product Manager at Northwind)",
            "Principal Engineer at Initech (was Staff Engineer at Acme Robotics)",
        ]
        ana = s.scalars(sa.select(Person).where(Person.sort_name == "ana lima")).one()
        assert (ana.company, ana.title) == ("Initech", "Principal Engineer")


def test_a_user_edit_survives_a_reimport_where_the_source_did_not_change(db: Database) -> None:
    run(db, DATA / "export_2024")
    with db.transaction() as s:
        s.execute(sa.update(Person).where(Person.sort_name == "robert okafor").values(title="Lead Designer"))
    report = run(db, DATA / "export_2024_later")
    assert report.changed
    with db.sessions() as s:
        assert s.scalar(sa.select(Person.title).where(Person.sort_name == "robert okafor")) == "Lead Designer"


def test_undo_restores_the_database_exactly(db: Database, snapshot: Snapshot) -> None:
    empty = data_rows(snapshot)
    first = run(db, DATA / "export_2024")
    after_first = data_rows(snapshot)
    second = run(db, DATA / "export_2024_later", create_people=True)
    assert second.counts["people"]["added"] == 3
    with db.transaction() as s:
        with pytest.raises(imports.InvalidInput, match="undo import run 2 first"):
            imports.undo_run(s, owner_id=LOCAL_OWNER_ID, run_id=first.run_id, now=NOW)  # type: ignore[arg-type]
        imports.undo_run(s, owner_id=LOCAL_OWNER_ID, run_id=second.run_id, now=NOW)  # type: ignore[arg-type]
    assert data_rows(snapshot) == after_first
    with db.transaction() as s:
        imports.undo_run(s, owner_id=LOCAL_OWNER_ID, run_id=first.run_id, now=NOW)  # type: ignore[arg-type]
    assert data_rows(snapshot) == empty


def test_dry_run_reports_and_writes_nothing(db: Database, snapshot: Snapshot) -> None:
    before = snapshot()
    report = run(db, DATA / "export_2024", dry_run=True)
    assert report.counts["people"]["added"] == 6 and report.run_id is None
    assert snapshot() == before


def test_a_file_failing_half_way_leaves_the_database_as_it_was(db: Database, snapshot: Snapshot) -> None:
    before = snapshot()

    def records() -> Iterator[PersonRecord]:
        for i in range(6000):  # past the first batch, so rows were flushed before the failure
            yield PersonRecord("test", f"id{i}", Origin("big.csv", i + 2), display_name=f"Person {i}")
        raise MalformedFile("big.csv", 6002, "Name", "unreadable")

    with pytest.raises(MalformedFile), db.transaction() as s:
        save(
            s,
            records(),
            owner_id=LOCAL_OWNER_ID,
            fmt="test",
            path="big.csv",
            options=options_for(s, owner_id=1),
            now=NOW,
        )
    assert snapshot() == before


def test_participants_match_by_email_and_unknown_ones_are_created_only_when_asked(db: Database) -> None:
    def records() -> Iterator[object]:
        yield PersonRecord(
            "vcard", "uid-1", Origin("a.vcf", 1), display_name="Ana Lima", emails=[_lv("ANA@acme.example")]
        )
        yield InteractionRecord(
            "mbox", "<m1@x>", Origin("m.mbox", 1), kind="email", occurred_at=NOW,
            initiated_by="them", emails=["ana@acme.example", "me@example.org", "new@example.org"],
            names={"new@example.org": "New Person"},
        )  # fmt: skip

    with db.transaction() as s:
        options = options_for(s, owner_id=LOCAL_OWNER_ID)
        options = type(options)(own_emails=frozenset({"me@example.org"}), create_people=False)
        report = save(s, records(), owner_id=1, fmt="t", path="t", options=options, now=NOW)
        assert report.counts["people"]["added"] == 1 and report.counts["interactions"]["added"] == 1
    with db.transaction() as s:
        options = type(options)(own_emails=frozenset({"me@example.org"}), create_people=True)
        again = save(s, records(), owner_id=1, fmt="t", path="t", options=options, now=NOW)
        assert again.counts["interactions"]["unchanged"] == 1
        names = sorted(s.scalars(sa.select(Person.display_name)))
        assert names == ["Ana Lima"]  # the interaction existed already: nobody new to add


def test_a_record_from_another_source_merges_into_the_person_with_that_email(db: Database) -> None:
    run(db, DATA / "export_2024")

    def records() -> Iterator[PersonRecord]:
        yield PersonRecord("google_csv", "email:bo.chen@example.com", Origin("g.csv", 2), display_name="Bo Chen",
                           emails=[_lv("bo.chen@example.com")], phones=[_lv("+1 415 555 0100")], notes="Met at PyCon")  # fmt: skip

    with db.transaction() as s:
        report = save(
            s, records(), owner_id=1, fmt="t", path="t", options=options_for(s, owner_id=1), now=NOW
        )
    assert report.counts["people"]["merged"] == 1
    assert "same email bo.chen@example.com" in report.merges[0][2]
    with db.sessions() as s:
        bo = s.scalars(sa.select(Person).where(Person.sort_name == "bo chen")).one()
        assert [p.number for p in bo.phones] == ["+1 415 555 0100"] and bo.notes == "Met at PyCon"


def _lv(value: str):  # type: ignore[no-untyped-def]
    from tieline.importers.records import LabeledValue

    return LabeledValue(value)


def test_a_nickname_at_the_same_company_merges_and_a_second_file_of_the_same_format_too(db: Database) -> None:
    def first() -> Iterator[PersonRecord]:
        yield PersonRecord("vcard", "uid-1", Origin("phone.vcf", 1), display_name="Robert Smith", company="Acme Inc.",
                           emails=[_lv("rob@acme.example")])  # fmt: skip

    def second() -> Iterator[PersonRecord]:
        yield PersonRecord(
            "google_csv", "row:1", Origin("g.csv", 2), display_name="Bob Smith", company="ACME"
        )
        yield PersonRecord(
            "vcard",
            "uid-9",
            Origin("laptop.vcf", 1),
            display_name="R. Smith",
            emails=[_lv("ROB@acme.example")],
        )

    with db.transaction() as s:
        save(
            s, first(), owner_id=1, fmt="vcard", path="phone.vcf", options=options_for(s, owner_id=1), now=NOW
        )
    with db.transaction() as s:
        report = save(s, second(), owner_id=1, fmt="t", path="t", options=options_for(s, owner_id=1), now=NOW)
    assert report.counts["people"] == {"added": 0, "updated": 0, "merged": 2, "unchanged": 0}
    assert [m[2][0] for m in report.merges] == ["same name", "same email rob@acme.example"]
    with db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_an_interaction_the_source_changed_is_updated_and_undo_puts_it_back(
    db: Database, snapshot: Snapshot
) -> None:
    def records(subject: str) -> Iterator[object]:
        yield PersonRecord(
            "vcard", "uid-1", Origin("a.vcf", 1), display_name="Ana Lima", emails=[_lv("ana@acme.example")]
        )
        yield InteractionRecord("ics", "event-1", Origin("cal.ics", 3), kind="meeting", occurred_at=NOW,
                                subject=subject, emails=["ana@acme.example"])  # fmt: skip

    def store(subject: str, now: datetime) -> imports.ImportReport:
        with db.transaction() as s:
            options = options_for(s, owner_id=1)
            return save(s, records(subject), owner_id=1, fmt="ics", path="cal.ics", options=options, now=now)

    store("Coffee", NOW)
    before = data_rows(snapshot)
    later = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    report = store("Lunch", later)
    assert report.counts["interactions"]["updated"] == 1 and report.run_id is not None
    with db.sessions() as s:
        meeting = s.scalars(sa.select(Interaction)).one()
        assert (meeting.subject, meeting.updated_at) == ("Lunch", later)
    with db.transaction() as s:
        imports.undo_run(s, owner_id=LOCAL_OWNER_ID, run_id=report.run_id, now=later)  # type: ignore[arg-type]
    assert data_rows(snapshot) == before
