"""The network map's data (/network.json): groups with a label saying what their members share,
names written only for the people worth naming, the person searched for named and added."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import FIXED_NOW
from tieline.models import Person


def _people(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The person nodes' data by name."""
    return {e["data"]["name"]: e["data"] for e in elements if e["data"].get("kind") == "person"}


def _groups(elements: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The group nodes' data by id."""
    return {e["data"]["id"]: e["data"] for e in elements if e["data"].get("kind") == "group"}


@pytest.fixture
def two_teams(add_person, log, session) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    """Eight at Acme and eight at Globex (a small company links its people), each team at one
    meeting; Bridget, at neither, met Acme's Ana and Globex's Eve; four loners seen alone; Zoe, at
    Acme, is your closest tie by far."""
    made: dict[str, Person] = {}
    for company, names in (
        ("Acme", ["Ana", "Abe", "Ada", "Al", "Amy", "Ari", "Ash", "Zoe"]),
        ("Globex", ["Eve", "Eli", "Ema", "Eno", "Eva", "Ezra", "Edu", "Eun"]),
    ):
        team = [made.setdefault(n, add_person(f"{n} {company}", company=company, tier=4)) for n in names]
        log("meeting", team, when=FIXED_NOW - timedelta(days=20))
    made["Zoe"].closeness = 5
    for days in (3, 10, 17):
        log("coffee", [made["Zoe"]], when=FIXED_NOW - timedelta(days=days))
    made["Bridget"] = add_person("Bridget Jones", tier=3)
    log("call", [made["Bridget"], made["Ana"]], when=FIXED_NOW - timedelta(days=5))
    log("call", [made["Bridget"], made["Eve"]], when=FIXED_NOW - timedelta(days=6))
    for name in ("Lou", "Lea", "Lin", "Len"):
        made[name] = add_person(f"{name} Loner", tier=5)
        log("email", [made[name]], when=FIXED_NOW - timedelta(days=40))
    session.commit()
    return made


def test_the_map_draws_each_team_as_a_group_labelled_by_its_company(client, two_teams) -> None:
    data = client.get("/network.json").json()
    groups, people = _groups(data["elements"]), _people(data["elements"])
    labelled = {g["label"]: g for g in groups.values()}
    assert {"Acme", "Globex"} <= set(labelled)
    # Bridget may fall in with either team: the label counts who shares it.
    assert labelled["Acme"]["why"] in ("8 of 8 work at Acme", "8 of 9 work at Acme")
    for name, group in (("Ana Acme", "Acme"), ("Zoe Acme", "Acme"), ("Eun Globex", "Globex")):
        assert people[name]["parent"] == labelled[group]["id"], name
    # The loners are in no group, and the map says so with a box of their own.
    assert groups[people["Lou Loner"]["parent"]]["label"] == "In no group"
    assert data["groups"] == 2 and data["people"] == 21


def test_names_are_written_only_for_the_people_worth_naming(client, two_teams) -> None:
    people = _people(client.get("/network.json").json()["elements"])
    named = {name: p for name, p in people.items() if p["label"]}
    # Every person carries their name (for hover and tap) but few have it written on the map,
    # each with the reason.
    assert all(p["name"] for p in people.values())
    assert 0 < len(named) <= len(people) // 2
    assert all(p["label"] == name and p["roles"] for name, p in named.items())
    assert not any(p["roles"] for p in people.values() if not p["label"])
    assert "one of your closest ties" in named["Zoe Acme"]["roles"]
    assert "links groups that are otherwise apart" in named["Bridget Jones"]["roles"]
    hubs = [name for name, p in named.items() if "most connected in their group" in p["roles"]]
    assert sorted(name.split()[1] for name in hubs) == ["Acme", "Globex"]
    assert not any(p["label"] for name, p in people.items() if name.endswith("Loner"))


def test_the_searched_person_is_named_and_centred_even_beyond_the_strongest(client, two_teams) -> None:
    lea = two_teams["Lea"]
    everyone = _people(client.get("/network.json").json()["elements"])
    assert everyone["Lea Loner"]["label"] == ""
    found = client.get("/network.json", params={"focus": "Lea Loner"}).json()
    assert found["focus"] == f"p{lea.id}"
    lea_node = _people(found["elements"])["Lea Loner"]
    assert lea_node["label"] == "Lea Loner" and "the person you searched for" in lea_node["roles"]
    # A loner is not among your three strongest ties: searched for, she is drawn all the same.
    few = client.get("/network.json", params={"limit": 3, "focus": f"#{lea.id}"}).json()
    assert set(_people(few["elements"])) >= {"Lea Loner", "Zoe Acme"} and few["people"] == 4


def test_a_search_for_nobody_or_an_archived_person_says_why(client, two_teams, session) -> None:
    missing = client.get("/network.json", params={"focus": "Nobody Atall"}, headers={"HX-Request": "true"})
    assert missing.status_code == 404 and "Nobody Atall" in missing.text
    two_teams["Len"].archived = True
    session.commit()
    archived = client.get("/network.json", params={"focus": "Len Loner"}, headers={"HX-Request": "true"})
    assert archived.status_code == 422 and "archived" in archived.text


def test_the_tier_filter_draws_that_tier_only(client, two_teams) -> None:
    data = client.get("/network.json", params={"tier": 5}).json()
    assert set(_people(data["elements"])) == {"Lou Loner", "Lea Loner", "Lin Loner", "Len Loner"}


def test_links_join_people_who_know_each_other_and_you_your_inner_circle(
    client, add_person, log, session
) -> None:
    ana, bo, cy = add_person("Ana", tier=2), add_person("Bo", tier=2), add_person("Cy", tier=4)
    log("meeting", [ana, bo], when=FIXED_NOW - timedelta(days=2))
    log("call", [cy], when=FIXED_NOW - timedelta(days=2))
    session.commit()
    edges = {
        e["data"]["id"]: e["data"]
        for e in client.get("/network.json").json()["elements"]
        if "source" in e["data"]
    }
    assert edges[f"{ana.id}-{bo.id}"]["kind"] == "knows" and 0 < edges[f"{ana.id}-{bo.id}"]["weight"] <= 1
    # Dashed lines from you go to your inner circle (tiers 1 and 2) only.
    assert {e["target"] for e in edges.values() if e["kind"] == "you"} == {f"p{ana.id}", f"p{bo.id}"}
