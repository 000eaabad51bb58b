"""Two accounts on one server for the isolation tests: A (the local owner, 1) with one of everything a
route can take an id of, every text of it carrying a word no other data has; B (a new owner) with a
small network of its own, made after A's so that no id of B's is also an id of A's.

Everything is made through the services, as the CLI and the pages make it (a card conflict, which
only an address book's sync makes, is written through its model as `tests/web/test_writes_commit.py`
does)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import FIXED_NOW
from tests.sync.servers import free_port
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID, CardConflict, Connection, Person
from tieline.services import accounts, agenda, preferences, team_requests, team_shares, tokens
from tieline.services import asks as asks_service
from tieline.services import events as events_service
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import goals as goals_service
from tieline.services import imports as imports_service
from tieline.services import interactions as interactions_service
from tieline.services import introductions as introductions_service
from tieline.services import knows as knows_service
from tieline.services import mentorship as mentorship_service
from tieline.services import merge as merge_service
from tieline.services import milestones as milestones_service
from tieline.services import opportunities as opportunities_service
from tieline.services import organisations as organisations_service
from tieline.services import people as people_service
from tieline.services import resources as resources_service
from tieline.services import teams as teams_service
from tieline.services.people import PersonChanges
from tieline.services.sync import connections as connections_service
from tieline.services.sync import discovered as discovered_service

NOW = FIXED_NOW
TODAY = FIXED_NOW.date()
A_USER, B_USER = "zorblaxian", "benedikt"
A_PASSWORD, B_PASSWORD = "zorblax password 1", "benedikt password 2"

# Words found in A's data and nowhere else: none may appear in an answer to B (but where B's own
# request carried it, as a search for it does: a page may say what was asked).
A_WORDS = (
    "Zorblax",
    "Quimby",
    "Ulvmira",
    "Krennic",
    "Mardrake",
    "Vexillo",
    "Pellucid",
    "Quasitron",
    "Ximena",
    "zorblax.quimby@example.org",
    "pellucid@example.org",
    "+1 555 0199 321",
    "Cabal",
    A_USER,
)
# A's own team (A and A's ally, each sharing): B never sees it, nor the introduction requests in it.
A_TEAM = "Zorblax Cabal"
ALLY_USER = "zorblaxally"  # a third account: the teammate A asks, and who asks A
# A connection name both accounts use (no marker in it): one's "Sync now" must never run the other's.
SHARED_NAME = "calendar"
# B's own words, which B's pages must show (an empty or broken page would show nothing of A's too).
B_WORD = "Blinova"

A_CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-pellucid\r\nFN:Pellucid Zorblaxson\r\n"
    "N:Zorblaxson;Pellucid;;;\r\n"
    "EMAIL:pellucid@example.org\r\nNOTE:Zorblax import Mardrake\r\nEND:VCARD\r\n"
)
B_CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-bb\r\nFN:Bogdana Blinova\r\nN:Blinova;Bogdana;;;\r\n"
    "EMAIL:bogdana@example.net\r\nEND:VCARD\r\n"
)


@dataclass
class Side:
    """One account's ids (by kind) and the other things routes name it by (keys, names, tokens)."""

    owner_id: int
    ids: dict[str, int] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)


def _connections(s: Session, owner_id: int, *, feed: str, url: str, data_dir: Path) -> None:
    """An ICS feed `feed` at `url`, and a CalDAV connection named SHARED_NAME (as the other side's)
    on a loopback port where nothing listens: a sync there fails at once, in words."""
    connections_service.add_connection(
        s, owner_id=owner_id, kind="ics", name=feed,
        settings=connections_service.ics_settings(url=url, months=12, ca_file=None),
        secret=url, data_dir=data_dir, now=NOW,
    )  # fmt: skip
    connections_service.add_connection(
        s, owner_id=owner_id, kind="caldav", name=SHARED_NAME,
        settings=connections_service.caldav_settings(
            url=f"http://127.0.0.1:{free_port()}/", user=None, calendars=None, months=12, ca_file=None,
            password_command=None,
        ),
        secret=None, data_dir=data_dir, now=NOW,
    )  # fmt: skip


def _person(s: Session, owner_id: int, name: str, **values: Any) -> Person:
    lists = {k: values.pop(k) for k in list(values) if isinstance(values[k], list)}
    person = people_service.add_person(
        s, owner_id=owner_id, name=name, changes=PersonChanges(set=values, add=lists), today=TODAY,
        now=NOW - timedelta(days=400),
    )  # fmt: skip
    s.flush()
    return person


def _keys(s: Session, owner_id: int) -> list[str]:
    view = agenda.agenda_for(s, owner_id=owner_id, day=TODAY, now=NOW, remember=False, limit=100)
    return [item.key for item in view.items]


