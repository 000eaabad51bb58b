"""Signing in, in a real browser (Debian's chromium driven by Playwright), on server mode's app:
a wrong password, the lockout after repeated failures, signing in, your own network only, signing out."""

from __future__ import annotations

import pytest

from tests.conftest import FIXED_NOW
from tests.web.test_browser import Watch, shot
from tieline.models import LOCAL_OWNER_ID
from tieline.services import accounts

pytest.importorskip("playwright.sync_api")
PASSWORD = "correct horse battery"


@pytest.fixture
def accounts_made(db, add_person, session):  # type: ignore[no-untyped-def]
    """Ana owns the local network (Carla Diaz in it); Ben has his own, empty one."""
    add_person("Carla Diaz", company="Acme")
    accounts.add_user(session, username="ana", password=PASSWORD, now=FIXED_NOW)
    accounts.add_user(session, username="ben", password=PASSWORD, now=FIXED_NOW)
    session.commit()
    assert accounts.list_users(session)[0].owner_id == LOCAL_OWNER_ID


def fill_and_submit(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#login-username", username)
    page.fill("#login-password", password)
    with page.expect_navigation():
        page.click(".login-form button[type=submit]")


def test_sign_in_wrong_password_lockout_and_sign_out(browser, live_server, accounts_made, backend) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(page)

    # Any page sends a stranger to sign in, and back to it afterwards.
    page.goto(live_server + "/people")
    assert page.url == live_server + "/login?next=%2Fpeople"
    assert page.locator("nav[aria-label=Main]").count() == 0  # nothing of the app before signing in
    shot(page, "sign-in", backend)

    fill_and_submit(page, "ana", "not my password")
    assert page.get_by_role("alert").inner_text() == "Wrong username or password."
    assert page.input_value("#login-username") == "ana" and page.input_value("#login-password") == ""
    shot(page, "sign-in-wrong", backend)

    fill_and_submit(page, "ana", PASSWORD)
    assert page.url == live_server + "/people"
    assert page.locator("text=Carla Diaz").count() >= 1
    cookie = next(c for c in context.cookies() if c["name"] == "tieline_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # The page's own fragments (the discovered badge) land before signing out: one still in flight
    # would come back unsigned-in and send the browser to sign in from the page it is on.
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.click(".sign-out button")
    assert page.url == live_server + "/login"
    page.goto(live_server + "/people")
    assert page.url.startswith(live_server + "/login")  # signed out for good
    assert not [c for c in context.cookies() if c["name"] == "tieline_session"]

    # Ben sees his own network, not Ana's.
    fill_and_submit(page, "ben", PASSWORD)
    page.goto(live_server + "/people")
    assert page.locator("text=Carla Diaz").count() == 0
    with page.expect_navigation():
        page.click(".sign-out button")

    # Five wrong passwords lock the name: the right one is refused until the lockout ends.
    for _ in range(accounts.ACCOUNT_LIMIT):
        fill_and_submit(page, "ana", "guess")
    fill_and_submit(page, "ana", PASSWORD)
    assert "Too many failed sign-ins; try again in 15 minutes." in page.get_by_role("alert").inner_text()
    assert page.url.startswith(live_server + "/login")
    shot(page, "sign-in-locked", backend)
    # The browser notes each refused sign-in's status (401, then 429) as a failed load; nothing else.
    expected = ("status of 401 (Unauthorized)", "status of 429 (Too Many Requests)")
    assert [e for e in watch.errors if not e.endswith(expected)] == []
    assert len(watch.errors) == 1 + accounts.ACCOUNT_LIMIT + 1
    assert watch.foreign == []
    context.close()
