"""`tieline import`, `import runs`, `import undo`, `duplicates`, `merge`, `unmerge` end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli

DATA = Path(__file__).parent.parent / "data" / "linkedin"
FIXTURES = Path(__file__).parents[3] / "shared" / "fixtures"


def test_import_reports_then_reimport_is_unchanged(cli: Cli) -> None:
    first = cli.json("import", str(DATA / "export_2024"))
    assert (first["added"], first["skipped"], first["run_id"]) == (14, 6, 1)
    assert {
        "where": f"{DATA / 'export_2024' / 'Connections.csv'}:9",
        "reason": "connection without a name (hidden by LinkedIn)",
    } in first["skips"]
    again = cli.json("import", str(DATA / "export_2024"))
    assert (again["added"], again["updated"], again["unchanged"], again["run_id"]) == (0, 0, 14, None)
    out = cli.ok("import", str(DATA / "export_2024")).stdout
    assert "nothing changed; no run recorded" in out and "Connections.csv:9: connection without a name" in out


def test_dry_run_writes_nothing(cli: Cli, snapshot) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    out = cli.ok("import", str(DATA / "export_2024"), "--dry-run").stdout
    assert out.startswith("dry run, nothing written: linkedin") and snapshot() == before


def test_malformed_file_is_one_line_naming_file_line_and_field(cli: Cli, snapshot) -> None:  # type: ignore[no-untyped-def]
    before = snapshot()
    path = DATA / "broken" / "Connections_no_header.csv"
    line = cli.user_error("import", str(path), "--format", "linkedin", code=1)
    assert (
        line == f"error: {path}:1: header: no header row with the columns First Name, Last Name, Connected On"
    )
    assert snapshot() == before


def test_unknown_format_and_missing_file_are_user_errors(cli: Cli, tmp_path: Path) -> None:
    assert "no such file" in cli.user_error("import", str(tmp_path / "nope.csv"), code=2)
    odd = tmp_path / "notes.txt"
    odd.write_text("just some text\n")
    assert "cannot tell the format" in cli.user_error("import", str(odd), code=2)
    assert "unknown format" in cli.user_error("import", str(odd), "--format", "xls", code=2)


def test_runs_and_undo(cli: Cli, snapshot) -> None:  # type: ignore[no-untyped-def]
    empty = snapshot()
    cli.ok("import", str(DATA / "export_2024"))
    cli.ok("import", str(DATA / "export_2024_later"), "--create-people")
    runs = cli.json("import", "runs")
    assert [r["id"] for r in runs] == [2, 1] and runs[0]["counts"]["added"] == 7
    assert "undo import run 2 first" in cli.user_error("import", "undo", "1", code=2)
    cli.ok("import", "undo", "2")
    cli.ok("import", "undo", "1")
    after = snapshot()
    assert {t: r for t, r in after.items() if not t.startswith("import_")} == {
        t: r for t, r in empty.items() if not t.startswith("import_")
    }
    assert all(r["undone_at"] for r in cli.json("import", "runs"))


def test_duplicates_merge_and_unmerge(cli: Cli) -> None:
    cli.ok("add", "Robert Smith", "--company", "Acme", "--email", "rob@acme.example")
    cli.ok("add", "Bob Smith", "--company", "ACME Inc.", "--phone", "+1 415 555 0100")
    pairs = cli.json("duplicates")
    assert [(p["a"]["name"], p["b"]["name"], p["certain"]) for p in pairs] == [
        ("Robert Smith", "Bob Smith", True)
    ]
    merged = cli.json("merge", "#1", "#2")
    assert merged["kept_id"] == 1 and "same name" in merged["reasons"]
    shown = cli.json("show", "#1")
    assert [e["address"] for e in shown["emails"]] == ["rob@acme.example"] and len(shown["phones"]) == 1
    cli.ok("unmerge", str(merged["merge_id"]))
    assert cli.json("show", "#2")["name"] == "Bob Smith"
    cli.ok("distinct", "#1", "#2")
    assert cli.json("duplicates") == []


@pytest.mark.skipif(not FIXTURES.is_dir(), reason="shared/fixtures not present")
@pytest.mark.parametrize("name", ["roundcube_all.csv", "roundcube_gmail.csv", "roundcube_outlook.csv"])
def test_real_contacts_files_import_one_person_each(cli: Cli, name: str) -> None:
    report = cli.json("import", str(FIXTURES / "contacts_csv" / name))
    assert (report["added"], report["skipped"], report["counts"]["people"]["added"]) == (1, 0, 1)
    assert cli.json("import", str(FIXTURES / "contacts_csv" / name))["unchanged"] == 1
