"""Calendars synced from a real Radicale (CalDAV) and a real local ICS URL: what becomes a meeting,
what a second sync brings (nothing), and each failure as the kind a user can act on."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

import caldav
import httpx
import pytest
from sqlalchemy.orm import Session

from tests.sync.servers import IcsSite, Radicale, free_port
from tieline.connectors import calendars
from tieline.connectors.base import FetchResult, SyncError
from tieline.connectors.calendars import (
    FEED_KEY,
    CalDavAccount,
    IcsFeed,
    _changes_by_etag,
    fetch_caldav,
    fetch_ics,
)
from tieline.dates import months_before
from tieline.importers.records import ImportOptions
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import people as people_service
from tieline.services.importing.save import save

ME = "me@example.com"
OWN = frozenset({ME, "Me.Too@Example.com"})


def vevent(
    uid: str,
    start: datetime,
    *,
    attendees: tuple[str, ...] = ("ana@example.org",),
    summary: str = "Coffee",
    my_answer: str = "ACCEPTED",
    status: str | None = None,
    rrule: str | None = None,
) -> str:
    """One VEVENT organised by the owner, with `attendees` accepted."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{start:%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        f"DTEND:{start + timedelta(hours=1):%Y%m%dT%H%M%SZ}",
        f"SUMMARY:{summary}",
        f"ORGANIZER;CN=Me:mailto:{ME}",
        f"ATTENDEE;PARTSTAT={my_answer}:mailto:{ME}",
        *(f"ATTENDEE;PARTSTAT=ACCEPTED;CN=Guest:mailto:{a}" for a in attendees),
    ]
    if status:
        lines.append(f"STATUS:{status}")
    if rrule:
        lines.append(f"RRULE:{rrule}")
    return "\r\n".join([*lines, "END:VEVENT"])


def vcalendar(*events: str) -> str:
    """A calendar holding the events."""
    return (
        "\r\n".join(
            ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//tieline tests//EN", *events, "END:VCALENDAR"]
        )
        + "\r\n"
    )


class Dav:
    """One test's own Radicale user and calendar, and the account tieline syncs it through."""

    def __init__(self, radicale: Radicale, calendar: str = "work") -> None:
        self.user, self.password = radicale.new_user()
        self.client = caldav.DAVClient(url=radicale.url, username=self.user, password=self.password)
        self.principal = self.client.principal()
        self.calendar = self.principal.make_calendar(name=calendar.title(), cal_id=calendar)
        self.account = CalDavAccount(url=radicale.url, user=self.user)

    def add(self, *events: str, calendar: object = None) -> None:
        """Save each event (a new UID, or a change to one saved before) as a CalDAV client does."""
        for event in events:
            (calendar or self.calendar).save_event(vcalendar(event))

    def fetch(self, cursors: dict[str, dict], now: datetime, months: int = 12) -> FetchResult:
        """One sync of the account as tieline runs it, at `now`."""
        return fetch_caldav(self.account, self.password, cursors, now=now, own_emails=OWN, months=months)


def ids(result: FetchResult) -> list[str]:
    """The meetings' source ids, sorted."""
    return sorted(r.source_id for r in result.interactions)


# --- CalDAV ------------------------------------------------------------------------------------


