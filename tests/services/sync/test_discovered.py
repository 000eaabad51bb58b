"""The discovered queue: strangers from mail and calendars are added, linked to someone, or ignored
for good, and once linked their next messages count for that person."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.services.sync.mail import fetched, message
from tieline.db import Database
from tieline.errors import InvalidInput, NotFound
from tieline.models import LOCAL_OWNER_ID, Discovered, Interaction, Person
from tieline.services import people as people_service
from tieline.services.sync import connections, discovered
from tieline.services.sync.run import store_result

OWNER = LOCAL_OWNER_ID


@pytest.fixture
def queued(db: Database, now: datetime, tmp_path: Path) -> datetime:
    """Bo and Cy wrote; nobody has their addresses. Returns when Cy last wrote."""
    with db.transaction() as s:
        people_service.add_person(s, owner_id=OWNER, name="Ana Lima", today=now.date())
        connections.add_connection(
            s, owner_id=OWNER, kind="ics", name="cal", settings={"site": "https://x"}, secret=None,
            data_dir=tmp_path, now=now,
        )  # fmt: skip
    result = fetched(
        message("m1", "bo@else.org", now - timedelta(days=3), name="Bo Chen"),
        message("m2", "cy@zeta.io", now - timedelta(days=2)),
        message("m3", "cy@zeta.io", now - timedelta(days=1)),
    )
    store_result(db, owner_id=OWNER, name="cal", kind="ics", result=result, now=now)
    return now - timedelta(days=1)


def _emails(db: Database, *, include_ignored: bool = False) -> list[str]:
    with db.sessions() as s:
        return [d.email for d in discovered.listing(s, owner_id=OWNER, include_ignored=include_ignored)]


def test_the_queue_lists_the_most_recent_first(db: Database, queued: datetime) -> None:
    assert _emails(db) == ["cy@zeta.io", "bo@else.org"]


def test_adding_makes_a_person_with_the_name_seen_and_empties_the_entry(
    db: Database, queued: datetime, now: datetime
) -> None:
    with db.transaction() as s:
        bo = discovered.add_person(
            s, owner_id=OWNER, email="Bo@Else.org", name=None, today=now.date(), now=now
        )
        assert bo.display_name == "Bo Chen"
    assert _emails(db) == ["cy@zeta.io"]
    with db.transaction() as s:
        cy = discovered.add_person(
            s, owner_id=OWNER, email="cy@zeta.io", name="Cy Diaz", today=now.date(), now=now
        )
        assert people_service.list_values(cy, "emails") == ["cy@zeta.io"]
    # Their next message is logged with them: they are people now.
    later = fetched(message("m4", "cy@zeta.io", now))
    store_result(db, owner_id=OWNER, name="cal", kind="ics", result=later, now=now)
    with db.sessions() as s:
        assert s.scalars(sa.select(Interaction.source_id)).all() == ["m4"]
        assert s.scalars(sa.select(Discovered)).all() == []


def test_linking_gives_the_address_to_someone_who_exists(
    db: Database, queued: datetime, now: datetime
) -> None:
    with db.transaction() as s:
        ana = discovered.link(s, owner_id=OWNER, email="cy@zeta.io", person="Ana", today=now.date(), now=now)
        assert "cy@zeta.io" in people_service.list_values(ana, "emails")
    with db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
    assert _emails(db) == ["bo@else.org"]


def test_an_ignored_address_stays_hidden_and_keeps_counting(
    db: Database, queued: datetime, now: datetime
) -> None:
    with db.transaction() as s:
        discovered.ignore(s, owner_id=OWNER, email="bo@else.org")
    with pytest.raises(InvalidInput, match="already ignored"), db.transaction() as s:
        discovered.ignore(s, owner_id=OWNER, email="bo@else.org")
    assert _emails(db) == ["cy@zeta.io"]
    store_result(
        db, owner_id=OWNER, name="cal", kind="ics", result=fetched(message("m9", "bo@else.org", now)), now=now
    )
    assert _emails(db) == ["cy@zeta.io"]
    with db.sessions() as s:
        bo = s.scalars(sa.select(Discovered).where(Discovered.email == "bo@else.org")).one()
        assert (bo.state, bo.messages, bo.last_seen_at) == ("ignored", 2, now)


def test_an_address_not_in_the_queue_is_not_found(db: Database, queued: datetime, now: datetime) -> None:
    with pytest.raises(NotFound, match="not in the discovered queue"), db.transaction() as s:
        discovered.add_person(s, owner_id=OWNER, email="zed@x.org", name=None, today=now.date(), now=now)


def test_what_a_sync_reads_again_is_not_counted_again(db: Database, queued: datetime, now: datetime) -> None:
    """A calendar read again after a change, or a mail folder its server renumbered, brings back the
    messages and meetings counted before: each counts once, and only what is newer adds."""
    again = fetched(
        message("m2", "cy@zeta.io", now - timedelta(days=2)),
        message("m3", "cy@zeta.io", now - timedelta(days=1)),
        message("m4", "cy@zeta.io", now - timedelta(hours=2)),
    )
    assert store_result(db, owner_id=OWNER, name="cal", kind="ics", result=again, now=now).discovered == 1
    with db.sessions() as s:
        cy = s.scalars(sa.select(Discovered).where(Discovered.email == "cy@zeta.io")).one()
        assert (cy.messages, cy.first_seen_at, cy.last_seen_at) == (
            3, now - timedelta(days=2), now - timedelta(hours=2)
        )  # fmt: skip
    # The same once more: nothing it had not counted, so nothing is written at all.
    same = store_result(db, owner_id=OWNER, name="cal", kind="ics", result=again, now=now)
    assert (same.discovered, same.wrote) == (0, False)
