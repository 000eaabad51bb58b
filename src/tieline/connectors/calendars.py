"""Calendars -> meetings: CalDAV accounts (caldav) and ICS URLs (httpx), read through the same rules
as an imported .ics file (importers/ical.py: recurrences expanded, declined and cancelled skipped,
the owner's own addresses recognised).

Only occurrences in the last `months` months up to now become records. A meeting still to come is
not logged, but the cursor remembers when it starts, so the first sync after that reads it again
even though nothing on the server changed.

The meetings still to come in the next UPCOMING_DAYS days are returned too (`FetchResult.upcoming`,
for the agenda's "read the brief" line), each with the calendar object it came from, and
`FetchResult.upcoming_read` names the objects read: the stored meetings of those are replaced, the
others' kept, so a sync that found nothing changed still knows today's meetings. An unchanged object
is read again when its next occurrence starts (to log it) or when the first occurrence past the
horizon comes within UPCOMING_DAYS (to offer it), whichever is first: that is its "wake" time.

The cursors:

- CalDAV, one per calendar (key: the calendar's URL path): `sync_token` (RFC 6578 sync-collection)
  when the server gives one, else `etags` ({href: ETag}); `until` (the time the last sync read up
  to) and `pending` ({href: its wake time}).
- ICS (key "feed"): `etag` and `last_modified` for a conditional GET, `until`, `next_start` (the
  feed's wake time).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit
from xml.sax.saxutils import escape

import caldav
import httpx
import requests as dav_http  # what caldav 2.0 speaks HTTP with: its errors are these
from caldav.elements import dav
from caldav.lib import error as dav_error

from tieline.connectors.base import FetchResult, SyncError
from tieline.dates import months_before
from tieline.importers import ical
from tieline.importers.records import InteractionRecord, MalformedFile, Origin, SkippedRecord

TIMEOUT = 30.0  # seconds without an answer before a sync gives up
MULTIGET_BATCH = 500  # objects per calendar-multiget REPORT: few round trips, bounded replies
MAX_FEED_BYTES = 100_000_000  # an ICS feed larger than this is not a calendar anyone keeps
FEED_KEY = "feed"
# Meetings still to come are returned for this long ahead (the agenda needs today's; a week shows
# what is coming and keeps the rows few).
UPCOMING_DAYS = 7
UPCOMING = timedelta(days=UPCOMING_DAYS)


@dataclass
class CalDavAccount:
    """A CalDAV account: its URL, the user, the CA to trust (tests), the calendars to read (None: all)."""

    url: str
    user: str | None
    ca_file: str | None = None
    calendars: list[str] | None = None


@dataclass
class IcsFeed:
    """A calendar published at an URL (a "secret address" in iCal format)."""

    url: str
    ca_file: str | None = None


@dataclass(frozen=True)
class _Options:
    """What importers/ical.py reads from options: the owner's addresses and the clock."""

    own_emails: frozenset[str]
    now: datetime


class _Window:
    """One sync's clock: now, the window's start, and what to read a calendar object with."""

    def __init__(self, now: datetime, months: int, own_emails: frozenset[str]) -> None:
        self.now = now
        self.start = months_before(now, months)
        self.horizon = now + UPCOMING
        self.options = _Options(frozenset(a.lower() for a in own_emails), now)

    def since(self, cursor: dict[str, Any], *, changed: bool) -> datetime:
        """Changed data is read over the whole window; unchanged data only after the last sync."""
        until = cursor.get("until")
        if changed or not until:
            return self.start
        return max(self.start, datetime.fromisoformat(until))

    def read(
        self, text: str, name: str, since: datetime, result: FetchResult, *, calendar: str, href: str = ""
    ) -> datetime | None:
        """Add the records and meetings to come of one calendar text to `result`; its wake time."""
        try:
            reading = ical.read(text, name=name, options=self.options, since=since, horizon=self.horizon)
        except MalformedFile as exc:
            raise SyncError("protocol", f"not an iCalendar file: {exc.problem}") from None
        for record in reading.records:
            if isinstance(record, InteractionRecord):
                result.interactions.append(record)
            else:
                result.skipped.append(record)
        for meeting in reading.upcoming:
            meeting.calendar, meeting.href = calendar, href
        result.upcoming.extend(reading.upcoming)
        # When the first occurrence past the horizon comes within it, read the object again to offer it.
        coming = reading.past_horizon - UPCOMING if reading.past_horizon else None
        return min((t for t in (reading.next_start, coming) if t is not None), default=None)


