"""The person page's ledger: favours both ways (balance, thanks owed), milestones, open follow-ups and
mutual contacts; the forms that act on them in place, their clear refusals, escaping, and a browser
run through the follow-up form."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import FIXED_NOW
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import milestones as milestones_service
from tieline.services import organisations as organisations_service

TODAY = FIXED_NOW.date()
SCRIPT, BOLD = "<script>alert(1)</script>", "<b>x</b>"
SCRIPT_ESCAPED, BOLD_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;x&lt;/b&gt;"


def _section(html: str, section_id: str) -> str:
    """The markup of one <section> of the page (the sections hold no nested sections)."""
    found = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert found, f"no section #{section_id}"
    return found.group(0)


def _rows(html: str, list_class: str) -> list[str]:
    """The text of each row of a list in the markup, tags and spacing collapsed."""
    found = re.search(rf'<ul class="{list_class}".*?</ul>', html, re.S)
    if not found:
        return []
    items = re.findall(r"<li\b.*?</li>", found.group(0), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def _favour(session, person: Person, direction: str, kind: str, text: str | None, days_ago: int) -> None:  # type: ignore[no-untyped-def]
    favours_service.record_favour(
        session,
        owner_id=LOCAL_OWNER_ID,
        person=person,
        direction=direction,
        kind=kind,
        text=text,
        when=FIXED_NOW - timedelta(days=days_ago),
        now=FIXED_NOW,
    )


def _followup(session, person: Person, text: str, due: date, **extra: object):  # type: ignore[no-untyped-def]
    return followups_service.add_followup(
        session, owner_id=LOCAL_OWNER_ID, person=person, text=text, due_on=due, **extra
    )


# What the page shows.


def test_favours_show_both_ways_with_the_balance_and_thanks_owed(client, add_person, session) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    _favour(session, ana, "given", "introduction", "intro to Cy at Acme", 20)
    _favour(session, ana, "received", "advice", "pricing", 10)
    _favour(session, ana, "received", "job_lead", None, 3)
    _favour(session, bo, "given", "resource", "Bo's article", 1)
    session.commit()

    section = _section(client.get(f"/people/{ana.id}").text, "favours")
    assert "Favours both ways" in section
    assert "you gave Ana Lima 1, received 2: you owe them (+1)" in section
    assert "Thanks owed</strong> for 2 favours" in section
    assert f'hx-post="/people/{ana.id}/favours/thanks"' in section
    assert _rows(section, "ledger-rows") == [
        "07 Mar 2026 they helped : job lead thanks owed",
        "28 Feb 2026 they helped : advice – pricing thanks owed",
        "18 Feb 2026 you helped : introduction – intro to Cy at Acme",
    ]
    assert "Bo&#39;s article" not in section


def test_favours_given_more_than_received_read_they_owe_you(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    _favour(session, ana, "given", "advice", None, 5)
    _favour(session, ana, "given", "referral", None, 4)
    session.commit()
    section = _section(client.get(f"/people/{ana.id}").text, "favours")
    assert "you gave Ana Lima 2, received 0: they owe you (-2)" in section
    assert "Thanks owed" not in section and "/favours/thanks" not in section


def test_sections_say_so_when_there_is_nothing_yet(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    page = client.get(f"/people/{ana.id}").text
    assert "No favours recorded yet." in _section(page, "favours")
    assert "No milestones recorded." in _section(page, "milestones")
    assert "Coming up" not in _section(page, "milestones")
    assert "No open follow-ups." in _section(page, "followups")
    for section_id, title in (
        ("favours", "Favours both ways"),
        ("milestones", "Milestones"),
        ("followups", "Open follow-ups"),
    ):
        assert f'aria-labelledby="{section_id}-title"' in page
        assert f'<h2 id="{section_id}-title">{title}</h2>' in page


def test_milestones_show_what_was_logged_and_the_birthday_and_anniversary_coming_up(
    client, add_person, session
) -> None:
    ana = add_person("Ana Lima", birthday="1986-05-14")
    acme = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Acme", kind="company"
    )
    old = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Oldco", kind="company"
    )
    organisations_service.add_membership(session, person=ana, organisation=acme, since=date(2020, 6, 1))
    organisations_service.add_membership(
        session, person=ana, organisation=old, since=date(2015, 4, 1), until=date(2019, 12, 31)
    )
    for kind, on, text in (
        ("new_job", date(2020, 6, 1), "CTO at Acme"),
        ("promotion", date(2026, 3, 2), "VP"),
    ):
        milestones_service.add_milestone(
            session, owner_id=LOCAL_OWNER_ID, person=ana, kind=kind, occurred_on=on, text=text
        )
    session.commit()

    section = _section(client.get(f"/people/{ana.id}").text, "milestones")
    assert _rows(section, "milestones") == ["2026-03-02 promotion : VP", "2020-06-01 new job : CTO at Acme"]
    coming = " ".join(re.sub(r"<[^>]+>", " ", section.split("Coming up:")[1].split("</p>")[0]).split())
    # The past role at Oldco has no anniversary to come.
    assert coming == "2026-05-14 their birthday (turns 40) ; 2026-06-01 6 years at Acme"


def test_only_this_persons_open_followups_are_listed_soonest_first(client, add_person, session) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    _followup(session, ana, "send the deck", TODAY + timedelta(days=3), is_promise=True)
    _followup(session, ana, "ask about the move", TODAY - timedelta(days=2))
    _followup(session, ana, "monthly check-in", TODAY, every_days=30)
    done = _followup(session, ana, "already done", TODAY)
    followups_service.complete(done, day=TODAY, now=FIXED_NOW)
    _followup(session, bo, "Bo's thing", TODAY)
    session.commit()

    section = _section(client.get(f"/people/{ana.id}").text, "followups")
    assert _rows(section, "followups") == [
        "2026-03-08 overdue ask about the move Done",
        "2026-03-10 today monthly check-in every 30 days Done",
        "2026-03-13 send the deck (a promise) Done",
    ]


def test_the_sections_cost_one_query_each(client, add_person, session, db) -> None:
    ana = add_person("Ana Lima")
    _favour(session, ana, "received", "advice", None, 1)
    _followup(session, ana, "send the deck", TODAY)
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="award", occurred_on=TODAY, text="prize"
    )
    session.commit()
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.lower())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(f"/people/{ana.id}").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    for table in ("favour", "follow_up", "milestone"):
        assert sum(f"from {table}" in s for s in statements) == 1, table


def test_what_you_share_lists_the_mutual_contacts(client, add_person, log, session) -> None:
    ana, bo, cy = add_person("Ana Lima"), add_person("Bo Chen"), add_person("Cy Twombly")
    log("meeting", [ana, bo], when=FIXED_NOW - timedelta(days=5))
    log("call", [cy], when=FIXED_NOW - timedelta(days=5))
    session.commit()
    block = client.get(f"/people/{ana.id}/common", headers={"HX-Request": "true"}).text
    assert "Mutual contacts" in block and 'data-testid="mutual-count">(1)' in block
    assert f'<a href="/people/{bo.id}">Bo Chen</a>' in block
    assert "Cy Twombly" not in block
    lonely = client.get(f"/people/{cy.id}/common").text
    assert "No mutual contacts on record." in lonely and 'data-testid="mutual-count">(0)' in lonely


# Acting in place.


def test_recording_a_favour_shows_the_new_row_and_balance(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    response = client.form(
        f"/people/{ana.id}/favours",
        {"direction": "received", "kind": "introduction", "text": "intro to Dee", "when": "yesterday"},
    )
    assert response.status_code == 200, response.text
    assert response.text.lstrip().startswith('<section id="favours"')
    assert _rows(response.text, "ledger-rows") == [
        "09 Mar 2026 they helped : introduction – intro to Dee thanks owed"
    ]
    assert "you gave Ana Lima 0, received 1: you owe them (+1)" in response.text
    assert "recorded: introduction received" in response.text
    assert "intro to Dee" in _section(client.get(f"/people/{ana.id}").text, "favours")


def test_logging_a_thank_you_closes_the_thanks_owed(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    _favour(session, ana, "received", "advice", "pricing", 4)
    session.commit()
    response = client.form(f"/people/{ana.id}/favours/thanks", {"text": ""})
    assert response.status_code == 200, response.text
    assert "Thanks owed" not in response.text and "thanks owed" not in response.text
    assert _rows(response.text, "ledger-rows") == [
        "06 Mar 2026 they helped : advice – pricing thanked 10 Mar 2026"
    ]
    assert "thank-you logged: Thank you for your advice" in response.text
    page = client.get(f"/people/{ana.id}").text
    assert "Thank you for your advice" in page.split('aria-label="Timeline"')[1]


def test_thanking_when_nothing_is_owed_says_so_and_writes_nothing(
    client, add_person, session, snapshot
) -> None:
    ana = add_person("Ana Lima")
    _favour(session, ana, "given", "advice", None, 4)
    session.commit()
    before = snapshot()
    response = client.form(f"/people/{ana.id}/favours/thanks", {"text": "cheers"})
    assert response.status_code == 422
    assert '<p class="error" role="alert">no thanks are owed to Ana Lima</p>' in response.text
    assert snapshot() == before


def test_adding_a_followup_shows_it_in_the_open_list(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    response = client.form(
        f"/people/{ana.id}/followups", {"text": "send the deck", "due": "in 1 week", "promise": "1"}
    )
    assert response.status_code == 200, response.text
    assert response.text.lstrip().startswith('<section id="followups"')
    assert _rows(response.text, "followups") == ["2026-03-17 send the deck (a promise) Done"]
    assert "added, due 2026-03-17" in response.text
    assert "send the deck" in _section(client.get(f"/people/{ana.id}").text, "followups")


def test_a_done_followup_leaves_the_open_list(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    deck = _followup(session, ana, "send the deck", TODAY)
    _followup(session, ana, "ask about the move", TODAY + timedelta(days=1))
    session.commit()
    response = client.form(f"/people/{ana.id}/followups/{deck.id}/done", {})
    assert response.status_code == 200, response.text
    assert _rows(response.text, "followups") == ["2026-03-11 ask about the move Done"]
    assert "done: send the deck" in response.text
    assert "send the deck" not in _section(client.get(f"/people/{ana.id}").text, "followups")


def test_a_done_recurring_followup_moves_to_its_next_date(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    monthly = _followup(session, ana, "monthly check-in", TODAY - timedelta(days=1), every_days=30)
    session.commit()
    response = client.form(f"/people/{ana.id}/followups/{monthly.id}/done", {})
    assert response.status_code == 200
    assert _rows(response.text, "followups") == ["2026-04-08 monthly check-in every 30 days Done"]
    assert "next due 2026-04-08" in response.text


def test_another_persons_followup_cannot_be_done_from_this_page(
    client, add_person, session, snapshot
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    theirs = _followup(session, bo, "Bo's thing", TODAY)
    session.commit()
    before = snapshot()
    response = client.form(f"/people/{ana.id}/followups/{theirs.id}/done", {})
    assert response.status_code == 404
    assert f"no follow-up with id {theirs.id}" in response.text
    assert snapshot() == before


def test_recording_a_milestone_shows_the_new_row(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    response = client.form(
        f"/people/{ana.id}/milestones", {"kind": "promotion", "on": "2026-03-01", "text": "Head of data"}
    )
    assert response.status_code == 200, response.text
    assert _rows(response.text, "milestones") == ["2026-03-01 promotion : Head of data"]
    assert "recorded: promotion on 2026-03-01" in response.text


def test_a_form_post_without_the_csrf_token_is_refused(client, add_person, session, snapshot) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    client.get("/settings")
    before = snapshot()
    response = client.post(f"/people/{ana.id}/followups", data={"text": "x", "due": "today"})
    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "favours",
            {"direction": "given", "kind": "bribe", "text": "a case of wine", "when": "today"},
            "unknown favour kind &#39;bribe&#39;: use one of introduction, advice",
        ),
        (
            "favours",
            {"direction": "sideways", "kind": "advice", "text": "a case of wine", "when": "today"},
            "a favour is given or received, not &#39;sideways&#39;",
        ),
        (
            "favours",
            {"direction": "given", "kind": "advice", "text": "a case of wine", "when": "the 31st of never"},
            "cannot read when &#39;the 31st of never&#39;",
        ),
        (
            "followups",
            {"text": "a case of wine", "due": "2026-02-30"},
            "cannot read due date &#39;2026-02-30&#39;",
        ),
        ("followups", {"text": "a case of wine", "due": "next blursday"}, "cannot read due date"),
        ("followups", {"text": "a case of wine", "due": ""}, "give the day it is due"),
        ("followups", {"text": "   ", "due": "tomorrow"}, "follow-up text cannot be empty"),
        (
            "milestones",
            {"kind": "wedding", "on": "today", "text": "a case of wine"},
            "unknown milestone kind",
        ),
        ("milestones", {"kind": "award", "on": "13/13/2026", "text": "a case of wine"}, "cannot read date"),
    ],
)
def test_bad_input_says_what_to_fix_in_place_and_writes_nothing(
    client, add_person, session, snapshot, path: str, data: dict[str, str], message: str
) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    before = snapshot()
    response = client.form(f"/people/{ana.id}/{path}", data)
    assert response.status_code == 422
    section = _section(response.text, path)
    alert = re.search(r'<p class="error" role="alert">(.*?)</p>', section)
    assert alert and message in alert.group(1)
    # The form comes back with what was typed, ready to be corrected.
    assert f'hx-post="/people/{ana.id}/{path}"' in section
    if data["text"].strip():
        assert 'value="a case of wine"' in section
    assert snapshot() == before


def test_actions_on_a_missing_person_are_not_found(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    session.commit()
    response = client.form(f"/people/{ana.id + 1}/followups", {"text": "x", "due": "today"})
    assert response.status_code == 404 and f"no person with id {ana.id + 1}" in response.text
    assert client.form("/people/0/favours", {"direction": "given", "kind": "advice"}).status_code == 422


# Escaping.


@pytest.mark.parametrize("text", [SCRIPT, BOLD])
def test_user_text_in_the_sections_renders_as_inert_text(client, add_person, session, text: str) -> None:
    escaped = {SCRIPT: SCRIPT_ESCAPED, BOLD: BOLD_ESCAPED}[text]
    ana = add_person("Ana Lima")
    session.commit()
    answers = [
        client.form(f"/people/{ana.id}/favours", {"direction": "received", "kind": "advice", "text": text}),
        client.form(f"/people/{ana.id}/followups", {"text": text, "due": "tomorrow"}),
        client.form(f"/people/{ana.id}/milestones", {"kind": "award", "on": "today", "text": text}),
        # Refused input comes back in the form's value attribute, and in the message.
        client.form(f"/people/{ana.id}/favours", {"direction": "given", "kind": text, "text": text}),
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 422]
    page = client.get(f"/people/{ana.id}").text
    for html in [a.text for a in answers] + [page]:
        assert text not in html
        assert "<script>alert" not in html and "<b>x" not in html
    for section_id in ("favours", "followups", "milestones"):
        assert escaped in _section(page, section_id)
    assert f'aria-label="Done: {escaped}"' in page
    assert f'value="{escaped}"' in answers[3].text


# In a real browser.


def test_adding_a_followup_in_the_browser(browser, live_server, add_person, session, backend) -> None:
    from tests.web.test_browser import ARTIFACTS, Watch  # skips when Playwright is missing

    ana = add_person("Ana Lima", birthday="1986-05-14", company="Acme", title="CTO")
    _favour(session, ana, "given", "introduction", "intro to Bo at Beta", 12)
    _favour(session, ana, "received", "advice", "on pricing", 3)
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=ana, kind="promotion", occurred_on=TODAY, text="CTO"
    )
    _followup(session, ana, "ask about the move", TODAY - timedelta(days=1))
    session.commit()

    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    watch = Watch(page)
    page.goto(f"{live_server}/people/{ana.id}")
    followups = page.get_by_role("region", name="Open follow-ups")
    assert followups.locator("li.followup").count() == 1

    # A date the app cannot read: the message shows in place and the form still works after it.
    page.fill("#fu-text", "send the deck")
    page.fill("#fu-due", "next blursday")
    page.click("#followups button[type=submit]:has-text('Add')")
    page.wait_for_selector("#followups .error[role=alert]")
    assert "cannot read due date" in page.locator("#followups .error").inner_text()
    assert page.input_value("#fu-text") == "send the deck"

    page.fill("#fu-due", "2026-03-20")
    page.click("#followups button[type=submit]:has-text('Add')")
    page.wait_for_selector("#followups li.followup:has-text('send the deck')")
    assert page.locator("#followups .error").count() == 0
    assert page.locator("#followups li.followup").count() == 2

    # Done in place: the older one leaves the open list.
    page.get_by_role("button", name="Done: ask about the move").click()
    page.wait_for_function(
        "() => !document.querySelector('#followups ul')?.innerText.includes('ask about the move')"
    )
    assert page.locator("#followups li.followup").count() == 1

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{backend}-person-sections.png"), full_page=True)
    # The new forms wrap on a phone instead of scrolling sideways.
    page.set_viewport_size({"width": 375, "height": 740})
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the person page scrolls sideways by {overflow}px on a phone"

    # Chromium logs the refused request itself; nothing else may reach the console.
    assert watch.errors == [
        "Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    assert watch.foreign == []
    context.close()
