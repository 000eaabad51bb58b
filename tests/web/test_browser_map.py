"""The network map in a real browser (Debian's chromium driven by Playwright): groups drawn as boxes
apart from each other, zoom buttons, the search box centring on a person (one drawn already, and
one the map fetches), a tap showing who someone is; no console error, so the CSP blocked nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import FIXED_NOW
from tests.web.test_browser import ARTIFACTS, Watch

pytest.importorskip("playwright.sync_api")
READY = "() => document.getElementById('network-map').dataset.state === 'ready'"


def _two_teams(add_person, log, session):  # type: ignore[no-untyped-def]
    people = {}
    for company, names in (
        ("Acme", ["Ana", "Abe", "Ada", "Al", "Amy"]),
        ("Globex", ["Eve", "Eli", "Ema", "Eno"]),
    ):
        team = [add_person(f"{n} {company}", company=company, tier=3) for n in names]
        log("meeting", team, when=FIXED_NOW - timedelta(days=20))
        people.update({p.display_name: p for p in team})
    people["Lou Loner"] = add_person("Lou Loner", tier=5)
    log("email", [people["Lou Loner"]], when=FIXED_NOW - timedelta(days=40))
    session.commit()
    return people


def test_the_map_draws_groups_and_the_search_focuses_a_person(
    browser, live_server, add_person, log, session, backend
) -> None:
    people = _two_teams(add_person, log, session)
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(page)
    page.goto(live_server + "/network")
    page.wait_for_function(READY)

    # Two groups, each a box around its members, labelled by their company, no box over another.
    groups = page.evaluate(
        """() => window.tielineNetwork.nodes("[kind = 'group']").map(g => ({
             label: g.data('label'), members: g.children().length, box: g.boundingBox()}))"""
    )
    labelled = {g["label"]: g for g in groups}
    assert labelled["Acme"]["members"] == 5 and labelled["Globex"]["members"] == 4
    boxes = [g["box"] for g in groups]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a["x2"] <= b["x1"] or b["x2"] <= a["x1"] or a["y2"] <= b["y1"] or b["y2"] <= a["y1"]

    # The zoom buttons zoom.
    before = page.evaluate("() => window.tielineNetwork.zoom()")
    page.click("[data-zoom=in]")
    page.wait_for_function("z => window.tielineNetwork.zoom() > z * 1.2", arg=before)

    # Search for someone drawn: the map centres on them and says who they are.
    eve = people["Eve Globex"]
    page.fill("#n-focus", "eve glo")
    page.click("#network-search button[type=submit]")
    page.wait_for_function(f"() => document.getElementById('network-map').dataset.focus === 'p{eve.id}'")
    centred = """id => { const cy = window.tielineNetwork, p = cy.getElementById(id).renderedPosition();
                         return Math.abs(p.x - cy.width() / 2) < 5 && Math.abs(p.y - cy.height() / 2) < 5; }"""
    page.wait_for_function(centred, arg=f"p{eve.id}")
    assert page.locator("#network-card-name").inner_text() == "Eve Globex"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{backend}-map-focus.png"))

    # Search for someone the filter left out: the map fetches them and centres on them.
    page.select_option("#n-tier", "5")
    page.wait_for_function(READY)
    page.fill("#n-focus", "Ana Acme")
    page.click("#network-search button[type=submit]")
    ana = people["Ana Acme"]
    page.wait_for_function(f"() => document.getElementById('network-map').dataset.focus === 'p{ana.id}'")
    page.wait_for_function(centred, arg=f"p{ana.id}")
    assert (
        page.evaluate(f"() => window.tielineNetwork.getElementById('p{ana.id}').data('label')") == "Ana Acme"
    )

    # A tap shows who someone is, with a link to their page.
    lou = people["Lou Loner"]
    page.evaluate(f"() => window.tielineNetwork.getElementById('p{lou.id}').emit('tap')")
    assert page.locator("#network-card-name").inner_text() == "Lou Loner"
    page.click("#network-card-name")
    page.wait_for_url(f"{live_server}/people/{lou.id}")

    assert watch.errors == []
    assert watch.foreign == []
    context.close()
