"""The REST API's import (upload, report, runs, undo) and export (vCard, CSV, JSON, calendar)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi import UploadFile

from tests.conftest import Cli
from tieline.web.uploads import UploadTooLarge, save_upload

# Made-up people; example.org addresses only.
TWO_CARDS = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-ana\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\n"
    b"EMAIL;TYPE=work:ana@example.org\r\nORG:Acme\r\nTITLE:CTO\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-bo\r\nFN:Bo Chen\r\nN:Chen;Bo;;;\r\n"
    b"EMAIL:bo@example.org\r\nEND:VCARD\r\n"
)
ANA_MOVED = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-ana-2\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\n"
    b"EMAIL:ana@example.org\r\nORG:Globex\r\nTITLE:CEO\r\nEND:VCARD\r\n"
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-cy\r\nFN:Cy Diaz\r\nEMAIL:cy@example.org\r\nEND:VCARD\r\n"
)
# A meeting the parser reads, then an event that is never closed: the file as a whole is refused.
TRUNCATED_CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:m1\r\nDTSTART:20260301T100000Z\r\nDTEND:20260301T110000Z\r\n"
    b"SUMMARY:Coffee\r\nATTENDEE;CN=Dee Ellis:mailto:dee@example.org\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:m2\r\nDTSTART:20260302T100000Z\r\nSUMMARY:Lunch\r\n"
)


def _upload(client, name: str, content: bytes, **form: str):  # type: ignore[no-untyped-def]
    """POST a file to /api/v1/imports as a multipart form, with the CSRF token an upload needs."""
    return client.post(
        "/api/v1/imports",
        files={"file": (name, content, "application/octet-stream")},
        data=form,
        headers={"X-CSRF-Token": client.csrf()},
    )


def _imported(client, name: str, content: bytes, **form: str) -> dict:  # type: ignore[no-untyped-def]
    response = _upload(client, name, content, **form)
    assert response.status_code == 200, response.text
    return response.json()


def _names(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [p["name"] for p in client.get("/api/v1/people", params={"archived": True}).json()["items"]]


# --- import ---------------------------------------------------------------------------------------


def test_a_vcard_upload_adds_the_people_and_the_report_counts_them(client) -> None:
    report = _imported(client, "friends.vcf", TWO_CARDS)

    assert (report["format"], report["path"], report["dry_run"]) == ("vcard", "friends.vcf", False)
    assert (report["records"], report["added"], report["updated"], report["skipped"]) == (2, 2, 0, 0)
    assert report["counts"] == {"people": {"added": 2, "updated": 0, "merged": 0, "unchanged": 0}}
    assert isinstance(report["run_id"], int)
    assert _names(client) == ["Ana Lima", "Bo Chen"]
    ana = client.get("/api/v1/people").json()["items"][0]
    assert (ana["title"], ana["company"], ana["emails"]) == ("CTO", "Acme", ["ana@example.org"])


def test_uploading_the_same_file_again_changes_nothing(client, snapshot) -> None:
    _imported(client, "friends.vcf", TWO_CARDS)
    before = snapshot()

    again = _imported(client, "friends.vcf", TWO_CARDS)

    assert (again["added"], again["updated"], again["merged"], again["unchanged"]) == (0, 0, 0, 2)
    assert again["run_id"] is None
    assert snapshot() == before


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(client, snapshot) -> None:
    before = snapshot()

    report = _imported(client, "friends.vcf", TWO_CARDS, dry_run="true")

    assert report["dry_run"] is True and report["added"] == 2 and report["run_id"] is None
    assert snapshot() == before
    assert client.get("/api/v1/imports").json() == []


@pytest.mark.parametrize(
    ("name", "content", "form", "message"),
    [
        (
            "people.csv",
            b"Name\nAna Lima\n",
            {"format": "google_csv"},
            "people.csv:1: header: not a contacts CSV (fewer than two columns)",
        ),
        (
            "notes.vcf",
            b"just some notes\n",
            {},
            "notes.vcf:1: not a vCard file: no BEGIN:VCARD ... END:VCARD card found",
        ),
        (
            "meetings.ics",
            TRUNCATED_CALENDAR,
            {"create_people": "true"},
            "meetings.ics:11: BEGIN:VEVENT is never closed (the file may be truncated)",
        ),
    ],
)
def test_a_malformed_file_is_a_json_error_naming_file_and_line_and_writes_nothing(
    client, add_person, session, snapshot, name: str, content: bytes, form: dict[str, str], message: str
) -> None:
    add_person("Dana Scully", lists={"emails": ["dana@example.org"]})
    session.commit()
    before = snapshot()

    response = _upload(client, name, content, **form)

    assert response.status_code == 422
    assert response.json() == {"error": {"code": "malformedfile", "message": message}}
    assert snapshot() == before


@pytest.mark.parametrize("fmt", ["linkedin", "google_csv", "outlook_csv", "vcard", "ics", "mbox", "maildir"])
@pytest.mark.parametrize("content", [b"", b"\x00\xff\xfe garbage \x80\r\n", b"PK\x03\x04 not a zip"])
def test_junk_in_any_format_is_refused_with_a_json_error(client, snapshot, fmt: str, content: bytes) -> None:
    before = snapshot()

    response = _upload(client, "junk.bin", content, format=fmt)

    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message"} and error["message"]
    assert "tieline-upload" not in error["message"]  # the server's temporary folder stays private
    assert snapshot() == before


def test_an_upload_without_the_csrf_token_is_refused(client, snapshot) -> None:
    # A page on another site can make the browser post a multipart form (no preflight), cookie
    # included; it cannot read the cookie to copy it into the header.
    client.csrf()
    before = snapshot()

    response = client.post("/api/v1/imports", files={"file": ("friends.vcf", TWO_CARDS, "text/vcard")})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf"
    assert snapshot() == before


def test_an_unknown_format_is_refused_before_anything_is_read(client) -> None:
    response = _upload(client, "friends.vcf", TWO_CARDS, format="wordperfect")

    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("unknown format 'wordperfect'")
    assert _names(client) == []


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, snapshot) -> None:
    before = snapshot()

    response = client.post(
        "/api/v1/imports",
        content=b"x",
        headers={
            "Content-Length": str(10**12),
            "Content-Type": "multipart/form-data; boundary=x",
            "X-CSRF-Token": client.csrf(),
        },
    )

    assert response.status_code == 413
    assert snapshot() == before


def test_an_upload_that_grows_past_the_limit_is_refused_and_not_kept(tmp_path: Path) -> None:
    upload = UploadFile(io.BytesIO(b"BEGIN:VCARD\r\n" * 10), filename="../../big.vcf")

    with pytest.raises(UploadTooLarge) as refused:
        save_upload(upload, tmp_path, limit=100)

    assert refused.value.http_status == 413
    assert list(tmp_path.iterdir()) == []
    fits = UploadFile(io.BytesIO(b"BEGIN:VCARD\r\n" * 10), filename="../../big.vcf")
    assert save_upload(fits, tmp_path, limit=130) == tmp_path / "upload.vcf"
    assert [p.name for p in tmp_path.iterdir()] == ["upload.vcf"]


def test_undo_restores_the_people_as_they_were(client, add_person, session, snapshot) -> None:
    add_person("Ana Lima", company="Acme", title="CTO", lists={"emails": ["ana@example.org"]})
    session.commit()
    before = snapshot()
    report = _imported(client, "moved.vcf", ANA_MOVED)
    assert (report["added"], report["merged"] + report["updated"]) == (1, 1)
    assert _names(client) == ["Ana Lima", "Cy Diaz"]

    undone = client.post(f"/api/v1/imports/{report['run_id']}/undo", json={})

    assert undone.status_code == 200, undone.text
    assert undone.json()["id"] == report["run_id"] and undone.json()["undone_at"] is not None
    after = snapshot()
    runs_tables = {"import_run", "import_change"}
    assert {k: v for k, v in after.items() if k not in runs_tables} == {
        k: v for k, v in before.items() if k not in runs_tables
    }
    again = client.post(f"/api/v1/imports/{report['run_id']}/undo", json={})
    assert again.status_code == 422
    assert again.json()["error"]["message"] == f"import run {report['run_id']} was already undone"
    missing = client.post("/api/v1/imports/999999/undo", json={})
    assert missing.json() == {"error": {"code": "notfound", "message": "no import run 999999"}}


def test_runs_are_listed_newest_first_as_the_cli_lists_them(client, cli: Cli) -> None:
    first = _imported(client, "friends.vcf", TWO_CARDS)["run_id"]
    second = _imported(client, "moved.vcf", ANA_MOVED)["run_id"]

    runs = client.get("/api/v1/imports").json()

    assert [r["id"] for r in runs] == [second, first]
    assert runs[1]["counts"]["added"] == 2 and runs[1]["undone_at"] is None
    # Each run is known by the name the file was uploaded under, not the server's temporary path.
    assert [r["path"] for r in runs] == ["moved.vcf", "friends.vcf"]
    assert runs == cli.json("import", "runs")
    assert [r["id"] for r in client.get("/api/v1/imports", params={"limit": 1}).json()] == [second]


# --- export ---------------------------------------------------------------------------------------


@pytest.fixture
def people(client) -> None:  # type: ignore[no-untyped-def]
    """Three people through the API, one whose name a spreadsheet would run as a formula."""
    for body in (
        {
            "name": "Ana Lima",
            "tier": 1,
            "company": "Acme",
            "emails": ["ana@example.org"],
            "tags": ["climbing"],
        },
        {"name": '=HYPERLINK("http://evil.example")', "notes": "+1 and -2"},
        {"name": "Bo Chen", "phones": ["+44 20 7946 0000"]},
    ):
        assert client.post("/api/v1/people", json=body).status_code == 201


def test_export_vcard_is_a_vcf_attachment_with_everyone(client, people) -> None:
    response = client.get("/api/v1/export/vcard")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/vcard; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="tieline-people.vcf"'
    text = response.content.decode("utf-8")
    assert text.count("BEGIN:VCARD\r\n") == 3
    assert "FN:Ana Lima\r\n" in text and "EMAIL" in text and "ana@example.org" in text


def test_export_csv_neutralises_cells_a_spreadsheet_would_run(client, people) -> None:
    response = client.get("/api/v1/export/csv")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="tieline-people.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert [r["name"] for r in rows] == ["Ana Lima", '\'=HYPERLINK("http://evil.example")', "Bo Chen"]
    assert rows[1]["notes"] == "'+1 and -2"
    assert rows[2]["phones"].startswith("'+44")
    assert (rows[0]["emails"], rows[0]["tags"]) == ("ana@example.org", "climbing")


def test_export_json_holds_everyone_and_the_interactions_on_request(client, people) -> None:
    ids = [p["id"] for p in client.get("/api/v1/people").json()["items"]]
    logged = client.post("/api/v1/interactions", json={"kind": "coffee", "people": ids[:2]}).json()

    plain = client.get("/api/v1/export/json")
    full = client.get("/api/v1/export/json", params={"with_interactions": True}).json()

    assert plain.headers["content-type"] == "application/json"
    assert plain.headers["content-disposition"] == 'attachment; filename="tieline-people.json"'
    document = plain.json()
    assert list(document) == ["format", "people"] and document["format"] == "tieline-export"
    assert [p["name"] for p in document["people"]] == [
        "Ana Lima",
        '=HYPERLINK("http://evil.example")',
        "Bo Chen",
    ]  # JSON is not a spreadsheet: names stay as typed
    assert document["people"][0]["emails"] == [{"address": "ana@example.org", "label": None}]
    assert [(i["id"], i["kind"], i["people"]) for i in full["interactions"]] == [
        (logged["id"], "coffee", sorted(ids[:2]))
    ]


@pytest.mark.parametrize(
    ("fmt", "cli_args"),
    [("vcard", []), ("csv", []), ("json", []), ("calendar", ["--days", "60"])],
)
def test_an_export_is_the_file_tieline_export_writes(
    client, people, cli: Cli, tmp_path: Path, fmt: str, cli_args: list[str]
) -> None:
    written = tmp_path / f"people.{fmt}"
    cli.ok("export", fmt, str(written), *cli_args)

    response = client.get(f"/api/v1/export/{fmt}", params={"days": 60} if cli_args else None)

    assert response.status_code == 200
    assert response.content == written.read_bytes()
    assert len(response.content) > 200  # not two empty files


def test_an_export_of_nobody_is_a_valid_empty_file(client) -> None:
    assert client.get("/api/v1/export/vcard").content == b""
    assert client.get("/api/v1/export/csv").content.decode("utf-8-sig").startswith("id,name,")
    assert json.loads(client.get("/api/v1/export/json").content) == {"format": "tieline-export", "people": []}


def test_an_unknown_export_format_is_a_json_404(client) -> None:
    response = client.get("/api/v1/export/xlsx")
    assert response.status_code == 404 and response.json()["error"]["code"] == "http_404"
