"""The agenda warmer under a served app (web/agenda_warmer.py): after a write through the API, today's
agenda is computed again within seconds without anyone viewing it, so the next view reads it."""

from __future__ import annotations

import time
from datetime import timedelta

import httpx
import pytest

from tests.agenda_computations import count_computations
from tests.conftest import FIXED_NOW
from tests.web.conftest import served
from tieline.config import Settings
from tieline.db import AGENDA_STALE, Database
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import agenda_cache as cache_repo
from tieline.services import interactions, people
from tieline.services.people import PersonChanges
from tieline.web.agenda_warmer import AgendaWarmer
from tieline.web.app import create_app

TODAY = FIXED_NOW.astimezone().date()


def kept_payload(db: Database) -> str | None:
    with db.transaction() as s:
        row = cache_repo.read(s, owner_id=LOCAL_OWNER_ID)
    return row.payload if row is not None else None


def wait_for_kept_agenda(db: Database, *, seconds: float = 10.0) -> str:
    deadline = time.monotonic() + seconds
    while True:
        payload = kept_payload(db)
        if payload is not None and not payload.startswith(AGENDA_STALE):
            return payload
        assert time.monotonic() < deadline, f"no agenda kept within {seconds} s: {payload!r}"
        time.sleep(0.05)


def test_after_a_write_the_agenda_is_ready_without_any_view(
    db: Database, web_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction(writes=True) as s:
        ana = people.add_person(
            s, owner_id=LOCAL_OWNER_ID, name="Ana Lima", changes=PersonChanges(set={"tier": 1}), today=TODAY
        )
        s.flush()
        when = FIXED_NOW - timedelta(days=60)
        interactions.log_interaction(
            s, owner_id=LOCAL_OWNER_ID, kind="coffee", people=[ana], when=when, now=when
        )
        ana_id = ana.id
    computed = count_computations(monkeypatch, "owner_id")
    app = create_app(
        web_settings, database=db, now=lambda: FIXED_NOW, agenda_warm_seconds=0.2, agenda_warm_first_delay=0.2
    )
    warmer: AgendaWarmer = app.state.agenda_warmer
    with served(app) as (url, _), httpx.Client(base_url=url) as client:
        assert warmer.running
        wait_for_kept_agenda(db)  # the first pass computes the missing agenda
        assert computed == [LOCAL_OWNER_ID]
        logged = client.post("/api/v1/interactions", json={"kind": "coffee", "people": [ana_id]})
        assert logged.status_code == 201, logged.text
        assert kept_payload(db).startswith(AGENDA_STALE)  # type: ignore[union-attr]
        wait_for_kept_agenda(db)  # and again after the write, nobody having asked for it
        assert computed == [LOCAL_OWNER_ID, LOCAL_OWNER_ID]
        shown = client.get("/api/v1/agenda")
        assert shown.status_code == 200
        assert computed == [LOCAL_OWNER_ID, LOCAL_OWNER_ID], "the view read the kept agenda"
        assert ana_id not in [item["person_id"] for item in shown.json()["items"]], "computed after the write"
    assert not warmer.running  # stopped with the app


def test_an_app_built_without_the_warmer_has_none(db: Database, web_settings: Settings) -> None:
    app = create_app(web_settings, database=db, now=lambda: FIXED_NOW, agenda_warm_seconds=None)
    assert app.state.agenda_warmer is None
