"""Two processes serving one database (`--workers 2`), each with its own sync runner: a "Sync now"
started on one is polled on the other (a page's poll may reach either), which says it is syncing
until it is over and then shows the table; a job neither started is unknown; and the scheduled pass
of two processes syncs a connection once, not twice."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from tests.conftest import FIXED_NOW
from tests.web.conftest import WebClient, web_settings  # noqa: F401 (a fixture)
from tests.web.test_sync_pages import ANA, meeting
from tests.web.test_sync_scheduler import ana_last_contact, set_up, slow_site, wait_for
from tieline.config import Settings
from tieline.db import Database
from tieline.web.app import create_app


def test_a_sync_now_started_on_one_process_is_followed_on_the_other(
    db: Database,
    web_settings: Settings,  # noqa: F811
) -> None:
    when = FIXED_NOW - timedelta(days=3)
    one = create_app(web_settings, database=db, now=lambda: FIXED_NOW)
    other = create_app(web_settings, database=db, now=lambda: FIXED_NOW)
    with (
        slow_site(meeting("m1", when, ("Ana Lima", ANA)).encode()) as (url, asked, release),
        WebClient(one, base_url="http://127.0.0.1") as first,
        WebClient(other, base_url="http://127.0.0.1") as second,
    ):
        set_up(db, web_settings, url=url)
        started = first.form("/sync/run", {"name": "work"}).text
        [poll] = re.findall(r'hx-get="(/sync/jobs/[^"]+)"', started)
        assert asked.wait(15)
        wait_for(lambda: "Syncing work" in second.get(poll).text)
        assert 'data-testid="sync-done"' not in second.get(poll).text
        release.set()
        wait_for(lambda: 'data-testid="sync-done"' in second.get(poll).text)
        assert ana_last_contact(db) == when
        assert second.get("/sync/jobs/never-started").status_code == 404


def test_two_processes_make_one_scheduled_pass(db: Database, web_settings: Settings) -> None:  # noqa: F811
    from tests.sync.servers import serving_ics
    from tests.web.conftest import served

    with serving_ics(web_settings.data_dir.parent / "site") as site:
        (site.root / "work.ics").write_text(meeting("m1", FIXED_NOW - timedelta(days=9), ("Ana Lima", ANA)))
        set_up(db, web_settings, url=site.url("work.ics"), every=5)  # every 5 of the scheduler's minutes
        apps = [
            create_app(web_settings, database=db, now=lambda: FIXED_NOW, sync_minute_seconds=0.2)
            for _ in range(2)
        ]
        with served(apps[0]), served(apps[1]):
            wait_for(lambda: len(site.requests) >= 1)
            # Both wake every 0.2 s; the pass is claimed for 1 s: one fetch, not one per process.
            time.sleep(0.6)
            assert len(site.requests) == 1
