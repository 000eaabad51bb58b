"""The IMAP conversation (imapclient): log in, plan each folder, FETCH its header blocks in batches.

Each folder is opened read-only (EXAMINE) and its cursor is UIDVALIDITY + the last UID seen. The
first sync takes the messages that arrived in the last `months` (SEARCH SINCE); later ones take UIDs
after the cursor; a changed UIDVALIDITY (the server renumbered the folder) starts the window again,
and the save step's upsert on Message-ID keeps that from duplicating anything. Only the header
fields in `HEADER_FIELDS` are fetched, with BODY.PEEK so that no \\Seen flag is set.

`conversation()` yields what the server said as plain tuples (`Planned`, then one `Batch` per FETCH);
`conversation_aside()` holds the same conversation in a helper process (a first sync: tens of
thousands of messages), so that the caller turns batches into records (and stores them) while the
next are fetched on another core. The helper runs at most AHEAD batches ahead of its caller, and
the password reaches it over a pipe, never its command line or environment. Every failure is a
SyncError by kind; the password never enters a message.
"""

from __future__ import annotations

import imaplib
import os
import queue
import signal
import socket
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from tieline.connectors.base import SyncError
from tieline.dates import months_before

HEADER_FIELDS = "FROM TO CC DATE MESSAGE-ID IN-REPLY-TO REFERENCES LIST-ID AUTO-SUBMITTED PRECEDENCE SUBJECT"
_FETCH = f"BODY.PEEK[HEADER.FIELDS ({HEADER_FIELDS})]"
BATCH = 500  # UIDs per FETCH: a few hundred KB of headers per answer
AHEAD = 8  # batches a first sync's helper fetches before the caller takes them: a few MB at most
TIMEOUT = 30.0  # seconds without a byte from the server before the sync gives up
LOOPBACK = ("127.0.0.1", "::1", "localhost")
TLS_MODES = ("ssl", "starttls", "none")

# What the conversation yields, as plain tuples (they cross a pipe from the helper process):
#   ("planned", [(folder, is_sent, uidvalidity, messages_to_fetch, last_uid), ...], folders_resynced)
#   ("batch", folder, [(uid, header block, or None when the server sent none), ...])
Event = tuple[Any, ...]


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


def conversation(
    account: ImapAccount,
    password: str,
    cursors: dict[str, dict[str, Any]],
    *,
    now: datetime,
    batch: int = BATCH,
    timeout: float = TIMEOUT,
) -> Iterator[Event]:
    """Log in, plan every folder (its cursor or its window), then FETCH the new messages' header blocks."""
    with _failures_as_sync_errors(account, password), _connected(account, password, timeout) as client:
        plans, resynced = [], 0
        for name, sent in _folders(client, account):
            plan, renumbered = _plan(client, name, sent, cursors.get(name), account, now)
            plans.append(plan)
            resynced += renumbered
        yield (
            "planned",
            [(p.name, p.sent, p.uidvalidity, len(p.uids), p.last_uid) for p in plans],
            resynced,
        )
        for plan in plans:
            if plan.uids:
                _select(client, plan.name, expect_uidvalidity=plan.uidvalidity)
            for start in range(0, len(plan.uids), batch):
                chunk = plan.uids[start : start + batch]
                answer = client.fetch(chunk, [_FETCH])
                # A UID missing from the answer was expunged between the SEARCH and the FETCH.
                yield ("batch", plan.name, [(uid, _block(answer[uid])) for uid in chunk if uid in answer])


def _block(data: dict[bytes, Any]) -> bytes | None:
    block = next((value for key, value in data.items() if key.startswith(b"BODY[")), None)
    return block if isinstance(block, bytes) else None


# --- the same conversation in a helper process -------------------------------------------------------

_HELPER = "import sys; from tieline.connectors.imap_wire import _helper; _helper(int(sys.argv[1]), int(sys.argv[2]))"


