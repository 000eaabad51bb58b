"""`tieline org add|show|list` and `tieline member`."""

from __future__ import annotations

from tests.conftest import Cli


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
