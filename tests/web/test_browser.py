"""A new user's day in a real browser (Debian's chromium driven by Playwright): Today, quick log,
the person's strength and due date changing, done in place, the network map. Screenshots of each
page go to test-artifacts/screenshots/; the console must stay clean and no request may leave 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from tests.conftest import FIXED_NOW
from tests.web.conftest import app_routes

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VCARD = Path(__file__).resolve().parents[1] / "data" / "web" / "two-people.vcf"
playwright_api = pytest.importorskip("playwright.sync_api")


class Watch:
    """Console errors and any request to a host other than 127.0.0.1, gathered over a page's life."""

    def __init__(self, page: object) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: self.errors.append(str(e)))  # type: ignore[attr-defined]
        page.on("request", self._request)  # type: ignore[attr-defined]

    def _request(self, request: object) -> None:
        url = urlparse(request.url)  # type: ignore[attr-defined]
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != "127.0.0.1":
            self.foreign.append(request.url)  # type: ignore[attr-defined]


def shot(page: object, name: str, backend: str) -> None:
    """Save a full-page screenshot as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{backend}-{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_a_new_users_day(browser, live_server, add_person, log, session, backend) -> None:
    ana = add_person("Ana Lima", tier=2, closeness=3, company="Acme", title="CTO")
    add_person("Dana Scully", company="FBI", lists={"emails": ["dana@fbi.example"]})
    bo = add_person("Bo Chen", tier=1)
    log("call", [ana], when=FIXED_NOW - timedelta(days=40), initiated_by="them")
    log("meeting", [ana, bo], when=FIXED_NOW - timedelta(days=12))
    session.commit()

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(page)

    # Today: both are overdue, each with the reason.
    page.goto(live_server + "/")
    page.wait_for_selector(".agenda-item")
    assert page.locator(".agenda-item", has_text="Get in touch with Bo Chen").count() == 1
    shot(page, "1-today", backend)

    # The person page before: strength and next due date.
    page.goto(f"{live_server}/people/{ana.id}")
    before_strength = int(page.get_by_test_id("strength").inner_text())
    before_due = page.get_by_test_id("next-due").inner_text()
    shot(page, "2-person-before", backend)

    # Quick log from the keyboard: press L, type, save.
    page.keyboard.press("l")
    page.wait_for_selector("#quick-log[open]")
    page.fill("#ql-people", "Ana Lima")
    page.select_option("#ql-kind", "coffee")
    page.fill("#ql-note", "talked about the new platform team")
    page.click("#quick-log button[type=submit]")
    page.wait_for_selector("#quick-log-result .ok")
    page.wait_for_load_state("load")
    page.wait_for_function(
        "before => document.querySelector('[data-testid=next-due]').textContent !== before", arg=before_due
    )
    after_strength = int(page.get_by_test_id("strength").inner_text())
    assert after_strength > before_strength
    assert page.get_by_test_id("next-due").inner_text() == (FIXED_NOW.date() + timedelta(days=30)).isoformat()
    assert page.locator(".timeline", has_text="talked about the new platform team").count() == 1
    shot(page, "3-person-after-log", backend)

    # Done in place on Today: Bo's line goes away without a page load.
    page.goto(live_server + "/")
    bo_line = page.locator(".agenda-item", has_text="Get in touch with Bo Chen")
    bo_line.get_by_role("button", name="Done").click()
    page.wait_for_function(
        "() => ![...document.querySelectorAll('ol.agenda .agenda-item')]"
        ".some(e => e.innerText.includes('Get in touch with Bo Chen'))"
    )
    # Nothing is left for today: the week ahead shows instead, Bo due again in a week.
    assert page.locator(".coming", has_text="Get in touch with Bo Chen").count() == 1
    shot(page, "4-today-after-done", backend)

    # The people list and search as you type.
    page.goto(live_server + "/people")
    page.fill("#q", "ana li")
    page.wait_for_function("() => document.querySelectorAll('table.people tbody tr').length === 1")
    shot(page, "5-people-search", backend)

    # Import a vCard, read the report, and merge the duplicate it brought in.
    page.goto(live_server + "/import")
    page.set_input_files("#import-file", str(VCARD))
    page.click("#upload button[type=submit]")
    page.wait_for_selector("[data-testid=import-report]")
    shot(page, "6-import-report", backend)
    page.goto(live_server + "/import")
    row = page.locator("tr.duplicate", has_text="Dana Scully")
    assert row.count() == 1
    row.get_by_role("button", name="Merge").click()
    page.wait_for_selector("text=Merged Dana Scully into Dana Scully")
    assert page.locator("tr.duplicate").count() == 0
    shot(page, "7-after-merge", backend)

    # The network map: tap Ana's node, then her name in the card, and land on her page.
    page.goto(live_server + "/network")
    page.wait_for_function("() => window.tielineNetwork && window.tielineNetwork.nodes().length >= 3")
    shot(page, "8-network", backend)
    page.evaluate(f"() => window.tielineNetwork.getElementById('p{ana.id}').emit('tap')")
    page.click("#network-card-name")
    page.wait_for_url(f"{live_server}/people/{ana.id}")

    page.goto(live_server + "/settings")
    shot(page, "9-settings", backend)

    assert watch.errors == []
    assert watch.foreign == []
    context.close()


def test_pages_fit_a_phone_screen(browser, live_server, add_person, session, backend) -> None:
    add_person("Ana Lima", tier=1, company="A company with a rather long name", title="Head of everything")
    session.commit()
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    watch = Watch(page)
    for path in ("/", "/people", "/people/1", "/import", "/network", "/sync", "/discovered", "/settings"):
        page.goto(live_server + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    shot(page, "10-phone-people", backend)
    assert watch.errors == [] and watch.foreign == []
    context.close()


def test_no_page_asks_anything_of_another_host_nor_breaks_its_policy(
    browser, live_server, add_person, log, session, backend
) -> None:
    # Every page the router serves without an id, a person's page and the API docs, in a real browser:
    # no request leaves 127.0.0.1 and the Content-Security-Policy blocks nothing (a blocked script or
    # style is a console error).
    ana = add_person("Ana Lima", tier=1, company="Acme")
    log("coffee", [ana], when=FIXED_NOW - timedelta(days=3))
    session.commit()
    candidates = sorted(
        route.path for route in app_routes() if "GET" in route.methods and "{" not in route.path
    )
    # Whole pages, not the partials HTMX asks for with parameters, nor JSON and calendar files.
    pages = [
        path
        for path in candidates
        if (answer := httpx.get(live_server + path)).status_code == 200 and "<html" in answer.text
    ]
    assert {"/", "/people", "/network", "/settings", "/api/v1/docs"} <= set(pages)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    for path in [*pages, f"/people/{ana.id}"]:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
    page.goto(live_server + "/api/v1/docs")
    page.wait_for_selector(".opblock")
    shot(page, "11-api-docs", backend)
    assert watch.foreign == []
    assert watch.errors == []
    context.close()
