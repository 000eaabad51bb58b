"""What an upload may cost: a zip bomb is refused with one message, and no more than two imports run
at once (a third is refused at once, with nothing read or written)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from httpx import Response

from tests.web.conftest import WebClient
from tests.zip_bombs import refusal, write_bomb
from tieline.models.owner import LOCAL_OWNER_ID
from tieline.web.jobs import MAX_RUNNING, ImportJob, ImportJobs

Snapshot = Callable[[], dict[str, list[tuple[str, ...]]]]
CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-ana\r\nFN:Ana Lima\r\nEMAIL:ana@example.org\r\nEND:VCARD\r\n"
OTHER_CARD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-bo\r\nFN:Bo Chen\r\nEMAIL:bo@example.org\r\nEND:VCARD\r\n"
)
BUSY = "2 imports are already running: try again when one has finished"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A 0.4 MB zip whose Connections.csv expands to 400 MB of zeros."""
    return write_bomb(tmp_path_factory.mktemp("bomb") / "export.zip").read_bytes()


def _api_upload(client: WebClient, name: str, content: bytes) -> Response:
    return client.post(
        "/api/v1/imports",
        files={"file": (name, content, "application/octet-stream")},
        headers={"X-CSRF-Token": client.csrf()},
    )


def _page_upload(client: WebClient, name: str, content: bytes) -> Response:
    return client.post(
        "/import",
        files={"file": (name, content, "application/octet-stream")},
        headers={"X-CSRF-Token": client.csrf(), "HX-Request": "true"},
    )


def _finished(client: WebClient, response: Response) -> str:
    """The import page's job partial once the import has ended."""
    text = response.text
    deadline = time.monotonic() + 30
    while "import-progress" in text:
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.05)
        text = client.get(text.split('hx-get="', 1)[1].split('"', 1)[0]).text
    return text


def test_a_zip_bomb_upload_is_refused_naming_the_file_and_writes_nothing(
    client: WebClient, snapshot: Snapshot, bomb: bytes
) -> None:
    before = snapshot()

    for _ in range(MAX_RUNNING + 1):  # each refusal gives its import slot back
        response = _api_upload(client, "export.zip", bomb)
        assert response.status_code == 422, response.text
        assert response.json() == {"error": {"code": "refusedfile", "message": refusal("export.zip")}}

    assert snapshot() == before
    assert _api_upload(client, "ana.vcf", CARD).json()["added"] == 1


def test_a_zip_bomb_on_the_import_page_shows_the_one_line_refusal(
    client: WebClient, snapshot: Snapshot, bomb: bytes
) -> None:
    before = snapshot()

    response = _page_upload(client, "export.zip", bomb)

    assert response.status_code == 200, response.text
    shown = _finished(client, response)
    assert f'<p class="error" role="alert">export.zip: {refusal("export.zip")}</p>' in shown
    after = snapshot()
    # Only the import's own record (which any app process answers the page's poll from) is written.
    job = [(row[1], row[3], row[4]) for row in after.pop("import_job")]
    assert job == [("'export.zip'", "True", repr(refusal("export.zip")))]
    assert before.pop("import_job") == []
    assert after == before


@pytest.fixture
def two_running(client: WebClient, tmp_path: Path) -> Iterator[list[ImportJob]]:
    """Two imports running in the app, each in its own thread, until the test lets them finish."""
    jobs: ImportJobs = client.app.state.import_jobs
    go = threading.Event()

    def run(job: ImportJob) -> None:
        assert go.wait(timeout=30), "never let go"

    running = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        running.append(
            jobs.start(
                owner_id=LOCAL_OWNER_ID, filename=name, workdir=tmp_path / name, run=run, slot=jobs.claim()
            )
        )
    yield running
    go.set()
    deadline = time.monotonic() + 30
    while not all(job.done for job in running):
        assert time.monotonic() < deadline, "the held imports did not finish"
        time.sleep(0.01)


def test_a_third_import_is_refused_at_once_while_two_run(
    client: WebClient, snapshot: Snapshot, two_running: list[ImportJob]
) -> None:
    before = snapshot()

    api = _api_upload(client, "ana.vcf", CARD)
    page = _page_upload(client, "ana.vcf", CARD)

    assert api.status_code == 429
    assert api.json() == {"error": {"code": "toomanyimports", "message": BUSY}}
    assert page.status_code == 429
    assert f'<p class="error" role="alert">{BUSY}</p>' in page.text
    assert not any(job.done for job in two_running)
    assert snapshot() == before


def test_an_import_slot_is_free_again_when_its_import_ends(client: WebClient, tmp_path: Path) -> None:
    jobs: ImportJobs = client.app.state.import_jobs
    go = threading.Event()

    def fail(job: ImportJob) -> None:
        go.wait(timeout=30)
        raise RuntimeError("disk on fire")

    held = [
        jobs.start(owner_id=LOCAL_OWNER_ID, filename=n, workdir=tmp_path / n, run=fail, slot=jobs.claim())
        for n in "ab"
    ]
    assert _api_upload(client, "ana.vcf", CARD).status_code == 429
    go.set()
    deadline = time.monotonic() + 30
    while not all(job.done for job in held):
        assert time.monotonic() < deadline, "the imports did not end"
        time.sleep(0.01)

    assert [job.error for job in held] == [
        "the import failed and changed nothing: RuntimeError: disk on fire"
    ] * 2
    assert _api_upload(client, "ana.vcf", CARD).json()["added"] == 1
    assert "import-report" in _finished(client, _page_upload(client, "bo.vcf", OTHER_CARD))
