"""The Introductions, Opportunities and Goals pages: each lists what its service holds, each form
changes it and shows the change in place, bad input says why and writes nothing, user text stays
inert; and the three pages in a real browser (console clean, nothing fetched beyond 127.0.0.1)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.analytics.helpers import person as person_with_strength
from tests.conftest import FIXED_NOW
from tieline.models import LOCAL_OWNER_ID, Knows
from tieline.services import events as events_service
from tieline.services import goals as goals_service
from tieline.services import introductions as introductions_service
from tieline.services import opportunities as opportunities_service
from tieline.services import organisations as organisations_service
from tieline.services.opportunities import Origin

TODAY = FIXED_NOW.date()
OWNER = LOCAL_OWNER_ID
SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>x</b>"


def reread(session: Session) -> None:
    """End the test's own transaction and forget what it loaded, to see what the app committed."""
    session.rollback()
    session.expire_all()


def assert_inert(html: str, *texts: str) -> None:
    """None of `texts` appears as markup; each appears escaped."""
    for text in texts:
        assert text not in html
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in html, f"{escaped!r} missing"


def section(html: str, element_id: str) -> str:
    """The HTML from the element with this id to the end of the document (to look at one part)."""
    start = html.index(f'id="{element_id}"')
    return html[start:]


# Introductions


@pytest.fixture
def trio(add_person, session):  # type: ignore[no-untyped-def]
    ana = add_person("Ana Lima")
    bo = add_person("Bo Chen")
    cy = add_person("Cy Diaz")
    session.commit()
    return ana, bo, cy


def test_introductions_page_groups_them_by_state_with_why_and_dates(client, trio, session) -> None:
    ana, bo, cy = trio
    open_one = introductions_service.propose(
        session, owner_id=OWNER, a=ana, b=bo, why="both build trail maps", now=FIXED_NOW - timedelta(days=9)
    )
    introductions_service.ask_a(session, open_one, now=FIXED_NOW - timedelta(days=8))
    made = introductions_service.propose(session, owner_id=OWNER, a=bo, b=cy, why="hiring", now=FIXED_NOW)
    introductions_service.ask_a(session, made, now=FIXED_NOW)
    introductions_service.ask_b(session, made, now=FIXED_NOW)
    introductions_service.make(session, owner_id=OWNER, intro=made, now=FIXED_NOW)
    introductions_service.record_outcome(session, made, "they hired her", now=FIXED_NOW)
    session.commit()

    page = client.get("/introductions")
    assert page.status_code == 200
    text = page.text
    assert 'aria-current="page">Introductions<' in text
    asked = section(text, "intro-state-asked_a")
    assert 'Asked A <span class="count">(1)</span>' in asked
    assert "both build trail maps" in asked and "asked Ana Lima 02 Mar 2026" in asked
    assert "Ana Lima agreed: asked Bo Chen</button>" in asked
    made_part = section(text, "intro-state-made")
    assert "Led to: they hired her" in made_part and "introduced 10 Mar 2026" in made_part
    assert text.index("intro-state-asked_a") < text.index("intro-state-made")
    assert "intro-state-proposed" not in text  # no empty groups
    # The suggestions are not computed with the page: they load after it.
    assert 'hx-get="/introductions/suggested" hx-trigger="load' in text


def test_proposing_an_introduction_adds_it_under_proposed(client, trio, session) -> None:
    response = client.form("/introductions", {"a": "ana", "b": "Bo Chen", "why": "climbing", "reset": "1"})
    assert response.status_code == 200, response.text
    assert "Proposed introduction #1 of Ana Lima and Bo Chen." in response.text
    assert response.headers["HX-Trigger"] == "intros-changed"
    lists = section(response.text, "intro-lists")
    assert 'hx-swap-oob="innerHTML"' in lists and "climbing" in section(lists, "intro-state-proposed")
    assert 'id="intro-form"' in response.text  # a blank form replaces the filled one
    reread(session)
    [(intro, a, b)] = introductions_service.listing(session, owner_id=OWNER)
    assert (intro.state, a, b, intro.why) == ("proposed", "Ana Lima", "Bo Chen", "climbing")


