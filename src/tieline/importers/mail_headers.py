"""One email's header block -> an InteractionRecord (kind "email"), or the reason it is not a conversation.

Only the headers that say who, when and what are read (From, To, Cc, Bcc, Date, Subject, Message-ID
and the list markers); unfolding is done here rather than with the email package's feed parser,
which is several times slower and would dominate a 200,000-message import.
"""

from __future__ import annotations

import base64
import binascii
import email.utils
import hashlib
import quopri
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from tieline.importers import email_addresses
from tieline.importers.records import InteractionRecord, Origin, SkippedRecord

_WANTED = re.compile(
    rb"^(from|to|cc|bcc|date|subject|message-id|list-id|mailing-list|precedence|auto-submitted)[ \t]*:"
    rb"(.*(?:\r?\n[ \t].*)*)",
    re.MULTILINE | re.IGNORECASE,
)
_FOLD = re.compile(rb"\r?\n(?=[ \t])")
_BULK = {"bulk", "list", "junk"}
# One address of a list: quoted strings and <...> may hold commas.
_ADDRESS_LIST = re.compile(r'(?:"(?:[^"\\]|\\.)*"|<[^>]*>|[^,"<])+')
_ANGLE = re.compile(r"(.*?)<([^<>]*)>\s*", re.DOTALL)
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(\?=)\s+(?==\?)")
_RFC5322_DATE = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+([+-])(\d{2})(\d{2})"
    r"(?:\s*\(.*\))?\s*"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


def read_headers(block: bytes) -> dict[str, str]:
    """The wanted headers of a header block, unfolded and decoded to text; the first of each wins."""
    found: dict[str, str] = {}
    for name, value in _WANTED.findall(block):
        key = name.lower().decode("ascii")
        if key not in found:
            found[key] = _text(_FOLD.sub(b"", value).strip())
    return found


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # raw 8-bit headers of old mailers


def decode_words(value: str) -> str:
    """A header with its =?charset?B/Q?...?= encoded words decoded; text left as is when they are broken."""
    if "=?" not in value:
        return " ".join(value.split())
    try:
        joined = _BETWEEN_WORDS.sub(r"\1", value)  # white space between two encoded words is not text
        return " ".join(_ENCODED_WORD.sub(_decode_word, joined).split())
    except (LookupError, ValueError, UnicodeError, binascii.Error):
        return " ".join(value.split())


def _decode_word(match: re.Match[str]) -> str:
    charset, kind, text = match.group(1).split("*", 1)[0], match.group(2).upper(), match.group(3)
    if kind == "B":
        data = base64.b64decode(text + "=" * (-len(text) % 4))
    else:
        data = quopri.decodestring(text.replace("_", " ").encode("ascii"), header=True)
    return data.decode(charset, errors="replace")


