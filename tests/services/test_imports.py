"""Imports through the service (tieline.services.imports): an upload is reported under its own name."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tieline.db import Database
from tieline.importers.records import MalformedFile
from tieline.models import LOCAL_OWNER_ID, ImportRun
from tieline.services import imports

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def test_an_upload_is_reported_and_recorded_under_the_name_the_user_gave_it(
    db: Database, tmp_path: Path
) -> None:
    saved = tmp_path / "uploads" / "a1b2" / "upload.csv"  # where a server keeps the file it received
    saved.parent.mkdir(parents=True)
    with saved.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
        )
        out.writerow(["Ana", "Lima", "https://www.linkedin.com/in/ana", "not-an-email", "Acme", "", ""])
    report = imports.import_path(db, saved, owner_id=LOCAL_OWNER_ID, now=NOW, name="Connections.csv")
    assert report.path == "Connections.csv"
    assert [str(note.origin) for note in report.warnings] == ["Connections.csv:2"]
    with db.sessions() as session:
        assert session.scalars(sa.select(ImportRun.path)).all() == ["Connections.csv"]
    broken = saved.with_name("broken.csv")
    broken.write_text("no header here\n", encoding="utf-8")
    with pytest.raises(MalformedFile) as caught:
        imports.import_path(db, broken, owner_id=LOCAL_OWNER_ID, now=NOW, fmt="linkedin", name="Mine.csv")
    assert "Mine.csv" in str(caught.value) and str(tmp_path) not in str(caught.value)