def test_an_introduction_moves_through_each_step_to_its_outcome(client, trio, session) -> None:
    ana, bo, _ = trio
    intro = introductions_service.propose(session, owner_id=OWNER, a=ana, b=bo, why="design", now=FIXED_NOW)
    session.commit()
    steps = [
        ("ask-a", {}, "asked A", "asked_a"),
        ("ask-b", {}, "asked B", "asked_b"),
        ("made", {}, "made (a favour given to each", "made"),
        ("outcome", {"text": "they started a studio"}, "outcome saved", "made"),
    ]
    for step, data, said, state in steps:
        response = client.form(f"/introductions/{intro.id}/{step}", data)
        assert response.status_code == 200, response.text
        assert f"Introduction #{intro.id} of Ana Lima and Bo Chen: {said}" in response.text
        assert f'data-state="{state}"' in response.text
        reread(session)
        assert introductions_service.get(session, owner_id=OWNER, introduction_id=intro.id).state == state
    assert "Led to: they started a studio" in client.get("/introductions").text
    assert session.query(Knows).count() == 1  # making it linked them


def test_an_introduction_is_declined_by_whoever_said_no_or_dropped(client, trio, session) -> None:
    ana, bo, cy = trio
    asked = introductions_service.propose(session, owner_id=OWNER, a=ana, b=bo, why="x", now=FIXED_NOW)
    introductions_service.ask_a(session, asked, now=FIXED_NOW)
    idea = introductions_service.propose(session, owner_id=OWNER, a=bo, b=cy, why="y", now=FIXED_NOW)
    session.commit()
    assert client.form(f"/introductions/{asked.id}/declined", {"by": "a"}).status_code == 200
    response = client.form(f"/introductions/{idea.id}/declined", {"by": ""})
    assert f"#{idea.id} of Bo Chen and Cy Diaz: dropped." in response.text
    declined = section(response.text, "intro-state-declined")
    assert "Ana Lima said no 10 Mar 2026" in declined and "dropped 10 Mar 2026" in declined
    reread(session)
    assert asked.declined_by == ana.id and idea.declined_by is None


BAD_PROPOSALS = [
    ({"a": "Nobody Here", "b": "Bo Chen", "why": "x"}, 404, "no person matches &#39;Nobody Here&#39;"),
    ({"a": "Ana Lima", "b": "", "why": "x"}, 422, "name both people"),
    ({"a": "Ana Lima", "b": "Bo Chen", "why": "  "}, 422, "say why they should meet"),
    ({"a": "Ana Lima", "b": "ana lima", "why": "x"}, 422, "cannot introduce Ana Lima to themselves"),
    (
        {"a": "Bo Chen", "b": "Ana Lima", "why": "x"},
        422,
        "introduction #1 of Bo Chen and Ana Lima is already",
    ),
]


@pytest.mark.parametrize(("data", "status", "said"), BAD_PROPOSALS)
def test_a_bad_proposal_says_why_and_writes_nothing(
    client, trio, session, snapshot, data, status, said
) -> None:
    ana, bo, _ = trio
    introductions_service.propose(session, owner_id=OWNER, a=ana, b=bo, why="already", now=FIXED_NOW)
    session.commit()
    before = snapshot()
    response = client.form("/introductions", data)
    assert response.status_code == status
    assert said in response.text and 'role="alert"' in response.text
    assert snapshot() == before


def test_a_step_out_of_order_or_on_no_introduction_says_why_and_writes_nothing(
    client, trio, session, snapshot
) -> None:
    ana, bo, _ = trio
    intro = introductions_service.propose(session, owner_id=OWNER, a=ana, b=bo, why="x", now=FIXED_NOW)
    session.commit()
    before = snapshot()
    early = client.form(f"/introductions/{intro.id}/made", {})
    assert early.status_code == 422
    assert f"cannot mark introduction #{intro.id} as made: it is proposed" in early.text
    not_asked = client.form(f"/introductions/{intro.id}/declined", {"by": "b"})
    assert not_asked.status_code == 422 and "Bo Chen has not been asked yet" in not_asked.text
    assert client.form(f"/introductions/{intro.id}/outcome", {"text": "x"}).status_code == 422
    assert client.form("/introductions/999/ask-a", {}).status_code == 404
    assert client.form("/introductions/0/ask-a", {}).status_code == 422
    assert client.form(f"/introductions/{10**30}/ask-a", {}).status_code == 422
    assert snapshot() == before


