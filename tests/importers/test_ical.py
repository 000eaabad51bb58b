"""iCalendar parsing: who met whom and when, from real calendar exports, our own files and fuzzed ones."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.importers.mutations import mutated
from tieline.importers import ical
from tieline.importers.ical_time import Zones
from tieline.importers.records import ImportOptions, InteractionRecord, MalformedFile, SkippedRecord

DATA = Path(__file__).parents[1] / "data" / "ics"
FIXTURES = Path(__file__).parents[3] / "shared" / "fixtures" / "ics"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures not present")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Options(ImportOptions):
    """ImportOptions with a fixed clock, so "past" does not depend on the day the tests run."""

    now: datetime | None = NOW


ME = Options(own_emails=frozenset({"me@example.com"}))


def meetings(path: Path, options: object = ME) -> list[InteractionRecord]:
    return [r for r in ical.parse(path, options=options) if isinstance(r, InteractionRecord)]


def skips(path: Path, options: object = ME) -> list[tuple[int | None, str]]:
    return [
        (r.origin.line, r.reason) for r in ical.parse(path, options=options) if isinstance(r, SkippedRecord)
    ]


# --- our own files ---------------------------------------------------------------------------


def test_windows_time_zone_names_resolve_to_iana_zones() -> None:
    kickoff = meetings(DATA / "outlook_meetings.ics")[0]
    assert kickoff.subject == "Project kickoff"
    # 10:00 in "W. Europe Standard Time" in January is 09:00 UTC (CET, +01:00).
    assert kickoff.occurred_at == datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
    assert kickoff.source_id == "040000008200E00074C5B7101A82E00800000000-project-kickoff/20240115T090000Z"


def test_participants_exclude_me_rooms_decliners_robots_pseudo_addresses_and_alarm_attendees() -> None:
    kickoff = meetings(DATA / "outlook_meetings.ics")[0]
    assert kickoff.emails == ["ana.lima@fictional-robotics.example", "chinedu@okafor-consulting.example"]
    assert kickoff.names == {
        "ana.lima@fictional-robotics.example": "Ana Lima",
        "chinedu@okafor-consulting.example": "Chinedu Okafor",
    }
    assert kickoff.initiated_by == "me"  # I organised it
    assert kickoff.kind == "meeting"


def test_recurring_meeting_counts_each_past_occurrence_with_exdate_and_a_moved_one() -> None:
    weekly = [m for m in meetings(DATA / "outlook_meetings.ics") if m.source_id.startswith("weekly-")]
    # Five weekly occurrences from 2 March 2026, the 9th excluded, the 16th moved to the 17th.
    assert [m.occurred_at for m in weekly] == [
        datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 17, 13, 0, tzinfo=UTC),
        datetime(2026, 3, 23, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),  # summer time from 29 March
    ]
    # The moved one keeps the id of the slot it was moved from, so a re-import matches it.
    assert weekly[1].source_id == "weekly-one-on-one-mei/20260316T080000Z"
    assert weekly[1].subject == "1:1 Mei (moved)"
    assert all(m.emails == ["mei.tanaka@example.org"] and m.initiated_by == "them" for m in weekly)


def test_only_past_occurrences_count() -> None:
    weekly = [
        m
        for m in meetings(
            DATA / "outlook_meetings.ics",
            Options(own_emails=ME.own_emails, now=datetime(2026, 3, 20, tzinfo=UTC)),
        )
        if m.source_id.startswith("weekly-")
    ]
    assert len(weekly) == 2


def test_all_day_event_is_placed_at_noon_utc_of_its_day() -> None:
    (offsite,) = [m for m in meetings(DATA / "outlook_meetings.ics") if m.subject == "Team offsite"]
    assert offsite.occurred_at == datetime(2025, 9, 10, 12, 0, tzinfo=UTC)
    assert offsite.source_id == "offsite-2025/20250910"
    assert offsite.emails == ["lucia.garcia@ejemplo.example", "zoe.angstrom@exempel.example"]
    assert offsite.names == {"zoe.angstrom@exempel.example": "Zoë Ångström"}


def test_cancelled_declined_future_and_lonely_events_are_skipped_with_reasons() -> None:
    assert skips(DATA / "outlook_meetings.ics") == [
        (72, "event was cancelled"),
        (79, "you declined the event on 2025-04-01"),
        (86, "event is in the future"),
        (97, "event has no attendees other than you"),
    ]


def test_an_event_without_uid_gets_a_stable_content_hash() -> None:
    (coffee,) = [m for m in meetings(DATA / "outlook_meetings.ics") if m.subject == "Coffee without a UID"]
    assert coffee.source_id.startswith("sha1:") and coffee.source_id.endswith("/20250505T080000Z")
    again = [m for m in meetings(DATA / "outlook_meetings.ics") if m.subject == "Coffee without a UID"]
    assert again[0].source_id == coffee.source_id


def test_a_broken_event_is_skipped_and_the_others_kept() -> None:
    path = DATA / "broken_event.ics"
    (fine,) = meetings(path)
    assert fine.subject == "A fine meeting"
    reasons = skips(path)
    assert reasons[0][0] == 4 and reasons[0][1].startswith("cannot read DTSTART")
    assert reasons[1] == (10, "event has no start time (DTSTART)")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not_a_calendar.ics", "not_a_calendar.ics:1: not an iCalendar file"),
        ("truncated.ics", "truncated.ics:3: BEGIN:VEVENT is never closed"),
    ],
)
def test_a_file_that_is_not_a_whole_calendar_is_refused_with_file_and_line(name: str, message: str) -> None:
    with pytest.raises(MalformedFile) as caught:
        list(ical.parse(DATA / name, options=ME))
    assert message in str(caught.value)


def test_sniff_recognises_calendars_only() -> None:
    assert ical.sniff(DATA / "outlook_meetings.ics")
    assert not ical.sniff(DATA / "not_a_calendar.ics")


# --- real files from other projects ----------------------------------------------------------


@needs_fixtures
def test_every_real_calendar_parses_and_counts_what_a_reader_sees() -> None:
    counts = {path.name: len(meetings(path)) for path in sorted(FIXTURES.glob("*.ics"))}
    assert counts == {
        "icalendar_docs_tutorial_example.ics": 1,  # the bicycle pick-up has no attendees
        "icalendar_property_params.ics": 1,
        # Monthly on the first Tuesday for the last five years (60) plus two RDATEs in November 2023.
        "icaljs_recur_instances.ics": 62,
        "khal_event_d.ics": 0,
        "khal_event_dt_partstat.ics": 1,
        "khal_tz_windows_format.ics": 0,
    }


@needs_fixtures
def test_two_events_sharing_a_uid_are_both_read() -> None:
    records = list(ical.parse(FIXTURES / "icalendar_docs_tutorial_example.ics", options=ME))
    assert [(r.origin.line, type(r).__name__) for r in records] == [
        (5, "SkippedRecord"),
        (12, "InteractionRecord"),
    ]
    ride = records[1]
    assert ride.emails == ["another_friend@example.com", "late_joiner@example.com"]  # me@example.com is me


@needs_fixtures
def test_organizer_counts_once_and_upper_case_mailto_is_read() -> None:
    (meeting,) = meetings(FIXTURES / "icalendar_property_params.ics")
    assert meeting.emails == ["rembrand@daxlab.com", "rembrand@xs4all.nl", "rembspam@xs4all.nl"]
    assert meeting.names["rembrand@xs4all.nl"] == "RembrandXS"
    assert meeting.occurred_at == datetime(2012, 8, 14, 12, 0, tzinfo=UTC)  # all-day


@needs_fixtures
def test_partstat_delegated_declined_and_addresses_folded_mid_word() -> None:
    (meeting,) = meetings(FIXTURES / "khal_event_dt_partstat.ics")
    # hcabot@ example.com is folded in the middle of the address; iamboss delegated, another declined.
    assert meeting.emails == [
        "hcabot@example.com",
        "jdoe@example.com",
        "jqpublic@example.com",
        "tent@example.com",
    ]
    assert meeting.occurred_at == datetime(2014, 4, 9, 7, 30, tzinfo=UTC)


@needs_fixtures
def test_recurrence_with_rdate_period_exdate_and_overrides() -> None:
    path = FIXTURES / "icaljs_recur_instances.ics"
    records = meetings(path)
    assert records[0].occurred_at == datetime(2021, 12, 7, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles
    assert records[-1].occurred_at == datetime(2026, 11, 3, 18, 0, tzinfo=UTC)
    rdates = [r.occurred_at for r in records if r.occurred_at.day in (23, 25) and r.occurred_at.year == 2023]
    assert rdates == [datetime(2023, 11, 23, 9, 0, tzinfo=UTC), datetime(2023, 11, 25, 9, 0, tzinfo=UTC)]
    assert records[0].emails == [
        "jlal@mozilla.com",
        "calmozilla1@gmail.com",
        "james@lightsofapollo.com",
        "iam.revelation@gmail.com",
    ]
    assert records[0].names == {"jlal@mozilla.com": "James Lal", "calmozilla1@gmail.com": "Sahaja Lal"}
    assert skips(path)[0][1].startswith("recurring event: occurrences before 2021-11-25 are not counted")
    assert len({r.source_id for r in records}) == len(records)


@needs_fixtures
def test_windows_zone_name_in_a_real_file_means_the_iana_zone() -> None:
    zone = Zones([]).get("New Zealand Standard Time")
    assert zone is not None and str(zone) == "Pacific/Auckland"
    assert skips(FIXTURES / "khal_tz_windows_format.ics") == [(19, "event has no attendees other than you")]


# --- fuzzing ---------------------------------------------------------------------------------


def _sources() -> list[bytes]:
    files = [p for p in sorted(DATA.glob("*.ics")) if p.name != "not_a_calendar.ics"]
    if FIXTURES.is_dir():
        files += sorted(FIXTURES.glob("*.ics"))
    return [f.read_bytes()[:6000] for f in files]


def _check(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.ics"
        path.write_bytes(content)
        try:
            records = list(ical.parse(path, options=ME))
        except MalformedFile as exc:
            assert str(path) in str(exc)
            return
        for record in records:
            assert isinstance(record, InteractionRecord | SkippedRecord)
            if isinstance(record, InteractionRecord):
                assert record.occurred_at.tzinfo is not None and record.emails


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=1500))
def test_random_bytes_never_crash_the_parser(content: bytes) -> None:
    _check(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(_sources()))
def test_mutated_real_files_yield_records_or_a_domain_error(content: bytes) -> None:
    _check(content)
