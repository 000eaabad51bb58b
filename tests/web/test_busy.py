"""A write that cannot get the database's lock answers with an error, never a success it then loses."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import FIXED_NOW
from tieline.config import Settings
from tieline.db import Database, open_database
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import preferences
from tieline.web.app import create_app
from tieline.web.csrf import COOKIE


@contextmanager
def lock_held_by_another_writer(db: Database) -> Iterator[None]:
    """Another connection holds what a new person's insert needs until the block ends."""
    with db.engine.connect() as holder:
        if db.dialect == "sqlite":
            # The write lock itself, as another tieline writing a long import would.
            holder.execute(sa.text("DELETE FROM setting WHERE key = 'no such key'"))
        else:
            # Inserting a person checks its owner's row (FOR KEY SHARE): held FOR UPDATE, it waits.
            holder.execute(sa.text("SELECT id FROM owner WHERE id = 1 FOR UPDATE"))
        try:
            yield
        finally:
            holder.rollback()


def test_a_write_waiting_on_another_writers_lock_answers_503_and_saves_nothing(
    db: Database, web_settings: Settings
) -> None:
    quick = open_database(web_settings, lock_timeout_ms=300)
    try:
        app = create_app(web_settings, database=quick, now=lambda: FIXED_NOW)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            with lock_held_by_another_writer(db):
                response = client.post("/api/v1/people", json={"name": "Ana Lima"})
            assert response.status_code == 503, response.text
            error = response.json()["error"]
            assert error["code"] == "busy"
            assert "nothing was saved" in error["message"]
            with db.sessions() as s:
                assert s.scalar(sa.select(sa.func.count()).select_from(Person)) == 0
            # Once the other writer is done, the same request goes through.
            assert client.post("/api/v1/people", json={"name": "Ana Lima"}).status_code == 201
    finally:
        quick.dispose()


def test_saves_of_the_settings_page_at_once_all_succeed(live_server: str, db: Database) -> None:
    # A double click, or two tabs: each save waits its turn instead of failing on the other's row.
    with httpx.Client(base_url=live_server) as first:
        first.get("/settings")
        token = first.cookies[COOKIE]

    def save(cap: int) -> int:
        with httpx.Client(base_url=live_server, cookies={COOKIE: token}) as c:
            response = c.post(
                "/settings", data={"agenda.daily_cap": str(cap)}, headers={"X-CSRF-Token": token}
            )
            return response.status_code

    caps = list(range(3, 11))
    with ThreadPoolExecutor(max_workers=len(caps)) as pool:
        answers = list(pool.map(save, caps))
    assert answers == [200] * len(caps)
    with db.sessions() as s:
        assert preferences.load(s, owner_id=LOCAL_OWNER_ID)["agenda.daily_cap"] in caps