def where(url: str, *, path: bool = True) -> str:
    """An URL fit for a message: without any user name or password it may carry, nor its query, nor
    (path=False) its path: a published calendar's secret address is a secret in its path."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path if path else "", "", ""))


# --- CalDAV ------------------------------------------------------------------------------------


def fetch_caldav(
    account: CalDavAccount,
    password: str | None,
    cursors: dict[str, dict],
    *,
    now: datetime,
    own_emails: frozenset[str],
    months: int = 12,
) -> FetchResult:
    """Meetings from the account's calendars changed since `cursors` (or due since then); SyncError."""
    window = _Window(now, months, own_emails)
    result = FetchResult(counts={"calendars": 0, "objects read": 0})
    with _caldav_errors(account.url):
        client = caldav.DAVClient(
            url=account.url,
            username=account.user,
            password=password,
            ssl_verify_cert=account.ca_file or True,
            timeout=TIMEOUT,
        )
        with client:
            for calendar in _calendars(client, account.calendars):
                key = unquote(calendar.url.path)
                result.cursors[key] = _sync_calendar(
                    client, calendar, cursors.get(key, {}), window, result, key=key
                )
                result.counts["calendars"] += 1
    return result


def _calendars(client: caldav.DAVClient, names: list[str] | None) -> list[Any]:
    """The principal's calendars, or those named (by display name or by the last part of their URL)."""
    found = client.principal().calendars()
    if not names:
        return list(found)
    chosen = []
    for name in names:
        match = [
            c for c in found if name in (c.get_display_name(), unquote(c.url.path).rstrip("/").split("/")[-1])
        ]
        if not match:
            raise SyncError("not_found", f"no calendar named {name!r}")
        chosen.append(match[0])
    return chosen


def _sync_calendar(
    client: caldav.DAVClient,
    calendar: Any,
    cursor: dict[str, Any],
    window: _Window,
    result: FetchResult,
    *,
    key: str,
) -> dict[str, Any]:
    """Read what changed in one calendar and what has become due; the calendar's new cursor."""
    changed, gone, state, whole = _changes(client, calendar, cursor)
    pending: dict[str, str] = {h: w for h, w in cursor.get("pending", {}).items() if h not in gone}
    wanted = set(changed)
    due = [h for h, when in pending.items() if h not in wanted and datetime.fromisoformat(when) <= window.now]
    # Objects read (or gone): their meetings to come are replaced by what this read finds.
    result.upcoming_read[key] = None if whole else {*changed, *due, *gone}
    server = where(str(calendar.url.join("/"))).rstrip("/")  # joined by hand: 5,000 URL joins cost a second
    for href, text in _multiget(client, calendar, [*changed, *due]):
        since = window.since(cursor, changed=href in wanted)
        name = server + href
        try:
            next_start = window.read(text, name, since, result, calendar=key, href=href)
        except SyncError as exc:  # one broken object is one skipped record, not a failed sync
            result.skipped.append(SkippedRecord(Origin(name), str(exc)))
            next_start = None
        result.counts["objects read"] += 1
        pending.pop(href, None)
        if next_start is not None:
            pending[href] = next_start.isoformat()
    for href in due:  # one the server no longer has (and did not say so) stops being asked for
        if pending.get(href) is not None and datetime.fromisoformat(pending[href]) <= window.now:
            del pending[href]
    return {**state, "until": window.now.isoformat(), "pending": pending}


