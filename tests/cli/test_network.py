"""`tieline common`, `suggest`, `path` and `stats` through the real CLI."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests.conftest import Cli
from tests.test_docs import documented_keys
from tieline.models import LOCAL_OWNER_ID, Knows


def _network(cli: Cli, session: Session) -> dict[str, int]:
    ids = {}
    for name, extra in (
        ("Ana Lima", ["--company", "Acme", "--need", "fundraising", "--closeness", "5"]),
        ("Bo Chen", ["--company", "Acme", "--expertise", "fundraising", "--closeness", "4"]),
        ("Cy Diaz", ["--company", "Zeta", "--closeness", "2"]),
    ):
        ids[name] = cli.json("add", name, *extra)["id"]
    cli.ok("log", "coffee", "Ana Lima", "--date", "3 days ago")
    cli.ok("log", "coffee", "Bo Chen", "--date", "3 days ago")
    cli.ok("log", "call", "Cy Diaz", "--date", "3 days ago")
    low, high = sorted((ids["Bo Chen"], ids["Cy Diaz"]))
    session.add(Knows(owner_id=LOCAL_OWNER_ID, person_id=low, other_id=high, strength=0.9))
    session.commit()
    return ids


def test_json_shapes_match_the_documentation(cli: Cli, session: Session) -> None:
    docs = documented_keys()
    _network(cli, session)
    assert list(cli.json("common", "Ana Lima", "Bo Chen")) == docs["common ground"]
    assert list(cli.json("suggest", "intros")[0]) == docs["intro suggestion"]
    assert list(cli.json("path", "Cy Diaz")) == docs["warm path"]
    assert list(cli.json("stats")) == docs["network stats"]
    assert list(cli.json("suggest", "ask", "Zeta")[0]) == docs["ask suggestion"]


def test_common_shows_what_two_people_share_with_evidence(cli: Cli, session: Session) -> None:
    _network(cli, session)
    shown = cli.ok("common", "Ana Lima", "Bo Chen").stdout
    assert "Ana Lima and Bo Chen share:" in shown and "employer: Acme" in shown
    data = cli.json("common", "Ana Lima", "Bo Chen")
    assert data["items"][0]["kind"] == "employer" and data["a"] == "Ana Lima"


def test_suggest_intros_explains_why(cli: Cli, session: Session) -> None:
    _network(cli, session)
    shown = cli.ok("suggest", "intros", "--limit", "1").stdout
    assert (
        "Ana Lima <-> Bo Chen" in shown and "Ana Lima needs fundraising; Bo Chen offers fundraising" in shown
    )


def test_path_to_an_organisation_goes_through_the_people_who_know_someone_there(
    cli: Cli, session: Session
) -> None:
    ids = _network(cli, session)
    data = cli.json("path", "Zeta")
    assert data["target"] == "Zeta"
    assert [s["person_id"] for s in data["steps"]][-1] == ids["Cy Diaz"]
    assert data["strength"] > 0


def test_stats_prints_the_network_in_numbers(cli: Cli, session: Session) -> None:
    _network(cli, session)
    shown = cli.ok("stats").stdout
    assert "3 people, 2 links between them" in shown and "Brokerage: constraint" in shown
    data = cli.json("stats")
    assert data["counts"]["people"] == 3 and data["dunbar_layers"] == [5, 15, 50, 150, 500, 1500]


def test_suggestions_on_an_empty_network_say_so(cli: Cli) -> None:
    assert "No introductions to suggest" in cli.ok("suggest", "intros").stdout
    assert cli.json("suggest", "people") == []
    assert cli.json("suggest", "reconnect") == []


def test_unknown_targets_are_one_line_errors(cli: Cli) -> None:
    assert "no person matches" in cli.user_error("common", "Nobody Here", code=1)
    assert "no organisation matches" in cli.user_error("path", "Nowhere Inc", code=1)
    assert "no organisation matches" in cli.user_error("suggest", "ask", "Nowhere Inc", code=1)


def test_path_takes_an_id_or_an_organisation_prefix(cli: Cli, session: Session) -> None:
    ids = _network(cli, session)
    by_id = cli.json("path", f"#{ids['Cy Diaz']}")
    assert by_id["target"] == "Cy Diaz" and by_id["steps"][-1]["person_id"] == ids["Cy Diaz"]
    by_prefix = cli.json("path", "Zet")
    assert by_prefix["target"] == "Zeta" and by_prefix["steps"][-1]["person_id"] == ids["Cy Diaz"]
    assert "no person with id 99999" in cli.user_error("path", "#99999", code=1)
