"""Mail headers over IMAP: INBOX and the \\Sent folder, a cursor per folder, nothing marked read.

The conversation with the server is `imap_wire` (which folders, which UIDs, the header blocks in
batches); this module turns each block into a record through importers/mail_headers, exactly as an
mbox import reads the same message, and counts what it could not read. A first sync (no cursor yet)
holds the conversation in a helper process, so the headers of one batch are read here while the
next batch is fetched; later syncs bring a few messages and talk to the server directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from email.utils import getaddresses
from typing import Any

from tieline.connectors.base import FetchResult
from tieline.connectors.imap_wire import (
    BATCH,
    HEADER_FIELDS,
    TIMEOUT,
    ImapAccount,
    conversation,
    conversation_aside,
)
from tieline.importers import email_addresses
from tieline.importers.mail_headers import MailContext, read_headers
from tieline.importers.records import InteractionRecord, Origin, Record, SkippedRecord

__all__ = ["HEADER_FIELDS", "ImapAccount", "MailFetch", "fetch_mail"]

MAX_RECIPIENTS = 10  # as an import's default: mail to more people is a broadcast

Progress = Callable[[int, int], None]


def fetch_mail(
    account: ImapAccount, password: str, cursors: dict[str, dict[str, Any]], **options: Any
) -> FetchResult:
    """The whole fetch at once (MailFetch's arguments): the interactions in the account's folders
    since their cursors (or the last `months`), and the cursors to keep."""
    fetch = MailFetch(account, password, cursors, **options)
    for _ in fetch:
        pass
    return fetch.result


class MailFetch:
    """One fetch of a mailbox as it goes: iterating gives each batch's records as they are read
    (`tieline sync` stores them while the rest is fetched); `result` gathers them all, and the
    cursors and counts once the last batch is in."""

    def __init__(
        self,
        account: ImapAccount,
        password: str,
        cursors: dict[str, dict[str, Any]],
        *,
        now: datetime,
        own_emails: frozenset[str],
        progress: Progress | None = None,
        batch: int = BATCH,
        timeout: float = TIMEOUT,
    ) -> None:
        own = set(own_emails)
        if "@" in account.user and (address := email_addresses.normalise(account.user)):
            own.add(address)  # the login is usually an address of the owner's own
        self.context = MailContext(
            path=f"imap://{account.user}@{account.host}",
            source="mbox",
            own=frozenset(own),
            max_recipients=MAX_RECIPIENTS,
        )
        talk = conversation if cursors else conversation_aside
        self._events = talk(account, password, cursors, now=now, batch=batch, timeout=timeout)
        self.progress = progress
        self.result = FetchResult(counts={"folders": 0, "messages": 0, "broken": 0, "resynced": 0})
        self.total = self.done = 0
        self._started: float | None = None  # when the first FETCH was asked for

    def __iter__(self) -> Iterator[list[Record]]:
        result, sent, plans = self.result, set[str](), []
        for event in self._events:
            if event[0] == "planned":
                _, plans, result.counts["resynced"] = event
                sent = {name for name, is_sent, *_ in plans if is_sent}
                self.total = sum(count for *_, count, _ in plans)
                self._started = time.monotonic()
                if self.progress is not None:
                    self.progress(0, self.total)
                continue
            _, folder, blocks = event
            read, skipped = len(result.interactions), len(result.skipped)
            for uid, block in blocks:
                _add(result, self.context, folder, folder in sent, uid, block)
            self.done += len(blocks)
            if self.progress is not None:
                self.progress(self.done, self.total)
            yield [*result.interactions[read:], *result.skipped[skipped:]]
        # Cursors only once every batch is in: a failure before this point brings no cursor at all.
        result.cursors = {name: {"uidvalidity": v, "last_uid": last} for name, _, v, _, last in plans}
        result.counts["folders"] = len(result.cursors)
        result.counts["interactions"] = len(result.interactions)
        result.counts["skipped"] = len(result.skipped)

    def seconds_left(self) -> float | None:
        """How long the rest of the fetch should take at the pace so far (None before any batch)."""
        if self._started is None or not self.done:
            return None
        return (self.total - self.done) * (time.monotonic() - self._started) / self.done


def _add(
    result: FetchResult, context: MailContext, folder: str, sent: bool, uid: int, block: bytes | None
) -> None:
    """One fetched message as a record, or skipped (and counted) when its headers cannot be read."""
    result.counts["messages"] += 1
    origin = Origin(f"{context.path}/{folder}", uid)
    if block is None:
        result.counts["broken"] += 1
        result.skipped.append(SkippedRecord(origin, "broken headers: the server sent none"))
        return
    try:
        headers = read_headers(block)
        if sent:
            _own_sender(context, headers)
        record = context.record(headers, uid)
    except (ValueError, LookupError, UnicodeError, TypeError) as exc:
        result.counts["broken"] += 1
        result.skipped.append(SkippedRecord(origin, f"broken headers: {type(exc).__name__}"))
        return
    record.origin = origin
    if isinstance(record, InteractionRecord):
        result.interactions.append(record)
    else:
        if record.reason.startswith(("no sender", "no Date", "cannot read the Date")):
            result.counts["broken"] += 1
        result.skipped.append(record)


def _own_sender(context: MailContext, headers: dict[str, str]) -> None:
    """What is in Sent was sent by the owner: its From is one of their addresses, even an unlisted alias."""
    for _, address in getaddresses([headers.get("from", "")])[:1]:
        normal = email_addresses.normalise(address)
        if normal and normal not in context.own:
            context.own = context.own | {normal}
