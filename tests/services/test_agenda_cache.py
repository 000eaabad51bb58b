"""The agenda cache (services/agenda/cache.py, db.py's stale stamps): the kept agenda equals the one
computed afresh, a second view computes nothing, and every kind of write makes the next view
compute again. A new kind of write is one line in WRITES."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tests.agenda_computations import count_computations
from tieline.db import AGENDA_STALE, Database
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.repo import agenda_cache as cache_repo
from tieline.repo import bulk as bulk_repo
from tieline.repo import meetings as meetings_repo
from tieline.services import (
    agenda,
    events,
    favours,
    followups,
    goals,
    imports,
    interactions,
    introductions,
    merge,
    milestones,
    opportunities,
    people,
    preferences,
)
from tieline.services.agenda import cache as agenda_cache
from tieline.services.people import PersonChanges

OWNER = LOCAL_OWNER_ID
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@dataclass
class World:
    """People on the agenda, by name; ids so each transaction loads its own objects."""

    ids: dict[str, int]
    tmp: Path

    def person(self, session: Session, name: str) -> Person:
        return people.get_person(session, owner_id=OWNER, person_id=self.ids[name])


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    ids = {}
    with db.transaction(writes=True) as s:
        for name, days, tier in [
            ("Ana Lima", 60, 1),
            ("Ben Ode", 90, 2),
            ("Cy Park", 200, 2),
            ("Dee Roe", 30, 1),
        ]:
            person = people.add_person(
                s, owner_id=OWNER, name=name, changes=PersonChanges(set={"tier": tier}), today=TODAY
            )
            s.flush()
            when = NOW - timedelta(days=days)
            interactions.log_interaction(
                s, owner_id=OWNER, kind="coffee", people=[person], when=when, now=when
            )
            ids[name] = person.id
    return World(ids, tmp_path)


def view(db: Database, now: datetime = NOW) -> agenda.AgendaView:
    with db.transaction() as s:
        return agenda_cache.cached_agenda(s, owner_id=OWNER, day=now.astimezone().date(), now=now)


def fresh(db: Database, now: datetime = NOW) -> agenda.AgendaView:
    with db.transaction() as s:
        return agenda.agenda_for(s, owner_id=OWNER, day=now.astimezone().date(), now=now, remember=False)


def payload(db: Database) -> str | None:
    with db.transaction() as s:
        row = cache_repo.read(s, owner_id=OWNER)
        return row.payload if row else None


@pytest.fixture
def computations(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The days the cache computed an agenda for, in order."""
    return count_computations(monkeypatch, "day")


def test_kept_agenda_equals_the_fresh_one_and_is_computed_once(
    db: Database, world: World, computations: list[date]
) -> None:
    first = view(db)
    assert first.items, "the world has lines on today's agenda"
    assert first == fresh(db)
    kept = payload(db)
    assert kept is not None and not kept.startswith(AGENDA_STALE)
    second = view(db)
    assert second == first
    assert computations == [TODAY]  # the second view read the row
    assert payload(db) == kept


def test_round_trip_keeps_every_field(db: Database, world: World) -> None:
    with db.transaction() as s:
        shown = agenda.agenda_for(s, owner_id=OWNER, day=TODAY, now=NOW, remember=False)
    text = agenda_cache.dumps(shown, computed_at=NOW, valid_until=NOW + timedelta(minutes=1))
    assert agenda_cache.loads_view(json.loads(text)["view"]) == shown


def test_the_head_the_warmer_reads_tells_whether_the_agenda_is_still_true(db: Database, world: World) -> None:
    """The warmer reads only a payload's first HEAD_CHARS characters: they say the format and the
    time the agenda is true, even with a long offset and microseconds, and a stale stamp is never true."""
    with db.transaction() as s:
        shown = agenda.agenda_for(s, owner_id=OWNER, day=TODAY, now=NOW, remember=False)
    far = timezone(-timedelta(hours=11, minutes=30))
    computed_at = NOW.replace(microsecond=999999).astimezone(far)
    until = computed_at + timedelta(minutes=15)
    head = agenda_cache.dumps(shown, computed_at=computed_at, valid_until=until)[: cache_repo.HEAD_CHARS]
    assert agenda_cache.still_true(head, now=computed_at)
    assert agenda_cache.still_true(head, now=until - timedelta(microseconds=1))
    assert not agenda_cache.still_true(head, now=until)
    assert not agenda_cache.still_true(head, now=computed_at - timedelta(microseconds=1))
    assert not agenda_cache.still_true(head.replace(f'"format":{agenda_cache.FORMAT}', '"format":0'), now=NOW)
    assert not agenda_cache.still_true(AGENDA_STALE + "0123456789abcdef", now=NOW)


def test_a_day_with_nothing_due_keeps_the_days_ahead(db: Database) -> None:
    with db.transaction(writes=True) as s:
        followups.add_followup(s, owner_id=OWNER, person=None, text="Renew", due_on=TODAY + timedelta(days=3))
    shown = view(db)
    assert not shown.items and shown.coming
    assert view(db) == shown == fresh(db)


