"""A small network with rows in every table, awkward values included, for backup and export tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from tieline.models import (
    LOCAL_OWNER_ID,
    CardConflict,
    CardLink,
    Connection,
    Discovered,
    DistinctPair,
    ImportChange,
    ImportRun,
    MergeRecord,
    Organisation,
    Person,
    PersonSource,
    SyncCursor,
    Tie,
    UpcomingAttendee,
    UpcomingMeeting,
)
from tieline.repo import agenda as agenda_repo
from tieline.repo import settings as settings_repo
from tieline.services import asks as asks_service
from tieline.services import events as events_service
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import goals as goals_service
from tieline.services import interactions as interactions_service
from tieline.services import introductions as introductions_service
from tieline.services import mentorship as mentorship_service
from tieline.services import milestones as milestones_service
from tieline.services import opportunities as opportunities_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services import preferences
from tieline.services import resources as resources_service
from tieline.services.people import PersonChanges

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
OWNER = LOCAL_OWNER_ID
# Text that trips up encoders and line-based readers: line and paragraph separators, NEL, CR,
# quotes, backslashes, tabs, right-to-left and astral characters.
AWKWARD = 'Zoë "Z" \\ O\'Brien\u2028next\u2029para\x85nel\r\ncrlf\ttab \u05e9\u05dc\u05d5\u05dd 𝄞 🎉'


@dataclass
class Network:
    """The people of the network, by role."""

    ana: Person
    jose: Person
    mei: Person
    archived: Person


def _person(session: Session, name: str, **values: object) -> Person:
    lists = values.pop("lists", {})
    changes = PersonChanges(set=dict(values), add=lists)  # type: ignore[arg-type]
    return people_service.add_person(session, owner_id=OWNER, name=name, changes=changes, today=NOW.date())


def build_network(session: Session) -> Network:
    """Fill every table the backup holds; the caller commits."""
    ana = _person(
        session,
        "Ana Lima",
        given_name="Ana",
        middle_name="Beatriz",
        family_name="Lima",
        name_prefix="Dr.",
        name_suffix="PhD",
        nickname="Aninha",
        title="CTO",
        company="Acme",
        department="R&D; Platform",
        industry="Software",
        location="Lisboa",
        birthday="1985-04-12",
        met_how="conference talk",
        met_where="Web Summit",
        met_on=date(1999, 12, 31),
        tier=2,
        cadence_days=30,
        closeness=4,
        notes=AWKWARD,
        lists={
            "emails": ["ana@acme.example", "ana.lima@mail.example"],
            "phones": ["+351 21 000 0000", "(555) 010-9999"],
            "links": ["https://www.linkedin.com/in/ana-lima", "https://ana.example"],
            "tags": ["friend", "Zebra", "apple", "été"],
            "interests": ["climbing", "jazz"],
            "expertise": ["Postgres"],
            "needs": ["a designer"],
        },
    )
    ana.emails[0].label, ana.phones[0].label, ana.links[1].label = "work", "cell", "blog"
    ana.phones[1].label = "Assistant (mornings)"
    ana.source, ana.source_id = "vcard", "urn:uuid:0b1d6a8e-0000-4000-8000-000000000001"
    ana.extra = {
        "vcard": ["X-ABUID:5AD380FD-B2DE-4261-BA99-DE1D1DB52FBE:ABPerson", "item1.X-ABDATE:2010-06-01"],
        "ADR": [";;1 Rua Augusta\\, 2º;Lisboa;;1100-048;Portugal"],
        "connected_on": "16 Dec 2024",
        "nested": {"z": [1, 2.5, None, True], "a": "ü", "float": 0.1 + 0.2},
    }
    jose = _person(
        session,
        "José Álvarez 王",
        company="Initech",
        title="Engineer",
        birthday="03-15",
        lists={"tags": ["B"]},
    )
    mei = _person(session, "Mei 美", lists={"emails": ["mei@example.cn"]})
    archived = _person(session, "Old Contact")
    people_service.archive_person(archived)
    session.flush()

    # Organisations: the child is created first, so its parent has the larger id.
    team = organisations_service.add_organisation(session, owner_id=OWNER, name="Platform team", kind="team")
    parent = organisations_service.add_organisation(
        session, owner_id=OWNER, name="Acme Holding", industry="Conglomerate", website="https://acme.example"
    )
    team.parent_id = parent.id
    organisations_service.add_membership(session, person=None, organisation=parent, role="Board advisor")
    organisations_service.add_membership(
        session, person=jose, organisation=team, role="Lead", since=date(2020, 1, 1), until=date(2024, 6, 30)
    )

    # Interactions, several with more than one participant; times with and without microseconds.
    for days, kind, people, extra in (
        (400, "meeting", [ana, jose, mei], {"subject": "Kick-off", "initiated_by": "me"}),
        (45, "coffee", [ana], {"notes": "talked about ☕ and 𝄞"}),
        (3, "email", [ana, jose], {"initiated_by": "them", "channel": "mail"}),
    ):
        when = NOW - timedelta(days=days, microseconds=days * 7)
        interactions_service.log_interaction(
            session, owner_id=OWNER, kind=kind, people=people, when=when, now=NOW, **extra
        )
    imported = interactions_service.log_interaction(
        session, owner_id=OWNER, kind="message", people=[mei], when=datetime(1970, 1, 1, tzinfo=UTC), now=NOW
    )
    imported.source, imported.source_id = "linkedin", "msg-1"

    followup = followups_service.add_followup(
        session, owner_id=OWNER, person=ana, text="Send the article", due_on=date(2026, 3, 12), every_days=14
    )
    followups_service.add_followup(
        session, owner_id=OWNER, person=None, text="Plan the dinner", due_on=date(2026, 4, 1), is_promise=True
    )
    followups_service.complete(followup, day=date(2026, 3, 10), now=NOW)
    milestones_service.add_milestone(
        session, owner_id=OWNER, person=jose, kind="new_job", occurred_on=date(2026, 3, 1), text="Initech"
    )
    favours_service.record_favour(
        session, owner_id=OWNER, person=ana, direction="received", kind="introduction", when=NOW, now=NOW
    )
    favours_service.record_favour(
        session, owner_id=OWNER, person=jose, direction="given", kind="advice", when=NOW, now=NOW, text="CV"
    )
    plan = asks_service.plan_ask(
        session, owner_id=OWNER, person=mei, text="An intro to her CTO", day=NOW.date()
    )
    asks_service.set_status(plan.ask, "asked")

    agenda_repo.set_state(session, owner_id=OWNER, key="keep_in_touch:1", state="done", until=None, now=NOW)
    agenda_repo.set_state(
        session, owner_id=OWNER, key="birthday:2", state="snoozed", until=date(2026, 3, 17), now=NOW
    )
    agenda_repo.save_listing(session, owner_id=OWNER, keys=["keep_in_touch:1", "birthday:2"], day=NOW.date())

    preferences.set_value(session, owner_id=OWNER, key="agenda.daily_cap", value="7")
    # Text keys that PostgreSQL's default collation and SQLite order differently.
    for key, value in (("b", 0.1), ("B", [1, {"y": None, "x": "é"}]), ("a", None), ("Z", "zé")):
        settings_repo.put(session, owner_id=OWNER, key=f"test.{key}", value=value)

    _grow(session, ana, jose, mei, parent)
    # Floats that only survive a round trip when written by repr.
    session.flush()
    tie = session.get(Tie, ana.id)
    assert tie is not None
    tie.intensity, tie.strength = 0.1 + 0.2, 1e-300
    tie.half_life_days = 123456789.12345679

    run = ImportRun(
        owner_id=OWNER,
        format="vcard",
        path="/home/ana/contacts.vcf",
        started_at=NOW,
        finished_at=NOW + timedelta(seconds=1, microseconds=5),
        counts={"added": 2, "skipped": 0},
    )
    session.add(run)
    session.flush()
    session.add(ImportChange(run_id=run.id, table_name="person", action="insert", data={"ids": [ana.id]}))
    session.add(
        PersonSource(
            owner_id=OWNER,
            person_id=ana.id,
            source="vcard",
            source_id=ana.source_id,
            digest="0" * 40,
            fields=json.dumps({"display_name": "Ana Lima", "emails": ["ana@acme.example"]}),
        )
    )
    session.add(
        MergeRecord(
            owner_id=OWNER,
            kept_id=ana.id,
            merged_id=999,
            merged_at=NOW,
            evidence=["same email"],
            before={"kept": {"person": [{"id": ana.id}]}, "merged": {}},
        )
    )
    low, high = sorted((jose.id, mei.id))
    session.add(DistinctPair(owner_id=OWNER, low_id=low, high_id=high))
    _sync(session)
    _address_book(session, ana)
    session.flush()
    return Network(ana=ana, jose=jose, mei=mei, archived=archived)


def _sync(session: Session) -> None:
    """A mail connection with its cursors and a stranger it met: a backup holds them, never a secret
    (there is none in the database to hold)."""
    work = Connection(
        owner_id=OWNER, name="work", kind="imap", created_at=NOW, last_run_at=NOW, last_ok_at=NOW,
        settings={"host": "imap.example.org", "port": 993, "tls": "ssl", "user": AWKWARD, "months": 12,
                  "password_command": "pass show mail/work", "folders": ["INBOX", "Sent \u2028"]},
        last_counts={"added": 3, "messages seen": 40}, failures=2, last_error="host unreachable",
        next_run_at=NOW + timedelta(minutes=10),
    )  # fmt: skip
    session.add(work)
    session.flush()
    session.add(
        SyncCursor(
            owner_id=OWNER, connection_id=work.id, key="INBOX", updated_at=NOW,
            state={"uidvalidity": 4294967295, "last_uid": 12, "token": AWKWARD},
        )
    )  # fmt: skip
    session.add(
        Discovered(
            owner_id=OWNER, email="stranger@example.org", name=AWKWARD, messages=3, meetings=1,
            first_seen_at=NOW - timedelta(days=30), last_seen_at=NOW, state="ignored", source="work",
        )
    )  # fmt: skip
    # A calendar's meeting still to come, with a stranger invited (issue 18's "read the brief").
    meeting = UpcomingMeeting(
        owner_id=OWNER, connection_id=work.id, calendar="/me/work/", href=f"/me/work/{AWKWARD}.ics",
        uid=f"review-{AWKWARD}@example.org", recurrence_id="20260311T140000Z",
        starts_at=NOW + timedelta(days=1), ends_at=None, title=AWKWARD,
    )  # fmt: skip
    session.add(meeting)
    session.flush()
    session.add(
        UpcomingAttendee(owner_id=OWNER, meeting_id=meeting.id, email="stranger@example.org", name=AWKWARD)
    )


def _address_book(session: Session, ana: Person) -> None:
    """An address book synced both ways: Ana's card link with its base, and a conflict on her title."""
    book = Connection(
        owner_id=OWNER, name="phone", kind="carddav", created_at=NOW,
        settings={"url": "https://dav.example.org/", "user": AWKWARD, "book_url": "https://dav.example.org/a/b/",
                  "book": "Contacts", "send": "tier:2", "notes": False, "vcard4": False, "sync_collection": True},
    )  # fmt: skip
    session.add(book)
    session.flush()
    base = {"names": [AWKWARD, None, "Ana", None, None, None], "emails": [["ana@example.org", "work"]],
            "phones": [], "org": [None, None, "CTO"], "birthday": "--03-22", "addresses": [],
            "urls": [], "notes": None, "_person": ana.id}  # fmt: skip
    session.add(
        CardLink(
            owner_id=OWNER, connection_id=book.id, person_id=ana.id, href="https://dav.example.org/a/b/x.vcf",
            uid=f"urn:uuid:{AWKWARD}", etag='"e-1"', base=base, updated_at=NOW,
        )
    )  # fmt: skip
    session.add(
        CardConflict(
            owner_id=OWNER, connection_id=book.id, person_id=ana.id, field="org", found_at=NOW,
            tieline_value=[None, None, "CTO"], server_value=[None, None, AWKWARD],
        )
    )  # fmt: skip


