"""Checks on values a user typed; each failure names the field and what was wrong."""

from __future__ import annotations

import calendar
import re

from tieline.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")

TIER_NAMES = {1: "inner", 2: "close", 3: "active", 4: "network", 5: "acquaintance"}
_TIER_BY_NAME = {name: number for number, name in TIER_NAMES.items()}


def email(value: str) -> str:
    """A lower-cased email address, or InvalidInput."""
    address = value.strip()
    if not _EMAIL.match(address):
        raise InvalidInput(f"not an email address: {value!r}")
    return address.lower()


def phone_key(number: str) -> str:
    """The digits of a phone number (with a leading + kept), for matching; InvalidInput if none."""
    stripped = number.strip()
    digits = re.sub(r"\D", "", stripped)
    if len(digits) < 3:
        raise InvalidInput(f"not a phone number: {number!r}")
    return ("+" if stripped.startswith("+") else "") + digits


def tier(value: str | int) -> int:
    """A tier from 1 (inner) to 5 (acquaintance), given as a number or a name."""
    text = str(value).strip().lower()
    if text.isdigit() and 1 <= int(text) <= 5:
        return int(text)
    if text in _TIER_BY_NAME:
        return _TIER_BY_NAME[text]
    names = ", ".join(f"{n}={name}" for n, name in TIER_NAMES.items())
    raise InvalidInput(f"unknown tier {value!r}: use 1-5 or a name ({names})")


def closeness(value: int) -> int:
    """A closeness rating from 1 (distant) to 5 (very close)."""
    if not 1 <= value <= 5:
        raise InvalidInput(f"closeness must be from 1 to 5, not {value}")
    return value


def cadence(value: int) -> int:
    """A keep-in-touch cadence in days, at least 1."""
    if value < 1:
        raise InvalidInput(f"cadence must be at least 1 day, not {value}")
    return value


def birthday(value: str) -> tuple[int | None, int, int]:
    """(year or None, month, day) from YYYY-MM-DD or --MM-DD / MM-DD (no year)."""
    text = value.strip()
    m = re.fullmatch(r"(?:(\d{4})-|--)?(\d{1,2})-(\d{1,2})", text)
    if not m:
        raise InvalidInput(f"cannot read birthday {value!r}: use YYYY-MM-DD, or MM-DD without a year")
    year = int(m.group(1)) if m.group(1) else None
    month, day = int(m.group(2)), int(m.group(3))
    leap_year = 2000
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year or leap_year, month)[1]:
        raise InvalidInput(f"no such date: birthday {value!r}")
    return year, month, day


def link_kind(url: str) -> str:
    """What kind of link a URL is: linkedin, github, twitter, or website."""
    lowered = url.lower()
    for host, kind in (
        ("linkedin.com", "linkedin"),
        ("github.com", "github"),
        ("twitter.com", "twitter"),
        ("x.com/", "twitter"),
        ("mastodon", "mastodon"),
    ):
        if host in lowered:
            return kind
    return "website"


def non_empty(value: str, field: str) -> str:
    """The value stripped, or InvalidInput when nothing is left."""
    text = value.strip()
    if not text:
        raise InvalidInput(f"{field} cannot be empty")
    return text
