"""`--json` output keeps the documented shapes (tieline.serialise), key for key."""

from __future__ import annotations

from tests.conftest import Cli

PERSON_SUMMARY = {
    "id", "name", "title", "company", "tier", "tier_name", "emails", "tags", "archived", "last_contact_at",
}  # fmt: skip
PERSON_FULL = {
    "id", "name", "given_name", "middle_name", "family_name", "name_prefix", "name_suffix", "nickname",
    "title", "company", "department", "industry", "location", "birthday", "met_how", "met_where", "met_on",
    "tier", "tier_name", "cadence_days", "closeness", "emails", "phones", "links", "tags", "interests",
    "expertise", "needs", "notes", "archived", "last_contact_at", "source", "source_id", "created_at",
    "updated_at",
}  # fmt: skip
INTERACTION = {"id", "kind", "occurred_at", "initiated_by", "channel", "subject", "notes"}
ORGANISATION = {"id", "name", "kind", "industry", "location", "website", "notes", "parent_id"}
MEMBERSHIP = {"id", "organisation_id", "organisation", "person_id", "person", "role", "since", "until"}


def test_person_shapes(cli: Cli) -> None:
    added = cli.json(
        "add", "Ana Lima", "--email", "ana@example.com", "--phone", "+1 555 0100", "--link",
        "https://github.com/ana", "--company", "Acme", "--tag", "x",
    )  # fmt: skip
    assert set(added) == PERSON_FULL
    assert added["emails"] == [{"address": "ana@example.com", "label": None}]
    assert added["phones"] == [{"number": "+1 555 0100", "label": None}]
    assert added["links"] == [{"url": "https://github.com/ana", "kind": "github", "label": None}]

    cli.ok("log", "call", "Ana")
    shown = cli.json("show", "Ana")
    assert set(shown) == PERSON_FULL | {
        "memberships",
        "interaction_count",
        "strength",
        "next_due",
        "timeline",
        "common_ground",
    }
    assert set(shown["memberships"][0]) == MEMBERSHIP
    assert set(shown["timeline"][0]) == INTERACTION | {"with"}

    assert set(cli.json("edit", "Ana", "--tag", "y")) == PERSON_FULL
    [listed] = cli.json("list")
    assert set(listed) == PERSON_SUMMARY
    [found] = cli.json("search", "ana")
    assert set(found) == PERSON_SUMMARY | {"score"}


def test_interaction_shape(cli: Cli) -> None:
    cli.ok("add", "Ana")
    logged = cli.json("log", "coffee", "Ana")
    assert set(logged) == INTERACTION | {"with"}
    assert logged["with"] == ["Ana"]


def test_organisation_and_membership_shapes(cli: Cli) -> None:
    cli.ok("add", "Ana")
    assert set(cli.json("org", "add", "Acme")) == ORGANISATION
    assert set(cli.json("member", "Ana", "Acme", "--role", "CTO")) == MEMBERSHIP
    [listed] = cli.json("org", "list")
    assert set(listed) == ORGANISATION | {"members"}
    shown = cli.json("org", "show", "Acme")
    assert set(shown) == ORGANISATION | {"memberships"}
    assert set(shown["memberships"][0]) == MEMBERSHIP


def test_timestamps_are_iso_8601_with_a_utc_offset(cli: Cli) -> None:
    cli.ok("add", "Ana")
    logged = cli.json("log", "call", "Ana", "--date", "2026-03-01")
    assert logged["occurred_at"] == "2026-03-01T12:00:00+00:00"
    shown = cli.json("show", "Ana")
    assert shown["last_contact_at"] == "2026-03-01T12:00:00+00:00"
    assert shown["created_at"].endswith("+00:00")
