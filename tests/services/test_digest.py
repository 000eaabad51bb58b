"""The weekly digest (tieline.services.digest): the week's lines, the look back, and sending by SMTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.mail import Inbox, free_port, smtp_server
from tieline.errors import ConfigError
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import agenda as agenda_repo
from tieline.services import interactions as interactions_service
from tieline.services import preferences
from tieline.services.digest import Digest, build_digest, kinds_text, send_digest

AddPerson = Callable[..., Person]
OWNER = LOCAL_OWNER_ID


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A real SMTP server on loopback that keeps what it receives."""
    with smtp_server() as server:
        yield server


def contact(
    session: Session,
    person: Person,
    *,
    now: datetime,
    days_ago: float,
    kind: str = "coffee",
    notes: str | None = None,
) -> None:
    interactions_service.log_interaction(
        session,
        owner_id=OWNER,
        kind=kind,
        people=[person],
        when=now - timedelta(days=days_ago),
        notes=notes,
        now=now,
    )


def prefs_with(session: Session, **values: object) -> preferences.Preferences:
    for key, value in values.items():
        preferences.set_value(session, owner_id=OWNER, key=key.replace("__", "."), value=value)
    return preferences.load(session, owner_id=OWNER)


def week_of(digest: Digest) -> dict[date, list[str]]:
    return {d.day: [i.key for i in d.items] for d in digest.days}


@pytest.fixture
def network(session: Session, add_person: AddPerson, now: datetime) -> dict[str, Person]:
    """Ana overdue today, Bo due in three days, Cy next Saturday, Di after the week, Eve never (tier 5)."""
    people = {
        "ana": add_person("Ana Lima", tier=2),
        "bo": add_person("Bo Chen", tier=2),
        "cy": add_person("Cy Dee", tier=1),
        "di": add_person("Di Eve", tier=2),
        "eve": add_person("Eve Fox", tier=5),
    }
    contact(session, people["ana"], now=now, days_ago=45)
    contact(session, people["bo"], now=now, days_ago=27)
    contact(session, people["cy"], now=now, days_ago=3, kind="video_call")
    contact(session, people["di"], now=now, days_ago=10)
    contact(session, people["eve"], now=now, days_ago=2, notes="talked about <script>alert(1)</script>")
    return people


def test_each_line_is_listed_once_on_its_first_due_day(
    session: Session, network: dict[str, Person], now: datetime
) -> None:
    today = now.date()
    digest = build_digest(session, owner_id=OWNER, day=today, now=now)

    week = week_of(digest)
    assert list(week) == [today + timedelta(days=n) for n in range(7)]
    assert week[today] == [f"keep:{network['ana'].id}:2026-01-24"]
    assert week[today + timedelta(days=3)] == [f"keep:{network['bo'].id}:2026-02-11"]
    assert week[today + timedelta(days=4)] == [f"keep:{network['cy'].id}:2026-03-07"]
    all_keys = [k for keys in week.values() for k in keys]
    assert len(all_keys) == len(set(all_keys)) == 3  # Di is due after the week; nobody twice
    assert digest.subject == "tieline: 3 things to do, 10 Mar to 16 Mar"
    assert "Tuesday 10 March (today)\n  * Get in touch with Ana Lima\n" in digest.text
    assert "Friday 13 March\n  * Get in touch with Bo Chen\n" in digest.text
    assert "Wednesday 11 March" not in digest.text  # days with nothing new are left out


def test_lines_acted_on_are_left_out(session: Session, network: dict[str, Person], now: datetime) -> None:
    key = f"keep:{network['ana'].id}:2026-01-24"
    agenda_repo.set_state(session, owner_id=OWNER, key=key, state="dismissed", until=None, now=now)
    snoozed = f"keep:{network['bo'].id}:2026-02-11"
    until = now.date() + timedelta(days=5)
    agenda_repo.set_state(session, owner_id=OWNER, key=snoozed, state="snoozed", until=until, now=now)

    week = week_of(build_digest(session, owner_id=OWNER, day=now.date(), now=now))

    assert key not in [k for keys in week.values() for k in keys]
    assert week[until] == [snoozed]  # back on the day its snooze ends


