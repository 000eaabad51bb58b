"""The import page: upload, progress, report; the duplicate review queue with merge and unmerge."""

from __future__ import annotations

import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "web"


def _upload(client, path: Path, **form: str) -> str:  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        response = client.post(
            "/import",
            files={"file": (path.name, handle, "text/vcard")},
            data=form,
            headers={"X-CSRF-Token": client.csrf(), "HX-Request": "true"},
        )
    assert response.status_code == 200, response.text
    job_url = response.text.split('hx-get="', 1)[1].split('"', 1)[0] if "hx-get" in response.text else None
    text = response.text
    deadline = time.monotonic() + 30
    while job_url and "import-progress" in text:
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.1)
        text = client.get(job_url).text
    return text


def test_uploading_a_vcard_shows_the_report_and_adds_the_people(client, add_person, session) -> None:
    add_person("Dana Scully", company="FBI", lists={"emails": ["dana@fbi.example"]})
    session.commit()
    report = _upload(client, DATA / "two-people.vcf")
    assert 'data-testid="import-report"' in report
    assert "<td>2</td>" in report  # two people added
    names = sorted(p["name"] for p in client.get("/api/v1/people").json()["items"])
    assert names == ["Dana Scully", "Dana Scully", "Fox Mulder"]
    # The run is recorded under the uploaded file's own name, not where the server kept it.
    assert [r["path"] for r in client.get("/api/v1/imports").json()] == ["two-people.vcf"]


def test_a_dry_run_writes_nothing(client) -> None:
    report = _upload(client, DATA / "two-people.vcf", dry_run="true")
    assert "dry run" in report
    assert client.get("/api/v1/people").json()["total"] == 0


def test_a_file_that_is_not_a_contact_file_is_refused_with_its_reason(client, tmp_path: Path) -> None:
    junk = tmp_path / "notes.vcf"
    junk.write_text("this is not a vcard at all\n")
    report = _upload(client, junk)
    assert 'class="error"' in report
    assert client.get("/api/v1/people").json()["total"] == 0


def test_duplicates_are_listed_merged_and_unmerged(client, add_person, session) -> None:
    add_person("Dana Scully", company="FBI", lists={"emails": ["dana@fbi.example"]})
    session.commit()
    _upload(client, DATA / "two-people.vcf")
    page = client.get("/import").text
    assert page.count('class="duplicate"') == 1 and "same name" in page
    ids = sorted(p["id"] for p in client.get("/api/v1/people").json()["items"] if p["name"] == "Dana Scully")
    merged = client.form("/duplicates/merge", {"kept": ids[0], "merged": ids[1]})
    assert merged.status_code == 200 and "Merged Dana Scully into Dana Scully" in merged.text
    kept = client.get(f"/api/v1/people/{ids[0]}").json()
    assert sorted(e["address"] for e in kept["emails"]) == ["dana.k.scully@example.net", "dana@fbi.example"]
    assert client.get(f"/api/v1/people/{ids[1]}").status_code == 404
    merge_id = merged.text.split('name="merge_id" value="', 1)[1].split('"', 1)[0]
    undone = client.form("/duplicates/unmerge", {"merge_id": merge_id})
    assert undone.status_code == 200
    assert [e["address"] for e in client.get(f"/api/v1/people/{ids[1]}").json()["emails"]] == [
        "dana.k.scully@example.net"
    ]


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client) -> None:
    response = client.post(
        "/import",
        content=b"x",
        headers={"Content-Length": str(10**12), "Content-Type": "multipart/form-data; boundary=x",
                 "X-CSRF-Token": client.csrf()},
    )  # fmt: skip
    assert response.status_code == 413
