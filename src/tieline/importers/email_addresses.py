"""Which addresses in a calendar or a mailbox are people: the owner's own, robots and placeholders are not."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:.]+")
# Local parts that belong to machines, never to a person one has a relationship with.
_ROBOT_LOCAL = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|mailer[-_.]daemon|postmaster|"
    r"bounces?|notifications?|nobody|calendar-notification|unknownorganizer)(?:[-+_.].*)?$",
    re.IGNORECASE,
)
# Calendar providers give rooms, shared calendars and imported feeds addresses of their own.
_PSEUDO_DOMAINS = (
    "resource.calendar.google.com",
    "group.calendar.google.com",
    "import.calendar.google.com",
    "group.v.calendar.google.com",
)


@lru_cache(maxsize=65536)
def normalise(value: str | None) -> str | None:
    """A lower-cased address from `mailto:Ana@X.org` / `<ana@x.org>` / `ana@x.org`, or None if none."""
    if not value:
        return None
    text = value.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    # No address holds white space; calendar writers fold long lines in the middle of one.
    text = "".join(text.split()).strip("<>")
    if not _ADDRESS.fullmatch(text):
        return None
    return text.lower()


@lru_cache(maxsize=65536)
def is_robot(address: str) -> bool:
    """True for no-reply senders, daemons, placeholders and calendar resources (rooms, feeds)."""
    local, _, domain = address.rpartition("@")
    domain = domain.lower()
    if domain == "invalid" or domain.endswith(".invalid"):  # RFC 2606: a name that never resolves
        return True
    if domain in _PSEUDO_DOMAINS or domain.endswith(tuple("." + d for d in _PSEUDO_DOMAINS)):
        return True
    return bool(_ROBOT_LOCAL.match(local))


def own_addresses(options: object) -> frozenset[str]:
    """The owner's addresses from `options.own_emails`, lower-cased."""
    own: Iterable[str] = getattr(options, "own_emails", None) or ()
    return frozenset(a.strip().lower() for a in own if a and a.strip())
