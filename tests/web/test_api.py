"""The REST API: people with ETags, search, interactions, agenda actions, stable JSON errors."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import FIXED_NOW


def _create(client, name: str, **fields):  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/people", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_created_person_reads_back_with_every_list_field_and_an_etag(client) -> None:
    made = _create(
        client, "José Álvarez", emails=["jose@example.com"], tags=["vc"], interests=["climbing"], tier=2
    )
    response = client.get(f"/api/v1/people/{made['id']}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "José Álvarez"
    assert [e["address"] for e in body["emails"]] == ["jose@example.com"]
    assert body["tags"] == ["vc"] and body["interests"] == ["climbing"]
    assert body["effective_cadence_days"] == 30
    assert response.headers["ETag"].startswith('W/"')


def test_patch_with_a_stale_etag_is_refused_and_changes_nothing(client) -> None:
    made = _create(client, "Ana Lima", title="CTO")
    etag = client.get(f"/api/v1/people/{made['id']}").headers["ETag"]
    first = client.patch(f"/api/v1/people/{made['id']}", json={"title": "CEO"}, headers={"If-Match": etag})
    assert first.status_code == 200 and first.json()["title"] == "CEO"
    stale = client.patch(f"/api/v1/people/{made['id']}", json={"title": "Intern"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "preconditionfailed"
    assert client.get(f"/api/v1/people/{made['id']}").json()["title"] == "CEO"


def test_patch_replaces_list_fields_it_is_given_and_keeps_the_others(client) -> None:
    made = _create(client, "Bo Chen", emails=["bo@a.org", "bo@b.org"], tags=["x"])
    body = client.patch(f"/api/v1/people/{made['id']}", json={"emails": ["bo@c.org"]}).json()
    assert [e["address"] for e in body["emails"]] == ["bo@c.org"]
    assert body["tags"] == ["x"]


def test_listing_pages_and_counts_the_total(client) -> None:
    for n in range(7):
        _create(client, f"Person {n}")
    page = client.get("/api/v1/people", params={"limit": 3, "offset": 3}).json()
    assert page["total"] == 7 and page["limit"] == 3 and page["offset"] == 3
    assert [p["name"] for p in page["items"]] == ["Person 3", "Person 4", "Person 5"]


def test_search_is_accent_and_case_insensitive(client) -> None:
    _create(client, "José Álvarez", company="Acme")
    _create(client, "Someone Else")
    hits = client.get("/api/v1/search", params={"q": "JOSE alv"}).json()
    assert [h["name"] for h in hits] == ["José Álvarez"]


def test_logging_an_interaction_moves_last_contact_and_strength(client) -> None:
    made = _create(client, "Ana Lima", tier=2)
    before = client.get(f"/api/v1/people/{made['id']}").json()
    response = client.post(
        "/api/v1/interactions",
        json={"kind": "coffee", "people": [made["id"]], "when": "yesterday", "notes": "hi"},
    )
    assert response.status_code == 201, response.text
    after = client.get(f"/api/v1/people/{made['id']}").json()
    assert after["last_contact_at"].startswith((FIXED_NOW - timedelta(days=1)).date().isoformat())
    assert after["strength"]["total"] > before["strength"]["total"]
    assert after["next_due"] == (FIXED_NOW.date() + timedelta(days=29)).isoformat()


def test_errors_have_one_stable_shape(client) -> None:
    missing = client.get("/api/v1/people/999999")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "notfound", "message": "no person with id 999999"}}
    invalid = client.post("/api/v1/people", json={"name": "X", "emails": ["not-an-email"]})
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalidinput"
    schema = client.post("/api/v1/people", json={"name": ""})
    assert schema.status_code == 422 and schema.json()["error"]["code"] == "invalid"
    unknown = client.post("/api/v1/interactions", json={"kind": "coffee", "people": [424242]})
    assert unknown.status_code == 404


def test_a_post_that_is_not_json_is_refused_so_other_sites_cannot_forge_it(client) -> None:
    response = client.post("/api/v1/people", content="name=Mallory", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert client.get("/api/v1/people").json()["total"] == 0


def test_agenda_items_can_be_done_snoozed_and_dismissed_by_key(client) -> None:
    ids = [_create(client, name, tier=1)["id"] for name in ("Ana", "Bo", "Cy")]
    for pid in ids:
        client.post("/api/v1/interactions", json={"kind": "call", "people": [pid], "when": "30 days ago"})
    agenda = client.get("/api/v1/agenda").json()
    keys = {i["person"]: i["key"] for i in agenda["items"] if i["kind"] == "keep_in_touch"}
    assert set(keys) == {"Ana", "Bo", "Cy"}
    assert client.post(f"/api/v1/agenda/items/{keys['Ana']}/done", json={"kind": "call"}).status_code == 200
    assert client.post(f"/api/v1/agenda/items/{keys['Bo']}/snooze", json={"days": 3}).status_code == 200
    assert client.post(f"/api/v1/agenda/items/{keys['Cy']}/dismiss", json={}).status_code == 200
    remaining = {
        i["person"] for i in client.get("/api/v1/agenda").json()["items"] if i["kind"] == "keep_in_touch"
    }
    assert remaining == set()
    later = client.get(
        "/api/v1/agenda", params={"date": (FIXED_NOW.date() + timedelta(days=3)).isoformat()}
    ).json()
    assert {i["person"] for i in later["items"] if i["kind"] == "keep_in_touch"} == {"Bo"}


def test_the_agenda_puts_what_cannot_wait_first_and_an_empty_day_looks_ahead(client) -> None:
    ana = _create(client, "Ana Lima", tier=1)["id"]
    client.post("/api/v1/interactions", json={"kind": "call", "people": [ana], "when": "30 days ago"})
    bo = _create(client, "Bo Chen", tier=5)["id"]
    client.post("/api/v1/favours", json={"person_id": bo, "direction": "received", "kind": "advice"})
    doc = client.get("/api/v1/agenda").json()
    assert list(doc) == ["date", "total", "items", "coming"]
    first = doc["items"][0]
    assert (first["kind"], first["person"], first["deadline"]) == ("thanks", "Bo Chen", "2026-03-13")
    [check_in] = [i for i in doc["items"] if i["kind"] == "keep_in_touch"]
    assert check_in["reasons"] == ["inner circle: you usually talk every week; it has been a month"]
    assert check_in["details"][1].startswith("due ratio 4.3, tie strength ")
    assert (check_in["deadline"], doc["coming"]) == (None, [])
    # Nothing due on the day before: the week ahead instead of "nothing due".
    empty = client.get("/api/v1/agenda", params={"date": "2026-02-12"}).json()
    assert (empty["items"], [d["date"] for d in empty["coming"]]) == ([], ["2026-02-15"])
    assert empty["coming"][0]["items"][0]["title"] == "Get in touch with Ana Lima"


def test_openapi_schema_lists_the_resources(client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/interactions", "/api/v1/agenda"):
        assert path in paths


def test_text_with_a_nul_character_is_refused_cleanly_on_every_backend(client) -> None:
    response = client.post("/api/v1/people", json={"name": "Ana\u0000Lima"})
    assert response.status_code == 422 and "NUL" in response.json()["error"]["message"]
    assert client.get("/api/v1/people", params={"tag": "a\x00b"}).status_code == 422
    assert client.get("/api/v1/people").json()["total"] == 0
