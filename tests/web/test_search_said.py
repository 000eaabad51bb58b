"""What was said, on the People page and in the API: the snippet's hits marked, user text escaped."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from tests.conftest import FIXED_NOW
from tests.web.conftest import WebClient
from tieline.models import Owner
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges


def test_the_people_page_shows_what_was_said_under_the_people(
    client: WebClient, add_person, log, session: Session
) -> None:  # type: ignore[no-untyped-def]
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    log("coffee", [ana, bo], when=FIXED_NOW - timedelta(days=2), notes="She went kayaking in Norway")
    session.commit()
    for headers in ({}, {"HX-Request": "true"}):  # the whole page, and the rows search swaps in
        page = client.get("/people", params={"q": "kayak"}, headers=headers).text
        said = page[page.index('id="said-heading"') :]
        assert "She went <mark>kayaking</mark> in Norway" in said
        assert (
            f'<a href="/people/{ana.id}">Ana Lima</a>' in said
            and f'<a href="/people/{bo.id}">Bo Chen</a>' in said
        )
        assert "08 Mar 2026" in said and "coffee" in said
    assert 'id="said-heading"' not in client.get("/people", params={"q": "zzz"}).text
    assert 'id="said-heading"' not in client.get("/people").text


def test_a_note_with_markup_is_shown_as_text_with_only_the_hit_marked(
    client: WebClient, add_person, log, session: Session
) -> None:  # type: ignore[no-untyped-def]
    ana = add_person("Ana Lima")
    log(
        "coffee", [ana], notes='<script>alert("kayak")</script><img src=x onerror=alert(1)> kayak <b>bold</b>'
    )
    session.commit()
    page = client.get("/people", params={"q": "kayak"}, headers={"HX-Request": "true"}).text
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#34;<mark>kayak</mark>&#34;)&lt;/script&gt;" in page
    assert "<mark>kayak</mark> &lt;b&gt;bold&lt;/b&gt;" in page


def test_the_api_search_gives_people_and_what_was_said(
    client: WebClient, add_person, log, session: Session
) -> None:  # type: ignore[no-untyped-def]
    ana = add_person("Ana Kayak")
    coffee = log("coffee", [ana], notes="kayaking with <b>friends</b>")
    session.commit()
    response = client.get("/api/v1/search/all", params={"q": "kayak"})
    assert response.status_code == 200
    body = response.json()
    assert [p["name"] for p in body["people"]] == ["Ana Kayak"]
    [match] = body["said"]
    assert (match["item"], match["id"], match["people"]) == (
        "interaction",
        coffee.id,
        [{"id": ana.id, "name": "Ana Kayak"}],
    )
    assert match["snippet"] == [
        {"text": "kayaking", "hit": True},
        {"text": " with <b>friends</b>", "hit": False},
    ]
    # The people-only search keeps its shape: a list of people.
    assert [p["name"] for p in client.get("/api/v1/search", params={"q": "kayak"}).json()] == ["Ana Kayak"]
    assert client.get("/api/v1/search/all", params={"q": ""}).status_code == 422


def test_the_api_never_shows_another_owners_words(
    client: WebClient, add_person, log, session: Session
) -> None:  # type: ignore[no-untyped-def]
    session.add(Owner(id=2, name="someone else"))
    session.flush()
    other = people_service.add_person(
        session, owner_id=2, name="Olga Other", changes=PersonChanges(), today=FIXED_NOW.date()
    )
    session.flush()
    interactions_service.log_interaction(
        session, owner_id=2, kind="call", people=[other], when=FIXED_NOW, notes="kayaking secrets"
    )
    log("call", [add_person("Ana Lima")], notes="kayaking plans")
    session.commit()
    body = client.get("/api/v1/search/all", params={"q": "kayaking"}).json()
    assert [[p["name"] for p in m["people"]] for m in body["said"]] == [["Ana Lima"]]
    assert client.get("/api/v1/search/all", params={"q": "secrets"}).json() == {"people": [], "said": []}