def build_a(database: Database, data_dir: Path, folder: Path) -> Side:
    """A: the first account (it takes the local owner) and one of everything, each marked."""
    a = Side(LOCAL_OWNER_ID)
    with database.transaction(writes=True) as s:
        info = accounts.add_user(s, username=A_USER, password=A_PASSWORD, now=NOW)
        assert info.owner_id == LOCAL_OWNER_ID
        zorb = _person(
            s, a.owner_id, "Zorblax Quimby", company="Zorblax Dynamics", title="Vexillo officer", tier=2,
            emails=["zorblax.quimby@example.org"], phones=["+1 555 0199 321"], tags=["vexillo-club"],
            interests=["vexillology"], needs=["Quasitron funding"], notes="Zorblax private notes: Mardrake",
        )  # fmt: skip
        ulv = _person(
            s, a.owner_id, "Ulvmira Krennic", company="Zorblax Dynamics", tier=2,
            expertise=["Quasitron funding"], emails=["ulvmira@example.org"],
        )  # fmt: skip
        twin_kept = _person(
            s, a.owner_id, "Zorblax Twin", company="Krennic Ltd", emails=["twin1@example.org"]
        )
        twin_merged = _person(
            s, a.owner_id, "Zorblax Twin", company="Krennic Ltd", emails=["twin2@example.org"]
        )
        pair_a = _person(s, a.owner_id, "Krennic Pair", company="Vexillo Inc", emails=["pair1@example.org"])
        pair_b = _person(s, a.owner_id, "Krennic Pair", company="Vexillo Inc", emails=["pair2@example.org"])
        merge_service.mark_distinct(s, owner_id=a.owner_id, a=pair_a, b=pair_b)
        record = merge_service.merge(s, kept=twin_kept, merged=twin_merged, now=NOW)
        s.flush()
        org = organisations_service.add_organisation(
            s, owner_id=a.owner_id, name="Zorblax Dynamics Group", notes="Zorblax org notes"
        )
        dept = organisations_service.add_organisation(
            s, owner_id=a.owner_id, name="Zorblax Skunkworks", kind="department", parent=org
        )
        organisations_service.add_membership(s, person=zorb, organisation=org, role="Zorblax lead")
        organisations_service.add_membership(s, person=ulv, organisation=dept, role="Krennic engineer")
        event = events_service.add_event(
            s, owner_id=a.owner_id, name="Zorblax Summit", starts_on=TODAY - timedelta(days=2),
            notes="Zorblax summit notes Mardrake", organiser=org,
        )  # fmt: skip
        events_service.attend(s, owner_id=a.owner_id, event=event, people=[zorb, ulv])
        interactions_service.log_interaction(
            s, owner_id=a.owner_id, kind="coffee", people=[zorb], when=NOW - timedelta(days=60),
            notes="Zorblax coffee about Mardrake and Quasitron", subject="Zorblax subject", now=NOW,
        )  # fmt: skip
        interactions_service.log_interaction(
            s, owner_id=a.owner_id, kind="call", people=[ulv, zorb], when=NOW - timedelta(days=90), now=NOW
        )
        favour = favours_service.record_favour(
            s, owner_id=a.owner_id, person=zorb, direction="received", kind="advice",
            when=NOW - timedelta(days=4), now=NOW, text="Zorblax favour Mardrake",
        )  # fmt: skip
        followup = followups_service.add_followup(
            s, owner_id=a.owner_id, person=zorb, text="Zorblax follow-up Mardrake deck", due_on=TODAY
        )
        milestones_service.add_milestone(
            s, owner_id=a.owner_id, person=ulv, kind="promotion", occurred_on=TODAY - timedelta(days=5),
            text="Zorblax promotion",
        )  # fmt: skip
        intro = introductions_service.propose(
            s, owner_id=a.owner_id, a=zorb, b=ulv, why="Zorblax intro: both like Mardrake", now=NOW
        )
        introductions_service.ask_a(s, intro, now=NOW)
        opportunity = opportunities_service.add_opportunity(
            s, owner_id=a.owner_id, title="Zorblax Quasitron role", spotted_on=TODAY,
            origin=opportunities_service.Origin(
                person=zorb, organisation=org, event=event, introduction=intro
            ),
            notes="Zorblax opportunity notes",
        )  # fmt: skip
        goal = goals_service.add_goal(
            s, owner_id=a.owner_id, kind="meet_people", target=3, starts_on=TODAY,
            ends_on=TODAY + timedelta(days=20), label="Zorblax goal",
        )  # fmt: skip
        resource = resources_service.save_resource(
            s, owner_id=a.owner_id, url="https://zorblax.example.org/guide", topics=["quasitron funding"],
            title="Zorblax guide",
        )  # fmt: skip
        resources_service.share(
            s, owner_id=a.owner_id, resource=resource, people=[ulv], now=NOW, note="Zorblax"
        )
        knows_service.link(s, owner_id=a.owner_id, person=zorb, other=ulv, strength=0.9, note="Zorblax knows")
        mentorship_service.set_relation(
            s, owner_id=a.owner_id, person=ulv, today=TODAY, kind="mentor", of=None, notes="Zorblax mentor"
        )
        asks_service.plan_ask(
            s, owner_id=a.owner_id, person=zorb, text="Zorblax ask Quasitron", day=TODAY, now=NOW
        )
        preferences.set_value(s, owner_id=a.owner_id, key="me.name", value="Zorblax Self")
        a.text["calendar"] = preferences.new_calendar_token(s, owner_id=a.owner_id)
        token, secret = tokens.create(s, owner_id=a.owner_id, name="Zorblax token", scope="write", now=NOW)
        a.text["token_secret"] = secret
        _connections(
            s, a.owner_id, feed="zorblax-feed", url="https://calendar.example.org/zorblax/basic.ics",
            data_dir=data_dir,
        )  # fmt: skip
        book = Connection(
            owner_id=a.owner_id, kind="carddav", name="zorblax-book", settings={}, created_at=NOW
        )
        s.add(book)
        s.flush()
        conflict = CardConflict(
            owner_id=a.owner_id, connection_id=book.id, person_id=zorb.id, field="org",
            tieline_value=[None, None, "Zorblax CTO"], server_value=[None, None, "Krennic CEO"], found_at=NOW,
        )  # fmt: skip
        s.add(conflict)
        seen = discovered_service.Sighting(
            "ximena.zorblax@example.org", "Ximena Zorblaxova", [(False, NOW), (False, NOW)]
        )
        discovered_service.note(s, owner_id=a.owner_id, sightings={seen.email: seen}, source="mail")
        s.flush()
        keys = _keys(s, a.owner_id)
        # An agenda line acted on (its state kept), and one left due for the routes to aim at.
        assert len(keys) >= 2, keys
        acted = keys[-1]
        agenda.snooze(s, owner_id=a.owner_id, ref=acted, days=3, now=NOW)
        a.text["acted_key"] = acted
        a.ids |= {
            "person": zorb.id, "person2": ulv.id, "twin": twin_kept.id, "pair": pair_a.id, "pair2": pair_b.id,
            "merge": record.id, "organisation": org.id, "department": dept.id, "event": event.id,
            "favour": favour.id, "followup": followup.id, "introduction": intro.id,
            "opportunity": opportunity.id,
            "goal": goal.id, "resource": resource.id, "token": token.id, "conflict": conflict.id,
            "connection": book.id,
        }  # fmt: skip
        a.text |= {"discovered": seen.email, "connection": "zorblax-feed"}
    path = folder / "zorblax-friends.vcf"
    path.write_text(A_CARDS, encoding="utf-8")
    a.ids["run"] = imports_service.import_path(database, path, owner_id=a.owner_id, now=NOW).run_id
    a.ids["team"] = _team(database, a.owner_id, A_TEAM, "all", None)
    a.ids |= _requests_of_a(database, a.owner_id, a.ids["team"])
    with database.transaction() as s:
        keys = _keys(s, a.owner_id)
    a.text["key"] = next(k for k in keys if k != a.text["acted_key"])
    a.text["keys"] = " ".join(keys)
    return a