def _changes(
    client: caldav.DAVClient, calendar: Any, cursor: dict[str, Any]
) -> tuple[list[str], set[str], dict[str, Any], bool]:
    """(hrefs added or changed, hrefs deleted, the state to keep, whether every object is listed):
    by sync token, else by ETags."""
    token = cursor.get("sync_token")
    for attempt in (token, None) if token else (None,):
        try:
            objects = calendar.objects_by_sync_token(sync_token=attempt, load_objects=False)
        except (dav_error.ReportError, dav_error.DAVError) as exc:
            # A token the server no longer knows is refused with 403 (valid-sync-token): read the
            # calendar whole. Refused without a token, it is the password.
            if isinstance(exc, dav_error.AuthorizationError) and attempt is None:
                raise
            continue  # an expired token: a full sync-collection; no sync-collection at all: ETags
        if not objects.sync_token:  # a server that answers without a token cannot be followed by one
            break
        # caldav 2.0 lists deleted objects among the others (their multiget finds nothing).
        deleted = {unquote(url.path) for url in getattr(objects, "deleted_urls", ())}
        hrefs = [unquote(o.url.path) for o in objects]
        state = {"sync_token": str(objects.sync_token)}
        return [h for h in hrefs if h not in deleted], deleted, state, attempt is None
    return (*_changes_by_etag(client, calendar, cursor), not cursor.get("etags"))


def _changes_by_etag(
    client: caldav.DAVClient, calendar: Any, cursor: dict[str, Any]
) -> tuple[list[str], set[str], dict[str, Any]]:
    """For servers without sync-collection: every object's ETag (one PROPFIND), compared with the last."""
    response = _answered(client.propfind(str(calendar.url), props=_ETAG_PROPFIND, depth=1))
    home = unquote(calendar.url.path)
    etags: dict[str, str] = {}
    for href, props in response.expand_simple_props([dav.GetEtag()]).items():
        path = unquote(urlsplit(href).path)
        etag = props.get(dav.GetEtag.tag)
        if path.rstrip("/") != home.rstrip("/") and etag:
            etags[path] = etag
    before: dict[str, str] = cursor.get("etags", {})
    changed = [h for h, etag in etags.items() if before.get(h) != etag]
    return changed, set(before) - set(etags), {"etags": etags}


_ETAG_PROPFIND = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
)


def _multiget(client: caldav.DAVClient, calendar: Any, hrefs: list[str]) -> Iterator[tuple[str, str]]:
    """(href, iCalendar text) of each object, a batch per calendar-multiget REPORT; gone ones left out.

    The REPORT is sent through the caldav client but its answer read here: the library's own
    multiget builds an object and several URLs per event, a third of a large first sync."""
    for first in range(0, len(hrefs), MULTIGET_BATCH):
        body = _MULTIGET.format(
            hrefs="".join(
                f"<d:href>{escape(quote(h))}</d:href>" for h in hrefs[first : first + MULTIGET_BATCH]
            )
        )
        response = _answered(client.report(str(calendar.url), body, depth=1))
        for answer in response.tree.iter(_DAV + "response"):
            href = answer.findtext(_DAV + "href")
            text = answer.findtext(f".//{_CALDAV}calendar-data")
            if href and text:
                yield unquote(urlsplit(href).path), text


def _answered(response: Any) -> Any:
    """A raw request's multistatus answer, or the SyncError its status means."""
    status = int(getattr(response, "status", 0) or 0)
    if status in (401, 403):
        raise SyncError("auth", f"HTTP {status}")
    if status == 404:
        raise SyncError("not_found", "the calendar is gone")
    if status != 207 or response.tree is None:
        raise SyncError("protocol", f"HTTP {status}, not a multistatus answer")
    return response


_DAV = "{DAV:}"
_CALDAV = "{urn:ietf:params:xml:ns:caldav}"
_MULTIGET = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
    "<d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>"
)


