"""The installable web app (manifest, icons, service worker) and idempotency keys: a quick log or an
API call sent again with the same key logs once, on both databases."""

from __future__ import annotations

import re
import struct
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import FIXED_NOW
from tieline.errors import Busy
from tieline.models import LOCAL_OWNER_ID, Owner
from tieline.repo import interactions as interactions_repo
from tieline.services import idempotency
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service

STATIC = Path(__file__).resolve().parents[2] / "src" / "tieline" / "web" / "static"


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height a PNG's header states; fails on anything but a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def count(session, person_id: int, owner_id: int = LOCAL_OWNER_ID) -> int:
    session.rollback()  # read what the app committed since
    return interactions_repo.count_for_person(session, owner_id=owner_id, person_id=person_id)


# ---- installable -------------------------------------------------------------------------------------


def test_the_manifest_names_the_app_and_icons_that_are_real_pngs_of_their_sizes(client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["name"] == "tieline" and manifest["short_name"]
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    sizes = set()
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon["src"]
        assert served.headers["content-type"] == icon["type"] == "image/png"
        width, height = png_size(served.content)
        assert f"{width}x{height}" == icon["sizes"], icon["src"]
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_every_page_links_the_manifest_its_icons_and_the_script_that_registers_the_worker(client) -> None:
    page = client.get("/people").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#1f5fa8">' in page
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', page)
    assert touch is not None
    assert png_size(client.get(touch.group(1)).content) == (180, 180)
    script = re.search(r'<script src="([^"]+/pwa\.js)" defer>', page)
    assert script is not None
    assert 'navigator.serviceWorker.register("/sw.js"' in client.get(script.group(1)).text
    # The quick log sends a key the script fills in.
    assert '<input type="hidden" name="idempotency_key" value="">' in page


def test_the_service_worker_is_served_from_the_root_fresh_each_time(client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["service-worker-allowed"] == "/"
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == (STATIC / "sw.js").read_text()
    # The worker may run under the pages' policy: scripts and workers from this origin alone.
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy


def test_every_file_of_the_app_shell_the_worker_keeps_is_served(client) -> None:
    # A file missing from the list fails the worker's install (cache.addAll is all or nothing).
    worker = client.get("/sw.js").text
    listed = re.search(r"var SHELL_FILES = \[(.*?)\];", worker, re.S)
    assert listed is not None
    files = [*re.findall(r'"(/[^"]+)"', listed.group(1)), "/static/offline.html"]
    assert "/static/app.css" in files and "/static/pwa.js" in files
    for path in files:
        assert client.get(path).status_code == 200, path
    offline = client.get("/static/offline.html").text
    assert "You are offline" in offline and "<script>" not in offline and "style=" not in offline


# ---- idempotency keys: the quick log ---------------------------------------------------------------


def test_the_same_key_twice_logs_once_and_answers_alike(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    entry = {"people": "Ana Lima", "kind": "coffee", "note": "flat white", "idempotency_key": "k-1"}
    first = client.form("/log", entry)
    again = client.form("/log", entry)
    assert first.status_code == again.status_code == 200, again.text
    assert "Logged coffee with" in again.text and "Ana Lima" in again.text
    assert again.text == first.text
    assert count(session, ana.id) == 1
    # The key in the header alone (as the queued sends also do) is the same key.
    header_only = client.post(
        "/log",
        data={"people": "Ana Lima", "kind": "coffee"},
        headers={"X-CSRF-Token": client.csrf(), "HX-Request": "true", "Idempotency-Key": "k-1"},
    )
    assert header_only.status_code == 200
    assert count(session, ana.id) == 1


def test_different_keys_and_no_key_each_log(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    for key in ("k-1", "k-2", None, None):
        entry = {"people": "Ana Lima", "kind": "coffee"} | ({"idempotency_key": key} if key else {})
        assert client.form("/log", entry).status_code == 200
    assert count(session, ana.id) == 4


def test_a_key_too_long_or_two_different_keys_are_refused_and_nothing_is_logged(
    client, add_person, session
) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    too_long = client.form("/log", {"people": "Ana Lima", "idempotency_key": "k" * 101})
    assert too_long.status_code == 422
    assert "idempotency key: at most 100 characters, not 101" in too_long.text
    spaced = client.form("/log", {"people": "Ana Lima", "idempotency_key": "a key"})
    assert spaced.status_code == 422 and "printable ASCII" in spaced.text
    both = client.post(
        "/log",
        data={"people": "Ana Lima", "idempotency_key": "one"},
        headers={"X-CSRF-Token": client.csrf(), "HX-Request": "true", "Idempotency-Key": "two"},
    )
    assert both.status_code == 422 and "differ" in both.text
    assert count(session, ana.id) == 0
    assert client.form("/log", {"people": "Ana Lima", "idempotency_key": "k" * 100}).status_code == 200
    assert count(session, ana.id) == 1


def test_a_refused_send_keeps_its_key_free_for_the_corrected_one(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    refused = client.form("/log", {"people": "Nobody Here", "idempotency_key": "k-1"})
    assert refused.status_code == 404
    assert client.form("/log", {"people": "Ana Lima", "idempotency_key": "k-1"}).status_code == 200
    assert count(session, ana.id) == 1


def test_an_entry_queued_offline_is_logged_when_it_was_typed(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    bo = add_person("Bo Chen")
    session.commit()
    typed = FIXED_NOW - timedelta(days=2, hours=3)
    entry = {"people": "Ana Lima", "kind": "call", "when": "today", "typed_at": typed.isoformat()}
    assert client.form("/log", entry | {"idempotency_key": "q-1"}).status_code == 200
    # "yesterday" as of when it was typed, at noon (as a past day typed today is).
    assert client.form("/log", entry | {"when": "yesterday", "idempotency_key": "q-2"}).status_code == 200
    times = [i["occurred_at"] for i in client.get(f"/api/v1/people/{ana.id}/interactions").json()]
    assert times[0].startswith(typed.isoformat()[:19]) or times[0] == typed.isoformat().replace("+00:00", "Z")
    assert times[1][:10] == (typed.astimezone() - timedelta(days=1)).date().isoformat()
    # A typed time after the server's now is the server's now; one without its offset is refused.
    later = (FIXED_NOW + timedelta(days=1)).isoformat()
    assert client.form("/log", {"people": "Bo Chen", "typed_at": later}).status_code == 200
    assert client.get(f"/api/v1/people/{bo.id}").json()["last_contact_at"][:19] == FIXED_NOW.isoformat()[:19]
    bad = client.form("/log", {"people": "Bo Chen", "typed_at": "2026-03-09T10:00"})
    assert bad.status_code == 422 and "offset" in bad.text


# ---- idempotency keys: the API ------------------------------------------------------------------------


def test_the_api_logs_once_per_key_and_says_when_it_repeats(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    bo = add_person("Bo Chen")
    session.commit()
    body = {"kind": "coffee", "people": [bo.id, ana.id], "notes": "hi"}
    first = client.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "api-1"})
    again = client.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "api-1"})
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert first.json()["with"] == ["Bo Chen", "Ana Lima"]  # in the order the first one named them
    assert "idempotent-replayed" not in first.headers and again.headers["idempotent-replayed"] == "true"
    assert count(session, ana.id) == 1
    other = client.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "api-2"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert count(session, ana.id) == 2
    too_long = client.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "x" * 101})
    assert too_long.status_code == 422
    assert too_long.json()["error"]["message"] == "idempotency key: at most 100 characters, not 101"
    # The quick log and the API share the owner's keys: the same key is the same request.
    assert client.form("/log", {"people": "Ana Lima", "idempotency_key": "api-1"}).status_code == 200
    assert count(session, ana.id) == 2


def test_a_repeat_of_an_interaction_since_deleted_says_so(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    body = {"kind": "coffee", "people": [ana.id]}
    assert (
        client.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "gone"}).status_code == 201
    )
    assert client.delete(f"/api/v1/people/{ana.id}").status_code in (200, 204)
    again = client.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "gone"})
    assert again.status_code == 404
    assert "since been deleted" in again.json()["error"]["message"]