def test_look_back_counts_the_seven_days_before(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    ana, bo = add_person("Ana Lima", tier=5), add_person("Bo Chen", tier=5)
    today_start = datetime.combine(now.date(), datetime.min.time()).astimezone()
    contact(session, ana, now=now, days_ago=1)
    contact(session, ana, now=now, days_ago=2, kind="call")
    contact(session, bo, now=now, days_ago=3)
    contact(session, bo, now=now, days_ago=8)  # before the window
    interactions_service.log_interaction(
        session, owner_id=OWNER, kind="email", people=[ana], when=today_start + timedelta(minutes=1), now=now
    )  # the digest's own day: not "looking back"
    interactions_service.log_interaction(
        session, owner_id=OWNER, kind="email", people=[bo], when=today_start - timedelta(days=7), now=now
    )  # the first second of the window

    back = build_digest(session, owner_id=OWNER, day=now.date(), now=now).look_back

    assert (back.start, back.end) == (date(2026, 3, 3), date(2026, 3, 9))
    assert back.kinds == {"call": 1, "coffee": 2, "email": 1}
    assert back.total == 4
    assert [(c.name, c.interactions) for c in back.contacted] == [("Ana Lima", 2), ("Bo Chen", 2)]
    assert back.contacted_total == 2


def test_look_back_lists_interactions_and_html_escapes_their_notes(
    session: Session, network: dict[str, Person], now: datetime
) -> None:
    digest = build_digest(session, owner_id=OWNER, day=now.date(), now=now)
    assert "2 interactions (1 coffee and 1 video call) with 2 people." in digest.text
    assert "  8 Mar  coffee with Eve Fox: talked about <script>alert(1)</script>\n" in digest.text
    assert "  7 Mar  video call with Cy Dee\n" in digest.text
    assert "<script>" not in digest.html
    assert "talked about &lt;script&gt;alert(1)&lt;/script&gt;" in digest.html


def test_the_daily_cap_limits_each_day_and_says_how_many_more(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    prefs_with(session, agenda__daily_cap=2)
    for n in range(4):
        contact(session, add_person(f"Person {n}", tier=2), now=now, days_ago=40 + n)

    digest = build_digest(session, owner_id=OWNER, day=now.date(), now=now)

    assert len(digest.days[0].items) == 4
    assert digest.text.count("  * Get in touch with") == 2
    assert "... and 2 more (`tieline today --date 2026-03-10` lists them)" in digest.text
    assert digest.html.count("<strong>Get in touch with") == 2


def test_an_empty_week_says_so(session: Session, now: datetime) -> None:
    digest = build_digest(session, owner_id=OWNER, day=now.date(), now=now)
    assert digest.subject == "tieline: nothing due, 10 Mar to 16 Mar"
    assert "Nothing new is due this week." in digest.text
    assert "No interactions logged." in digest.text
    assert "Nothing new is due this week." in digest.html


def test_a_user_digest_template_in_the_data_directory_wins(
    session: Session, network: dict[str, Person], now: datetime, tmp_path: Path
) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "digest.txt.j2").write_text("{{ total }} lines; {{ back.total }} logged\n")
    digest = build_digest(session, owner_id=OWNER, day=now.date(), now=now, data_dir=tmp_path)
    assert digest.text == "3 lines; 2 logged\n"
    assert "<h1" in digest.html  # the HTML template was not overridden


def test_kinds_text_pluralises() -> None:
    assert kinds_text({"coffee": 2, "video_call": 1, "social": 3}) == (
        "2 coffees, 3 social engagements and 1 video call"
    )
    assert kinds_text({}) == ""


def test_send_delivers_text_and_html_alternatives(
    session: Session, network: dict[str, Person], now: datetime, inbox: Inbox
) -> None:
    prefs = prefs_with(
        session,
        smtp__host=inbox.host,
        smtp__port=inbox.port,
        smtp__to="me@example.org",
        smtp__from="tieline@example.org",
    )
    digest = build_digest(session, owner_id=OWNER, day=now.date(), now=now)

    send_digest(digest, prefs, now=now)

    [received] = inbox.messages
    message = received.message
    assert received.rcpt_tos == ["me@example.org"]
    assert received.mail_from == "tieline@example.org"
    assert message["Subject"] == digest.subject
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n") == digest.text
    assert "talked about <script>alert(1)</script>" in plain.get_content()
    html_text = html.get_content()
    assert "<script>" not in html_text
    assert "talked about &lt;script&gt;alert(1)&lt;/script&gt;" in html_text


def test_to_overrides_the_setting(session: Session, now: datetime, inbox: Inbox) -> None:
    prefs = prefs_with(session, smtp__host=inbox.host, smtp__port=inbox.port, smtp__to="me@example.org")
    send_digest(build_digest(session, owner_id=OWNER, day=now.date(), now=now), prefs, to="other@example.org")
    assert inbox.messages[0].rcpt_tos == ["other@example.org"]
    assert inbox.messages[0].mail_from == "other@example.org"  # no smtp.from, no own address: self-sent


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({}, "smtp.host is not set"),
        ({"smtp__host": "127.0.0.1"}, "smtp.to is not set"),
        (
            {"smtp__host": "127.0.0.1", "smtp__to": "me@example.org", "smtp__username": "me"},
            "TIELINE_SMTP_PASSWORD is not",
        ),
    ],
)
def test_missing_settings_are_config_errors(
    session: Session,
    now: datetime,
    settings: dict[str, object],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("TIELINE_SMTP_PASSWORD", raising=False)
    prefs = prefs_with(session, **settings)
    digest = build_digest(session, owner_id=OWNER, day=now.date(), now=now)
    with pytest.raises(ConfigError, match=message):
        send_digest(digest, prefs)


def test_an_unreachable_server_is_a_config_error(session: Session, now: datetime) -> None:
    prefs = prefs_with(session, smtp__host="127.0.0.1", smtp__port=free_port(), smtp__to="me@example.org")
    digest = build_digest(session, owner_id=OWNER, day=now.date(), now=now)
    with pytest.raises(ConfigError, match=r"could not send the digest through 127\.0\.0\.1:\d+"):
        send_digest(digest, prefs)