def test_suggested_introductions_load_after_the_page_and_can_be_proposed(client, add_person, session) -> None:
    fay = person_with_strength(session, add_person, "Fay Founder", 70, lists={"needs": ["fundraising"]})
    ivo = person_with_strength(session, add_person, "Ivo Investor", 70, lists={"expertise": ["fundraising"]})
    session.commit()
    suggested = client.get("/introductions/suggested", headers={"HX-Request": "true"}).text
    assert "Fay Founder needs fundraising; Ivo Investor offers fundraising" in suggested
    ids = {int(n) for n in re.findall(r'name="[ab]" value="#(\d+)"', suggested)}
    assert ids == {fay.id, ivo.id}
    why = re.search(r'name="why" value="([^"]*)"', suggested)
    assert why is not None
    a, b = re.findall(r'name="[ab]" value="(#\d+)"', suggested)
    response = client.form("/introductions", {"a": a, "b": b, "why": why.group(1)})
    assert response.status_code == 200 and "Proposed introduction #1" in response.text
    assert 'id="intro-form"' not in response.text  # the main form, untouched, is not sent back
    again = client.get("/introductions/suggested", headers={"HX-Request": "true"}).text
    assert "Fay Founder" not in again and "No pairs to suggest" in again


def test_the_draft_for_an_introductions_next_step_greets_the_right_person(
    client, add_person, session
) -> None:
    ana = add_person("Ana Lima", lists={"emails": ["ana@example.org"]})
    bo = add_person("Bo Chen")
    intro = introductions_service.propose(session, owner_id=OWNER, a=ana, b=bo, why="maps", now=FIXED_NOW)
    session.commit()
    draft = client.get(f"/introductions/{intro.id}/draft", headers={"HX-Request": "true"})
    assert draft.status_code == 200 and "ana@example.org" in draft.text and "Bo Chen" in draft.text


def test_the_name_fields_offer_the_people_matching_what_is_typed(client, trio) -> None:
    a = client.get("/introductions/names", params={"a": "ana"}).text
    assert '<option value="Ana Lima">' in a and "Bo Chen" not in a
    assert '<option value="Bo Chen">' in client.get("/introductions/names", params={"b": "bo"}).text
    assert '<option value="Cy Diaz">' in client.get("/opportunities/names", params={"via": "diaz"}).text
    assert "<option" not in client.get("/introductions/names").text


def test_a_form_posted_without_scripts_gets_the_whole_page_back(client, trio, session) -> None:
    token = client.csrf()
    response = client.post(
        "/introductions", data={"a": "Ana Lima", "b": "Bo Chen", "why": "maps", "csrf_token": token}
    )
    assert response.status_code == 200
    assert "<h1>Introductions</h1>" in response.text and "Proposed introduction #1" in response.text


def test_a_proposal_without_the_csrf_token_is_refused(client, trio, session, snapshot) -> None:
    client.get("/introductions")
    before = snapshot()
    response = client.post("/introductions", data={"a": "Ana Lima", "b": "Bo Chen", "why": "maps"})
    assert response.status_code == 403
    assert snapshot() == before


# Opportunities


@pytest.fixture
def origins(add_person, session):  # type: ignore[no-untyped-def]
    ana = add_person("Ana Lima")
    bo = add_person("Bo Chen")
    acme = organisations_service.add_organisation(session, owner_id=OWNER, name="Acme")
    conf = events_service.add_event(
        session, owner_id=OWNER, name="PyCon Lisbon", starts_on=TODAY - timedelta(30)
    )
    intro = introductions_service.propose(session, owner_id=OWNER, a=ana, b=bo, why="x", now=FIXED_NOW)
    session.commit()
    return ana, bo, acme, conf, intro