# ---- the service: owners, a race, forgetting old keys -----------------------------------------------


def _logger(session, owner_id: int, person_id: int, **extra):  # type: ignore[no-untyped-def]
    def log():  # type: ignore[no-untyped-def]
        people = people_service.get_people(session, owner_id=owner_id, person_ids=[person_id])
        item = interactions_service.log_interaction(
            session, owner_id=owner_id, kind="coffee", people=people, when=FIXED_NOW, now=FIXED_NOW, **extra
        )
        return item, people

    return log


def test_keys_belong_to_their_owner(session, add_person, today) -> None:
    ana = add_person("Ana Lima")
    session.add(Owner(id=2, name="two"))
    session.flush()
    theirs = people_service.add_person(session, owner_id=2, name="Ana Lima", today=today)
    session.flush()
    mine = idempotency.log_once(
        session,
        owner_id=LOCAL_OWNER_ID,
        key="same",
        now=FIXED_NOW,
        log=_logger(session, LOCAL_OWNER_ID, ana.id),
    )
    other = idempotency.log_once(
        session, owner_id=2, key="same", now=FIXED_NOW, log=_logger(session, 2, theirs.id)
    )
    assert not mine.repeated and not other.repeated
    assert other.interaction.id != mine.interaction.id and other.interaction.owner_id == 2
    assert [p.id for p in other.people] == [theirs.id]
    repeat = idempotency.log_once(
        session, owner_id=2, key="same", now=FIXED_NOW, log=_logger(session, 2, theirs.id)
    )
    assert repeat.repeated and repeat.interaction.id == other.interaction.id
    assert interactions_repo.count_for_person(session, owner_id=2, person_id=theirs.id) == 1
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 1


