"""Script and HTML typed into any free-text field render as inert text on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import FIXED_NOW

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile(add_person, log, session):  # type: ignore[no-untyped-def]
    fields = {
        "title": PAYLOAD, "company": PAYLOAD, "department": PAYLOAD, "industry": PAYLOAD, "location": PAYLOAD,
        "met_how": PAYLOAD, "met_where": PAYLOAD, "notes": PAYLOAD, "tier": 1,
    }  # fmt: skip
    lists = {"tags": [PAYLOAD], "interests": [PAYLOAD], "expertise": [PAYLOAD], "needs": [PAYLOAD]}
    person = add_person("Eve " + PAYLOAD, lists=lists, **fields)
    log("coffee", [person], when=FIXED_NOW - timedelta(days=30), notes=PAYLOAD, subject=PAYLOAD)
    session.commit()
    return person


def test_every_page_escapes_user_text(client, hostile) -> None:
    pages = ["/", "/people", f"/people/{hostile.id}", f"/people/{hostile.id}/edit", "/settings", "/network",
             "/people?q=eve"]  # fmt: skip
    for url in pages:
        text = client.get(url).text
        assert "<script>alert" not in text, url
        assert "<img src=x" not in text, url
    person_page = client.get(f"/people/{hostile.id}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in person_page


def test_htmx_partials_escape_user_text(client, hostile) -> None:
    rows = client.get("/people", params={"q": "eve"}, headers={"HX-Request": "true"}).text
    assert "<script>alert" not in rows and "&lt;script&gt;" in rows
    logged = client.form("/log", {"people": f"#{hostile.id}", "kind": "coffee", "note": PAYLOAD})
    assert "<script>alert" not in logged.text
    suggest = client.get("/people/suggest", params={"people": "eve"}).text
    assert "<script>alert" not in suggest


def test_error_pages_escape_what_the_user_typed(client) -> None:
    response = client.form("/log", {"people": PAYLOAD, "kind": "coffee"})
    assert response.status_code == 404
    assert "<script>alert" not in response.text