def test_opportunities_page_groups_them_by_stage_with_origin_and_due_date(client, origins, session) -> None:
    ana, bo, acme, conf, intro = origins
    add = opportunities_service.add_opportunity
    add(session, owner_id=OWNER, title="Staff engineer", origin=Origin(person=ana, organisation=acme),
        spotted_on=TODAY - timedelta(5), due_on=TODAY + timedelta(4), stage="applied")  # fmt: skip
    add(session, owner_id=OWNER, title="Keynote", kind="speaking", origin=Origin(event=conf),
        spotted_on=TODAY - timedelta(20), due_on=TODAY - timedelta(2))  # fmt: skip
    add(session, owner_id=OWNER, title="Studio", kind="partnership", origin=Origin(introduction=intro),
        spotted_on=TODAY - timedelta(20), stage="won")  # fmt: skip
    session.commit()

    text = client.get("/opportunities").text
    applied = section(text, "opp-stage-applied")
    assert (
        "Staff engineer" in applied and f'through <a href="/people/{ana.id}">Ana Lima</a>, at Acme' in applied
    )
    assert "due 2026-03-14 (in 4 days)" in applied
    spotted = section(text, "opp-stage-spotted")
    assert "met at PyCon Lisbon" in spotted and "due 2026-03-08 (passed)" in spotted
    won = section(text, "opp-stage-won")
    assert f'through <a href="/people/{bo.id}">Bo Chen</a>, after introduction #{intro.id}' in won
    order = [text.index(f"opp-stage-{s}") for s in ("spotted", "applied", "won")]
    assert order == sorted(order)
    assert "opp-stage-lost" not in text


def test_adding_an_opportunity_shows_it_with_where_it_came_from(client, origins, session) -> None:
    intro = origins[-1]
    data = {
        "title": "Head of data", "kind": "job", "stage": "exploring", "via": "ana", "organisation": "acme",
        "event": "PyCon", "introduction": str(intro.id), "spotted": "yesterday", "due": "in 2 weeks",
        "notes": "ask about remote", "reset": "1",
    }  # fmt: skip
    response = client.form("/opportunities", data)
    assert response.status_code == 200, response.text
    assert "Added opportunity #1: Head of data (job, exploring)." in response.text
    exploring = section(response.text, "opp-stage-exploring")
    assert "Head of data" in exploring and "due 2026-03-24 (in 14 days)" in exploring
    reread(session)
    [(item, person, org, event)] = opportunities_service.listing(session, owner_id=OWNER)
    assert (person, org, event, item.introduction_id) == ("Ana Lima", "Acme", "PyCon Lisbon", intro.id)
    assert (item.spotted_on, item.notes) == (TODAY - timedelta(1), "ask about remote")


def test_moving_an_opportunity_puts_it_under_its_new_stage(client, origins, session) -> None:
    item = opportunities_service.add_opportunity(session, owner_id=OWNER, title="Talk", spotted_on=TODAY)
    session.commit()
    response = client.form(f"/opportunities/{item.id}/move", {"stage": "won"})
    assert response.status_code == 200 and f"#{item.id} Talk: spotted → won." in response.text
    assert "Talk" in section(response.text, "opp-stage-won")
    reopened = client.form(f"/opportunities/{item.id}/move", {"stage": "exploring"})
    assert "won → exploring; reopened: it was won on 2026-03-10." in reopened.text
    same = client.form(f"/opportunities/{item.id}/move", {"stage": "exploring"})
    assert "already exploring since 2026-03-10; nothing changed" in same.text
    reread(session)
    assert opportunities_service.get(session, owner_id=OWNER, opportunity_id=item.id).stage == "exploring"


BAD_OPPORTUNITIES = [
    ({"title": "  "}, 422, "give the opportunity a title"),
    ({"title": "Job", "kind": "bribe"}, 422, "unknown opportunity kind &#39;bribe&#39;"),
    ({"title": "Job", "stage": "dreaming"}, 422, "unknown stage &#39;dreaming&#39;"),
    ({"title": "Job", "due": "someday"}, 422, "cannot read due &#39;someday&#39;"),
    ({"title": "Job", "via": "Nobody Here"}, 404, "no person matches"),
    ({"title": "Job", "event": "Nowhere Fest"}, 404, "no event matches"),
    ({"title": "Job", "introduction": "abc"}, 422, "an introduction is named by its number"),
    ({"title": "Job", "introduction": "99"}, 404, "no introduction #99"),
]


@pytest.mark.parametrize(("data", "status", "said"), BAD_OPPORTUNITIES)
def test_a_bad_opportunity_says_why_and_writes_nothing(client, origins, snapshot, data, status, said) -> None:
    before = snapshot()
    response = client.form("/opportunities", data)
    assert response.status_code == status
    assert said in response.text and 'role="alert"' in response.text
    assert snapshot() == before