def test_two_sends_at_once_with_one_key_log_once_and_the_second_answers_as_the_first(
    db, add_person, session
) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    inside, release = threading.Event(), threading.Event()
    answers: dict[str, object] = {}

    def send(name: str, hold: bool) -> None:
        try:
            with db.transaction(writes=True) as s:
                inner = _logger(s, LOCAL_OWNER_ID, ana.id)

                def log():  # type: ignore[no-untyped-def]
                    done = inner()
                    if hold:  # the first is inside its transaction, its key stored, not committed
                        inside.set()
                        release.wait(10)
                    return done

                result = idempotency.log_once(s, owner_id=LOCAL_OWNER_ID, key="race", now=FIXED_NOW, log=log)
                answers[name] = (result.interaction.id, result.repeated)
        except Exception as exc:  # the test reports it
            answers[name] = exc

    first = threading.Thread(target=send, args=("first", True))
    first.start()
    assert inside.wait(10)
    second = threading.Thread(target=send, args=("second", False))
    second.start()
    time.sleep(0.5)
    assert "second" not in answers, "the second send did not wait for the first"
    release.set()
    first.join(10)
    second.join(10)
    assert not isinstance(answers["first"], Exception), answers["first"]
    assert not isinstance(answers["second"], Exception), answers["second"]
    first_id, first_repeated = answers["first"]  # type: ignore[misc]
    second_id, second_repeated = answers["second"]  # type: ignore[misc]
    assert (first_repeated, second_repeated) == (False, True)
    assert second_id == first_id
    assert count(session, ana.id) == 1


def test_keys_older_than_thirty_days_are_forgotten_when_a_new_one_is_stored(session, add_person) -> None:
    ana = add_person("Ana Lima")
    log = _logger(session, LOCAL_OWNER_ID, ana.id)
    old = FIXED_NOW - idempotency.KEEP - timedelta(minutes=1)
    idempotency.log_once(session, owner_id=LOCAL_OWNER_ID, key="old", now=old, log=log)
    idempotency.log_once(
        session, owner_id=LOCAL_OWNER_ID, key="recent", now=FIXED_NOW - timedelta(days=29), log=log
    )
    idempotency.log_once(session, owner_id=LOCAL_OWNER_ID, key="new", now=FIXED_NOW, log=log)
    assert idempotency.log_once(
        session, owner_id=LOCAL_OWNER_ID, key="recent", now=FIXED_NOW, log=log
    ).repeated
    assert not idempotency.log_once(
        session, owner_id=LOCAL_OWNER_ID, key="old", now=FIXED_NOW, log=log
    ).repeated
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 4


@pytest.mark.parametrize("key", ["", "   ", None])
def test_no_key_is_no_key(key: str | None) -> None:
    assert idempotency.check_key(key, None) is None


def test_busy_is_what_a_repeat_of_a_key_without_its_result_gets(session, add_person) -> None:
    # Cannot happen between two requests (the claim waits for the first to commit its result), but
    # a claim found without one must never answer as if nothing were there.
    from tieline.repo import request_keys

    add_person("Ana Lima")
    assert request_keys.claim(session, owner_id=LOCAL_OWNER_ID, key="half", now=FIXED_NOW)
    with pytest.raises(Busy):
        idempotency.log_once(
            session, owner_id=LOCAL_OWNER_ID, key="half", now=FIXED_NOW, log=lambda: pytest.fail()
        )
