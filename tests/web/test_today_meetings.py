"""A meeting today on a synced calendar: the Today page offers the person's brief as a link, and
`GET /api/v1/agenda` gives the brief's API path."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import FIXED_NOW
from tieline.importers.records import UpcomingMeeting
from tieline.models import LOCAL_OWNER_ID, Connection
from tieline.repo import meetings as meetings_repo


def synced_meeting(session, person_email: str, *, hours_ahead: int) -> None:  # type: ignore[no-untyped-def]
    """What a calendar sync stores for a meeting later today with that address."""
    connection = Connection(owner_id=LOCAL_OWNER_ID, name="work", kind="ics", settings={})
    session.add(connection)
    session.flush()
    start = FIXED_NOW + timedelta(hours=hours_ahead)
    meeting = UpcomingMeeting(
        uid="review@calendar.example", recurrence_id=f"{start:%Y%m%dT%H%M%SZ}", starts_at=start,
        ends_at=start + timedelta(hours=1), title="Design review", emails=[person_email], calendar="feed",
    )  # fmt: skip
    meetings_repo.replace(
        session, owner_id=LOCAL_OWNER_ID, connection_id=connection.id, meetings=[meeting], read={"feed": None}
    )
    session.commit()


def test_the_today_page_links_the_brief_of_someone_met_today(client, add_person, session) -> None:
    ana = add_person("Ana Lima", lists={"emails": ["ana@example.org"]})
    synced_meeting(session, "ana@example.org", hours_ahead=4)
    page = client.get("/")
    assert page.status_code == 200
    assert "Meeting with Ana Lima at 14:00 (Design review): read the brief" in page.text
    assert f'<a class="brief-link" href="/people/{ana.id}/brief">Read the brief</a>' in page.text
    assert client.get(f"/people/{ana.id}/brief").status_code == 200


def test_the_api_agenda_gives_the_brief_s_path_and_dismiss_clears_the_line(
    client, add_person, session
) -> None:
    ana = add_person("Ana Lima", lists={"emails": ["ana@example.org"]})
    synced_meeting(session, "ana@example.org", hours_ahead=2)
    [line] = [i for i in client.get("/api/v1/agenda").json()["items"] if i["kind"] == "meeting"]
    assert line["brief"] == f"/api/v1/people/{ana.id}/brief" and line["deadline"] == "2026-03-10"
    assert client.get(line["brief"]).status_code == 200
    others = [i for i in client.get("/api/v1/agenda").json()["items"] if i["kind"] != "meeting"]
    assert all(i["brief"] is None for i in others)
    response = client.form("/agenda/dismiss", {"key": line["key"], "day": FIXED_NOW.date().isoformat()})
    assert response.status_code == 200 and "read the brief" not in response.text
    assert [i for i in client.get("/api/v1/agenda").json()["items"] if i["kind"] == "meeting"] == []