def test_a_bad_move_says_why_and_writes_nothing(client, origins, session, snapshot) -> None:
    item = opportunities_service.add_opportunity(session, owner_id=OWNER, title="Talk", spotted_on=TODAY)
    session.commit()
    before = snapshot()
    wrong = client.form(f"/opportunities/{item.id}/move", {"stage": "dreaming"})
    assert wrong.status_code == 422 and "unknown stage" in wrong.text
    assert client.form(f"/opportunities/{item.id}/move", {"stage": ""}).status_code == 422
    assert client.form("/opportunities/999/move", {"stage": "won"}).status_code == 404
    assert snapshot() == before


# Goals


def test_goals_page_shows_each_goals_progress_as_the_service_measures_it(client, add_person, session) -> None:
    for name in ("Ana Lima", "Bo Chen"):
        add_person(name, tier=1, met_on=TODAY - timedelta(days=3))
    add = goals_service.add_goal
    add(session, owner_id=OWNER, kind="meet_people", target=5, starts_on=date(2026, 1, 1),
        ends_on=date(2026, 3, 31), label="Widen the circle")  # fmt: skip
    add(session, owner_id=OWNER, kind="tier_on_cadence", target=80, starts_on=TODAY)
    add(session, owner_id=OWNER, kind="attend_events", target=2, starts_on=date(2026, 3, 1), per="month")
    session.commit()

    text = client.get("/goals").text
    assert 'aria-current="page">Goals<' in text
    for goal in goals_service.all_progress(session, owner_id=OWNER, today=TODAY):
        card = section(text, f"goal-{goal.goal.id}")
        m = goal.current
        assert f'<progress value="{min(m.value, m.target)}" max="{m.target}"' in card
        assert f">{m.pace}</span>" in card and f"{goal.days_left} days left" in card
    meet = section(text, "goal-1")
    assert "Widen the circle" in meet and "meet 5 new people by 2026-03-31" in meet
    assert "So far: 2 of 5 people" in meet
    assert 'href="/people/' in meet  # the people it counted, linked
    assert "% on cadence (target 80%)" in section(text, "goal-2")
    assert "This period: 0 of 2 events" in section(text, "goal-3") and "Since 2026-03-01" in section(
        text, "goal-3"
    )


def test_setting_a_goal_shows_it_with_its_progress(client, add_person, session) -> None:
    add_person("Ana Lima", lists={"tags": ["climbing"]}, met_on=TODAY)
    add_person("Bo Chen", met_on=TODAY)  # not tagged: does not count
    session.commit()
    data = {"kind": "meet_people", "target": "3", "by": "month", "tag": "climbing", "label": "", "reset": "1"}
    response = client.form("/goals", data)
    assert response.status_code == 200, response.text
    assert "Set goal #1: meet 3 new people tagged climbing by 2026-03-31." in response.text
    assert "So far: 1 of 3 people" in section(response.text, "goal-list")
    reread(session)
    [goal] = goals_service.all_progress(session, owner_id=OWNER, today=TODAY)
    assert (goal.goal.kind, goal.goal.target, goal.goal.scope) == ("meet_people", 3, {"tag": "climbing"})
    assert (goal.goal.starts_on, goal.goal.ends_on) == (TODAY, date(2026, 3, 31))


def test_a_rate_goal_runs_a_year_from_the_start(client, session) -> None:
    response = client.form(
        "/goals", {"kind": "attend-events", "target": "1", "per": "month", "start": "month"}
    )
    assert response.status_code == 200, response.text
    reread(session)
    [goal] = goals_service.all_progress(session, owner_id=OWNER, today=TODAY)
    assert (goal.goal.per_days, goal.goal.starts_on) == (30, date(2026, 3, 1))
    assert goal.goal.ends_on == date(2027, 2, 28)


def test_removing_a_goal_takes_it_off_the_page(client, session) -> None:
    goal = goals_service.add_goal(
        session,
        owner_id=OWNER,
        kind="make_introductions",
        target=2,
        starts_on=TODAY,
        ends_on=date(2026, 6, 30),
    )
    session.commit()
    response = client.form(f"/goals/{goal.id}/remove", {})
    assert response.status_code == 200
    assert f"Removed goal #{goal.id}: make 2 introductions by 2026-06-30." in response.text
    assert "No goals yet" in section(response.text, "goal-list")
    reread(session)
    assert goals_service.all_progress(session, owner_id=OWNER, today=TODAY) == []