def conversation_aside(
    account: ImapAccount,
    password: str,
    cursors: dict[str, dict[str, Any]],
    *,
    now: datetime,
    batch: int = BATCH,
    timeout: float = TIMEOUT,
    ahead: int | None = None,
) -> Iterator[Event]:
    """`conversation()` held by a helper process, which fetches up to `ahead` (AHEAD) batches more
    than the caller has taken: a thread here drains its pipe, and each batch taken is acknowledged."""
    ahead = ahead or AHEAD
    to_helper_read, to_helper = os.pipe()
    from_helper, from_helper_write = os.pipe()
    helper = subprocess.Popen(
        [sys.executable, "-c", _HELPER, str(to_helper_read), str(from_helper_write)],
        pass_fds=(to_helper_read, from_helper_write),
    )
    os.close(to_helper_read)
    os.close(from_helper_write)
    outbox, inbox = Connection(to_helper, readable=False), Connection(from_helper, writable=False)
    arrived: queue.SimpleQueue[Event | BaseException] = queue.SimpleQueue()
    # The helper's own socket timeout ends a silent server; `patience` bounds a helper gone astray.
    reader = threading.Thread(target=_drain, args=(inbox, arrived, timeout * 4), daemon=True)
    try:
        with _helper_gone(helper):
            outbox.send((asdict(account), password, cursors, now, batch, timeout, ahead))
        reader.start()
        while True:
            event = arrived.get()
            if isinstance(event, TimeoutError):
                raise SyncError("timeout", f"{account.host}: no answer")
            if isinstance(event, BaseException):
                with _helper_gone(helper):
                    raise event
            if event[0] == "error":
                raise SyncError(event[1], event[2])
            if event[0] == "end":
                return
            if event[0] == "batch":
                # A helper done with its batches has stopped listening; one that died says so above.
                with suppress(BrokenPipeError, ConnectionResetError):
                    outbox.send_bytes(b"taken")
            yield event
    finally:
        outbox.close()  # a helper waiting for the next acknowledgement stops
        with suppress(subprocess.TimeoutExpired):
            helper.wait(timeout=5)
        if helper.poll() is None:
            helper.kill()
            helper.wait()
        if reader.is_alive():
            reader.join(timeout=5)  # the helper is gone: its pipe ends
        inbox.close()


def _drain(inbox: Connection, arrived: queue.SimpleQueue[Event | BaseException], patience: float) -> None:
    """Move what the helper says into `arrived` as soon as it says it, until its last word (or its
    pipe's end, or `patience` seconds of silence: put there as an exception)."""
    try:
        while True:
            if not inbox.poll(patience):
                arrived.put(TimeoutError())
                return
            event = inbox.recv()
            arrived.put(event)
            if event[0] in ("end", "error"):
                return
    except (EOFError, OSError) as exc:
        arrived.put(exc)


@contextmanager
def _helper_gone(helper: subprocess.Popen[bytes]) -> Iterator[None]:
    """The helper process ended without a word (killed, or crashed): a failure, with its exit code."""
    try:
        yield
    except (EOFError, BrokenPipeError, ConnectionResetError):
        raise SyncError("protocol", f"the mail fetch stopped, exit code {helper.wait()}") from None


def _helper(read_fd: int, write_fd: int) -> None:
    """The helper process: one conversation, each event sent to the parent; a failure as its kind and
    detail (an unexpected one by its type alone, which cannot hold the password)."""
    # Ctrl-C reaches the whole process group: the parent stops this helper, which says nothing itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox, outbox = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    account, password, cursors, now, batch, timeout, ahead = inbox.recv()
    untaken = 0  # batches sent that the parent has not taken yet (as far as this helper has read)
    try:
        for event in conversation(
            ImapAccount(**account), password, cursors, now=now, batch=batch, timeout=timeout
        ):
            outbox.send(event)
            if event[0] == "batch":
                untaken += 1
                while untaken >= ahead:  # far enough ahead: fetch the next once one more is taken
                    inbox.recv_bytes()
                    untaken -= 1
        outbox.send(("end",))
    except SyncError as exc:
        outbox.send(("error", exc.kind, exc.detail))
    except (EOFError, BrokenPipeError):
        pass  # the parent went away (interrupted): nothing to say to anyone
    except Exception as exc:  # reported by its type alone: a detail could hold a secret
        outbox.send(("error", "protocol", type(exc).__name__))


# --- planning ------------------------------------------------------------------------------------------


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
) -> tuple[_Folder, bool]:
    """Which UIDs of a folder are new: after the cursor, or the whole window when there is none; and
    whether the folder was renumbered since the cursor (its window read again, deduped on save)."""
    status = _select(client, name)
    uidvalidity = int(status[b"UIDVALIDITY"])
    uidnext = status.get(b"UIDNEXT")
    renumbered = False
    if cursor and int(cursor.get("uidvalidity", -1)) == uidvalidity:
        last = int(cursor.get("last_uid", 0))
        # "last+1:*" always includes the newest message, even when it is at or below `last`.
        uids = sorted(uid for uid in client.search(["UID", f"{last + 1}:*"]) if uid > last)
    else:
        renumbered = bool(cursor)
        last = 0
        uids = sorted(client.search(["SINCE", months_before(now.date(), account.months)]))
    # Past messages outside the window are never looked at again: the cursor starts at the newest.
    newest = int(uidnext) - 1 if uidnext is not None else max(client.search(["ALL"]), default=0)
    return _Folder(name, sent, uidvalidity, uids, max([last, newest, *uids])), renumbered


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


# --- connecting, and failures in words ---------------------------------------------------------------


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