def test_the_day_changing_computes_again(db: Database, world: World, computations: list[date]) -> None:
    view(db)
    tomorrow = NOW + timedelta(days=1)
    assert view(db, tomorrow) == fresh(db, tomorrow)
    assert computations == [TODAY, tomorrow.date()]


def test_it_is_computed_again_after_max_age(db: Database, world: World, computations: list[date]) -> None:
    view(db)
    view(db, NOW + agenda_cache.MAX_AGE - timedelta(seconds=1))
    view(db, NOW + agenda_cache.MAX_AGE)
    assert len(computations) == 2


def test_an_event_follow_up_bounds_the_kept_agenda(db: Database, world: World) -> None:
    """The clock alone moves an event follow-up's last day in time: the kept agenda ends then."""
    with db.transaction() as s:
        assert agenda_cache.valid_until(s, owner_id=OWNER, day=TODAY, now=NOW) == NOW + agenda_cache.MAX_AGE
    met_at = NOW - timedelta(hours=23, minutes=55)
    with db.transaction(writes=True) as s:
        event = events.add_event(s, owner_id=OWNER, name="Summit", starts_on=TODAY - timedelta(days=1))
        events.meet(s, owner_id=OWNER, event=event, names=["Ana Lima"], now=met_at)
        hours = int(preferences.load(s, owner_id=OWNER)["event.follow_up_hours"])
    with db.transaction() as s:
        until = agenda_cache.valid_until(s, owner_id=OWNER, day=TODAY, now=NOW)
    window_end = met_at + timedelta(hours=hours)
    assert until == datetime.combine(TODAY, window_end.time(), tzinfo=UTC) == NOW + timedelta(minutes=5)
    assert view(db, until - timedelta(seconds=1)) == fresh(db, until - timedelta(seconds=1))
    assert view(db, until) == fresh(db, until)


# --- every kind of write ----------------------------------------------------------------------------

Write = Callable[[Session, World], object]


def _import_file(db: Database, world: World) -> None:
    path = world.tmp / "contacts.csv"
    path.write_text("First Name,Last Name,E-mail Address\nEva,Nord,eva@example.org\n", encoding="utf-8")
    imports.import_path(db, path, owner_id=OWNER, now=NOW, create_people=True)


def _undo_import(db: Database, world: World) -> None:
    _import_file(db, world)
    with db.transaction() as s:
        run = imports.runs(s, owner_id=OWNER)[0].id
    view(db)  # kept again after the import
    with db.transaction(writes=True) as s:
        imports.undo_run(s, owner_id=OWNER, run_id=run, now=NOW)


def _act(action: str) -> Write:
    def act(s: Session, w: World) -> None:
        key = agenda.agenda_for(s, owner_id=OWNER, day=TODAY, now=NOW, remember=False).items[0].key
        if action == "snooze":
            agenda.snooze(s, owner_id=OWNER, ref=key, days=3, now=NOW)
        else:
            getattr(agenda, action)(s, owner_id=OWNER, ref=key, now=NOW)

    return act


