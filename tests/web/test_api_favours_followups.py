"""The REST API for favours (ledger, balances, thank-yous) and follow-ups (done, repeat, dismiss, ETags)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import FIXED_NOW
from tieline.models import Owner
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges

TODAY = FIXED_NOW.date()


def _person(client, name: str) -> int:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/people", json={"name": name})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _favour(client, person_id: int, direction: str, kind: str, **fields):  # type: ignore[no-untyped-def]
    body = {"person_id": person_id, "direction": direction, "kind": kind, **fields}
    response = client.post("/api/v1/favours", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _followup(client, text: str, **fields):  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/follow-ups", json={"text": text, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def _open_ids(client, **params) -> list[int]:  # type: ignore[no-untyped-def]
    return [f["id"] for f in client.get("/api/v1/follow-ups", params=params).json()["items"]]


# Favours


def test_a_logged_favour_is_listed_and_read_back_with_its_text_whole(client) -> None:
    ana = _person(client, "Ana Lima")
    text = "Intro to Bo at Acme — «merci»\nsecond line " + "x" * 5000
    response = client.post(
        "/api/v1/favours",
        json={"person_id": ana, "direction": "received", "kind": "intro", "text": text, "when": "2026-03-01"},
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert response.headers["Location"] == f"/api/v1/favours/{made['id']}"
    assert made["kind"] == "introduction" and made["person"] == "Ana Lima" and made["text"] == text
    assert made["occurred_at"].startswith("2026-03-01") and made["thanked_at"] is None
    page = client.get("/api/v1/favours").json()
    assert page["total"] == 1 and page["items"] == [made]
    assert client.get(f"/api/v1/favours/{made['id']}").json() == made


def test_favours_filter_by_person_direction_and_kind_newest_first_a_page_at_a_time(client) -> None:
    ana, bo = _person(client, "Ana Lima"), _person(client, "Bo Chen")
    a1 = _favour(client, ana, "given", "advice", when="5 days ago")
    a2 = _favour(client, ana, "received", "introduction", when="3 days ago")
    b1 = _favour(client, bo, "received", "advice", when="4 days ago")
    b2 = _favour(client, bo, "given", "job-lead", when="1 day ago")

    def ids(**params) -> list[int]:  # type: ignore[no-untyped-def]
        return [f["id"] for f in client.get("/api/v1/favours", params=params).json()["items"]]

    assert ids() == [b2["id"], a2["id"], b1["id"], a1["id"]]
    assert ids(person=ana) == [a2["id"], a1["id"]]
    assert ids(direction="received") == [a2["id"], b1["id"]]
    assert ids(kind="advice") == [b1["id"], a1["id"]]
    assert ids(kind="lead", person=bo) == [b2["id"]]
    assert ids(person=bo, direction="received", kind="introduction") == []
    page = client.get("/api/v1/favours", params={"limit": 2, "offset": 1}).json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    assert [f["id"] for f in page["items"]] == [a2["id"], b1["id"]]
    assert client.get("/api/v1/favours", params={"direction": "given"}).json()["total"] == 2


def test_balance_counts_given_and_received_and_lists_the_thanks_still_owed(client) -> None:
    ana, bo = _person(client, "Ana Lima"), _person(client, "Bo Chen")
    _favour(client, ana, "given", "advice")
    first = _favour(client, ana, "received", "introduction", when="3 days ago")
    second = _favour(client, ana, "received", "advice", when="2 days ago")
    _favour(client, bo, "given", "referral")
    balance = client.get(f"/api/v1/people/{ana}/favours/balance").json()
    assert balance == {
        "person_id": ana,
        "person": "Ana Lima",
        "given": 1,
        "received": 2,
        "balance": 1,
        "owe_them": True,
        "thanks_owed": [first["id"], second["id"]],
    }
    nobody = client.get(f"/api/v1/people/{_person(client, 'Cy')}/favours/balance").json()
    assert (nobody["given"], nobody["received"], nobody["balance"], nobody["owe_them"]) == (0, 0, 0, False)
    ledger = client.get("/api/v1/favours/ledger").json()
    assert (ledger["given"], ledger["received"], ledger["balance"], ledger["stance"]) == (2, 2, 0, "even")
    assert [(p["person"], p["balance"]) for p in ledger["people"]] == [("Ana Lima", 1), ("Bo Chen", -1)]


def test_thanking_closes_every_thanks_owed_and_logs_the_contact(client) -> None:
    ana = _person(client, "Ana Lima")
    intro = _favour(client, ana, "received", "introduction", when="3 days ago")
    advice = _favour(client, ana, "received", "advice", when="2 days ago")
    _favour(client, ana, "given", "resource")
    response = client.post(f"/api/v1/people/{ana}/favours/thank", json={"kind": "email"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [f["id"] for f in body["closed"]] == [intro["id"], advice["id"]]
    assert all(f["thanked_at"] == FIXED_NOW.isoformat() for f in body["closed"])
    assert body["interaction"]["kind"] == "email"
    assert body["interaction"]["notes"] == "Thank you for the introduction and your advice"
    assert client.get(f"/api/v1/people/{ana}/favours/balance").json()["thanks_owed"] == []
    assert client.get(f"/api/v1/favours/{intro['id']}").json()["thanked_at"] == FIXED_NOW.isoformat()
    assert client.get(f"/api/v1/people/{ana}").json()["last_contact_at"] == FIXED_NOW.isoformat()
    again = client.post(f"/api/v1/people/{ana}/favours/thank", json={"text": "for lunch"}).json()
    assert again["closed"] == [] and again["interaction"]["notes"] == "Thank you: for lunch"


def test_deleting_a_favour_takes_it_out_of_the_listing_and_the_balance(client) -> None:
    ana = _person(client, "Ana Lima")
    kept = _favour(client, ana, "received", "advice")
    wrong = _favour(client, ana, "received", "help")
    assert client.delete(f"/api/v1/favours/{wrong['id']}").status_code == 204
    assert client.get(f"/api/v1/favours/{wrong['id']}").status_code == 404
    assert [f["id"] for f in client.get("/api/v1/favours").json()["items"]] == [kept["id"]]
    balance = client.get(f"/api/v1/people/{ana}/favours/balance").json()
    assert (balance["received"], balance["thanks_owed"]) == (1, [kept["id"]])
    assert client.delete(f"/api/v1/favours/{wrong['id']}").status_code == 404


def test_bad_favour_input_is_a_json_error_and_stores_nothing(client) -> None:
    ana = _person(client, "Ana Lima")
    cases = [
        ({"person_id": 424242, "direction": "given", "kind": "advice"}, 404, "notfound"),
        ({"person_id": ana, "direction": "given", "kind": "bribe"}, 422, "invalidinput"),
        ({"person_id": ana, "direction": "lent", "kind": "advice"}, 422, "invalid"),
        ({"person_id": ana, "direction": "given", "kind": "advice", "when": "someday"}, 422, "invalidinput"),
        # An ISO time that cannot be moved to UTC (it would fall before year 1).
        ({"person_id": ana, "direction": "given", "kind": "advice", "when": "0001-01-01T00:00+05:00"}, 422, "invalidinput"),
        ({"person_id": ana, "direction": "given", "kind": "advice", "colour": "red"}, 422, "invalid"),
    ]  # fmt: skip
    for body, code, error in cases:
        response = client.post("/api/v1/favours", json=body)
        assert response.status_code == code, (body, response.text)
        assert response.json()["error"]["code"] == error, body
        assert set(response.json()["error"]) >= {"code", "message"}
    assert client.get("/api/v1/favours").json()["total"] == 0
    missing = client.get("/api/v1/favours/999999")
    assert missing.json() == {"error": {"code": "notfound", "message": "no favour with id 999999"}}
    assert client.get("/api/v1/favours", params={"person": 424242}).status_code == 404
    assert client.get("/api/v1/favours", params={"kind": "bribe"}).status_code == 422
    assert client.get("/api/v1/favours", params={"direction": "lent"}).status_code == 422
    assert client.get("/api/v1/people/424242/favours/balance").status_code == 404
    refused = client.post(f"/api/v1/people/{ana}/favours/thank", json={"kind": "telepathy"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalidinput"


# Follow-ups


def test_a_follow_up_is_listed_while_open_and_read_back_with_an_etag(client) -> None:
    ana = _person(client, "Ana Lima")
    text = "Send her the article on «graphs»\nand the slides"
    response = client.post(
        "/api/v1/follow-ups", json={"person_id": ana, "text": text, "due": "in 3 days", "promise": True}
    )
    assert response.status_code == 201, response.text
    made = response.json()
    assert response.headers["Location"] == f"/api/v1/follow-ups/{made['id']}"
    assert made == {
        "id": made["id"],
        "person_id": ana,
        "person": "Ana Lima",
        "text": text,
        "due_on": (TODAY + timedelta(days=3)).isoformat(),
        "every_days": None,
        "promise": True,
        "status": "open",
        "done_at": None,
    }
    alone = _followup(client, "Renew the domain", due="2026-03-01")
    assert alone["person_id"] is None and alone["person"] is None and alone["promise"] is False
    page = client.get("/api/v1/follow-ups").json()
    assert page["total"] == 2 and [f["id"] for f in page["items"]] == [alone["id"], made["id"]]
    read = client.get(f"/api/v1/follow-ups/{made['id']}")
    assert read.json() == made and read.headers["ETag"].startswith('W/"')


def test_follow_ups_filter_by_status_person_and_due_day_a_page_at_a_time(client) -> None:
    ana, bo = _person(client, "Ana Lima"), _person(client, "Bo Chen")
    early = _followup(client, "Call Ana", person_id=ana, due="2026-03-05")
    late = _followup(client, "Write to Ana", person_id=ana, due="2026-03-20")
    bos = _followup(client, "Ask Bo", person_id=bo, due="2026-03-08")
    dropped = _followup(client, "Old idea", due="2026-03-01")
    assert client.post(f"/api/v1/follow-ups/{dropped['id']}/dismiss", json={}).status_code == 200
    assert client.post(f"/api/v1/follow-ups/{early['id']}/done", json={}).status_code == 200
    assert _open_ids(client) == [bos["id"], late["id"]]
    assert _open_ids(client, person=ana) == [late["id"]]
    assert _open_ids(client, due_by="2026-03-08") == [bos["id"]]
    assert _open_ids(client, status="done") == [early["id"]]
    assert _open_ids(client, status="dismissed") == [dropped["id"]]
    assert _open_ids(client, status="all", person=ana) == [early["id"], late["id"]]
    page = client.get("/api/v1/follow-ups", params={"status": "all", "limit": 2, "offset": 2}).json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 2)
    assert [f["id"] for f in page["items"]] == [bos["id"], late["id"]]


def test_done_closes_a_follow_up_and_takes_it_off_the_agenda(client) -> None:
    ana = _person(client, "Ana Lima")
    made = _followup(client, "Send the deck", person_id=ana, due="yesterday")
    agenda = client.get("/api/v1/agenda", params={"limit": 100}).json()["items"]
    assert [i["kind"] for i in agenda if i["person_id"] == ana] == ["follow_up"]
    response = client.post(f"/api/v1/follow-ups/{made['id']}/done", json={})
    assert response.status_code == 200, response.text
    done = response.json()
    assert (done["status"], done["done_at"], done["due_on"]) == (
        "done",
        FIXED_NOW.isoformat(),
        made["due_on"],
    )
    assert _open_ids(client) == []
    agenda = client.get("/api/v1/agenda", params={"limit": 100}).json()["items"]
    assert [i for i in agenda if i["kind"] == "follow_up"] == []
    again = client.post(f"/api/v1/follow-ups/{made['id']}/done", json={})
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalidinput"


def test_done_moves_a_repeating_follow_up_to_its_first_date_after_today(client) -> None:
    weekly = _followup(client, "Weekly review", due="2026-03-03", every_days=7)
    months_late = _followup(client, "Monthly check-in", due="2026-01-01", every_days=30)
    first = client.post(f"/api/v1/follow-ups/{weekly['id']}/done", json={}).json()
    assert (first["status"], first["due_on"]) == ("open", "2026-03-17")
    assert first["done_at"] == FIXED_NOW.isoformat()
    # Done two months late, it is not due again at once: 01-31 and 03-02 are skipped.
    late = client.post(f"/api/v1/follow-ups/{months_late['id']}/done", json={}).json()
    assert (late["status"], late["due_on"]) == ("open", "2026-04-01")
    assert _open_ids(client) == [weekly["id"], months_late["id"]]
    assert _open_ids(client, due_by=TODAY.isoformat()) == []


def test_a_stale_etag_refuses_done_and_dismiss_and_changes_nothing(client) -> None:
    made = _followup(client, "Weekly review", due="2026-03-03", every_days=7)
    tag = client.get(f"/api/v1/follow-ups/{made['id']}").headers["ETag"]
    first = client.post(f"/api/v1/follow-ups/{made['id']}/done", json={}, headers={"If-Match": tag})
    assert first.status_code == 200 and first.json()["due_on"] == "2026-03-17"
    assert first.headers["ETag"] != tag
    for action in ("done", "dismiss"):
        retried = client.post(f"/api/v1/follow-ups/{made['id']}/{action}", json={}, headers={"If-Match": tag})
        assert retried.status_code == 412 and retried.json()["error"]["code"] == "preconditionfailed"
    current = client.get(f"/api/v1/follow-ups/{made['id']}")
    assert (current.json()["status"], current.json()["due_on"]) == ("open", "2026-03-17")
    assert current.headers["ETag"] == first.headers["ETag"]


def test_dismiss_drops_a_follow_up_for_good(client) -> None:
    made = _followup(client, "Weekly review", due="2026-03-03", every_days=7)
    response = client.post(f"/api/v1/follow-ups/{made['id']}/dismiss", json={})
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert response.json()["due_on"] == "2026-03-03" and response.json()["done_at"] is None
    assert _open_ids(client) == []
    again = client.post(f"/api/v1/follow-ups/{made['id']}/done", json={})
    assert again.status_code == 422 and "already dismissed" in again.json()["error"]["message"]


def test_bad_follow_up_input_is_a_json_error_and_stores_nothing(client) -> None:
    cases = [
        ({"text": "   "}, 422, "invalid"),
        ({"text": "x", "person_id": 424242}, 404, "notfound"),
        ({"text": "x", "due": "someday"}, 422, "invalidinput"),
        ({"text": "x", "due": "in 99999 years"}, 422, "invalidinput"),
        ({"text": "x", "every_days": 0}, 422, "invalid"),
        ({"text": "x", "promised": True}, 422, "invalid"),
    ]
    for body, code, error in cases:
        response = client.post("/api/v1/follow-ups", json=body)
        assert response.status_code == code, (body, response.text)
        assert response.json()["error"]["code"] == error, body
    assert client.get("/api/v1/follow-ups", params={"status": "all"}).json()["total"] == 0
    missing = client.get("/api/v1/follow-ups/999999")
    assert missing.json() == {"error": {"code": "notfound", "message": "no follow-up with id 999999"}}
    assert client.post("/api/v1/follow-ups/999999/done", json={}).status_code == 404
    assert client.post("/api/v1/follow-ups/999999/dismiss", json={}).status_code == 404
    assert client.get("/api/v1/follow-ups", params={"status": "late"}).status_code == 422
    assert client.get("/api/v1/follow-ups", params={"person": 424242}).status_code == 404
    assert client.get("/api/v1/follow-ups", params={"due_by": "soon"}).status_code == 422


def test_a_repeat_past_the_end_of_the_calendar_is_refused_not_a_crash(client) -> None:
    made = _followup(client, "The very last task", due="9999-12-30", every_days=7)
    response = client.post(f"/api/v1/follow-ups/{made['id']}/done", json={})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalidinput"
    current = client.get(f"/api/v1/follow-ups/{made['id']}").json()
    assert (current["status"], current["due_on"], current["done_at"]) == ("open", "9999-12-30", None)


# Owners


def test_another_owners_favours_and_follow_ups_are_invisible(client, session, now) -> None:
    session.add(Owner(id=2, name="someone else"))
    session.flush()
    theirs = people_service.add_person(
        session, owner_id=2, name="Their Contact", changes=PersonChanges(set={}), today=TODAY
    )
    session.flush()
    favour = favours_service.record_favour(
        session, owner_id=2, person=theirs, direction="received", kind="advice", when=now, now=now
    )
    followup = followups_service.add_followup(
        session, owner_id=2, person=theirs, text="Their task", due_on=TODAY
    )
    session.commit()
    mine = _person(client, "Ana Lima")
    _favour(client, mine, "given", "advice")
    _followup(client, "My task", person_id=mine)
    assert [f["person"] for f in client.get("/api/v1/favours").json()["items"]] == ["Ana Lima"]
    assert [
        f["text"] for f in client.get("/api/v1/follow-ups", params={"status": "all"}).json()["items"]
    ] == ["My task"]
    assert client.get("/api/v1/favours/ledger").json()["given"] == 1
    assert client.get("/api/v1/favours/ledger").json()["received"] == 0
    refused = [
        client.get(f"/api/v1/favours/{favour.id}"),
        client.delete(f"/api/v1/favours/{favour.id}"),
        client.get(f"/api/v1/people/{theirs.id}/favours/balance"),
        client.post(f"/api/v1/people/{theirs.id}/favours/thank", json={}),
        client.post("/api/v1/favours", json={"person_id": theirs.id, "direction": "given", "kind": "help"}),
        client.get(f"/api/v1/follow-ups/{followup.id}"),
        client.post(f"/api/v1/follow-ups/{followup.id}/done", json={}),
        client.post(f"/api/v1/follow-ups/{followup.id}/dismiss", json={}),
        client.post("/api/v1/follow-ups", json={"text": "x", "person_id": theirs.id}),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    session.refresh(favour)
    session.refresh(followup)
    assert favour.thanked_at is None and followup.status == "open"
