"""Durations and days as people say them (tieline.dates: how_long, how_often, spoken_day), for the
agenda's reasons: "almost four years", not "1376 days"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tieline.dates import how_long, how_often, spoken_day

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (0, "less than a day"),
        (1, "a day"),
        (2, "two days"),
        (7, "a week"),
        (9, "nine days"),
        (12, "12 days"),
        (14, "two weeks"),
        (19, "almost three weeks"),
        (21, "three weeks"),
        (30, "a month"),
        (45, "over a month"),
        (60, "two months"),
        (95, "three months"),
        (200, "almost seven months"),
        (365, "a year"),
        (480, "over a year"),
        (600, "almost two years"),
        (730, "two years"),
        (1376, "almost four years"),
        (4000, "11 years"),
    ],
)
def test_how_long_rounds_to_the_unit_people_would_use(days: int, said: str) -> None:
    assert how_long(days) == said


@pytest.mark.parametrize(
    ("days", "said"),
    [
        (1, "every day"),
        (7, "every week"),
        (10, "every ten days"),
        (14, "every two weeks"),
        (30, "every month"),
        (31, "every month"),
        (45, "every 45 days"),
        (90, "every three months"),
        (91, "every three months"),
        (182, "every six months"),
        (365, "every year"),
        (730, "every two years"),
    ],
)
def test_how_often_names_the_rhythm(days: int, said: str) -> None:
    assert how_often(days) == said


@pytest.mark.parametrize(
    ("offset", "said"),
    [
        (0, "today"),
        (-1, "yesterday"),
        (1, "tomorrow"),
        (-2, "on Sunday"),
        (3, "on Friday"),
        (-7, "on 3 March"),
        (300, "on 4 January 2027"),
        (-400, "on 3 February 2025"),
    ],
)
def test_spoken_day_is_relative_within_a_week_and_a_date_beyond(offset: int, said: str) -> None:
    assert spoken_day(TODAY + timedelta(days=offset), today=TODAY) == said