def build_b(database: Database, data_dir: Path, folder: Path) -> Side:
    """B: a later account (a new, empty owner) and a small network of its own."""
    with database.transaction(writes=True) as s:
        info = accounts.add_user(s, username=B_USER, password=B_PASSWORD, now=NOW)
        b = Side(info.owner_id)
        assert b.owner_id != LOCAL_OWNER_ID
        bea = _person(
            s, b.owner_id, "Bertha Blinova", company="Blinova Labs", tier=2, emails=["bertha@example.net"],
            tags=["blinova-club"], interests=["rowing"], needs=["design"],
        )  # fmt: skip
        bor = _person(s, b.owner_id, "Boris Blinova", company="Blinova Labs", tier=2, expertise=["design"])
        org = organisations_service.add_organisation(s, owner_id=b.owner_id, name="Blinova Labs Group")
        organisations_service.add_membership(s, person=bea, organisation=org, role="Blinova lead")
        event = events_service.add_event(s, owner_id=b.owner_id, name="Blinova Meetup", starts_on=TODAY)
        events_service.attend(s, owner_id=b.owner_id, event=event, people=[bea])
        interactions_service.log_interaction(
            s, owner_id=b.owner_id, kind="coffee", people=[bea], when=NOW - timedelta(days=60),
            notes="Blinova coffee", now=NOW,
        )  # fmt: skip
        favour = favours_service.record_favour(
            s, owner_id=b.owner_id, person=bea, direction="received", kind="advice",
            when=NOW - timedelta(days=3), now=NOW, text="Blinova favour",
        )  # fmt: skip
        followup = followups_service.add_followup(
            s, owner_id=b.owner_id, person=bea, text="Blinova follow-up", due_on=TODAY
        )
        intro = introductions_service.propose(
            s, owner_id=b.owner_id, a=bea, b=bor, why="Blinova intro", now=NOW
        )
        opportunity = opportunities_service.add_opportunity(
            s, owner_id=b.owner_id, title="Blinova role", spotted_on=TODAY
        )
        goal = goals_service.add_goal(
            s, owner_id=b.owner_id, kind="meet_people", target=2, starts_on=TODAY,
            ends_on=TODAY + timedelta(days=20), label="Blinova goal",
        )  # fmt: skip
        knows_service.link(s, owner_id=b.owner_id, person=bea, other=bor, strength=0.8)
        b.text["calendar"] = preferences.new_calendar_token(s, owner_id=b.owner_id)
        _connections(
            s, b.owner_id, feed="blinova-feed", url="https://calendar.example.net/blinova.ics",
            data_dir=data_dir,
        )  # fmt: skip
        seen = discovered_service.Sighting("stranger.blinova@example.net", "Blinova Stranger", [(False, NOW)])
        discovered_service.note(s, owner_id=b.owner_id, sightings={seen.email: seen}, source="mail")
        s.flush()
        b.ids |= {
            "person": bea.id, "person2": bor.id, "organisation": org.id, "event": event.id,
            "favour": favour.id,
            "followup": followup.id, "introduction": intro.id, "opportunity": opportunity.id, "goal": goal.id,
        }  # fmt: skip
        b.text |= {"discovered": seen.email, "connection": "blinova-feed"}
    path = folder / "blinova-cards.vcf"
    path.write_text(B_CARDS, encoding="utf-8")
    b.ids["run"] = imports_service.import_path(database, path, owner_id=b.owner_id, now=NOW).run_id
    b.ids["team"] = _team(database, b.owner_id, "Blinova Crew", "tag", "blinova-club")
    return b


