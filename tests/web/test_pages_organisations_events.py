"""The organisations and events pages: lists and filters, an organisation's and an event's page,
their forms (each shows what it added; bad input says why and writes nothing), 404s, escaping, and
one walk through them in a real browser."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from tests.conftest import FIXED_NOW
from tieline.models import LOCAL_OWNER_ID, Event, Organisation, Person
from tieline.services import events as events_service
from tieline.services import followups as followups_service
from tieline.services import organisations as organisations_service
from tieline.web.ui import organisations as organisations_ui

TODAY = FIXED_NOW.date()  # Tuesday 2026-03-10
SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>x</b>"


def add_org(
    session: Session, name: str, kind: str = "company", parent: Organisation | None = None
) -> Organisation:
    return organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name=name, kind=kind, parent=parent
    )


def join(
    session: Session,
    org: Organisation,
    person: Person | None,
    role: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> None:
    organisations_service.add_membership(
        session, person=person, organisation=org, role=role, since=since, until=until
    )


def add_event(session: Session, name: str, day: date, **fields: object) -> Event:
    return events_service.add_event(session, owner_id=LOCAL_OWNER_ID, name=name, starts_on=day, **fields)  # type: ignore[arg-type]


def meet(session: Session, event: Event, *names: str, note: str | None = None) -> None:
    events_service.meet(
        session, owner_id=LOCAL_OWNER_ID, event=event, names=list(names), note=note, now=FIXED_NOW
    )


def row(html: str, text: str) -> str:
    """The one table row (or list item) that contains `text`, tags stripped, spaces collapsed."""
    rows = [r for r in re.findall(r"<(?:tr|li)\b.*?</(?:tr|li)>", html, flags=re.S) if text in r]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", rows[0]).split())


def section(html: str, element_id: str) -> str:
    """The HTML from the element with this id to the end of its enclosing section or table."""
    start = html.index(f'id="{element_id}"')
    end = html.find("</section>", start)
    return html[start : end if end != -1 else len(html)]


def assert_404(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 404, response.text
    assert "Something went wrong (404)" in response.text or 'class="error"' in response.text


# Organisations ------------------------------------------------------------------------------------


@pytest.fixture
def acme(session: Session, add_person) -> Organisation:  # type: ignore[no-untyped-def]
    """Acme with Ana (current), Bo (left last year), Cy (current but archived) and you."""
    org = add_org(session, "Acme")
    ana, bo, cy = add_person("Ana Lima"), add_person("Bo Chen"), add_person("Cy Twombly")
    cy.archived = True
    join(session, org, ana, role="CTO", since=date(2024, 1, 15))
    join(session, org, bo, role="Sales lead", since=date(2020, 5, 1), until=date(2025, 6, 30))
    join(session, org, cy)
    join(session, org, None, role="Advisor", since=date(2023, 2, 1))
    add_org(session, "Oxford", kind="school")
    add_org(session, "Acme Data", kind="department", parent=org)
    session.commit()
    return org


def test_the_list_shows_each_organisation_with_its_current_members(client, acme) -> None:
    page = client.get("/organisations")
    assert page.status_code == 200
    assert "3 organisations" in page.text
    # Ana only: Bo left, Cy is archived, and you are shown apart.
    assert row(page.text, f'href="/organisations/{acme.id}"') == "Acme you are a member company 1"
    assert row(page.text, ">Oxford<") == "Oxford school 0"
    assert '<a href="/organisations" aria-current="page">Organisations</a>' in page.text
    assert "hx-swap-oob" not in page.text


def test_the_list_filters_by_kind_and_by_part_of_the_name(client, acme) -> None:
    schools = client.get("/organisations", params={"kind": "school"}).text
    assert ">Oxford<" in schools and ">Acme<" not in schools and "1 organisation<" in schools
    partial = client.get("/organisations", params={"q": "ACMÉ d"}, headers={"HX-Request": "true"}).text
    assert "<html" not in partial
    assert ">Acme Data<" in partial and ">Acme<" not in partial and ">Oxford<" not in partial
    nothing = client.get("/organisations", params={"q": "100%_"}).text
    assert "No organisation matches." in nothing


def test_an_unknown_kind_in_the_filter_says_which_kinds_there_are(client, acme) -> None:
    page = client.get("/organisations", params={"kind": "planet"})
    assert page.status_code == 422
    assert "unknown organisation kind &#39;planet&#39;: use one of company, department" in page.text
    partial = client.get("/organisations", params={"kind": "planet"}, headers={"HX-Request": "true"})
    assert partial.status_code == 422 and 'role="alert"' in partial.text and "<html" not in partial.text


def test_the_organisation_page_shows_parent_departments_members_now_and_before_and_you(
    client, acme, session
) -> None:
    page = client.get(f"/organisations/{acme.id}").text
    now = section(page, "current-title")
    assert row(now, "Ana Lima") == "Ana Lima CTO 2024-01-15 current"
    assert "Cy Twombly" not in page  # archived: left out, as from the count on the list
    assert "Bo Chen" not in now and "Members now <small>(1)</small>" in now
    past = section(page, "past-title")
    assert row(past, "Bo Chen") == "Bo Chen Sales lead 2020-05-01 2025-06-30"
    assert re.search(r'<a href="/people/\d+">Bo Chen</a>', past)
    assert row(section(page, "mine-title"), "Advisor") == "Advisor, since 2023-02-01, current"
    departments = section(page, "departments-title")
    data = organisations_service.resolve_organisation(session, owner_id=LOCAL_OWNER_ID, text="Acme Data")
    assert f'href="/organisations/{data.id}">Acme Data</a>' in departments
    child = client.get(f"/organisations/{data.id}").text
    assert f'part of <a href="/organisations/{acme.id}">Acme</a>' in child
    assert "You are not recorded as a member." in child


def test_adding_an_organisation_shows_it_in_the_list(client, acme) -> None:
    response = client.form("/organisations", {"name": "Globex", "kind": "alumni network"})
    assert response.status_code == 200, response.text
    assert "Added alumni network Globex." in response.text
    assert 'id="org-rows" hx-swap-oob="true"' in response.text
    assert row(response.text, ">Globex<") == "Globex alumni network 0"
    assert ">Globex<" in client.get("/organisations", params={"kind": "alumni_network"}).text


def test_adding_a_department_shows_it_under_its_parent(client, acme) -> None:
    response = client.form(
        "/organisations", {"name": "Acme Sales", "kind": "department", "parent": str(acme.id)}
    )
    assert response.status_code == 200, response.text
    assert 'id="org-departments"' in response.text and ">Acme Sales</a>" in response.text
    assert ">Acme Sales</a>" in section(client.get(f"/organisations/{acme.id}").text, "departments-title")


def test_a_form_without_javascript_lands_on_the_new_organisation(client) -> None:
    token = client.csrf()
    response = client.post(
        "/organisations",
        data={"name": "Initech", "kind": "company", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "<h1>Initech</h1>" in page.text


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"name": "Globex", "kind": "planet"}, 422, "unknown organisation kind &#39;planet&#39;"),
        ({"name": "   ", "kind": "company"}, 422, "organisation name"),
        ({"name": "ACME", "kind": "company"}, 422, "there is already a company named &#39;ACME&#39;"),
        ({"name": "Acme Ops", "kind": "team", "parent": "999"}, 404, "no organisation with id 999"),
    ],
)
def test_a_bad_organisation_says_why_and_adds_nothing(client, acme, snapshot, form, status, message) -> None:
    client.csrf()
    before = snapshot()
    response = client.form("/organisations", form)
    assert response.status_code == status
    assert message in response.text and 'role="alert"' in response.text
    assert snapshot() == before


def test_adding_members_shows_their_rows_and_yours(client, acme, add_person, session) -> None:
    dana = add_person("Dana Scully")
    session.commit()
    response = client.form(
        f"/organisations/{acme.id}/members", {"people": "dana, me", "role": "Analyst", "since": "2025-09-01"}
    )
    assert response.status_code == 200, response.text
    assert "Dana Scully, you: member of Acme as Analyst." in response.text
    assert 'id="org-members" hx-swap-oob="true"' in response.text
    page = client.get(f"/organisations/{acme.id}").text
    assert row(section(page, "current-title"), "Dana Scully") == "Dana Scully Analyst 2025-09-01 current"
    assert f'href="/people/{dana.id}"' in page
    mine = section(page, "mine-title")
    assert "Analyst, since 2025-09-01, current" in mine and "Advisor" in mine


def test_a_large_organisation_lists_its_first_members_and_links_to_them_all(
    client, acme, add_person, session, monkeypatch
) -> None:
    monkeypatch.setattr(organisations_ui, "MEMBERS_SHOWN", 2)
    for name in ("Dana Scully", "Eve Moneypenny"):
        join(session, acme, add_person(name), since=date(2025, 1, 1))
    session.commit()
    page = client.get(f"/organisations/{acme.id}").text
    current = section(page, "current-title")
    assert "(3)" in current  # Ana, Dana and Eve are current members; two are listed
    assert current.count('href="/people/') == 2
    assert f'href="/organisations/{acme.id}?members=all#current-title">Show all 3</a>' in current
    whole = section(client.get(f"/organisations/{acme.id}", params={"members": "all"}).text, "current-title")
    assert whole.count('href="/people/') == 3 and "Show all" not in whole


def test_a_past_member_goes_under_past_members(client, acme, add_person, session) -> None:
    add_person("Eve Polastri")
    session.commit()
    response = client.form(
        f"/organisations/{acme.id}/members",
        {"people": "Eve Polastri", "role": "", "since": "2019-01-01", "until": "last friday"},
    )
    assert response.status_code == 200, response.text
    page = client.get(f"/organisations/{acme.id}").text
    assert row(section(page, "past-title"), "Eve Polastri") == "Eve Polastri 2019-01-01 2026-03-06"


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"people": "Nobody Here"}, 404, "no person matches &#39;Nobody Here&#39;"),
        ({"people": "Ana Lima, Nobody Here"}, 404, "no person matches &#39;Nobody Here&#39;"),
        ({"people": "Ana Lima", "since": "soonish"}, 422, "cannot read since &#39;soonish&#39;"),
        ({"people": "Ana Lima", "since": "2025-01-01", "until": "2024-01-01"}, 422, "is before --since"),
        ({"people": " , "}, 422, "name at least one person"),
    ],
)
def test_a_bad_member_says_why_and_adds_nobody(client, acme, snapshot, form, status, message) -> None:
    client.csrf()
    before = snapshot()
    response = client.form(f"/organisations/{acme.id}/members", form)
    assert response.status_code == status, response.text
    assert message in response.text
    assert snapshot() == before


@pytest.mark.parametrize(
    "path", ["/organisations/999", "/organisations/abc", "/organisations/99999999999999999999"]
)
def test_an_unknown_organisation_is_the_404_page(client, path) -> None:
    response = client.get(path)
    assert_404(response)
    assert "<h1>Something went wrong (404)</h1>" in response.text


def test_adding_a_member_to_an_unknown_organisation_is_a_404(client, add_person, session, snapshot) -> None:
    add_person("Ana Lima")
    session.commit()
    client.csrf()
    before = snapshot()
    assert_404(client.form("/organisations/999/members", {"people": "Ana Lima"}))
    assert snapshot() == before


# Events --------------------------------------------------------------------------------------------


@pytest.fixture
def pycon(session: Session, add_person) -> Event:  # type: ignore[no-untyped-def]
    """Yesterday's PyCon: met Ana (follow-up open) and Bo (followed up), saw Dee; a February meetup
    where you met Cy (follow-up overdue); one event running today and one next month."""
    add_person("Ana Lima")
    bo = add_person("Bo Chen")
    add_person("Cy Twombly")
    dee = add_person("Dee Dee")
    org = add_org(session, "Python Software Society", kind="association")
    event = add_event(session, "PyCon", TODAY - timedelta(days=1), place="Lisbon", organiser=org)
    meet(session, event, "Ana Lima", "Bo Chen", note="talked about packaging")
    events_service.attend(session, owner_id=LOCAL_OWNER_ID, event=event, people=[dee])
    (follow_up,) = followups_service.open_for(session, owner_id=LOCAL_OWNER_ID, person_id=bo.id)
    followups_service.complete(follow_up, day=TODAY, now=FIXED_NOW)
    february = add_event(session, "Data meetup", date(2026, 2, 2), kind="meetup", place="Porto")
    meet(session, february, "Cy Twombly")
    add_event(session, "Spring summit", date(2026, 4, 20), place="Berlin")
    add_event(session, "Week of workshops", TODAY - timedelta(days=2), ends_on=TODAY + timedelta(days=2))
    session.commit()
    return event


def test_the_events_list_puts_upcoming_soonest_first_and_past_newest_first(client, pycon) -> None:
    page = client.get("/events")
    assert page.status_code == 200
    upcoming = section(page.text, "upcoming-title")
    assert upcoming.index("Week of workshops") < upcoming.index("Spring summit")
    assert row(upcoming, "Spring summit") == "Spring summit 2026-04-20 conference Berlin 0 0"
    assert "2026-03-08 to 2026-03-12" in row(upcoming, "Week of workshops")
    past = section(page.text, "past-title")
    assert past.index("PyCon") < past.index("Data meetup")
    assert row(past, ">PyCon<") == "PyCon by Python Software Society 2026-03-09 conference Lisbon 2 1"
    assert row(past, "Data meetup") == "Data meetup 2026-02-02 meetup Porto 1 0"
    assert '<a href="/events" aria-current="page">Events</a>' in page.text


def test_the_event_page_shows_each_person_met_with_their_follow_up(client, pycon, session) -> None:
    page = client.get(f"/events/{pycon.id}").text
    met = section(page, "met-title")
    # Met at noon on its (past) last day: due 48 hours later.
    assert row(met, "Ana Lima") == "Ana Lima talked about packaging due by 2026-03-11 no"
    assert row(met, "Bo Chen") == "Bo Chen talked about packaging done 2026-03-10 (in time) no"
    assert row(section(page, "there-title"), "Dee Dee") == "Dee Dee"
    org = organisations_service.resolve_organisation(session, owner_id=LOCAL_OWNER_ID, text="Python")
    assert f'organised by <a href="/organisations/{org.id}">Python Software Society</a>' in page
    assert "Met 2, followed up 1 in time" in page
    february = events_service.resolve_event(session, owner_id=LOCAL_OWNER_ID, text="Data meetup")
    overdue = client.get(f"/events/{february.id}").text
    assert row(overdue, "Cy Twombly") == "Cy Twombly overdue since 2026-02-04 no"
    assert "state-overdue" in overdue


def test_adding_an_event_shows_it_in_the_list(client, pycon) -> None:
    form = {
        "name": "PyData Porto",
        "when": "in 2 weeks",
        "kind": "meetup",
        "place": "Porto",
        "organiser": "PyData",
    }
    response = client.form("/events", form)
    assert response.status_code == 200, response.text
    assert "Added meetup PyData Porto on 2026-03-24." in response.text
    assert 'id="event-lists" hx-swap-oob="true"' in response.text
    assert row(section(response.text, "upcoming-title"), "PyData Porto") == (
        "PyData Porto by PyData 2026-03-24 meetup Porto 0 0"
    )
    # A new organiser of a meetup is a community, as on the command line.
    assert ">PyData<" in client.get("/organisations", params={"kind": "community"}).text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"name": "X", "when": "someday"}, "cannot read date &#39;someday&#39;"),
        ({"name": "X", "when": "today", "kind": "rave"}, "unknown event kind &#39;rave&#39;"),
        ({"name": "X", "when": "2026-03-10", "end": "2026-03-01"}, "is before --date"),
        ({"name": "  ", "when": "today"}, "event name"),
        (
            {"name": "pycon", "when": "yesterday"},
            "there is already an event named &#39;PyCon&#39; on 2026-03-09",
        ),
        # A new organiser is created before the event is refused: the refusal takes it back.
        ({"name": "PyCon", "when": "yesterday", "organiser": "New Org"}, "there is already an event"),
    ],
)
def test_a_bad_event_says_why_and_adds_nothing(client, pycon, snapshot, form, message) -> None:
    client.csrf()
    before = snapshot()
    response = client.form("/events", form)
    assert response.status_code == 422, response.text
    assert message in response.text and 'role="alert"' in response.text
    assert snapshot() == before


def test_recording_people_met_shows_them_with_their_follow_up(client, session, add_person) -> None:
    ana = add_person("Ana Lima")
    event = add_event(session, "Today conf", TODAY, place="Lisbon")
    session.commit()
    response = client.form(f"/events/{event.id}/people", {"people": "Ana Lima, Zed Newman", "note": "ramen"})
    assert response.status_code == 200, response.text
    # Met now (10:00 on the first day): due 48 hours later.
    assert row(response.text, "(new person)") == "Zed Newman (new person): met, follow up by 2026-03-12"
    assert f'href="/people/{ana.id}"' in response.text
    assert 'id="event-people" hx-swap-oob="true"' in response.text
    page = client.get(f"/events/{event.id}").text
    assert row(section(page, "met-title"), "Zed Newman") == "Zed Newman ramen due by 2026-03-12 no"
    assert row(section(page, "met-title"), "Ana Lima") == "Ana Lima ramen due by 2026-03-12 no"


def test_recording_people_only_seen_there_lists_them_apart(client, session, add_person) -> None:
    add_person("Bo Chen")
    event = add_event(session, "Summit", TODAY + timedelta(days=30))
    session.commit()
    response = client.form(f"/events/{event.id}/people", {"people": "Bo Chen", "how": "saw"})
    assert response.status_code == 200, response.text
    assert row(response.text, "recorded as there") == "Bo Chen : recorded as there"
    page = client.get(f"/events/{event.id}").text
    assert row(section(page, "there-title"), "Bo Chen") == "Bo Chen"
    assert "Nobody recorded yet." in section(page, "met-title")


@pytest.mark.parametrize(
    ("when", "form", "status", "message"),
    [
        (0, {"people": "Zed Newman, #999"}, 404, "no person with id 999"),
        (0, {"people": "Nobody Known", "how": "saw"}, 404, "no person matches &#39;Nobody Known&#39;"),
        (0, {"people": "Ana Lima", "how": "danced"}, 422, "String should match pattern"),
        (0, {"people": " , "}, 422, "name at least one person you met"),
        (
            5,
            {"people": "Ana Lima"},
            422,
            "starts on 2026-03-15: you can record whom you met once it has begun",
        ),
    ],
)
def test_bad_people_at_an_event_say_why_and_record_nothing(
    client, session, add_person, snapshot, when, form, status, message
) -> None:
    add_person("Ana Lima")
    event = add_event(session, "Conf", TODAY + timedelta(days=when))
    session.commit()
    client.csrf()
    before = snapshot()
    response = client.form(f"/events/{event.id}/people", form)
    assert response.status_code == status, response.text
    assert message in response.text
    assert snapshot() == before


@pytest.mark.parametrize("path", ["/events/999", "/events/x1", "/events/99999999999999999999"])
def test_an_unknown_event_is_the_404_page(client, path) -> None:
    response = client.get(path)
    assert_404(response)
    assert "<h1>Something went wrong (404)</h1>" in response.text


def test_recording_people_at_an_unknown_event_is_a_404(client, snapshot) -> None:
    client.csrf()
    before = snapshot()
    assert_404(client.form("/events/999/people", {"people": "Zed Newman"}))
    assert snapshot() == before


# Escaping ------------------------------------------------------------------------------------------


def test_names_roles_places_and_notes_render_as_inert_text(client, session, add_person) -> None:
    ana = add_person("Ana Lima")
    org = add_org(session, SCRIPT)
    add_org(session, BOLD, kind="department", parent=org)
    join(session, org, ana, role=SCRIPT + BOLD)
    event = add_event(session, SCRIPT + BOLD, TODAY, place=SCRIPT + BOLD, notes=SCRIPT + BOLD)
    session.commit()
    client.csrf()
    responses = [
        client.get("/organisations"),
        client.get(f"/organisations/{org.id}"),
        client.get("/organisations", params={"q": "script"}, headers={"HX-Request": "true"}),
        client.form("/organisations", {"name": "<b>y</b>" + SCRIPT, "kind": "team"}),
        client.form(f"/organisations/{org.id}/members", {"people": "Ana Lima", "role": SCRIPT + BOLD}),
        client.form("/events", {"name": BOLD + SCRIPT, "when": "today", "place": BOLD, "notes": SCRIPT}),
        client.form(f"/events/{event.id}/people", {"people": "Ana Lima", "note": SCRIPT + BOLD}),
        client.get("/events"),
        client.get(f"/events/{event.id}"),
        client.form("/organisations", {"name": SCRIPT, "kind": "company"}),  # the error names it
    ]
    for response in responses:
        url = f"{response.request.method} {response.request.url}"
        assert "<script>alert" not in response.text, url
        assert "<b>x</b>" not in response.text and "<b>y</b>" not in response.text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text, url
    event_page = responses[-2].text
    assert event_page.count("&lt;b&gt;x&lt;/b&gt;") >= 4  # name, place, notes, the note on Ana


# In a browser --------------------------------------------------------------------------------------


def test_organisations_and_events_in_a_browser(browser, live_server, session, add_person, backend) -> None:
    from tests.web.test_browser import Watch, shot

    ana = add_person("Ana Lima", title="CTO")
    add_person("Bo Chen")
    acme = add_org(session, "Acme")
    join(session, acme, ana, role="CTO", since=date(2024, 1, 15))
    join(session, acme, None, role="Advisor")
    add_org(session, "Acme Data", kind="department", parent=acme)
    add_org(session, "Oxford", kind="school")
    event = add_event(session, "PyCon", TODAY - timedelta(days=1), place="Lisbon")
    meet(session, event, "Ana Lima", note="talked about packaging")
    add_event(session, "Spring summit", date(2026, 4, 20), place="Berlin")
    session.commit()

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    watch = Watch(page)

    page.goto(live_server + "/organisations")
    page.fill("#org-q", "acme d")
    page.wait_for_function("() => document.querySelectorAll('table.organisations tbody tr').length === 1")
    page.select_option("#org-kind", "")
    page.fill("#org-q", "")
    page.wait_for_function("() => document.querySelectorAll('table.organisations tbody tr').length === 3")
    shot(page, "organisations", backend)

    page.get_by_role("link", name="Acme", exact=True).click()
    page.wait_for_url(f"{live_server}/organisations/{acme.id}")
    page.fill("#member-people", "Bo Chen")
    page.fill("#member-role", "Engineer")
    page.press("#member-role", "Enter")  # the keyboard submits the form
    page.wait_for_selector("#member-add-result .ok")
    assert page.locator("[data-testid=current-members] tr", has_text="Bo Chen").count() == 1
    assert watch.errors == []
    page.fill("#member-people", "Nobody At All")
    page.click("#member-add button[type=submit]")
    page.wait_for_selector("#member-add-result .error")
    assert "no person matches" in page.inner_text("#member-add-result")
    # The refusal is a 404 on purpose: the browser and htmx log that one response; nothing else.
    assert watch.errors and all("404" in e or "htmx:responseError" in e for e in watch.errors), watch.errors
    watch.errors.clear()
    shot(page, "organisation", backend)

    page.goto(live_server + "/events")
    assert page.locator("[data-testid=past-events] tr", has_text="PyCon").count() == 1
    shot(page, "events", backend)

    page.get_by_role("link", name="PyCon").click()
    page.wait_for_url(f"{live_server}/events/{event.id}")
    page.fill("#meet-people", "Bo Chen")
    page.fill("#meet-note", "coffee queue")
    page.click("#meet-add button[type=submit]")
    page.wait_for_selector("#meet-result .ok")
    assert page.locator("[data-testid=met-people] tr", has_text="coffee queue").count() == 1
    shot(page, "event", backend)
    context.close()

    phone = browser.new_context(viewport={"width": 375, "height": 740})
    small = phone.new_page()
    phone_watch = Watch(small)
    for path in ("/organisations", f"/organisations/{acme.id}", "/events", f"/events/{event.id}"):
        small.goto(live_server + path)
        overflow = small.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    phone.close()

    assert (
        watch.errors == [] and watch.foreign == [] and phone_watch.errors == [] and phone_watch.foreign == []
    )
