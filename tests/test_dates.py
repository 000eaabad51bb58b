"""Dates as people type them (tieline.dates), counted from a fixed Tuesday, 2026-03-10, in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tieline.dates import parse_date, parse_when
from tieline.errors import InvalidInput

TODAY = date(2026, 3, 10)  # a Tuesday
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("yesterday", date(2026, 3, 9)),
        ("tomorrow", date(2026, 3, 11)),
        ("2026-03-01", date(2026, 3, 1)),
        ("3 days ago", date(2026, 3, 7)),
        ("1 day ago", date(2026, 3, 9)),
        ("2 weeks ago", date(2026, 2, 24)),
        ("1 month ago", TODAY - timedelta(days=30)),
        ("1 year ago", TODAY - timedelta(days=365)),
        ("in 2 weeks", date(2026, 3, 24)),
        ("last friday", date(2026, 3, 6)),
        ("last monday", date(2026, 3, 9)),
    ],
)
def test_parse_date_reads_the_forms_people_type(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_last_weekday_named_today_means_a_week_ago() -> None:
    assert parse_date("last tuesday", today=TODAY) == date(2026, 3, 3)


def test_parse_date_ignores_case_and_surrounding_space() -> None:
    assert parse_date("  Yesterday ", today=TODAY) == date(2026, 3, 9)
    assert parse_date("3 Days Ago", today=TODAY) == date(2026, 3, 7)
    assert parse_date("LAST FRIDAY", today=TODAY) == date(2026, 3, 6)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "2026-02-30",
        "2026-13-01",
        "3 fortnights ago",
        "last funday",
        "days ago",
        "-3 days ago",
    ],
)
def test_parse_date_rejects_what_it_cannot_read_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput, match="--date"):
        parse_date(text, today=TODAY, field="--date")


@pytest.mark.parametrize("text", ["999999 years ago", "in 99999 years", "9999999999 days ago"])
def test_parse_date_rejects_relative_dates_beyond_the_calendar(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_date(text, today=TODAY)


def test_parse_when_today_means_now() -> None:
    assert parse_when("today", now=NOW) == NOW


def test_parse_when_another_day_means_noon_local_time() -> None:
    assert parse_when("3 days ago", now=NOW) == datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert parse_when("2026-03-01", now=NOW) == datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_parse_when_keeps_the_time_of_an_iso_timestamp() -> None:
    assert parse_when("2026-03-01T09:30:00+02:00", now=NOW) == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    assert parse_when("2026-03-01 09:30", now=NOW) == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_parse_when_returns_utc() -> None:
    assert parse_when("2026-03-01T09:30:00-05:00", now=NOW).tzinfo == UTC


def test_parse_when_rejects_a_malformed_timestamp() -> None:
    with pytest.raises(InvalidInput, match="--date"):
        parse_when("2026-03-01T25:99", now=NOW, field="--date")


@given(st.text(max_size=40))
def test_parse_date_raises_only_invalid_input_on_any_text(text: str) -> None:
    try:
        result = parse_date(text, today=TODAY)
    except InvalidInput:
        return
    assert isinstance(result, date)


@given(
    st.from_regex(r"\A(last )?(mon|tues|wednes|thurs|fri|satur|sun)day\Z")
    | st.from_regex(r"\A(in )?\d{1,3} (day|week|month|year)s?( ago)?\Z")
    | st.dates().map(date.isoformat)
)
def test_parse_date_raises_only_invalid_input_on_date_like_text(text: str) -> None:
    try:
        result = parse_date(text, today=TODAY)
    except InvalidInput:
        return
    assert isinstance(result, date)


@pytest.mark.parametrize("text", ["0001-01-01T00:00+05:00", "9999-12-31T23:59-05:00"])
def test_parse_when_at_the_edge_of_the_calendar_is_a_clear_error(text: str) -> None:
    with pytest.raises(InvalidInput, match="beyond the calendar"):
        parse_when(text, now=NOW)