def test_a_past_meeting_with_a_known_attendee_becomes_a_meeting_once(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    dav.add(vevent("coffee-1@example.org", now - timedelta(days=3), attendees=("Ana@Example.org",)))
    first = dav.fetch({}, now)
    [meeting] = first.interactions
    assert (meeting.kind, meeting.source, meeting.source_id) == (
        "meeting",
        "ics",
        "coffee-1@example.org/20260307T100000Z",
    )
    assert meeting.emails == ["ana@example.org"]  # the owner is not a participant; addresses folded
    assert meeting.occurred_at == now - timedelta(days=3)
    assert meeting.initiated_by == "me"
    assert dav.password not in str(meeting.origin) and str(meeting.origin).startswith("http://127.0.0.1")
    [key] = first.cursors
    assert first.cursors[key]["sync_token"]

    second = dav.fetch(first.cursors, now + timedelta(hours=1))
    assert second.interactions == [] and second.skipped == []
    assert second.counts["objects read"] == 0


def test_a_changed_meeting_is_fetched_again_under_the_same_source_id(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    dav.add(vevent("lunch-1", now - timedelta(days=2), summary="Lunch"))
    first = dav.fetch({}, now)
    dav.add(
        vevent(
            "lunch-1",
            now - timedelta(days=2),
            summary="Lunch with Bo",
            attendees=("ana@example.org", "bo@example.org"),
        )
    )
    again = dav.fetch(first.cursors, now)
    [meeting] = again.interactions
    assert meeting.source_id == first.interactions[0].source_id  # the save step updates, never duplicates
    assert (meeting.subject, meeting.emails) == ("Lunch with Bo", ["ana@example.org", "bo@example.org"])


def test_a_recurring_meeting_gives_its_past_occurrences_inside_the_window(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    # Weekly since 20 weeks ago, open-ended: with a 2-month window, only the occurrences since 10 January.
    dav.add(vevent("weekly-1", now - timedelta(weeks=20), rrule="FREQ=WEEKLY"))
    result = dav.fetch({}, now, months=2)
    starts = sorted(r.occurred_at for r in result.interactions)
    assert starts[0] > months_before(now, 2) >= starts[0] - timedelta(weeks=1)
    assert starts[-1] == now  # today's, at 10:00, has started
    assert len(starts) == len(set(ids(result))) == 9


def test_declined_cancelled_and_lonely_meetings_are_skipped(radicale: Radicale, now: datetime) -> None:
    dav = Dav(radicale)
    past = now - timedelta(days=5)
    dav.add(
        vevent("declined", past, my_answer="DECLINED"),
        vevent("cancelled", past, status="CANCELLED"),
        vevent("alone", past, attendees=("me.too@example.com",)),  # the owner's other address
        vevent("kept", past),
    )
    result = dav.fetch({}, now)
    assert ids(result) == ["kept/20260305T100000Z"]
    reasons = sorted(s.reason for s in result.skipped)
    assert reasons == [
        "event has no attendees other than you",
        "event was cancelled",
        "you declined the event on 2026-03-05",
    ]


def test_a_future_meeting_is_logged_by_the_first_sync_after_it_happened(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    dav.add(
        vevent("later", now + timedelta(days=2)),
        vevent("weekly", now - timedelta(days=1), rrule="FREQ=WEEKLY"),
    )
    first = dav.fetch({}, now)
    assert ids(first) == ["weekly/20260309T100000Z"]
    # Nothing changed on the server; a day later nothing has happened yet, and nothing is re-read.
    quiet = dav.fetch(first.cursors, now + timedelta(days=1))
    assert quiet.interactions == [] and quiet.counts["objects read"] == 0
    # Three days later the meeting has happened, and so has no new weekly one.
    after = dav.fetch(quiet.cursors, now + timedelta(days=3))
    assert ids(after) == ["later/20260312T100000Z"]
    # A week later the weekly one's next occurrence comes, and only it.
    week = dav.fetch(after.cursors, now + timedelta(days=7))
    assert ids(week) == ["weekly/20260316T100000Z"]


def test_every_calendar_is_read_unless_some_are_named(radicale: Radicale, now: datetime) -> None:
    dav = Dav(radicale)
    home = dav.principal.make_calendar(name="Home", cal_id="home")
    dav.add(vevent("work-1", now - timedelta(days=1)))
    dav.add(vevent("home-1", now - timedelta(days=1)), calendar=home)
    assert ids(dav.fetch({}, now)) == ["home-1/20260309T100000Z", "work-1/20260309T100000Z"]
    dav.account.calendars = ["Home"]
    named = dav.fetch({}, now)
    assert ids(named) == ["home-1/20260309T100000Z"] and len(named.cursors) == 1
    dav.account.calendars = ["Holidays"]
    with pytest.raises(SyncError) as gone:
        dav.fetch({}, now)
    assert gone.value.kind == "not_found" and "Holidays" in str(gone.value)


def test_a_wrong_password_is_an_auth_error_that_never_shows_the_password(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    wrong = "not-" + dav.password
    with pytest.raises(SyncError) as failed:
        fetch_caldav(dav.account, wrong, {}, now=now, own_emails=OWN)
    assert failed.value.kind == "auth"
    assert wrong not in str(failed.value) and str(failed.value).startswith("wrong user name or password")


def test_a_password_in_the_url_stays_out_of_messages(radicale: Radicale, now: datetime) -> None:
    dav = Dav(radicale)
    url = radicale.url.replace("http://", f"http://{dav.user}:hunter2-secret@")
    with pytest.raises(SyncError) as failed:
        fetch_caldav(CalDavAccount(url=url, user=dav.user), "hunter2-secret", {}, now=now, own_emails=OWN)
    assert failed.value.kind == "auth" and "hunter2" not in str(failed.value)


def test_a_port_nobody_listens_on_is_unreachable(now: datetime) -> None:
    account = CalDavAccount(url=f"http://127.0.0.1:{free_port()}/", user="ana")
    with pytest.raises(SyncError) as failed:
        fetch_caldav(account, "pw", {}, now=now, own_emails=OWN)
    assert failed.value.kind == "unreachable"


def test_an_unknown_sync_token_means_reading_the_calendar_again(radicale: Radicale, now: datetime) -> None:
    dav = Dav(radicale)
    dav.add(vevent("coffee-2", now - timedelta(days=1)))
    first = dav.fetch({}, now)
    [key] = first.cursors
    stale = {key: {**first.cursors[key], "sync_token": "http://radicale.org/ns/sync/0000"}}
    again = dav.fetch(stale, now)
    assert ids(again) == ids(first) and again.cursors[key]["sync_token"] == first.cursors[key]["sync_token"]


def test_a_server_whose_certificate_nobody_vouches_for_is_a_certificate_error(
    ics_tls_site: IcsSite, now: datetime
) -> None:
    # Any TLS server signed by a CA the system does not know will do: the handshake fails first.
    account = CalDavAccount(url=ics_tls_site.url(""), user="ana")
    with pytest.raises(SyncError) as failed:
        fetch_caldav(account, "pw", {}, now=now, own_emails=OWN)
    assert failed.value.kind == "certificate"


def test_without_sync_tokens_changes_are_found_by_comparing_etags(radicale: Radicale, now: datetime) -> None:
    # Radicale gives sync tokens; the ETag comparison a server without them needs runs here directly.
    dav = Dav(radicale)
    dav.add(vevent("a", now - timedelta(days=1)), vevent("b", now - timedelta(days=2)))
    href = {uid: unquote(dav.calendar.event_by_uid(uid).url.path) for uid in ("a", "b")}
    changed, gone, state = _changes_by_etag(dav.client, dav.calendar, {})
    assert sorted(changed) == sorted(href.values()) and not gone and set(state["etags"]) == set(href.values())
    assert _changes_by_etag(dav.client, dav.calendar, state)[:2] == ([], set())
    dav.add(vevent("a", now - timedelta(days=1), summary="Moved"))
    dav.calendar.event_by_uid("b").delete()
    assert _changes_by_etag(dav.client, dav.calendar, state)[:2] == ([href["a"]], {href["b"]})


def test_a_changed_meeting_is_saved_as_an_update_not_a_second_interaction(
    radicale: Radicale, now: datetime, session: Session, add_person: Callable[..., Person]
) -> None:
    ana = add_person("Ana Lima", lists={"emails": ["ana@example.org"]})
    dav = Dav(radicale)
    dav.add(vevent("review-1", now - timedelta(days=2), summary="Review"))
    first = dav.fetch({}, now)
    dav.add(vevent("review-1", now - timedelta(days=2), summary="Design review"))
    second = dav.fetch(first.cursors, now)

    def store(result: FetchResult) -> dict[str, int]:
        options = ImportOptions(own_emails=OWN)
        report = save(
            session,
            result.interactions,
            owner_id=LOCAL_OWNER_ID,
            fmt="ics",
            path="caldav",
            options=options,
            now=now,
        )
        return report.counts["interactions"]

    assert store(first)["added"] == 1
    updated = store(second)
    assert (updated["added"], updated["updated"]) == (0, 1)
    page = people_service.profile(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, now=now)
    assert page.interaction_count == 1 and [e.interaction.subject for e in page.timeline] == ["Design review"]


# --- ICS URLs ----------------------------------------------------------------------------------


def publish(site: IcsSite, text: str, name: str = "team.ics", *, mtime: float | None = None) -> str:
    """Put a calendar on the site; its URL."""
    path = site.root / name
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return site.url(name)


def test_an_ics_url_is_read_once_then_answered_304_until_it_changes(ics_site: IcsSite, now: datetime) -> None:
    url = publish(ics_site, vcalendar(vevent("standup", now - timedelta(days=1))), mtime=time.time() - 60)
    first = fetch_ics(IcsFeed(url), {}, now=now, own_emails=OWN)
    assert ids(first) == ["standup/20260309T100000Z"]
    cursor = first.cursors[FEED_KEY]
    assert cursor["etag"] and cursor["last_modified"]

    second = fetch_ics(IcsFeed(url), first.cursors, now=now + timedelta(hours=1), own_emails=OWN)
    assert second.interactions == [] and second.cursors == {}  # 304: the cursor stays as it was
    assert ics_site.requests[-1][1]["If-None-Match"] == cursor["etag"]

    publish(
        ics_site,
        vcalendar(vevent("standup", now - timedelta(days=1)), vevent("retro", now - timedelta(hours=2))),
    )
    third = fetch_ics(IcsFeed(url), first.cursors, now=now + timedelta(hours=1), own_emails=OWN)
    assert ids(third) == ["retro/20260310T080000Z", "standup/20260309T100000Z"]
    assert third.cursors[FEED_KEY]["etag"] != cursor["etag"]


def test_an_unchanged_ics_url_is_read_again_once_a_future_meeting_has_happened(
    ics_site: IcsSite, now: datetime
) -> None:
    url = publish(
        ics_site, vcalendar(vevent("past", now - timedelta(days=1)), vevent("soon", now + timedelta(days=1)))
    )
    first = fetch_ics(IcsFeed(url), {}, now=now, own_emails=OWN)
    assert ids(first) == ["past/20260309T100000Z"]
    later = fetch_ics(IcsFeed(url), first.cursors, now=now + timedelta(days=2), own_emails=OWN)
    assert ids(later) == ["soon/20260311T100000Z"]  # only what happened since, not the past one again
    assert later.cursors[FEED_KEY]["next_start"] is None


def test_ics_failures_are_kinds_a_user_can_act_on(ics_site: IcsSite, now: datetime) -> None:
    with pytest.raises(SyncError) as missing:
        fetch_ics(IcsFeed(ics_site.url("nothing.ics")), {}, now=now, own_emails=OWN)
    assert missing.value.kind == "not_found" and "nothing.ics" not in str(missing.value)  # a secret address
    garbage = publish(ics_site, "<html><body>Please sign in</body></html>", "login.ics")
    with pytest.raises(SyncError) as html:
        fetch_ics(IcsFeed(garbage), {}, now=now, own_emails=OWN)
    assert html.value.kind == "protocol"
    with pytest.raises(SyncError) as refused:
        fetch_ics(IcsFeed(f"http://127.0.0.1:{free_port()}/x.ics"), {}, now=now, own_emails=OWN)
    assert refused.value.kind == "unreachable"


def test_an_ics_url_over_tls_is_trusted_only_with_its_ca(ics_tls_site: IcsSite, now: datetime) -> None:
    url = publish(ics_tls_site, vcalendar(vevent("tls-1", now - timedelta(days=1))))
    with pytest.raises(SyncError) as untrusted:
        fetch_ics(IcsFeed(url), {}, now=now, own_emails=OWN)
    assert untrusted.value.kind == "certificate"
    trusted = fetch_ics(IcsFeed(url, ca_file=ics_tls_site.ca_file), {}, now=now, own_emails=OWN)
    assert ids(trusted) == ["tls-1/20260309T100000Z"]


def test_a_server_that_accepts_but_never_answers_is_a_timeout(
    monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    monkeypatch.setattr(calendars, "TIMEOUT", 0.5)  # the only thing shortened: how long to wait
    with socket.create_server(("127.0.0.1", 0)) as silent:  # connections queue, nobody reads them
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        with pytest.raises(SyncError) as feed:
            fetch_ics(IcsFeed(url + "cal.ics"), {}, now=now, own_emails=OWN)
        with pytest.raises(SyncError) as dav:
            fetch_caldav(CalDavAccount(url=url, user="ana"), "pw", {}, now=now, own_emails=OWN)
    assert (feed.value.kind, dav.value.kind) == ("timeout", "timeout")


# --- size --------------------------------------------------------------------------------------


def test_a_calendar_larger_than_one_batch_is_fetched_whole_and_then_not_again(
    radicale: Radicale, now: datetime
) -> None:
    # 1,200 meetings: three batches of changed objects. (`python -m bench.sync` times 5,000.)
    dav = Dav(radicale, "big")
    start = now - timedelta(days=100)
    events = [vevent(f"m{i}", start + timedelta(hours=i)) for i in range(1200)]
    # One PUT of a whole calendar to the collection: Radicale stores each event as an object.
    httpx.put(
        str(dav.calendar.url), content=vcalendar(*events), auth=(dav.user, dav.password), timeout=120
    ).raise_for_status()
    result = dav.fetch({}, now)
    assert len(result.interactions) == 1200 and result.counts["objects read"] == 1200
    assert len({r.source_id for r in result.interactions}) == 1200
    again = dav.fetch(result.cursors, now)
    assert again.interactions == [] and again.counts["objects read"] == 0


def test_the_window_counts_calendar_months_back() -> None:
    end_of_march = datetime(2026, 3, 31, 9, 30, tzinfo=UTC)
    assert months_before(end_of_march, 1) == datetime(2026, 2, 28, 9, 30, tzinfo=UTC)
    assert months_before(end_of_march, 12) == datetime(2025, 3, 31, 9, 30, tzinfo=UTC)
    assert months_before(datetime(2028, 3, 30, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)  # the IMAP window's SEARCH SINCE day


# --- meetings to come (the agenda's "read the brief") ---------------------------------------------


def upcoming(result: FetchResult) -> list[tuple[str, str, datetime, str | None, list[str]]]:
    """(uid, occurrence, start, title, attendees) of each meeting to come, by start."""
    return sorted(
        ((m.uid, m.recurrence_id, m.starts_at, m.title, m.emails) for m in result.upcoming),
        key=lambda m: m[2],
    )


def test_meetings_of_the_next_week_come_with_their_times_titles_and_attendees(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    soon = now + timedelta(hours=4)
    dav.add(
        vevent("review", soon, attendees=("Ana@Example.org", "room-1@resource.calendar.google.com")),
        vevent("declined", soon, my_answer="DECLINED"),
        vevent("cancelled", soon, status="CANCELLED"),
        vevent("alone", soon, attendees=()),
        vevent("far", now + timedelta(days=9)),  # past the week
        vevent("past", now - timedelta(days=1)),
    )
    result = dav.fetch({}, now)
    assert upcoming(result) == [("review", "20260310T140000Z", soon, "Coffee", ["ana@example.org"])]
    [meeting] = result.upcoming
    assert meeting.ends_at == soon + timedelta(hours=1) and meeting.names == {"ana@example.org": "Guest"}
    assert meeting.href.endswith(".ics") and meeting.calendar in result.cursors
    assert ids(result) == ["past/20260309T100000Z"]  # the past one is a meeting logged, as before
    assert result.upcoming_read == {meeting.calendar: None}  # the first sync read the calendar whole


def test_an_unchanged_calendar_reads_nothing_and_replaces_no_meetings(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    dav.add(vevent("review", now + timedelta(hours=4)))
    first = dav.fetch({}, now)
    again = dav.fetch(first.cursors, now + timedelta(hours=1))
    [key] = first.cursors
    # Nothing read: the meetings stored from the first sync stay as they are.
    assert again.upcoming == [] and again.upcoming_read == {key: set()}
    dav.add(vevent("review", now + timedelta(hours=6), summary="Moved"))
    moved = dav.fetch(again.cursors, now + timedelta(hours=1))
    [href] = moved.upcoming_read[key] or []
    assert [(m.href, m.title, m.starts_at) for m in moved.upcoming] == [
        (href, "Moved", now + timedelta(hours=6))
    ]


def test_a_monthly_meeting_is_read_again_when_it_comes_within_the_week(
    radicale: Radicale, now: datetime
) -> None:
    dav = Dav(radicale)
    dav.add(vevent("monthly", now - timedelta(days=1), rrule="FREQ=MONTHLY"))  # the 9th of each month
    first = dav.fetch({}, now)
    assert first.upcoming == []
    # Nothing changed on the server; a week before 9 April, the object is read again and offers it.
    assert dav.fetch(first.cursors, datetime(2026, 4, 1, 9, tzinfo=UTC)).counts["objects read"] == 0
    week = dav.fetch(first.cursors, datetime(2026, 4, 2, 11, tzinfo=UTC))
    assert [m.starts_at for m in week.upcoming] == [datetime(2026, 4, 9, 10, tzinfo=UTC)]
    assert week.interactions == []  # nothing has happened since


def test_an_ics_url_gives_its_meetings_to_come_and_a_304_replaces_none(
    ics_site: IcsSite, now: datetime
) -> None:
    url = publish(ics_site, vcalendar(vevent("weekly", now - timedelta(days=1), rrule="FREQ=WEEKLY")))
    first = fetch_ics(IcsFeed(url), {}, now=now, own_emails=OWN)
    # Mondays at 10:00: yesterday's was logged; next Monday's is within the week.
    assert [m.starts_at for m in first.upcoming] == [now + timedelta(days=6)]
    assert first.upcoming_read == {FEED_KEY: None}
    unchanged = fetch_ics(IcsFeed(url), first.cursors, now=now + timedelta(hours=1), own_emails=OWN)
    assert unchanged.upcoming == [] and unchanged.upcoming_read == {}