@dataclass
class MailContext:
    """What turning messages into records needs across a whole mailbox."""

    path: str
    source: str
    own: frozenset[str]
    max_recipients: int
    skip_no_reply: bool = True
    # message-id -> (hash of who/when/what, line): a repeated message is skipped, a reused id kept.
    seen: dict[str, tuple[int, int | None]] = field(default_factory=dict)

    def record(
        self, headers: dict[str, str], line: int | None, fallback_date: datetime | None = None
    ) -> InteractionRecord | SkippedRecord:
        """The interaction this message is, or why it is skipped."""
        origin = Origin(self.path, line)
        if "list-id" in headers or "mailing-list" in headers:
            return SkippedRecord(origin, "mailing-list message (List-Id header)")
        if headers.get("precedence", "").strip().lower() in _BULK:
            return SkippedRecord(origin, f"bulk mail (Precedence: {headers['precedence'].strip()})")
        if headers.get("auto-submitted", "no").strip().lower() not in ("no", ""):
            return SkippedRecord(origin, "automatic message (Auto-Submitted header)")
        senders = _addresses(headers.get("from", ""))
        if not senders:
            return SkippedRecord(origin, "no sender address (From header missing or unreadable)")
        sender, sender_name = senders[0]
        if self.skip_no_reply and email_addresses.is_robot(sender):
            return SkippedRecord(origin, f"sent by an automated or placeholder address ({sender})")
        when = _date(headers.get("date"), fallback_date)
        if isinstance(when, str):
            return SkippedRecord(origin, when)
        recipients: dict[str, str] = {}
        for key in ("to", "cc", "bcc"):
            for address, name in _addresses(headers.get(key, "")):
                recipients.setdefault(address, name)
        if len(recipients) > self.max_recipients:
            return SkippedRecord(
                origin, f"sent to {len(recipients)} recipients (more than {self.max_recipients}): a broadcast"
            )
        mine = sender in self.own
        names = {sender: sender_name, **{a: n for a, n in recipients.items() if a not in (sender,)}}
        others = [
            a
            for a in [sender, *recipients]
            if a not in self.own and not (self.skip_no_reply and email_addresses.is_robot(a))
        ]
        others = list(dict.fromkeys(others))
        if not others:
            return SkippedRecord(
                origin, "no other participant: only you, or automated and placeholder addresses"
            )
        subject = decode_words(headers.get("subject", "")) or None
        source_id = self._source_id(headers, sender, when, subject, line)
        if isinstance(source_id, SkippedRecord):
            return source_id
        return InteractionRecord(
            source=self.source,
            source_id=source_id,
            origin=origin,
            kind="email",
            occurred_at=when,
            initiated_by="me" if mine else "them",
            subject=subject,
            emails=others,
            names={a: names[a] for a in others if names.get(a)},
            addressed_to_me_alone=not mine and bool(recipients) and all(a in self.own for a in recipients),
        )

    def _source_id(
        self, headers: dict[str, str], sender: str, when: datetime, subject: str | None, line: int | None
    ) -> str | SkippedRecord:
        message_id = "".join(headers.get("message-id", "").split()).strip("<>")
        if not message_id:
            return f"sha1:{_fingerprint(sender, when, subject)}"
        identity = (sender, when, subject)
        previous = self.seen.get(message_id)
        if previous is None:
            self.seen[message_id] = (hash(identity), line)
            return message_id
        if previous[0] == hash(identity):
            return SkippedRecord(Origin(self.path, line), f"the same message as at line {previous[1]}")
        # Different messages under one Message-ID (a broken mailer): keep each, told apart.
        return f"{message_id}#{_fingerprint(sender, when, subject)}"


def _fingerprint(sender: str, when: datetime, subject: str | None) -> str:
    """A stable short digest of who, when and what: the id of a message that has no Message-ID."""
    return hashlib.sha1(f"{sender}\0{when.isoformat()}\0{subject}".encode()).hexdigest()[:16]


@lru_cache(maxsize=16384)
def _addresses(value: str) -> tuple[tuple[str, str], ...]:
    """(lower-cased address, decoded display name) for each real address in an address header.

    Cached: in a real mailbox the same From and To headers come back thousands of times.
    """
    if not value:
        return ()
    out: list[tuple[str, str]] = []
    for name, address in _split_addresses(value):
        normal = email_addresses.normalise(address)
        if normal:
            display = decode_words(name).strip().strip('"').strip()
            out.append((normal, display if display.lower() != normal else ""))
    return tuple(out)


def _split_addresses(value: str) -> list[tuple[str, str]]:
    """(name, address) pairs: a fast path for the common `Name <a@b>, "Last, First" <c@d>` forms.

    email.utils.getaddresses is exact but costs about half a millisecond a header; it is kept for
    headers with comments, groups or escapes, which the fast path does not try to read.
    """
    if "(" in value or ":" in value or ";" in value or "\\" in value:
        return email.utils.getaddresses([value])
    pairs: list[tuple[str, str]] = []
    for part in _ADDRESS_LIST.findall(value):
        part = part.strip()
        if not part:
            continue
        match = _ANGLE.fullmatch(part)
        if match:
            pairs.append((match.group(1).strip(), match.group(2)))
        else:
            pairs.append(("", part))
    return pairs


def _date(value: str | None, fallback: datetime | None) -> datetime | str:
    """The Date header as aware UTC, else the mbox separator's date, else the reason it is unusable."""
    if value is None or not value.strip():
        if fallback is not None:
            return fallback
        return "no Date header"
    text = value.strip()
    fast = _RFC5322_DATE.fullmatch(text)
    month = _MONTHS.get(fast.group(2).lower()) if fast else None
    try:
        if fast and month:
            day, _, year, hour, minute, second, sign, off_h, off_m = fast.groups()
            offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
            local = datetime(int(year), month, int(day), int(hour), int(minute), int(second or 0), tzinfo=UTC)
            return local - offset
        when = email.utils.parsedate_to_datetime(text)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)  # "-0000": time zone unknown, read as UTC
        return when.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return f"cannot read the Date header {text[:60]!r}"