BAD_GOALS = [
    ({"kind": "meet_people", "target": "lots", "by": "month"}, "target: type a whole number"),
    ({"kind": "meet_people", "target": "0", "by": "month"}, "must be more than 0"),
    ({"kind": "meet_people", "target": "3"}, "say by when"),
    ({"kind": "world_peace", "target": "3", "by": "month"}, "unknown goal kind &#39;world_peace&#39;"),
    ({"kind": "meet_people", "target": "3", "by": "2026-01-01"}, "before it starts"),
    ({"kind": "meet_people", "target": "3", "by": "someday"}, "cannot read by &#39;someday&#39;"),
    ({"kind": "meet_people", "target": "3", "per": "fortnight"}, "not &#39;fortnight&#39;"),
    ({"kind": "attend_events", "target": "3", "by": "month", "tier": "2"}, "only applies to tier_on_cadence"),
    ({"kind": "tier_on_cadence", "target": "120"}, "at most 100"),
]


@pytest.mark.parametrize(("data", "said"), BAD_GOALS)
def test_a_bad_goal_says_why_and_writes_nothing(client, snapshot, data, said) -> None:
    before = snapshot()
    response = client.form("/goals", data)
    assert response.status_code == 422
    assert said in response.text and 'role="alert"' in response.text
    assert snapshot() == before


def test_removing_no_goal_says_so(client, snapshot) -> None:
    before = snapshot()
    assert client.form("/goals/42/remove", {}).status_code == 404
    assert client.form("/goals/0/remove", {}).status_code == 422
    assert snapshot() == before


# User text stays inert


def test_free_text_renders_inert_on_the_pages_and_in_the_answers(client, add_person, session) -> None:
    eve = person_with_strength(session, add_person, f"Eve {SCRIPT}", 70, lists={"needs": [f"funding {BOLD}"]})
    person_with_strength(session, add_person, f"Max {BOLD}", 70, lists={"expertise": [f"funding {BOLD}"]})
    session.commit()
    # A suggestion quotes names and what people need and offer.
    assert_inert(client.get("/introductions/suggested").text, SCRIPT, BOLD)
    proposed = client.form("/introductions", {"a": f"#{eve.id}", "b": "Max", "why": SCRIPT + BOLD})
    assert proposed.status_code == 200, proposed.text
    assert_inert(proposed.text, SCRIPT, BOLD)
    intro_id = int(re.search(r"Proposed introduction #(\d+)", proposed.text).group(1))  # type: ignore[union-attr]
    for step in ("ask-a", "ask-b", "made"):
        assert client.form(f"/introductions/{intro_id}/{step}", {}).status_code == 200
    outcome = client.form(f"/introductions/{intro_id}/outcome", {"text": f"{SCRIPT} {BOLD}"})
    assert_inert(outcome.text, SCRIPT, BOLD)
    opportunity = client.form(
        "/opportunities", {"title": f"{SCRIPT}{BOLD}", "notes": f"{BOLD}{SCRIPT}", "via": f"#{eve.id}"}
    )
    assert_inert(opportunity.text, SCRIPT, BOLD)
    goal = client.form(
        "/goals", {"kind": "meet_people", "target": "2", "by": "month", "label": SCRIPT + BOLD}
    )
    assert_inert(goal.text, SCRIPT, BOLD)
    for url in ("/introductions", "/opportunities", "/goals"):
        assert_inert(client.get(url).text, SCRIPT, BOLD)


def test_error_messages_render_what_was_typed_inert(client, snapshot) -> None:
    response = client.form("/introductions", {"a": SCRIPT, "b": BOLD, "why": "x"})
    assert response.status_code == 404
    assert "<script>alert" not in response.text and "&lt;script&gt;" in response.text
    goal = client.form("/goals", {"kind": BOLD, "target": "1", "by": "month"})
    assert goal.status_code == 422 and BOLD not in goal.text


# In a real browser


