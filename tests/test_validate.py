"""Checks on values a user typed (tieline.validate): each failure is an InvalidInput naming the value."""

from __future__ import annotations

import pytest

from tieline import validate
from tieline.errors import InvalidInput


def test_email_is_stripped_and_lower_cased() -> None:
    assert validate.email("  Ana.Lima@Example.COM ") == "ana.lima@example.com"


@pytest.mark.parametrize("value", ["", "ana", "ana@", "@example.com", "ana@example", "a b@example.com"])
def test_email_rejects_what_is_not_an_address(value: str) -> None:
    with pytest.raises(InvalidInput, match="not an email address"):
        validate.email(value)


@pytest.mark.parametrize(("value", "expected"), [("1", 1), (5, 5), ("inner", 1), (" Network ", 4)])
def test_tier_accepts_a_number_or_a_name(value: str | int, expected: int) -> None:
    assert validate.tier(value) == expected


@pytest.mark.parametrize("value", ["0", "6", "best", "", "-1"])
def test_tier_rejects_anything_else_listing_the_choices(value: str) -> None:
    with pytest.raises(InvalidInput, match="1=inner"):
        validate.tier(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1980-05-02", (1980, 5, 2)),
        ("05-02", (None, 5, 2)),
        ("--12-31", (None, 12, 31)),
        ("02-29", (None, 2, 29)),
    ],
)
def test_birthday_with_or_without_a_year(value: str, expected: tuple[int | None, int, int]) -> None:
    assert validate.birthday(value) == expected


@pytest.mark.parametrize("value", ["2023-02-29", "13-01", "1980-04-31", "May 2nd", "1980/05/02"])
def test_birthday_rejects_impossible_or_unreadable_dates(value: str) -> None:
    with pytest.raises(InvalidInput, match="birthday"):
        validate.birthday(value)


def test_phone_key_keeps_digits_and_a_leading_plus() -> None:
    assert validate.phone_key("+44 (0)20 7946-0018") == "+4402079460018"
    assert validate.phone_key("020 7946 0018") == "02079460018"


def test_phone_key_rejects_text_without_digits() -> None:
    with pytest.raises(InvalidInput, match="phone"):
        validate.phone_key("call me")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.linkedin.com/in/ana", "linkedin"),
        ("https://github.com/ana", "github"),
        ("https://x.com/ana", "twitter"),
        ("https://mastodon.social/@ana", "mastodon"),
        ("https://ana.example", "website"),
    ],
)
def test_link_kind_recognises_common_sites(url: str, kind: str) -> None:
    assert validate.link_kind(url) == kind


@pytest.mark.parametrize(
    ("check", "value"), [(validate.closeness, 0), (validate.closeness, 6), (validate.cadence, 0)]
)
def test_ratings_out_of_range_are_rejected(check, value: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        check(value)


def test_non_empty_names_the_field() -> None:
    assert validate.non_empty("  Ana ", "name") == "Ana"
    with pytest.raises(InvalidInput, match="name cannot be empty"):
        validate.non_empty("   ", "name")
