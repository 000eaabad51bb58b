"""Prepare: the meeting brief as a page on a person (`/people/{id}/brief`) and in the API
(`GET /api/v1/people/{id}/brief`): content, escaping, the link from the person's page, 404s."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.conftest import FIXED_NOW
from tests.test_docs import documented_keys
from tieline.models import LOCAL_OWNER_ID
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import interactions as interactions_service

TODAY = FIXED_NOW.date()
SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _network(session, add_person) -> int:  # type: ignore[no-untyped-def]
    ana = add_person(
        "Ana Lima", title="CFO", lists={"needs": ["fundraising"], "interests": [f"sailing {SCRIPT}"]}
    )
    bo = add_person("Bo Chen", lists={"expertise": ["fundraising"]})
    for person, days, note in (
        (bo, 3, None),
        (ana, 10, f"Raising a seed round {SCRIPT}"),
        (ana, 40, "Moved to Porto"),
    ):
        interactions_service.log_interaction(
            session, owner_id=LOCAL_OWNER_ID, kind="coffee", people=[person],
            when=FIXED_NOW - timedelta(days=days), notes=note, now=FIXED_NOW,
        )  # fmt: skip
    followups_service.add_followup(
        session, owner_id=LOCAL_OWNER_ID, person=ana, text="send the deck", due_on=TODAY, is_promise=True
    )
    favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=ana, direction="received", kind="advice", text="CV review",
        when=FIXED_NOW - timedelta(days=1), now=FIXED_NOW,
    )  # fmt: skip
    session.commit()
    return ana.id


def _rows(html: str, testid: str) -> list[str]:
    """The text of each list item inside the element marked data-testid, tags and spacing collapsed."""
    found = re.search(rf'data-testid="{testid}".*?</(?:section|ul|ol)>', html, re.S)
    assert found, f"nothing marked {testid}"
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li\b.*?</li>", found.group(0), re.S)
    ]


def test_the_person_page_links_to_prepare(client, add_person, session) -> None:  # type: ignore[no-untyped-def]
    ana = _network(session, add_person)
    page = client.get(f"/people/{ana}").text
    assert f'href="/people/{ana}/brief"' in page
    assert "Prepare for a meeting" in page


def test_the_prepare_page_shows_each_section_escaped_and_reads_on_a_phone(  # type: ignore[no-untyped-def]
    client, add_person, session
) -> None:
    ana = _network(session, add_person)
    response = client.get(f"/people/{ana}/brief")
    assert response.status_code == 200
    html = response.text
    assert "<h1>Ana Lima</h1>" in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "script-src" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert " style=" not in html and "<style" not in html and SCRIPT not in html
    notes = _rows(html, "brief-notes")
    assert [n.split(" coffee ")[-1] for n in notes] == [
        f"Raising a seed round {SCRIPT_ESCAPED}",
        "Moved to Porto",
    ]
    assert _rows(html, "brief-offers") == [
        "introduce them to Bo Chen (expertise: fundraising) for fundraising"
    ]
    promises = _rows(html, "brief-promises")
    assert promises[0].startswith("you owe send the deck")
    assert any("thank them for CV review" in p for p in promises)
    openers = _rows(html, "brief-openers")
    assert 1 <= len(openers) <= 3
    assert all(" from " in o for o in openers), openers
    assert html.index('data-testid="brief-openers"') < html.index('data-testid="brief-notes"')


def test_prepare_for_an_unknown_person_is_a_404_page(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/people/999/brief").status_code == 404


def test_the_api_gives_the_documented_brief(client, add_person, session) -> None:  # type: ignore[no-untyped-def]
    ana = _network(session, add_person)
    response = client.get(f"/api/v1/people/{ana}/brief")
    assert response.status_code == 200
    doc = response.json()
    keys = documented_keys()
    assert list(doc) == keys["brief"]
    assert list(doc["person"]) == keys["brief person"]
    assert doc["person"]["title"] == "CFO"
    assert [n["notes"] for n in doc["notes"]] == [f"Raising a seed round {SCRIPT}", "Moved to Porto"]
    refs = {row["ref"] for key in ("notes", "cares", "offers", "promises", "milestones", "common_ground")
            for row in doc[key]}  # fmt: skip
    assert all(o["source"]["ref"] in refs for o in doc["openers"])


def test_the_api_brief_of_an_unknown_person_is_404_in_words(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/people/999/brief")
    assert response.status_code == 404
    assert "no person with id 999" in response.text
