"""`tieline export json`: everyone with every field (the `show --json` shape), interactions on request."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tests.exporters.network import build_network
from tieline.db import Database


def test_export_json_holds_everyone_with_the_show_shape(cli: Cli, db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        build_network(session)
    path = tmp_path / "people.json"

    out = cli.ok("export", "json", str(path)).stdout

    assert out == f"wrote 4 people to {path}\n"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(document) == ["format", "people"]
    assert document["format"] == "tieline-export"
    assert [p["name"] for p in document["people"]] == ["Ana Lima", "José Álvarez 王", "Mei 美", "Old Contact"]
    shown = cli.json("show", "Ana Lima")
    ana = document["people"][0]
    assert ana["emails"] == [
        {"address": "ana@acme.example", "label": "work"},
        {"address": "ana.lima@mail.example", "label": None},
    ]
    assert {k: v for k, v in shown.items() if k in ana} == ana  # `show --json` adds to the same shape
    assert (ana["interests"], ana["needs"], ana["birthday"]) == (
        ["climbing", "jazz"],
        ["a designer"],
        "1985-04-12",
    )
    assert document["people"][3]["archived"] is True


def test_export_json_with_interactions_names_who_took_part(cli: Cli, db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        build_network(session)
    path = tmp_path / "all.json"

    cli.ok("export", "json", str(path), "--with-interactions")

    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(document) == ["format", "people", "interactions"]
    interactions = document["interactions"]
    # The four logged by hand, then those the event, the introduction and the share logged.
    assert [i["id"] for i in interactions] == list(range(1, len(interactions) + 1))
    assert [i["kind"] for i in interactions] == [
        "meeting",
        "coffee",
        "email",
        "message",
        "event",
        "email",
        "message",
    ]
    assert interactions[0]["kind"] == "meeting" and interactions[0]["people"] == [1, 2, 3]
    assert interactions[0]["subject"] == "Kick-off"
    assert interactions[3]["occurred_at"] == "1970-01-01T00:00:00+00:00"


def test_export_json_of_nobody_is_still_a_document(cli: Cli) -> None:
    document = json.loads(cli.ok("export", "json", "-", "--with-interactions").stdout)
    assert document == {"format": "tieline-export", "people": [], "interactions": []}