@contextmanager
def _caldav_errors(url: str) -> Iterator[None]:
    """The caldav library's and its HTTP client's failures as SyncError, naming the server only."""
    server = where(url)
    try:
        yield
    except SyncError:
        raise
    except dav_error.AuthorizationError:
        raise SyncError("auth", server) from None
    except dav_error.NotFoundError:
        raise SyncError("not_found", server) from None
    except dav_error.DAVError as exc:
        raise SyncError("protocol", f"{server}: {type(exc).__name__}") from None
    except dav_http.exceptions.SSLError:
        raise SyncError("certificate", server) from None
    except dav_http.exceptions.Timeout:
        raise SyncError("timeout", server) from None
    except (dav_http.exceptions.ConnectionError, OSError):
        raise SyncError("unreachable", server) from None
    except (dav_http.exceptions.RequestException, ValueError) as exc:
        raise SyncError("protocol", f"{server}: {type(exc).__name__}") from None


# --- ICS URLs ----------------------------------------------------------------------------------


def fetch_ics(
    feed: IcsFeed, cursors: dict[str, dict], *, now: datetime, own_emails: frozenset[str], months: int = 12
) -> FetchResult:
    """Meetings from a calendar's ICS URL when it changed (conditional GET) or a meeting became due."""
    window = _Window(now, months, own_emails)
    cursor = cursors.get(FEED_KEY, {})
    next_start = cursor.get("next_start")
    due = next_start is not None and datetime.fromisoformat(next_start) <= now
    headers = {}
    if not due:  # a meeting that has happened since must be read even from an unchanged file
        if cursor.get("etag"):
            headers["If-None-Match"] = cursor["etag"]
        if cursor.get("last_modified"):
            headers["If-Modified-Since"] = cursor["last_modified"]
    status, body, answer = _get(feed, headers)
    if status == 304:
        return FetchResult(counts={"unchanged": 1})
    etag, modified = answer.get("etag"), answer.get("last-modified")
    changed = not (etag or modified) or (etag, modified) != (cursor.get("etag"), cursor.get("last_modified"))
    result = FetchResult(upcoming_read={FEED_KEY: None})  # the feed is read whole
    text = body.decode("utf-8", errors="replace")
    name = "ICS feed at " + where(feed.url, path=False)
    wake = window.read(text, name, window.since(cursor, changed=changed), result, calendar=FEED_KEY)
    result.cursors[FEED_KEY] = {
        "etag": etag,
        "last_modified": modified,
        "until": now.isoformat(),
        "next_start": wake.isoformat() if wake else None,
    }
    result.counts["meetings"] = len(result.interactions)
    return result


def _get(feed: IcsFeed, headers: dict[str, str]) -> tuple[int, bytes, httpx.Headers]:
    """(status, body, headers) of a GET of the feed, or SyncError; a body past MAX_FEED_BYTES is refused."""
    server = where(feed.url, path=False)
    url = "https://" + feed.url[len("webcal://") :] if feed.url.lower().startswith("webcal://") else feed.url
    verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=feed.ca_file) if feed.ca_file else True
    try:
        with (
            httpx.Client(verify=verify, timeout=TIMEOUT, follow_redirects=True) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code in (401, 403):
                raise SyncError("auth", server)
            if response.status_code in (404, 410):
                raise SyncError("not_found", server)
            if response.status_code == 304:
                return 304, b"", response.headers
            if response.status_code != 200:
                raise SyncError("protocol", f"{server}: HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_FEED_BYTES:
                    raise SyncError("protocol", f"{server}: larger than {MAX_FEED_BYTES // 1_000_000} MB")
            return 200, bytes(body), response.headers
    except httpx.TimeoutException:
        raise SyncError("timeout", server) from None
    except httpx.ConnectError as exc:
        certificate = isinstance(exc.__cause__, ssl.SSLError) or "CERTIFICATE" in str(exc).upper()
        raise SyncError("certificate" if certificate else "unreachable", server) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        raise SyncError("protocol", f"{server}: not an http(s) address") from None
    except httpx.HTTPError as exc:
        raise SyncError("protocol", f"{server}: {type(exc).__name__}") from None
