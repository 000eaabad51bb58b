"""People commands through the CLI: add, show, edit, archive, delete, list, search."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_add_stores_every_option_and_show_reads_it_back(cli: Cli) -> None:
    result = cli.ok(
        "add", "Ana Lima", "--email", "ana@example.com", "--email", "ana@work.example", "--phone", "+1 555 0100",
        "--link", "https://www.linkedin.com/in/ana", "--company", "Acme", "--title", "CTO", "--tier", "close",
        "--tag", "friend", "--tag", "climbing", "--interest", "chess", "--expertise", "rust", "--need", "funding",
        "--birthday", "05-02", "--note", "Met at PyCon", "--location", "Lisbon", "--met-on", "2 weeks ago",
    )  # fmt: skip
    assert result.stdout.strip() == "added Ana Lima (#1, CTO at Acme)"
    shown = cli.json("show", "Ana")
    assert {k: shown[k] for k in ("name", "given_name", "family_name", "company", "title", "tier")} == {
        "name": "Ana Lima",
        "given_name": "Ana",
        "family_name": "Lima",
        "company": "Acme",
        "title": "CTO",
        "tier": 2,
    }
    assert [e["address"] for e in shown["emails"]] == ["ana@example.com", "ana@work.example"]
    assert [p["number"] for p in shown["phones"]] == ["+1 555 0100"]
    assert [link["kind"] for link in shown["links"]] == ["linkedin"]
    assert sorted(shown["tags"]) == ["climbing", "friend"]
    assert (shown["interests"], shown["expertise"], shown["needs"]) == (["chess"], ["rust"], ["funding"])
    assert (shown["birthday"], shown["notes"], shown["location"]) == ("--05-02", "Met at PyCon", "Lisbon")
    assert shown["met_on"] == "2026-02-24"
    assert [(m["organisation"], m["role"], m["until"]) for m in shown["memberships"]] == [
        ("Acme", "CTO", None)
    ]


def test_show_prints_a_readable_profile(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--company", "Acme", "--title", "CTO", "--tag", "friend", "--note", "likes tea")
    cli.ok("log", "coffee", "Ana", "--note", "talked about hiring", "--date", "yesterday")
    out = cli.ok("show", "ana lima").stdout
    for text in ("Ana Lima", "#1", "CTO at Acme", "friend", "likes tea", "talked about hiring", "coffee"):
        assert text in out, text


def test_show_by_id_prefix_and_fuzzy_name(cli: Cli) -> None:
    cli.ok("add", "José Álvarez")
    cli.ok("add", "Ana Lima")
    for text in ("#1", "1", "José Álvarez", "jose alvarez", "Jos", "alv", "Jose Alvares"):
        assert cli.json("show", text)["name"] == "José Álvarez", text


def test_show_an_ambiguous_name_lists_the_candidates_and_fails(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--company", "Acme")
    cli.ok("add", "Ana Souza")
    message = cli.user_error("show", "Ana", code=1)
    assert "'Ana' matches 2 people" in message
    assert "Ana Lima (#1, Acme)" in message
    assert "Ana Souza (#2)" in message


def test_edit_sets_fields_and_adds_and_removes_list_values(cli: Cli) -> None:
    cli.ok("add", "Ana", "--tag", "a", "--tag", "b", "--email", "old@example.com", "--interest", "chess")
    result = cli.ok(
        "edit", "Ana", "--name", "Ana Lima", "--tag", "c", "--remove-tag", "a", "--email", "new@example.com",
        "--remove-email", "old@example.com", "--remove-interest", "Chess", "--expertise", "go", "--tier", "1",
    )  # fmt: skip
    assert result.stdout.strip() == "updated Ana Lima (#1)"
    shown = cli.json("show", "#1")
    assert (shown["name"], shown["tier"], sorted(shown["tags"])) == ("Ana Lima", 1, ["b", "c"])
    assert [e["address"] for e in shown["emails"]] == ["new@example.com"]
    assert (shown["interests"], shown["expertise"]) == ([], ["go"])


def test_edit_without_changes_is_a_user_error(cli: Cli) -> None:
    cli.ok("add", "Ana")
    assert "nothing to change" in cli.user_error("edit", "Ana", code=2)


def test_editing_the_company_ends_the_old_membership_and_opens_a_new_one(cli: Cli) -> None:
    cli.ok("add", "Ana", "--company", "Acme", "--title", "Engineer")
    cli.ok("edit", "Ana", "--company", "Globex", "--title", "CTO")
    memberships = sorted(
        (m["organisation"], m["role"], m["since"], m["until"]) for m in cli.json("show", "Ana")["memberships"]
    )
    assert memberships == [("Acme", "Engineer", None, "2026-03-10"), ("Globex", "CTO", "2026-03-10", None)]
    assert cli.json("show", "Ana")["company"] == "Globex"


def test_archive_hides_from_list_and_search_and_undo_restores(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("add", "Bo")
    assert cli.ok("archive", "Ana").stdout.strip() == "archived Ana Lima (#1, archived)"
    assert [p["name"] for p in cli.json("list")] == ["Bo"]
    assert cli.json("search", "ana")["people"] == []
    assert [p["name"] for p in cli.json("list", "--archived")] == ["Ana Lima", "Bo"]
    assert cli.json("show", "Ana")["archived"] is True
    assert cli.ok("archive", "Ana", "--undo").stdout.strip() == "restored Ana Lima (#1)"
    assert [p["name"] for p in cli.json("search", "ana")["people"]] == ["Ana Lima"]


def test_delete_removes_the_person_and_their_own_interactions_but_keeps_group_ones(cli: Cli) -> None:
    cli.ok("add", "Ana")
    cli.ok("add", "Bo")
    cli.ok("log", "call", "Ana", "--note", "just ana")
    cli.ok("log", "meeting", "Ana", "Bo", "--note", "both", "--date", "yesterday")
    assert cli.ok("delete", "Ana", "--yes").stdout.strip() == "deleted Ana (#1)"
    assert [p["name"] for p in cli.json("list", "--archived")] == ["Bo"]
    bo = cli.json("show", "Bo")
    assert [(t["notes"], t["with"]) for t in bo["timeline"]] == [("both", [])]
    assert "no person matches 'Ana'" in cli.user_error("show", "Ana", code=1)


def test_delete_asks_first_and_keeps_the_person_when_told_no(cli: Cli, snapshot: Any) -> None:
    cli.ok("add", "Ana")
    before = snapshot()
    result = cli.run("delete", "Ana", input="n\n")
    assert result.exit_code == 1
    assert "Delete Ana (#1) and their interactions?" in result.stdout
    assert snapshot() == before
    cli.ok("delete", "Ana", input="y\n")
    assert cli.json("list") == []


def test_list_filters_by_tier_tag_and_organisation(cli: Cli) -> None:
    cli.ok("add", "Ida", "--tier", "inner", "--tag", "family")
    cli.ok("add", "Cal", "--tier", "2", "--tag", "family", "--company", "Acme")
    cli.ok("add", "Nia", "--tag", "climbing", "--company", "Globex")
    cli.ok("member", "Ida", "Acme", "--until", "2020-01-01", "--since", "2019-01-01")

    def names(*args: str) -> list[str]:
        return [p["name"] for p in cli.json("list", *args)]

    assert names() == ["Cal", "Ida", "Nia"]
    assert names("--tier", "inner") == ["Ida"]
    assert names("--tier", "close", "--tag", "family") == ["Cal"]
    assert names("--tag", "family") == ["Cal", "Ida"]
    assert names("--org", "Acme") == ["Cal", "Ida"]
    assert names("--org", "glob") == ["Nia"]
    assert names("--tag", "nobody") == []


def test_list_sorts_by_name_last_contact_and_created(cli: Cli) -> None:
    for name in ("Cy", "Ana", "Bo", "Dee"):
        cli.ok("add", name)
    cli.ok("log", "call", "Ana", "--date", "3 days ago")
    cli.ok("log", "call", "Bo", "--date", "2026-01-01")
    cli.ok("log", "call", "Cy", "--date", "today")

    def names(*args: str) -> list[str]:
        return [p["name"] for p in cli.json("list", *args)]

    assert names("--sort", "name") == ["Ana", "Bo", "Cy", "Dee"]
    assert names("--sort", "last-contact") == ["Dee", "Bo", "Ana", "Cy"]
    assert names("--sort", "created") == ["Dee", "Bo", "Ana", "Cy"]
    assert names("--sort", "last-contact", "--limit", "2") == ["Dee", "Bo"]


def test_list_prints_a_table_with_a_count(cli: Cli) -> None:
    cli.ok("add", "Ana Lima", "--company", "Acme", "--title", "CTO", "--tag", "friend")
    out = cli.ok("list").stdout
    for text in ("Ana Lima", "CTO at Acme", "network", "friend", "never", "1 person"):
        assert text in out, text


def test_search_finds_by_any_field_best_match_first(cli: Cli) -> None:
    cli.ok("add", "Bo Notes", "--note", "introduced me to Kowalski")
    cli.ok("add", "Kasia Kowalski")
    results = cli.json("search", "kowalski")["people"]
    assert [r["name"] for r in results] == ["Kasia Kowalski", "Bo Notes"]
    assert "2 found" in cli.ok("search", "kowalski").stdout


def test_search_without_matches_is_empty_not_an_error(cli: Cli) -> None:
    cli.ok("add", "Ana")
    assert cli.json("search", "zzz")["people"] == []
    assert "0 found" in cli.ok("search", "zzz").stdout


def test_search_json_scores_tell_a_better_match_from_a_worse_one(cli: Cli) -> None:
    cli.ok("add", "Bo Notes", "--note", "introduced me to Kowalski")
    cli.ok("add", "Kasia Kowalski")
    first, second = cli.json("search", "kowalski")["people"]
    assert first["score"] > second["score"] > 0


def _shared_school_and_interest(cli: Cli, name: str = "Ana Lima", school: str = "LSE") -> None:
    cli.ok("add", name, "--interest", "jazz")
    cli.ok("config", "me.interests", "Jazz")
    cli.ok("member", "me", school, "--kind", "school", "--since", "2010-09-01", "--until", "2013-07-01")
    cli.ok("member", "#1", school, "--since", "2011-09-01", "--until", "2014-07-01")


def test_show_lists_the_common_ground_with_its_evidence(cli: Cli) -> None:
    _shared_school_and_interest(cli)
    lines = cli.ok("show", "Ana Lima").stdout.splitlines()
    start = lines.index("common ground")
    assert [line.rstrip() for line in lines[start + 1 : start + 3]] == [
        "school    LSE   you: 2010-09-01 to 2013-07-01; Ana Lima: 2011-09-01 to 2014-07-01",
        "interest  jazz  you: your interest; they: interest",
    ]
    ground = cli.json("show", "Ana Lima")["common_ground"]
    assert list(ground) == documented_keys()["common ground"]
    assert (ground["a"], ground["b_id"], ground["score"], ground["mutual_contacts"]) == ("you", 1, 4.0, 0)
    assert ground["items"] == [
        {
            "kind": "school",
            "label": "LSE",
            "weight": 3.0,
            "evidence": ["you: 2010-09-01 to 2013-07-01", "Ana Lima: 2011-09-01 to 2014-07-01"],
            "person_id": None,
        },
        {
            "kind": "interest",
            "label": "jazz",
            "weight": 1.0,
            "evidence": ["you: your interest", "they: interest"],
            "person_id": None,
        },
    ]


def test_show_says_when_nothing_is_in_common(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    assert "common ground: nothing on record" in cli.ok("show", "Ana Lima").stdout
    assert cli.json("show", "Ana Lima")["common_ground"]["items"] == []


def test_show_prints_common_ground_names_as_text_not_markup(cli: Cli) -> None:
    _shared_school_and_interest(cli, name="<b>x</b> [bold]Eve[/bold]", school="<b>x</b> [red]LSE[/red]")
    out = cli.ok("show", "#1").stdout
    assert "<b>x</b> [red]LSE[/red]" in out
    assert "<b>x</b> [bold]Eve[/bold]: 2011-09-01 to 2014-07-01" in out
