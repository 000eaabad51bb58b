"""Introductions through a team, in a real browser (Debian's chromium driven by Playwright), on
server mode's app: Ben asks who on the team knows someone at Acme and asks Ana for an introduction
from the answer; Ana accepts it from her Today page and lands in her introductions; Ben sees where
it stands."""

from __future__ import annotations

import pytest

from tests.conftest import FIXED_NOW
from tests.web.test_browser import Watch, shot
from tests.web.test_browser_sign_in import fill_and_submit
from tieline.services import accounts, team_shares
from tieline.services import teams as teams_service

pytest.importorskip("playwright.sync_api")
PASSWORD = "correct horse battery"


@pytest.fixture
def team_made(db, add_person, session):  # type: ignore[no-untyped-def]
    """Ana (the local network, Dana Reyes at Acme in it) and Ben in team Sales; Ana shares all."""
    add_person("Dana Reyes", company="Acme Inc.", title="CTO", notes="dana-private-note")
    ana = accounts.add_user(session, username="ana", password=PASSWORD, now=FIXED_NOW).owner_id
    ben = accounts.add_user(session, username="ben", password=PASSWORD, now=FIXED_NOW).owner_id
    made = teams_service.create(session, owner_id=ana, name="Sales", now=FIXED_NOW)
    token = teams_service.invite(session, owner_id=ana, team="Sales", now=FIXED_NOW).token
    teams_service.join(session, owner_id=ben, token=token, now=FIXED_NOW)
    rule = team_shares.rule_from(session, owner_id=ana, kind="all", value=None)
    team_shares.share(session, team_id=made.id, owner_id=ana, rule=rule, now=FIXED_NOW)
    session.commit()
    return made.id


def test_asking_for_an_introduction_and_accepting_it_from_today(  # type: ignore[no-untyped-def]
    browser, live_server, team_made, backend
) -> None:
    bens = browser.new_context(viewport={"width": 1200, "height": 900})
    page = bens.new_page()
    watch = Watch(page)
    page.goto(f"{live_server}/teams/{team_made}")
    fill_and_submit(page, "ben", PASSWORD)
    assert page.url == f"{live_server}/teams/{team_made}"

    page.fill("#team-ask-organisation", "acme")
    page.click("#team-ask-org button[type=submit]")
    row = page.locator('#team-who-result tr[data-knower="ana"]')
    row.wait_for()
    assert "Dana Reyes" in row.inner_text() and "dana-private-note" not in page.content()
    row.locator("input[name=why]").fill("we pitch Acme's platform team next month")
    row.get_by_role("button", name="Ask ana for an introduction").click()
    page.locator("#team-requests .ok").wait_for()
    assert "Asked ana to introduce you to Dana Reyes" in page.locator("#team-requests .ok").inner_text()
    assert page.locator('#team-asked tr[data-state="asked"]').count() == 1
    shot(page, "team-asked", backend)

    anas = browser.new_context(viewport={"width": 1200, "height": 900})
    her = anas.new_page()
    her_watch = Watch(her)
    her.goto(f"{live_server}/")
    fill_and_submit(her, "ana", PASSWORD)
    line = her.locator("li.kind-team_request")
    assert "ben asks you for an introduction to Dana Reyes" in line.inner_text()
    assert "we pitch Acme's platform team next month" in line.inner_text()
    shot(her, "today-team-request", backend)
    with her.expect_navigation():
        line.get_by_role("button", name="Accept the introduction").click()
    assert her.url == f"{live_server}/introductions"
    assert "Dana Reyes" in her.content() and "we pitch Acme" in her.content()
    her.goto(f"{live_server}/")
    assert her.locator("li.kind-team_request").count() == 0

    page.reload()
    state = page.locator("#team-asked tr").nth(1).inner_text()
    assert "accepted, introduction proposed" in state
    assert watch.errors == [] and watch.foreign == []
    assert her_watch.errors == [] and her_watch.foreign == []
