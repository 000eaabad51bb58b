"""Mail headers over IMAP (imapclient): INBOX and the \\Sent folder, a cursor per folder, nothing marked read.

Each folder is opened read-only (EXAMINE) and its cursor is UIDVALIDITY + the last UID seen. The
first sync takes the messages that arrived in the last `months` (SEARCH SINCE); later ones take UIDs
after the cursor; a changed UIDVALIDITY (the server renumbered the folder) starts the window again,
and the save step's upsert on Message-ID keeps that from duplicating anything. Only the header
fields in `HEADER_FIELDS` are fetched, with BODY.PEEK so that no \\Seen flag is set, and each block
becomes a record through importers/mail_headers, exactly as an mbox import reads the same message.
Every failure is a SyncError by kind; the password never enters a message.
"""

from __future__ import annotations

import imaplib
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import getaddresses
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from tieline.connectors.base import FetchResult, SyncError
from tieline.importers import email_addresses
from tieline.importers.mail_headers import MailContext, read_headers
from tieline.importers.records import InteractionRecord, Origin, SkippedRecord

HEADER_FIELDS = "FROM TO CC DATE MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID AUTO-SUBMITTED PRECEDENCE SUBJECT"
_FETCH = f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]"
BATCH = 500  # UIDs per FETCH: a few hundred KB of headers per answer
TIMEOUT = 30.0  # seconds without a byte from the server before the sync gives up
MAX_RECIPIENTS = 10  # as an import's default: mail to more people is a broadcast
LOOPBACK = ("127.0.0.1", "::1", "localhost")
TLS_MODES = ("ssl", "starttls", "none")

Progress = Callable[[int, int], None]


@dataclass(kw_only=True)
class ImapAccount:
    """Where a mailbox is and which folders to read; the password is passed apart, never kept here."""

    host: str
    port: int = 993
    tls: str = "ssl"  # "ssl" (TLS from the first byte), "starttls", or "none" (loopback only)
    user: str
    folders: list[str] | None = None  # None: INBOX and the folder the server marks \Sent
    months: int = 12  # how far back the first sync reaches
    ca_file: str | None = None  # a private CA to trust (a company's, or the tests')

    def __post_init__(self) -> None:
        if self.tls not in TLS_MODES:
            raise ValueError(f"tls must be one of {', '.join(TLS_MODES)}, not {self.tls!r}")
        if self.tls == "none" and self.host not in LOOPBACK:
            raise ValueError("IMAP without TLS is allowed only to this machine (127.0.0.1 or localhost)")


@dataclass
class _Folder:
    """One folder's plan for this sync: what to fetch and the cursor to keep once it is stored."""

    name: str
    sent: bool
    uidvalidity: int
    uids: list[int]
    last_uid: int


def fetch_mail(
    account: ImapAccount,
    password: str,
    cursors: dict[str, dict[str, Any]],
    *,
    now: datetime,
    own_emails: frozenset[str],
    progress: Progress | None = None,
    batch: int = BATCH,
    timeout: float = TIMEOUT,
) -> FetchResult:
    """The interactions in the account's folders since their cursors (or the last `months`)."""
    own = set(own_emails)
    if "@" in account.user and (address := email_addresses.normalise(account.user)):
        own.add(address)  # the login is usually an address of the owner's own
    context = MailContext(
        path=f"imap://{account.user}@{account.host}",
        source="mbox",
        own=frozenset(own),
        max_recipients=MAX_RECIPIENTS,
    )
    result = FetchResult(counts={"folders": 0, "messages": 0, "broken": 0, "resynced": 0})
    with _failures_as_sync_errors(account, password), _connected(account, password, timeout) as client:
        plans = [
            _plan(client, name, sent, cursors.get(name), account, now, result)
            for name, sent in _folders(client, account)
        ]
        total = sum(len(plan.uids) for plan in plans)
        done = 0
        if progress is not None:
            progress(0, total)
        for plan in plans:
            if plan.uids:
                _select(client, plan.name, expect_uidvalidity=plan.uidvalidity)
            for start in range(0, len(plan.uids), batch):
                chunk = plan.uids[start : start + batch]
                answer = client.fetch(chunk, [_FETCH])
                for uid in chunk:
                    _add(result, context, plan, uid, answer.get(uid))
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            result.cursors[plan.name] = {"uidvalidity": plan.uidvalidity, "last_uid": plan.last_uid}
    result.counts["folders"] = len(result.cursors)
    result.counts["interactions"] = len(result.interactions)
    result.counts["skipped"] = len(result.skipped)
    return result


def _folders(client: IMAPClient, account: ImapAccount) -> list[tuple[str, bool]]:
    """(folder, is the Sent folder) to read: the account's list, else INBOX and the \\Sent one."""
    listed = client.list_folders()
    sent = {name for flags, _, name in listed if b"\\Sent" in flags}
    if account.folders is None:
        found = client.find_special_folder(b"\\Sent") if not sent else sorted(sent)[0]
        return [("INBOX", False)] + ([(found, True)] if found and found != "INBOX" else [])
    names = {name for _, _, name in listed} | {"INBOX"}
    for name in account.folders:
        if name not in names:
            raise SyncError("folder_gone", name)
    return [(name, name in sent) for name in account.folders]