WRITES: dict[str, Write] = {
    "log an interaction": lambda s, w: interactions.log_interaction(
        s, owner_id=OWNER, kind="call", people=[w.person(s, "Ana Lima")], when=NOW, now=NOW
    ),
    "edit a person": lambda s, w: people.edit_person(
        s, w.person(s, "Cy Park"), PersonChanges(set={"tier": 5}), today=TODAY, now=NOW
    ),
    "add a follow-up": lambda s, w: followups.add_followup(
        s, owner_id=OWNER, person=w.person(s, "Dee Roe"), text="Send the deck", due_on=TODAY
    ),
    "record a favour": lambda s, w: favours.record_favour(
        s, owner_id=OWNER, person=w.person(s, "Dee Roe"), direction="received", kind="referral",
        when=NOW - timedelta(days=1), now=NOW,
    ),
    "add a milestone": lambda s, w: milestones.add_milestone(
        s, owner_id=OWNER, person=w.person(s, "Dee Roe"), kind="new_job", occurred_on=TODAY - timedelta(days=2)
    ),
    "add an event": lambda s, w: events.add_event(s, owner_id=OWNER, name="Expo", starts_on=TODAY),
    "meet at an event": lambda s, w: events.meet(
        s, owner_id=OWNER, names=["Ben Ode"], now=NOW - timedelta(hours=2),
        event=events.add_event(s, owner_id=OWNER, name="Meetup", starts_on=TODAY),
    ),
    "propose an introduction": lambda s, w: introductions.propose(
        s, owner_id=OWNER, a=w.person(s, "Ana Lima"), b=w.person(s, "Ben Ode"), why="both build boats", now=NOW
    ),
    "add an opportunity": lambda s, w: opportunities.add_opportunity(
        s, owner_id=OWNER, title="Staff role", spotted_on=TODAY - timedelta(days=40), due_on=TODAY
    ),
    "add a goal": lambda s, w: goals.add_goal(
        s, owner_id=OWNER, kind="meet_people", target=3, starts_on=TODAY, per="month"
    ),
    "mark done": _act("done"),
    "snooze": _act("snooze"),
    "dismiss": _act("dismiss"),
    "merge two people": lambda s, w: merge.merge(s, kept=w.person(s, "Ana Lima"), merged=w.person(s, "Dee Roe"), now=NOW),
    "delete a person": lambda s, w: people.delete_person(s, w.person(s, "Cy Park")),
    "archive a person": lambda s, w: people.archive_person(w.person(s, "Cy Park")),
    "change a setting": lambda s, w: preferences.set_value(s, owner_id=OWNER, key="agenda.daily_cap", value=2),
    # A sync's Core statement with no owner in it (its meetings forgotten): every owner goes stale.
    "sync-like Core write": lambda s, w: meetings_repo.forget(s, connection_id=1),
    # SQL by hand: its owners are not known, so every owner goes stale.
    "SQL by hand": lambda s, w: s.execute(
        sa.text("UPDATE person SET tier = 5 WHERE id = :id"), {"id": w.ids["Cy Park"]}
    ),
    "a WITH that writes": lambda s, w: s.execute(
        sa.text("WITH cy AS (SELECT id FROM person WHERE id = :id) UPDATE person SET tier = 5 "
                "WHERE id IN (SELECT id FROM cy)"),
        {"id": w.ids["Cy Park"]},
    ),
    # A write past SQLAlchemy's statements (a driver executemany, or COPY on PostgreSQL).
    "driver-level bulk write": lambda s, w: bulk_repo.insert_many(
        s, "person_tag", [{"person_id": w.ids["Ana Lima"], "tag": "boats", "owner_id": OWNER}]
    ),
}  # fmt: skip
WHOLE: dict[str, Callable[[Database, World], None]] = {
    "import a file": _import_file,
    "undo an import": _undo_import,
}


@pytest.mark.parametrize("kind", [*WRITES, *WHOLE])
def test_every_write_makes_the_next_view_compute_again(
    db: Database, world: World, kind: str, computations: list[date]
) -> None:
    before = view(db)
    assert not payload(db).startswith(AGENDA_STALE)  # type: ignore[union-attr]
    if kind in WRITES:
        with db.transaction(writes=True) as s:
            WRITES[kind](s, world)
    else:
        WHOLE[kind](db, world)
    assert payload(db).startswith(AGENDA_STALE), f"{kind} left the kept agenda standing"  # type: ignore[union-attr]
    count = len(computations)
    after = view(db)
    assert len(computations) == count + 1
    assert after == fresh(db)
    assert view(db) == after and len(computations) == count + 1
    del before


def test_a_write_that_does_not_feed_the_agenda_keeps_it(db: Database, world: World) -> None:
    view(db)
    kept = payload(db)
    with db.transaction(writes=True) as s:
        agenda.agenda_for(s, owner_id=OWNER, day=TODAY, now=NOW, remember=True)  # the CLI's numbered listing
    assert payload(db) == kept


def test_done_then_the_list_in_one_transaction_shows_the_line_gone(db: Database, world: World) -> None:
    """The Today page's partial: done, then the agenda again, before the commit."""
    first = view(db)
    key = first.items[0].key
    with db.transaction(writes=True) as s:
        agenda.done(s, owner_id=OWNER, ref=key, now=NOW)
        shown = agenda_cache.cached_agenda(s, owner_id=OWNER, day=TODAY, now=NOW)
    assert key not in [i.key for i in shown.items]
    assert shown == fresh(db) == view(db)


def test_an_agenda_computed_before_a_write_is_not_kept(db: Database, world: World) -> None:
    """A view that read the row, then a write committed by another process, then the store."""
    view(db)
    with db.transaction() as reader:
        row = cache_repo.read(reader, owner_id=OWNER)
        assert row is not None
        with db.transaction(writes=True) as writer:
            WRITES["log an interaction"](writer, world)
        stored = cache_repo.store(
            reader, owner_id=OWNER, day=TODAY, computed_at=NOW, payload='{"format": 0}', over=row.payload
        )
    assert not stored
    assert payload(db).startswith(AGENDA_STALE)  # type: ignore[union-attr]


def test_other_owners_rows_stay_when_one_owner_writes(db: Database, world: World) -> None:
    from tieline.models import Owner

    with db.transaction(writes=True) as s:
        other = Owner(name="other")
        s.add(other)
        s.flush()
        other_id = other.id
    with db.transaction() as s:
        agenda_cache.cached_agenda(s, owner_id=other_id, day=TODAY, now=NOW)
        theirs = cache_repo.read(s, owner_id=other_id)
    view(db)
    with db.transaction(writes=True) as s:
        WRITES["edit a person"](s, world)
    with db.transaction() as s:
        assert cache_repo.read(s, owner_id=other_id) == theirs
    assert payload(db).startswith(AGENDA_STALE)  # type: ignore[union-attr]