def _grow(session: Session, ana: Person, jose: Person, mei: Person, org: Organisation) -> None:
    """Issue 5's records: an event met at, mentorship, introductions (one made), an opportunity
    through it, a resource shared, and goals."""
    event = events_service.add_event(
        session, owner_id=OWNER, name=f"Summit {AWKWARD}", starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 4), kind="conference", place="Lisboa", organiser=org, goals="meet 𝄞 people",
    )  # fmt: skip
    events_service.meet(session, owner_id=OWNER, event=event, names=[ana.display_name], note="🎉", now=NOW)
    events_service.attend(session, owner_id=OWNER, event=event, people=[jose])
    mentorship_service.set_relation(
        session, owner_id=OWNER, person=ana, today=NOW.date(), kind="mentor", since=date(2025, 1, 1),
        goals="staff engineer",
    )  # fmt: skip
    mentorship_service.set_relation(
        session, owner_id=OWNER, person=jose, of=mei, today=NOW.date(), kind="coach"
    )
    intro = introductions_service.propose(session, owner_id=OWNER, a=jose, b=mei, why="both 王", now=NOW)
    introductions_service.ask_a(session, intro, now=NOW)
    introductions_service.ask_b(session, intro, now=NOW)
    introductions_service.make(session, owner_id=OWNER, intro=intro, now=NOW)
    introductions_service.record_outcome(session, intro, "they hired her", now=NOW)
    introductions_service.propose(session, owner_id=OWNER, a=ana, b=mei, why="maybe", now=NOW)
    opportunities_service.add_opportunity(
        session, owner_id=OWNER, title="Staff role", kind="job", stage="exploring",
        origin=opportunities_service.Origin(person=mei, organisation=org, event=event, introduction=intro),
        spotted_on=date(2026, 3, 5), due_on=date(2026, 3, 20), notes=AWKWARD,
    )  # fmt: skip
    resource = resources_service.save_resource(
        session, owner_id=OWNER, url="https://example.org/été?a=1&b=2", topics=["postgres", "Zoë"],
        title="A guide", kind="article",
    )  # fmt: skip
    resources_service.share(session, owner_id=OWNER, resource=resource, people=[ana], now=NOW, note="for you")
    goals_service.add_goal(
        session, owner_id=OWNER, kind="meet_people", target=5, starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31), industry="Software", label="meet 5",
    )  # fmt: skip
    goals_service.add_goal(
        session, owner_id=OWNER, kind="attend_events", target=2, starts_on=date(2026, 1, 1), per="month"
    )
