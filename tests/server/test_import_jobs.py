"""Two processes serving one database (`--workers 2`), each with its own imports: an import started on
one is followed on the other (a page's poll may reach either) to the same report; no more than two
imports run at once across both; another account's poll of an import is a 404 like an unknown id's;
and an import whose process died (its slot ran out) neither holds its slot nor polls for ever."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import FIXED_NOW
from tests.web.conftest import WebClient, web_settings  # noqa: F401 (a fixture)
from tieline.config import Settings
from tieline.db import Database
from tieline.models import LOCAL_OWNER_ID
from tieline.models import ImportJob as ImportJobRow
from tieline.services import accounts
from tieline.services import import_jobs as import_jobs_service
from tieline.services.sync import claims
from tieline.web.app import create_app
from tieline.web.jobs import MAX_RUNNING, ImportJob, ImportJobs

PASSWORD = "correct horse battery"
CARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-ana\r\nFN:Ana Lima\r\nEMAIL:ana@example.org\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-bo\r\nFN:Bo Chen\r\nEMAIL:bo@example.org\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-x\r\nEND:VCARD\r\n"  # no name: skipped, with its line
)
BUSY = f"{MAX_RUNNING} imports are already running: try again when one has finished"


class Two:
    """Two app processes on one database, and signed-in clients of either."""

    def __init__(self, db: Database, settings: Settings, stack: ExitStack) -> None:
        self.apps = [create_app(settings, database=db, now=lambda: FIXED_NOW) for _ in range(2)]
        self._stack = stack

    def client(self, app: int, username: str, password: str = PASSWORD) -> WebClient:
        c = self._stack.enter_context(
            WebClient(self.apps[app], base_url="http://127.0.0.1", follow_redirects=False)
        )
        assert c.get("/login").status_code == 200
        signed = c.post(
            "/login",
            data={"username": username, "password": password, "next": "/"},
            headers={"X-CSRF-Token": c.cookies["tieline_csrf"]},
        )
        assert signed.status_code == 303, signed.text
        return c

    def jobs(self, app: int) -> ImportJobs:
        return self.apps[app].state.import_jobs


@pytest.fixture
def two(db: Database, web_settings: Settings) -> Iterator[Two]:  # noqa: F811
    """Accounts ana (the local owner) and ben, and two app processes."""
    with db.transaction(writes=True) as s:
        accounts.add_user(s, username="ana", password=PASSWORD, now=FIXED_NOW)
        accounts.add_user(s, username="ben", password=PASSWORD, now=FIXED_NOW)
    with ExitStack() as stack:
        yield Two(db, web_settings, stack)


def upload(client: WebClient, name: str, content: bytes) -> httpx.Response:
    return client.post(
        "/import",
        files={"file": (name, content, "application/octet-stream")},
        headers={"X-CSRF-Token": client.csrf(), "HX-Request": "true"},
    )


def api_upload(client: WebClient, name: str, content: bytes) -> httpx.Response:
    return client.post(
        "/api/v1/imports",
        files={"file": (name, content, "application/octet-stream")},
        headers={"X-CSRF-Token": client.csrf()},
    )


def poll_of(started: httpx.Response) -> str:
    assert started.status_code == 200, started.text
    [poll] = re.findall(r'hx-get="(/import/jobs/[^"]+)"', started.text)
    return poll


def wait_for(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.05)


def hold(jobs: ImportJobs, tmp_path: Path, name: str, go: threading.Event, records: int = 0) -> ImportJob:
    """An import of ana's running in `jobs`' process, having read `records`, until `go` is set."""

    def run(job: ImportJob) -> None:
        job.records = records
        assert go.wait(timeout=30), "never let go"

    (tmp_path / name).mkdir()
    return jobs.start(
        owner_id=LOCAL_OWNER_ID, filename=name, workdir=tmp_path / name, run=run, slot=jobs.claim()
    )


def test_an_import_started_on_one_process_is_followed_on_the_other_to_the_same_report(two: Two) -> None:
    first, second = two.client(0, "ana"), two.client(1, "ana")

    poll = poll_of(upload(first, "cards.vcf", CARDS))
    wait_for(lambda: "import-progress" not in second.get(poll).text)
    shown = second.get(poll)

    assert shown.status_code == 200
    assert 'data-testid="import-report"' in shown.text and "<h3>cards.vcf</h3>" in shown.text
    assert '<th scope="row">people</th><td>2</td><td>0</td><td>0</td><td>0</td>' in shown.text
    assert "<h4>Skipped (1)</h4>" in shown.text
    assert "<li>cards.vcf:13: card has no name, organisation, email or phone number</li>" in shown.text
    assert first.get(poll).text == shown.text
    assert {p["name"] for p in second.get("/api/v1/people").json()["items"]} >= {
        "Ana Lima",
        "Bo Chen",
    }


def test_the_progress_of_an_import_on_one_process_is_seen_on_the_other(two: Two, tmp_path: Path) -> None:
    second = two.client(1, "ana")
    go = threading.Event()
    try:
        job = hold(two.jobs(0), tmp_path, "big.vcf", go, records=7)
        poll = f"/import/jobs/{job.id}"
        wait_for(lambda: "7 records read" in second.get(poll).text)
        assert "import-progress" in second.get(poll).text
    finally:
        go.set()
    wait_for(lambda: "import-progress" not in second.get(poll).text)


def test_no_more_than_two_imports_run_at_once_across_both_processes(two: Two, tmp_path: Path) -> None:
    first, second = two.client(0, "ana"), two.client(1, "ana")
    go = threading.Event()
    try:
        held = [hold(two.jobs(0), tmp_path, "a.vcf", go), hold(two.jobs(1), tmp_path, "b.vcf", go)]

        refused = [
            upload(first, "c.vcf", CARDS),
            upload(second, "c.vcf", CARDS),
            api_upload(second, "c.vcf", CARDS),
        ]

        assert [r.status_code for r in refused] == [429, 429, 429]
        assert f'<p class="error" role="alert">{BUSY}</p>' in refused[1].text
        assert refused[2].json() == {"error": {"code": "toomanyimports", "message": BUSY}}
        assert not any(job.done for job in held)
    finally:
        go.set()
    wait_for(lambda: all(job.done for job in held))
    assert api_upload(second, "c.vcf", CARDS).json()["added"] == 2  # the slots were given back


def test_another_accounts_poll_of_an_import_is_not_found_like_an_unknown_one(two: Two) -> None:
    ana, ben, ben_there = two.client(0, "ana"), two.client(1, "ben"), two.client(0, "ben")
    poll = poll_of(upload(ana, "cards.vcf", CARDS))
    wait_for(lambda: "import-progress" not in ana.get(poll).text)

    for client in (ben, ben_there):  # on either process
        theirs, unknown = client.get(poll), client.get("/import/jobs/never-started")
        assert (theirs.status_code, unknown.status_code) == (404, 404)
        assert theirs.text == unknown.text
        assert "cards.vcf" not in theirs.text
    assert two.client(1, "ana").get(poll).status_code == 200


def test_while_an_import_runs_another_account_cannot_poll_it_on_its_process(two: Two, tmp_path: Path) -> None:
    ben = two.client(0, "ben")
    go = threading.Event()
    try:
        job = hold(two.jobs(0), tmp_path, "a.vcf", go, records=3)
        assert ben.get(f"/import/jobs/{job.id}").status_code == 404
        assert two.client(0, "ana").get(f"/import/jobs/{job.id}").status_code == 200
    finally:
        go.set()


def test_slots_of_a_killed_process_run_out_and_its_import_stops_polling(two: Two, db: Database) -> None:
    ana = two.client(1, "ana")
    long_ago = claims.wall_clock() - import_jobs_service.SLOT_HOLD - timedelta(seconds=1)
    for name in import_jobs_service.slot_names(MAX_RUNNING):  # a process killed while it imported
        holder = import_jobs_service.slot_holder("dead-import", "gone:1:00")
        assert claims.claim(db, name=name, holder=holder, now=long_ago, hold=import_jobs_service.SLOT_HOLD)
    import_jobs_service.start(db, job_id="dead-import", owner_id=LOCAL_OWNER_ID, filename="lost.vcf")

    stopped = ana.get("/import/jobs/dead-import")

    assert stopped.status_code == 200
    assert f'<p class="error" role="alert">lost.vcf: {import_jobs_service.STOPPED}</p>' in stopped.text
    assert api_upload(ana, "cards.vcf", CARDS).json()["added"] == 2


def test_finished_imports_are_forgotten_a_day_later_when_another_starts(two: Two, db: Database) -> None:
    ana = two.client(0, "ana")
    polls = [poll_of(upload(ana, name, CARDS)) for name in ("old.vcf", "recent.vcf")]
    wait_for(lambda: all("import-progress" not in ana.get(p).text for p in polls))
    with db.engine.begin() as conn:  # the first finished a day and a minute ago
        job = ImportJobRow.__table__
        ago = claims.wall_clock() - import_jobs_service.KEEP_FINISHED - timedelta(minutes=1)
        conn.execute(job.update().where(job.c.id == polls[0].rsplit("/", 1)[1]).values(updated_at=ago))
    assert ana.get(polls[0]).status_code == 200

    poll_of(upload(ana, "new.vcf", CARDS))

    assert [ana.get(p).status_code for p in polls] == [404, 200]