def test_the_three_pages_in_a_browser(browser, live_server, add_person, session, backend) -> None:
    from tests.web.test_browser import Watch, shot  # skips when Playwright is missing

    fay = person_with_strength(session, add_person, "Fay Founder", 70, lists={"needs": ["Fundraising"]})
    person_with_strength(session, add_person, "Ivo Investor", 70, lists={"expertise": ["fundraising"]})
    person_with_strength(session, add_person, "Nia Need", 40, lists={"needs": ["legal advice"]})
    person_with_strength(session, add_person, "Leo Lawyer", 40, lists={"expertise": ["legal advice"]})
    ana = add_person("Ana Lima")
    intro = introductions_service.propose(session, owner_id=OWNER, a=ana, b=fay, why="design", now=FIXED_NOW)
    introductions_service.ask_a(session, intro, now=FIXED_NOW)
    opportunities_service.add_opportunity(
        session, owner_id=OWNER, title="Staff engineer at Acme", origin=Origin(person=ana), spotted_on=TODAY,
        due_on=TODAY + timedelta(days=6),
    )  # fmt: skip
    goals_service.add_goal(
        session, owner_id=OWNER, kind="meet_people", target=5, starts_on=TODAY, per="month"
    )
    session.commit()

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(page)

    # Introductions: the suggestions arrive after the page; proposing one moves it into the list.
    page.goto(live_server + "/introductions")
    suggestion = page.locator("#intro-suggestions .suggestion", has_text="Ivo Investor")
    suggestion.wait_for()
    assert page.locator("#intro-suggestions .suggestion").count() == 2
    suggestion.get_by_role("button", name="Propose").click()
    page.locator("#intro-status .ok").wait_for()
    proposed = page.locator("#intro-lists [data-state=proposed]")
    assert proposed.count() == 1 and "Ivo Investor" in proposed.inner_text()
    # The suggestions reload without the pair just proposed.
    page.wait_for_function("() => !document.querySelector('#intro-suggestions').innerText.includes('Ivo')")
    assert page.locator("#intro-suggestions .suggestion", has_text="Leo Lawyer").count() == 1
    # Move the open one on from the keyboard.
    page.get_by_role("button", name="Ana Lima agreed: asked Fay Founder").focus()
    page.keyboard.press("Enter")
    page.locator(f"#intro-{intro.id}[data-state=asked_b]").wait_for()
    shot(page, "growth-1-introductions", backend)

    # Opportunities: add one with the form, then move it.
    page.goto(live_server + "/opportunities")
    page.fill("#opp-title", "Advisory board")
    page.select_option("#opp-kind", "partnership")
    page.fill("#opp-via", "Ivo")
    page.fill("#opp-due", "in 3 weeks")
    page.click("#opp-form button[type=submit]")
    page.locator("#opp-stage-spotted + .cards .card", has_text="Advisory board").wait_for()
    assert page.input_value("#opp-title") == ""  # a blank form for the next one
    card = page.locator(".card", has_text="Staff engineer at Acme")
    card.locator("select").select_option("applied")
    card.get_by_role("button", name="Move").click()
    page.locator("#opp-stage-applied + .cards .card", has_text="Staff engineer at Acme").wait_for()
    shot(page, "growth-2-opportunities", backend)

    # Goals: set one, see its progress.
    page.goto(live_server + "/goals")
    page.select_option("#goal-kind", "make_introductions")
    page.fill("#goal-target", "2")
    page.fill("#goal-by", "quarter")
    page.fill("#goal-label", "Connect two people")
    page.click("#goal-form button[type=submit]")
    page.locator("#goal-list .card", has_text="Connect two people").wait_for()
    assert page.locator("#goal-list progress").count() == 2
    shot(page, "growth-3-goals", backend)

    # A phone: nothing scrolls sideways, the longer nav included.
    phone = browser.new_context(viewport={"width": 375, "height": 740})
    small = phone.new_page()
    small_watch = Watch(small)
    for n, name in enumerate(("introductions", "opportunities", "goals"), start=4):
        small.goto(f"{live_server}/{name}")
        small.wait_for_load_state("networkidle")
        overflow = small.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"/{name} scrolls sideways by {overflow}px on a phone"
        shot(small, f"growth-{n}-{name}-phone", backend)

    assert watch.errors == [] and small_watch.errors == []
    assert watch.foreign == [] and small_watch.foreign == []
    context.close()
    phone.close()