def _requests_of_a(database: Database, owner_id: int, team_id: int) -> dict[str, int]:
    """A's ally joins A's team and shares one person: A asks the ally for an introduction
    (`request`, A's as asker) and the ally asks A (`held`, A's to answer); `share` is A's entry."""
    with database.transaction(writes=True) as s:
        ally = accounts.add_user(s, username=ALLY_USER, password="zorblax ally 3", now=NOW).owner_id
        contact = _person(s, ally, "Zorblax Allyson", company="Quasitron Works", title="Zorblax buyer")
        token = teams_service.invite(s, owner_id=owner_id, team=f"#{team_id}", now=NOW).token
        teams_service.join(s, owner_id=ally, token=token, now=NOW)
        rule = team_shares.rule_from(s, owner_id=ally, kind="person", value=f"#{contact.id}")
        team_shares.share(s, team_id=team_id, owner_id=ally, rule=rule, now=NOW)
    with database.transaction(writes=True) as s:
        (theirs,) = team_shares.who(
            s, team_id=team_id, asker_owner_id=owner_id, now=NOW, organisation="Quasitron Works"
        )
        mine = team_shares.who(
            s, team_id=team_id, asker_owner_id=ally, now=NOW, organisation="Zorblax Dynamics"
        )
        asked = team_requests.ask(
            s, team_id=team_id, asker=owner_id, share_id=theirs.share_id, why="Zorblax why Mardrake", now=NOW
        )
        held = team_requests.ask(
            s, team_id=team_id, asker=ally, share_id=mine[0].share_id, why="Zorblax ally asks", now=NOW
        )
    return {"request": asked.id, "held": held.id, "share": mine[0].share_id}


def _team(database: Database, owner_id: int, name: str, kind: str, value: str | None) -> int:
    """A team of one (its maker), who shares with it by one rule."""
    with database.transaction(writes=True) as s:
        made = teams_service.create(s, owner_id=owner_id, name=name, now=NOW)
        rule = team_shares.rule_from(s, owner_id=owner_id, kind=kind, value=value)
        team_shares.share(s, team_id=made.id, owner_id=owner_id, rule=rule, now=NOW)
        return made.id
