"""`--json` values keep the formats docs/json.md describes. The key lists themselves are checked in one
place, tests/test_docs.py, against docs/json.md for every shape; here only what a key list cannot say."""

from __future__ import annotations

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_emails_phones_and_links_are_objects_with_their_labels(cli: Cli) -> None:
    added = cli.json(
        "add", "Ana Lima", "--email", "ana@example.com", "--phone", "+1 555 0100", "--link",
        "https://github.com/ana", "--company", "Acme", "--tag", "x",
    )  # fmt: skip
    assert added["emails"] == [{"address": "ana@example.com", "label": None}]
    assert added["phones"] == [{"number": "+1 555 0100", "label": None}]
    assert added["links"] == [{"url": "https://github.com/ana", "kind": "github", "label": None}]
    assert added["tags"] == ["x"] and added["tier_name"] == "network"
    [listed] = cli.json("list")
    assert listed["emails"] == ["ana@example.com"] and listed["tags"] == ["x"]


def test_a_logged_interaction_names_the_other_participants(cli: Cli) -> None:
    cli.ok("add", "Ana")
    cli.ok("add", "Bo")
    logged = cli.json("log", "coffee", "Ana", "Bo")
    assert logged["with"] == ["Ana", "Bo"]
    [entry] = cli.json("show", "Ana")["timeline"]
    assert entry["with"] == ["Bo"]


def test_a_search_result_is_a_summary_with_a_score(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    [found] = cli.json("search", "ana")["people"]
    assert list(found) == [*documented_keys()["person summary"], "score"]
    assert isinstance(found["score"], float) and found["score"] > 0


def test_the_person_page_shows_the_effective_cadence(cli: Cli) -> None:
    cli.ok("add", "Ana", "--tier", "2")
    assert cli.json("show", "Ana")["cadence_days"] == 30  # the tier's, since Ana has none of her own
    assert cli.json("edit", "Ana", "--cadence", "12")["cadence_days"] == 12


def test_timestamps_are_iso_8601_with_a_utc_offset(cli: Cli) -> None:
    cli.ok("add", "Ana")
    logged = cli.json("log", "call", "Ana", "--date", "2026-03-01")
    assert logged["occurred_at"] == "2026-03-01T12:00:00+00:00"
    shown = cli.json("show", "Ana")
    assert shown["last_contact_at"] == "2026-03-01T12:00:00+00:00"
    assert shown["created_at"].endswith("+00:00")
