"""The HTML pages: today with actions in place, people search and filters, person page, quick log,
settings, and the protections (CSRF, allowed hosts)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.conftest import FIXED_NOW
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import agenda as agenda_repo
from tieline.services import organisations as organisations_service
from tieline.services import preferences
from tieline.services.person_fields import EDITABLE


def test_today_lists_overdue_people_with_reasons(client, add_person, log, session) -> None:
    ana = add_person("Ana Lima", tier=1)
    log("coffee", [ana], when=FIXED_NOW - timedelta(days=10))
    session.commit()
    page = client.get("/")
    assert page.status_code == 200
    assert "Get in touch with Ana Lima" in page.text
    assert "inner circle: you usually talk every week; it has been ten days" in page.text
    # The numbers stay a click away, in a details toggle.
    assert "<summary>Details</summary>" in page.text
    assert "last contact 10 days ago; cadence 7 days" in page.text


def test_viewing_today_leaves_the_numbered_listing_of_the_cli_alone(client, add_person, log, session) -> None:
    # The page acts on lines by key and shows no numbers: a page view writes nothing.
    ana = add_person("Ana Lima", tier=1)
    log("coffee", [ana], when=FIXED_NOW - timedelta(days=10))
    session.commit()
    assert "Get in touch with Ana Lima" in client.get("/").text
    assert agenda_repo.listed_key(session, owner_id=LOCAL_OWNER_ID, number=1) is None


def test_done_in_place_logs_the_contact_and_removes_the_line(client, add_person, log, session) -> None:
    ana = add_person("Ana Lima", tier=1)
    log("coffee", [ana], when=FIXED_NOW - timedelta(days=10))
    session.commit()
    client.get("/")
    key = f"keep:{ana.id}:{(FIXED_NOW - timedelta(days=10)).date().isoformat()}"
    response = client.form("/agenda/done", {"key": key, "day": FIXED_NOW.date().isoformat()})
    assert response.status_code == 200
    assert f'data-key="{key}"' not in response.text
    # Nothing is left today, so the week ahead shows: Ana is due again in a week.
    assert "Nothing needs you today. Coming up:" in response.text
    assert "Tuesday 17 March" in response.text
    person = client.get(f"/api/v1/people/{ana.id}").json()
    assert person["last_contact_at"].startswith(FIXED_NOW.date().isoformat())


def test_a_form_post_without_the_csrf_token_is_refused(client, add_person, session) -> None:
    add_person("Ana Lima")
    session.commit()
    client.get("/")
    response = client.post("/log", data={"people": "Ana Lima", "kind": "coffee"})
    assert response.status_code == 403
    assert client.get("/api/v1/people").json()["items"][0]["last_contact_at"] is None


def test_only_the_mcp_path_itself_is_spared_the_csrf_token_not_paths_beginning_with_it(client) -> None:
    client.get("/")
    for path in ("/mcpx", "/mcp-admin", "/mcp/log"):
        response = client.post(path, data={"people": "Ana Lima"})
        assert response.status_code == 403 and "CSRF" in response.text, path


def test_quick_log_resolves_names_and_confirms(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    add_person("Bo Chen")
    session.commit()
    response = client.form(
        "/log", {"people": "ana, Bo Chen", "kind": "lunch", "when": "yesterday", "note": "ramen"}
    )
    assert response.status_code == 200, response.text
    assert (
        "Logged meeting with" in response.text and "Ana Lima" in response.text and "Bo Chen" in response.text
    )
    timeline = client.get(f"/api/v1/people/{ana.id}/interactions").json()
    assert timeline[0]["notes"] == "ramen" and timeline[0]["with"] == ["Bo Chen"]


def test_quick_log_with_an_unknown_name_says_so_and_writes_nothing(client, add_person, session) -> None:
    add_person("Ana Lima")
    session.commit()
    response = client.form("/log", {"people": "Nobody Here", "kind": "coffee"})
    assert response.status_code == 404
    assert "no person matches" in response.text
    assert client.get("/api/v1/people").json()["items"][0]["last_contact_at"] is None


def test_quick_log_autocomplete_completes_the_last_name_and_keeps_the_ones_typed(
    client, add_person, session
) -> None:
    add_person("Ana Lima")
    add_person("Bo Chen")
    session.commit()
    options = client.get("/people/suggest", params={"people": "Ana Lima,  , bo"}).text
    assert '<option value="Ana Lima, Bo Chen">' in options
    assert options.count("<option") == 1
    assert '<option value="Bo Chen">' in client.get("/people/suggest", params={"people": "bo"}).text
    assert "<option" not in client.get("/people/suggest", params={"people": "Ana Lima, "}).text


def test_people_search_as_you_type_returns_rows_only(client, add_person, session) -> None:
    add_person("José Álvarez", company="Acme")
    add_person("Ana Lima")
    session.commit()
    partial = client.get("/people", params={"q": "jose"}, headers={"HX-Request": "true"})
    assert "José Álvarez" in partial.text and "Ana Lima" not in partial.text
    assert "<html" not in partial.text


def test_people_filters_by_tier_and_sorts_by_losing_touch(client, add_person, log, session) -> None:
    add_person("Ana", tier=1)
    bo, cy = add_person("Bo", tier=2), add_person("Cy", tier=2)
    log("call", [bo], when=FIXED_NOW - timedelta(days=50))
    log("call", [cy], when=FIXED_NOW - timedelta(days=5))
    session.commit()
    tier2 = client.get(
        "/people", params={"tier": "2", "sort": "last-contact"}, headers={"HX-Request": "true"}
    ).text
    assert "Ana" not in tier2
    assert tier2.index(">Bo<") < tier2.index(">Cy<")


def test_people_list_counts_everyone_past_the_first_page_and_shows_tags(client, add_person, session) -> None:
    for n in range(51):
        add_person(f"Person {n:02d}", lists={"tags": ["mentor"]} if n == 0 else None)
    add_person("Archived Abe").archived = True
    session.commit()
    page = client.get("/people").text
    assert "51 people, showing 50" in page
    assert '<span class="tag">mentor</span>' in page
    assert "Person 49" in page and "Person 50" not in page and "Archived Abe" not in page
    small = client.get("/people", params={"tag": "mentor"}, headers={"HX-Request": "true"}).text
    assert "1 person</p>" in small and "Person 00" in small


def test_bulk_tag_and_tier_change(client, add_person, session) -> None:
    ana, bo = add_person("Ana"), add_person("Bo")
    session.commit()
    response = client.form("/people/bulk", {"person": [ana.id, bo.id], "add_tag": "mentor", "set_tier": "2"})
    assert response.status_code == 200 and "updated 2 people" in response.text
    for pid in (ana.id, bo.id):
        body = client.get(f"/api/v1/people/{pid}").json()
        assert body["tags"] == ["mentor"] and body["tier"] == 2


def test_person_page_shows_strength_parts_cadence_and_timeline(client, add_person, log, session) -> None:
    ana = add_person("Ana Lima", tier=2, closeness=4)
    log("coffee", [ana], when=FIXED_NOW - timedelta(days=3), notes="talked about climbing")
    session.commit()
    page = client.get(f"/people/{ana.id}").text
    assert "Tie strength" in page and "closeness: 80" in page
    assert "every 30 days" in page and (FIXED_NOW.date() + timedelta(days=27)).isoformat() in page
    assert "talked about climbing" in page


def test_edit_in_place_saves_fields(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    form = client.get(f"/people/{ana.id}/edit").text
    assert 'name="title"' in form
    saved = client.form(
        f"/people/{ana.id}", {"name": "Ana Lima", "title": "CTO", "tags": "a, b", "tier": "3"}
    )
    assert saved.status_code == 200, saved.text
    body = client.get(f"/api/v1/people/{ana.id}").json()
    assert body["title"] == "CTO" and body["tags"] == ["a", "b"] and body["tier"] == 3


def test_edit_in_place_saves_every_field_the_cli_can_set(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    typed = {
        "name": "Ana Maria Lima",
        "title": "CTO",
        "company": "Acme",
        "department": "Platform",
        "industry": "Software",
        "location": "Lisbon",
        "birthday": "05-02",
        "met_how": "a talk",
        "met_where": "PyCon Lisbon",
        "met_on": "2025-05-01",
        "tier": "2",
        "cadence_days": "20",
        "closeness": "4",
        "emails": "ana@example.com, a.lima@example.org",
        "phones": "+351 21 000 0000",
        "links": "https://github.com/ana, https://www.linkedin.com/in/ana",
        "tags": "python, speaker",
        "interests": "climbing",
        "expertise": "Rust",
        "needs": "hiring",
        "notes": "met at the keynote",
    }
    assert set(typed) == {f.key for f in EDITABLE}
    saved = client.form(f"/people/{ana.id}", typed)
    assert saved.status_code == 200, saved.text
    assert "<dt>Met</dt><dd>a talk; PyCon Lisbon; 2025-05-01</dd>" in saved.text
    body = client.get(f"/api/v1/people/{ana.id}").json()
    assert body["name"] == "Ana Maria Lima" and (body["met_where"], body["met_on"]) == (
        "PyCon Lisbon",
        "2025-05-01",
    )
    assert [link["url"] for link in body["links"]] == [
        "https://github.com/ana",
        "https://www.linkedin.com/in/ana",
    ]
    assert (body["birthday"], body["tier"], body["cadence_days"], body["closeness"]) == ("--05-02", 2, 20, 4)
    assert [e["address"] for e in body["emails"]] == ["ana@example.com", "a.lima@example.org"]
    assert (body["tags"], body["needs"], body["notes"]) == (
        ["python", "speaker"],
        ["hiring"],
        "met at the keynote",
    )
    again = client.get(f"/people/{ana.id}/edit").text
    assert 'name="met_on" type="date" value="2025-05-01"' in again
    assert 'value="https://github.com/ana, https://www.linkedin.com/in/ana"' in again
    cleared = client.form(f"/people/{ana.id}", {"met_where": "", "met_on": "", "links": ""})
    assert cleared.status_code == 200, cleared.text
    body = client.get(f"/api/v1/people/{ana.id}").json()
    assert (body["met_where"], body["met_on"], body["links"]) == (None, None, [])


def test_edit_in_place_refuses_a_date_that_is_not_one_and_saves_nothing(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    refused = client.form(f"/people/{ana.id}", {"met_where": "Porto", "met_on": "the other day"})
    assert refused.status_code == 422
    assert "met on" in refused.text
    assert client.get(f"/api/v1/people/{ana.id}").json()["met_where"] is None


def test_edit_in_place_refuses_a_number_that_is_not_one_and_saves_nothing(
    client, add_person, session
) -> None:
    ana = add_person("Ana Lima", tier=2)
    session.commit()
    refused = client.form(f"/people/{ana.id}", {"title": "CTO", "tier": "3", "cadence_days": "weekly"})
    assert refused.status_code == 422
    assert "cadence days: type a whole number, e.g. 5 (not &#39;weekly&#39;)" in refused.text
    body = client.get(f"/api/v1/people/{ana.id}").json()
    assert body["title"] is None and body["tier"] == 2


def test_settings_change_the_daily_cap(client, add_person, log, session) -> None:
    for n in range(4):
        p = add_person(f"P{n}", tier=1)
        log("call", [p], when=FIXED_NOW - timedelta(days=20))
    session.commit()
    response = client.form("/settings", {"agenda.daily_cap": "2"})
    assert response.status_code == 200 and "saved: agenda.daily_cap" in response.text
    assert len(client.get("/api/v1/agenda").json()["items"]) == 2
    bad = client.form("/settings", {"agenda.daily_cap": "lots"})
    assert bad.status_code == 422


def test_requests_for_another_host_name_are_refused(client) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_network_data_links_you_to_your_ties(client, add_person, log, session) -> None:
    ana, bo = add_person("Ana", tier=2), add_person("Bo", tier=2)
    log("meeting", [ana, bo], when=FIXED_NOW - timedelta(days=2))
    session.commit()
    assert client.get("/network").status_code == 200
    elements = client.get("/network.json").json()["elements"]
    ids = {e["data"]["id"] for e in elements}
    assert {"me", f"p{ana.id}", f"p{bo.id}", f"{ana.id}-{bo.id}"} <= ids


def _shared_school_and_interest(session, add_person, name: str = "Ana Lima", school: str = "LSE"):  # type: ignore[no-untyped-def]
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="me.interests", value=["Jazz"])
    ana = add_person(name, lists={"interests": ["jazz"]})
    lse = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name=school, kind="school")
    for who, since, until in (
        (None, date(2010, 9, 1), date(2013, 7, 1)),
        (ana, date(2011, 9, 1), date(2014, 7, 1)),
    ):
        organisations_service.add_membership(session, person=who, organisation=lse, since=since, until=until)
    session.commit()
    return ana


def _common_items(html: str) -> list[tuple[str, str, str]]:
    """(kind, label, evidence) of each thing in common, in the order shown."""
    found = re.findall(
        r'<li><strong>(.*?)</strong>(?: <small class="kind">(.*?)</small>)?(?: <span class="overlap">.*?</span>)?'
        r'\s*<small class="evidence">(.*?)</small>',
        html,
    )
    return [(kind, label, evidence) for label, kind, evidence in found]


def test_person_page_shows_what_you_share_with_the_evidence(client, add_person, session) -> None:
    ana = _shared_school_and_interest(session, add_person)
    page = client.get(f"/people/{ana.id}").text
    assert f'hx-get="/people/{ana.id}/common"' in page and "What you share" in page
    block = client.get(f"/people/{ana.id}/common", headers={"HX-Request": "true"})
    assert block.status_code == 200
    assert _common_items(block.text) == [
        ("school", "LSE", "you: 2010-09-01 to 2013-07-01; Ana Lima: 2011-09-01 to 2014-07-01"),
        ("interest", "jazz", "you: your interest; they: interest"),
    ]


def test_what_you_share_is_empty_for_a_stranger_and_missing_for_nobody(client, add_person, session) -> None:
    bo = add_person("Bo Chen")
    session.commit()
    block = client.get(f"/people/{bo.id}/common").text
    assert "No organisation, event or interest in common on record." in block
    assert client.get(f"/people/{bo.id + 1}/common").status_code == 404
    assert client.get("/people/0/common").status_code == 422


def test_what_you_share_escapes_names(client, add_person, session) -> None:
    eve = _shared_school_and_interest(session, add_person, name="<b>Eve</b>", school="<b>x</b>")
    block = client.get(f"/people/{eve.id}/common").text
    assert "<b>" not in block
    assert _common_items(block)[0] == (
        "school",
        "&lt;b&gt;x&lt;/b&gt;",
        "you: 2010-09-01 to 2013-07-01; &lt;b&gt;Eve&lt;/b&gt;: 2011-09-01 to 2014-07-01",
    )
