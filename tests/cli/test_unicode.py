"""Names in any script round-trip through add, show and search, accent- and case-insensitively."""

from __future__ import annotations

import pytest

from tests.conftest import Cli

NAMES = [
    # (name as typed, a search that must find it, a prefix `show` resolves)
    ("王小明", "小明", "王"),
    ("محمد علي", "علي", "محمد"),
    ("José Álvarez", "jose", "josé"),
    ("Zoë Ångström", "ANGSTROM", "zoe"),
    ("Dvořák Antonín", "dvorak", "Dvor"),
    ("Þórunn Søren", "þórunn", "Þór"),
]


@pytest.mark.parametrize(("name", "query", "prefix"), NAMES, ids=[n[0] for n in NAMES])
def test_a_name_round_trips_through_add_search_and_show(cli: Cli, name: str, query: str, prefix: str) -> None:
    assert cli.ok("add", name, "--note", f"notes about {name}").stdout.strip() == f"added {name} (#1)"
    cli.ok("add", "Someone Else")
    assert [p["name"] for p in cli.json("search", query)["people"]] == [name]
    shown = cli.json("show", prefix)
    assert (shown["name"], shown["notes"]) == (name, f"notes about {name}")
    assert name in cli.ok("show", name).stdout
    assert name in cli.ok("list").stdout
    assert name in cli.ok("search", query).stdout


def test_search_is_accent_insensitive_both_ways(cli: Cli) -> None:
    cli.ok("add", "José Álvarez")
    cli.ok("add", "Jose Alvarez")
    assert sorted(p["name"] for p in cli.json("search", "jose")["people"]) == ["Jose Alvarez", "José Álvarez"]
    shouted = cli.json("search", "JOSÉ ÁLVAREZ")["people"]
    assert sorted(p["name"] for p in shouted) == ["Jose Alvarez", "José Álvarez"]


def test_a_typo_in_an_accented_name_still_finds_it(cli: Cli) -> None:
    cli.ok("add", "José Álvarez")
    cli.ok("add", "Ana Lima")
    assert cli.json("show", "Jose Alvares")["name"] == "José Álvarez"
    assert cli.json("log", "coffee", "Jose Alvares")["with"] == ["José Álvarez"]


def test_unicode_in_tags_notes_and_organisations(cli: Cli) -> None:
    cli.ok("add", "Ana", "--tag", "café", "--company", "Société Générale", "--interest", "日本語")
    shown = cli.json("show", "Ana")
    assert (shown["tags"], shown["company"], shown["interests"]) == (["café"], "Société Générale", ["日本語"])
    assert [p["name"] for p in cli.json("search", "societe")["people"]] == ["Ana"]
    assert [p["name"] for p in cli.json("search", "日本")["people"]] == ["Ana"]
    assert [p["name"] for p in cli.json("list", "--org", "société")] == ["Ana"]
