"""`tieline org add|show|list`, `tieline member` and `tieline who`."""

from __future__ import annotations

from tests.conftest import Cli
from tests.test_docs import documented_keys


def test_org_add_show_and_list(cli: Cli) -> None:
    added = cli.json(
        "org", "add", "Acme", "--industry", "Anvils", "--location", "Phoenix", "--website", "https://acme.example",
        "--note", "roadrunner problem",
    )  # fmt: skip
    assert (added["name"], added["kind"], added["industry"]) == ("Acme", "company", "Anvils")
    assert cli.ok("org", "add", "MIT Alumni", "--kind", "alumni-network").stdout.strip() == (
        "added alumni network MIT Alumni (#2)"
    )
    cli.ok("org", "add", "Acme Robotics Team", "--kind", "team", "--parent", "Acme")
    listed = cli.json("org", "list")
    assert [(o["name"], o["kind"], o["members"]) for o in listed] == [
        ("Acme", "company", 0),
        ("Acme Robotics Team", "team", 0),
        ("MIT Alumni", "alumni_network", 0),
    ]
    assert listed[1]["parent_id"] == added["id"]
    assert [o["name"] for o in cli.json("org", "list", "--kind", "alumni_network")] == ["MIT Alumni"]
    out = cli.ok("org", "show", "acme").stdout
    for text in ("Acme", "company", "Anvils", "Phoenix", "roadrunner problem"):
        assert text in out, text


def test_member_records_role_and_dates_and_shows_on_both_sides(cli: Cli) -> None:
    cli.ok("add", "Ana Lima")
    cli.ok("org", "add", "Acme")
    result = cli.ok(
        "member", "Ana", "Acme", "--role", "Advisor", "--since", "2024-01-15", "--until", "2025-06-30"
    )
    assert result.stdout.strip() == "Ana Lima: member of Acme as Advisor"
    shown = cli.json("org", "show", "Acme")
    assert [(m["person"], m["role"], m["since"], m["until"]) for m in shown["memberships"]] == [
        ("Ana Lima", "Advisor", "2024-01-15", "2025-06-30")
    ]
    person = cli.json("show", "Ana")
    assert [(m["organisation"], m["role"]) for m in person["memberships"]] == [("Acme", "Advisor")]
    assert cli.json("org", "list")[0]["members"] == 1


def test_member_creates_an_organisation_it_does_not_know(cli: Cli) -> None:
    cli.ok("add", "Ana")
    membership = cli.json("member", "Ana", "Stanford", "--kind", "school", "--since", "2010-09-01")
    assert (membership["organisation"], membership["since"], membership["until"]) == (
        "Stanford",
        "2010-09-01",
        None,
    )
    assert [(o["name"], o["kind"]) for o in cli.json("org", "list")] == [("Stanford", "school")]


def test_member_me_records_the_owners_own_membership(cli: Cli) -> None:
    cli.ok("org", "add", "PyData", "--kind", "community")
    membership = cli.json("member", "me", "PyData", "--role", "Organiser")
    assert (membership["person_id"], membership["person"], membership["role"]) == (None, None, "Organiser")
    assert (
        cli.ok("member", "me", "PyData", "--role", "Host").stdout.strip() == "you: member of PyData as Host"
    )
    assert [m["person"] for m in cli.json("org", "show", "PyData")["memberships"]] == [None, None]
    assert cli.json("org", "list")[0]["members"] == 0  # members counts people, not the owner


def test_member_of_an_organisation_found_by_prefix(cli: Cli) -> None:
    cli.ok("add", "Ana")
    cli.ok("org", "add", "Globex Corporation")
    assert cli.json("member", "Ana", "glob")["organisation"] == "Globex Corporation"
    assert len(cli.json("org", "list")) == 1


def test_repeating_member_updates_the_open_membership(cli: Cli) -> None:
    cli.ok("add", "Ana", "--company", "Acme")
    cli.ok("member", "Ana", "Acme", "--role", "CTO")
    memberships = cli.json("show", "Ana")["memberships"]
    assert [(m["organisation"], m["role"], m["until"]) for m in memberships] == [("Acme", "CTO", None)]


def test_who_lists_people_in_an_organisation_and_its_departments(cli: Cli) -> None:
    cli.ok("org", "add", "Acme")
    cli.ok("org", "add", "Acme Data", "--kind", "department", "--parent", "Acme")
    cli.ok("add", "Ana Lima")
    cli.ok("add", "Bo Chen")
    cli.ok("member", "Ana Lima", "Acme Data", "--role", "Engineer", "--since", "2022-01-01")
    cli.ok("member", "Bo Chen", "Acme", "--role", "CTO", "--since", "2015-01-01", "--until", "2020-01-01")
    cli.ok("member", "me", "Acme Data")
    cli.ok("log", "coffee", "Bo Chen")
    found = cli.json("who", "acme")
    assert [(i["person"], i["current"]) for i in found] == [("Ana Lima", True), ("Bo Chen", False)]
    assert list(found[0]) == documented_keys()["insider"]
    assert [(m["organisation"], m["role"]) for m in found[0]["memberships"]] == [("Acme Data", "Engineer")]
    out = cli.ok("who", "Acme").stdout
    assert "Acme Data" in out and "2015-01-01" in out and "2020-01-01" in out
    assert cli.ok("who", "Acme Data").stdout.count("Bo Chen") == 0


def test_who_in_an_organisation_with_nobody_you_know(cli: Cli) -> None:
    cli.ok("org", "add", "Globex")
    assert cli.ok("who", "Globex").stdout == "You know nobody in Globex yet.\n"
    assert cli.json("who", "Globex") == []
    assert "no organisation matches 'Initech'" in cli.user_error("who", "Initech", code=1)