def _plan(
    client: IMAPClient,
    name: str,
    sent: bool,
    cursor: dict[str, Any] | None,
    account: ImapAccount,
    now: datetime,
    result: FetchResult,
) -> _Folder:
    """Which UIDs of a folder are new: after the cursor, or the whole window when there is none."""
    status = _select(client, name)
    uidvalidity = int(status[b"UIDVALIDITY"])
    uidnext = status.get(b"UIDNEXT")
    if cursor and int(cursor.get("uidvalidity", -1)) == uidvalidity:
        last = int(cursor.get("last_uid", 0))
        # "last+1:*" always includes the newest message, even when it is at or below `last`.
        uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
    else:
        if cursor:
            result.counts["resynced"] += 1  # the folder was renumbered: its window again, deduped on save
        last = 0
        uids = sorted(client.search(["SINCE", _months_before(now.date(), account.months)]))
    # Past messages outside the window are never looked at again: the cursor starts at the newest.
    newest = int(uidnext) - 1 if uidnext is not None else max(client.search(["ALL"]), default=0)
    return _Folder(name, sent, uidvalidity, uids, max([last, newest, *uids]))


def _select(client: IMAPClient, name: str, *, expect_uidvalidity: int | None = None) -> dict[bytes, Any]:
    """EXAMINE a folder (read-only: nothing is marked read); folder_gone when it went away."""
    try:
        status = client.select_folder(name, readonly=True)
    except IMAPClientError as exc:
        if b"NONEXISTENT" in str(exc).encode() or "doesn't exist" in str(exc).lower():
            raise SyncError("folder_gone", name) from None
        raise
    if expect_uidvalidity is not None and int(status[b"UIDVALIDITY"]) != expect_uidvalidity:
        raise SyncError("protocol", f"folder {name} was renumbered during the sync; run it again")
    return status


def _add(
    result: FetchResult, context: MailContext, plan: _Folder, uid: int, data: dict[bytes, Any] | None
) -> None:
    """One fetched message as a record, or skipped (and counted) when its headers cannot be read."""
    if data is None:
        return  # expunged between the SEARCH and the FETCH: nothing to read, nothing wrong
    result.counts["messages"] += 1
    origin = Origin(f"{context.path}/{plan.name}", uid)
    block = next((value for key, value in data.items() if key.startswith(b"BODY[")), None)
    if not isinstance(block, bytes):
        result.counts["broken"] += 1
        result.skipped.append(SkippedRecord(origin, "broken headers: the server sent none"))
        return
    try:
        headers = read_headers(block)
        if plan.sent:
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


def _months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@contextmanager
def _connected(account: ImapAccount, password: str, timeout: float) -> Iterator[IMAPClient]:
    """A logged-in client, over TLS unless the account says "none" (allowed on loopback only)."""
    context = ssl.create_default_context(cafile=account.ca_file)
    try:
        client = IMAPClient(
            account.host, port=account.port, ssl=account.tls == "ssl", ssl_context=context, timeout=timeout
        )
    except ssl.SSLCertVerificationError as exc:
        raise SyncError("certificate", f"{account.host}: {exc.verify_message}") from None
    except ssl.SSLError as exc:
        raise SyncError("protocol", f"TLS with {account.host}:{account.port} failed: {exc.reason}") from None
    except (TimeoutError, OSError) as exc:
        raise SyncError("unreachable", f"{account.host}:{account.port}: {_why(exc)}") from None
    try:
        if account.tls == "starttls":
            if not client.has_capability("STARTTLS"):
                raise SyncError("protocol", f"{account.host} does not offer STARTTLS")
            try:
                client.starttls(context)
            except ssl.SSLCertVerificationError as exc:
                raise SyncError("certificate", f"{account.host}: {exc.verify_message}") from None
        try:
            client.login(account.user, password)
        except LoginError:
            raise SyncError("auth", f"user {account.user} at {account.host}") from None
        yield client
        with suppress(IMAPClientError, OSError):
            client.logout()  # the headers are in hand; a goodbye that fails changes nothing
    finally:
        with suppress(OSError):
            client.shutdown()


def _why(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return "no such host"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError):
        return "no answer"
    return exc.strerror or type(exc).__name__


@contextmanager
def _failures_as_sync_errors(account: ImapAccount, password: str) -> Iterator[None]:
    """Whatever goes wrong after connecting as a SyncError, with the password taken out of any detail."""
    try:
        yield
    except SyncError as exc:
        if password and exc.detail and password in exc.detail:
            raise SyncError(exc.kind, exc.detail.replace(password, "***")) from None
        raise
    except (TimeoutError, imaplib.IMAP4.abort, ssl.SSLError, OSError) as exc:
        # The connection dropped or went silent mid-sync: nothing is returned, the cursors stay.
        raise SyncError(
            "timeout", f"{account.host}: {_why(exc) if isinstance(exc, OSError) else 'connection lost'}"
        ) from None
    except IMAPClientError as exc:
        detail = str(exc).replace(password, "***") if password else str(exc)
        raise SyncError("protocol", f"{account.host}: {detail[:200]}") from None
