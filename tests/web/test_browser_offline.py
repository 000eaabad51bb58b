"""On the phone, in a real browser (Debian's chromium driven by Playwright) at a phone's size: the
service worker takes the app, a page seen once reads offline, a coffee logged offline waits on the
phone and is sent once back online (two open tabs sending it at once still log it once), and Today,
a person and search fit the screen with tap targets a finger can hit."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.web.test_browser import Watch, shot
from tieline.models import LOCAL_OWNER_ID
from tieline.repo import interactions as interactions_repo

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
SIDEWAYS = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def test_a_coffee_logged_offline_waits_on_the_phone_and_is_sent_once(
    browser, live_server, add_person, session, backend
) -> None:
    ana = add_person("Ana Lima", tier=2, company="Acme", title="CTO")
    session.commit()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    watch = Watch(page)
    person = f"{live_server}/people/{ana.id}"

    # The worker installs and takes the page; a reload through it keeps the page for offline.
    page.goto(person)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    page.reload()
    page.wait_for_function(
        "async () => (await (await caches.open('tieline-pages-v1')).keys()).some(r => r.url.endsWith(location.pathname))"
    )
    today = context.new_page()  # a second tab, on Today: it sends what waits too
    today.goto(live_server + "/")
    assert watch.errors == [] and watch.foreign == []

    # Offline: the person's page still opens (the copy kept on the phone).
    context.set_offline(True)
    kept = page.reload()
    assert kept is not None and kept.from_service_worker
    assert page.locator("h1", has_text="Ana Lima").count() == 1
    assert page.evaluate("() => navigator.onLine") is False

    # A coffee through the quick log: kept on the phone, and the page says so.
    page.get_by_role("button", name="+ Log").click()
    page.wait_for_selector("#quick-log[open]")
    page.fill("#ql-people", "Ana Lima")
    page.select_option("#ql-kind", "coffee")
    page.fill("#ql-note", "flat white at the station")
    page.click("#quick-log button[type=submit]")
    waiting = page.locator("#quick-log-result .waiting")
    waiting.wait_for()
    assert waiting.inner_text() == "Saved on this phone, will send when online (1 waiting)."
    assert (
        page.locator("#offline-queue").inner_text()
        == "Saved on this phone, will send when online (1 waiting)."
    )
    queued = page.evaluate("() => JSON.parse(localStorage.getItem('tieline.quick-log.queue'))")
    assert len(queued) == 1 and len(queued[0]["key"]) == 36 and ["kind", "coffee"] in queued[0]["fields"]
    assert all(name != "csrf_token" for name, _ in queued[0]["fields"])
    # The next entry gets another key.
    assert page.input_value("#quick-log input[name=idempotency_key]") not in ("", queued[0]["key"])
    page.get_by_role("button", name="Close").click()
    # The person page's own log form waits the same way, behind the first.
    page.select_option("#lh-kind", "call")
    page.fill("#lh-note", "called back about the offsite")
    page.locator(".log-here button[type=submit]").click()
    page.locator("#log-here-result .waiting", has_text="(2 waiting)").wait_for()
    session.rollback()
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 0
    shot(page, "12-phone-offline-waiting", backend)

    # Back online: both tabs send what waits; the person's page shows the coffee once.
    context.set_offline(False)
    page.wait_for_function("() => localStorage.getItem('tieline.quick-log.queue') === null", timeout=15_000)
    page.wait_for_selector(".timeline li:has-text('flat white at the station')", timeout=15_000)
    page.wait_for_load_state("load")
    assert page.locator(".timeline li", has_text="flat white at the station").count() == 1
    # In the order they were typed: the call, typed last, is the newest.
    assert page.locator(".timeline li").first.inner_text().count("called back about the offsite") == 1
    assert page.locator(".timeline li", has_text="called back about the offsite").count() == 1
    assert page.locator("#offline-queue").is_hidden()
    session.rollback()
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 2
    shot(page, "13-phone-sent", backend)
    context.close()


def test_a_send_whose_answer_was_lost_is_sent_again_and_logged_once(
    browser, live_server, add_person, session
) -> None:
    # The quick log reaches the server, which logs it, but the answer never comes back (the phone
    # lost the network on the way): the entry waits with its key, is sent again on the next page, and
    # the server answers as the first time without logging it twice.
    ana = add_person("Ana Lima")
    session.commit()
    context = browser.new_context(**PHONE, service_workers="block")
    page = context.new_page()
    page.goto(f"{live_server}/people/{ana.id}")
    reached: list[int] = []

    def lose_the_answer(route) -> None:  # type: ignore[no-untyped-def]
        reached.append(route.fetch().status)  # the server gets it and answers...
        route.abort("connectionreset")  # ...and the browser never hears back

    page.route("**/log", lose_the_answer)
    page.get_by_role("button", name="+ Log").click()
    page.fill("#ql-people", "Ana Lima")
    page.fill("#ql-note", "the answer got lost")
    page.click("#quick-log button[type=submit]")
    page.locator("#quick-log-result .waiting").wait_for()
    assert reached == [200]
    session.rollback()
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 1
    page.unroute("**/log")
    page.reload()  # each page load sends what waits
    page.wait_for_function("() => localStorage.getItem('tieline.quick-log.queue') === null", timeout=15_000)
    page.wait_for_selector(".timeline li:has-text('the answer got lost')")
    page.wait_for_load_state("load")
    assert page.locator(".timeline li", has_text="the answer got lost").count() == 1
    session.rollback()
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 1
    context.close()


def test_signing_out_deletes_the_pages_kept_on_the_phone(browser, live_server, add_person, session) -> None:
    # The sign-out form is server mode's (not shown in local mode): a form asking the same of pwa.js.
    ana = add_person("Ana Lima")
    session.commit()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server}/people/{ana.id}")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=15_000)
    page.reload()
    kept = "async () => (await (await caches.open('tieline-pages-v1')).keys()).length"
    page.wait_for_function(f"async () => ({kept})() > 0")
    page.evaluate(
        """() => {
        const form = document.createElement('form');
        form.method = 'get'; form.action = '/people'; form.setAttribute('data-clears-offline', '');
        const button = document.createElement('button'); button.type = 'submit'; button.textContent = 'Sign out';
        form.appendChild(button); document.body.appendChild(form);
        localStorage.setItem('tieline.quick-log.queue', '[]');
    }"""
    )
    page.click("text=Sign out")
    page.wait_for_url(lambda url: urlparse(url).path == "/people")
    # Nothing of the last pages is left but what this very navigation kept.
    urls = page.evaluate(
        "async () => (await (await caches.open('tieline-pages-v1')).keys()).map(r => new URL(r.url).pathname)"
    )
    assert f"/people/{ana.id}" not in urls
    assert page.evaluate("() => localStorage.getItem('tieline.quick-log.queue')") is None
    context.close()


def test_today_a_person_and_search_fit_a_phone_with_big_enough_tap_targets(
    browser, live_server, add_person, log, session
) -> None:
    ana = add_person(
        "Ana Lima-Fernández de la Torre",
        tier=1,
        company="An organisation with a rather long name indeed",
        title="Head of platform engineering",
        lists={"emails": ["ana.lima.fernandez.de.la.torre@a-long-domain-name.example"], "tags": ["founders"]},
    )
    bo = add_person("Bo Chen", tier=2)
    log("coffee", [ana, bo], notes="a_very_long_unbroken_word_" * 6)
    session.commit()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    watch = Watch(page)
    small = """() => [...document.querySelectorAll(
        '.top nav a, .top button, main button, #quick-log[open] button, #quick-log[open] input:not([type=hidden]),'
        + ' #quick-log[open] select, .log-here input, .log-here select, .filters input, .filters select')]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)"""
    for path in ("/", f"/people/{ana.id}", "/people?q=ana", "/people?q=unbroken"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(SIDEWAYS) <= 0, f"{path} scrolls sideways on a phone"
        assert page.evaluate(small) == [], path
        # The nav is one line (it scrolls itself), not a block of links above the page.
        assert page.locator(".top nav").bounding_box()["height"] <= 50, path
    page.get_by_role("button", name="+ Log").click()
    page.wait_for_selector("#quick-log[open]")
    assert page.evaluate(small) == []
    box = page.locator("#quick-log").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate(SIDEWAYS) <= 0
    assert watch.errors == [] and watch.foreign == []
    context.close()


def test_the_desktop_keeps_its_look(browser, live_server, add_person, session) -> None:
    add_person("Ana Lima")
    session.commit()
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/")
    # The nav's links in one wrapping row beside the brand, buttons their usual size.
    nav = page.locator(".top nav")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.top nav')).overflowX") == "visible"
    assert nav.bounding_box()["x"] > page.locator(".brand").bounding_box()["x"]
    assert page.locator(".quick-log-open").bounding_box()["height"] < 44
    context.close()
