"""CSV export (tieline.exporters.csv_export, `tieline export csv`): one row per person, lists
joined with " ::: ", and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.exporters.network import AWKWARD, build_network
from tieline.db import Database
from tieline.exporters.csv_export import COLUMNS, SEPARATOR, neutralise


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Ana = boss", "Ana = boss"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_neutralised(cell: str, shown: str) -> None:
    assert neutralise(cell) == shown


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_export_csv_writes_one_row_per_person_with_lists_joined(
    cli: Cli, db: Database, tmp_path: Path
) -> None:
    with db.transaction() as session:
        build_network(session)
    path = tmp_path / "people.csv"

    out = cli.ok("export", "csv", str(path)).stdout

    assert out == f"wrote 4 people to {path}\n"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,name,")  # BOM: Excel reads UTF-8
    rows = read_rows(path)
    assert list(rows[0]) == list(COLUMNS)
    assert [r["name"] for r in rows] == ["Ana Lima", "José Álvarez 王", "Mei 美", "Old Contact"]
    ana = rows[0]
    assert ana["emails"] == f"ana@acme.example{SEPARATOR}ana.lima@mail.example"
    assert ana["email_labels"] == f"work{SEPARATOR}"
    assert ana["phones"] == f"'+351 21 000 0000{SEPARATOR}(555) 010-9999"
    assert ana["phone_labels"] == f"cell{SEPARATOR}Assistant (mornings)"
    assert ana["tags"] == SEPARATOR.join(["Zebra", "apple", "friend", "été"])
    assert ana["interests"] == f"climbing{SEPARATOR}jazz"
    assert ana["notes"] == AWKWARD
    assert (ana["birthday"], ana["department"], ana["tier_name"]) == ("1985-04-12", "R&D; Platform", "close")
    assert rows[1]["birthday"] == "'--03-15"  # no year: starts with "-", so it is quoted too
    assert rows[3]["archived"] == "true"


def test_export_csv_neutralises_formulas_in_every_field(cli: Cli, tmp_path: Path) -> None:
    cli.ok(
        "add",
        "=cmd|' /C calc'!A0",
        "--company",
        "+SUM(1,2)",
        "--tag",
        "@evil",
        "--tag",
        "fine",
        "--note",
        "\t=1+1",
        "--title",
        "-x",
    )
    path = tmp_path / "people.csv"
    cli.ok("export", "csv", str(path))

    [row] = read_rows(path)

    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["company"] == "'+SUM(1,2)"
    assert row["tags"] == f"'@evil{SEPARATOR}fine"
    assert row["title"] == "'-x"
    assert row["notes"] == "'=1+1"  # the note was stripped of its tab when typed
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_csv_to_stdout(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    rows = list(csv.reader(io.StringIO(cli.ok("export", "csv", "-").stdout)))
    assert rows[0][:2] == ["id", "name"] and rows[1][:2] == ["1", "Ana Lima"]
