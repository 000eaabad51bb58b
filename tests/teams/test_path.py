"""The warm path across the team (services/team_paths.py), on both databases: a target only a
teammate knows strongly is reached through them; one the asker knows strongly is their own route;
nothing of the teammate but the shared fields of the shared entry ever shows."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tests.conftest import FIXED_NOW, Cli
from tests.teams.helpers import MET, PASSWORD, account, meet, person, share, team
from tieline.analytics.paths import WarmPath
from tieline.db import Database
from tieline.errors import NotFound
from tieline.services import team_paths

SECRET = "secret-note-zq81"


@dataclass
class Setup:
    ana: int
    ben: int
    team: int
    ana_dana: int


def _ben_knows(db: Database, ben: int) -> None:
    gil = person(
        db, ben, "Gil Globex", company="Globex", title="CTO", closeness=5, met_on=MET,
        lists={"emails": ["gil@globex.example"], "phones": ["+1 555 0101"], "tags": ["clients"]},
    )  # fmt: skip
    meet(db, ben, gil, times=6, notes=SECRET)
    # Strong too, but not shared (no tag): never in an answer.
    hal = person(db, ben, "Hal Hidden", company="Globex", title="CEO", closeness=5, met_on=MET)
    meet(db, ben, hal, times=6)
    ira = person(
        db, ben, "Ira Initech", company="Initech", closeness=5, met_on=MET, lists={"tags": ["clients"]}
    )
    meet(db, ben, ira, times=6)
    dana = person(
        db, ben, "Dana Reyes", company="Acme", closeness=5, met_on=MET,
        lists={"emails": ["dana@acme.example"], "tags": ["clients"]},
    )  # fmt: skip
    meet(db, ben, dana, times=6)


@pytest.fixture
def setup(db: Database) -> Setup:
    ana, ben = account(db, "ana"), account(db, "ben")
    _ben_knows(db, ben)
    ola = person(db, ana, "Ola Own", company="Initech", closeness=5, met_on=MET)
    meet(db, ana, ola, times=6)
    ana_dana = person(db, ana, "D. Reyes", lists={"emails": ["Dana@Acme.example"]})
    team_id = team(db, ana, "Sales", ben)
    share(db, team_id, ben, "tag", "clients")
    return Setup(ana, ben, team_id, ana_dana)


def _path(db: Database, owner_id: int, text: str, **kw: str) -> team_paths.PathAnswer:
    with db.transaction(writes=True) as s:
        return team_paths.warm_path(s, owner_id=owner_id, text=text, now=FIXED_NOW, **kw)


def _routes(answer: team_paths.PathAnswer) -> list[tuple[str, str, str, int, str, str | None]]:
    return [
        (r.team, r.knower.username, r.knower.band, r.knower.since_year, r.knower.name, r.knower.organisation)
        for r in answer.team_routes
    ]


def test_a_target_only_a_teammate_knows_strongly_goes_through_the_teammate(
    db: Database, setup: Setup
) -> None:
    found = _path(db, setup.ana, "Globex")  # no Globex in Ana's network at all
    assert found.own is None and found.own_band == "none"
    assert _routes(found) == [("Sales", "ben", "strong", 2019, "Gil Globex", "Globex")]
    assert found.team_first
    # The same through one team named.
    assert _routes(_path(db, setup.ana, "globex", team="sales")) == _routes(found)


def test_one_of_your_people_known_weakly_is_reached_through_the_teammate_who_knows_them(
    db: Database, setup: Setup
) -> None:
    found = _path(db, setup.ana, "D. Reyes")  # matched by the keyed hash of the email
    assert found.own is None or found.own_band in ("weak", "medium")
    assert _routes(found) == [("Sales", "ben", "strong", 2019, "Dana Reyes", "Acme")]


def test_a_target_you_know_strongly_is_your_own_route(db: Database, setup: Setup) -> None:
    found = _path(db, setup.ana, "Initech")
    assert found.own is not None and found.own_band == "strong"
    assert [s.name for s in found.own.steps] == ["Ola Own"]
    assert found.team_routes == [] and not found.team_first  # Ben's strong Ira is not stronger
    # Ben asking the other way: Ana shares nothing, so his route is his own.
    assert _path(db, setup.ben, "Initech").team_routes == []


def test_a_weaker_own_route_puts_the_team_route_first_and_keeps_the_own(db: Database, setup: Setup) -> None:
    person(db, setup.ana, "Wes Weak", company="Globex")  # never met: a weak route of her own
    found = _path(db, setup.ana, "Globex")
    assert found.own_band in ("none", "weak")
    assert _routes(found) == [("Sales", "ben", "strong", 2019, "Gil Globex", "Globex")]


def test_without_teams_an_unknown_target_is_the_error_it_was(db: Database) -> None:
    solo = account(db, "solo")
    with pytest.raises(NotFound):
        _path(db, solo, "Globex")
    with pytest.raises(NotFound, match="no team"):
        _path(db, solo, "Globex", team="Sales")


def test_route_band_uses_the_share_thresholds() -> None:
    assert team_paths.route_band(None) == "none"
    assert [team_paths.route_band(WarmPath("x", v, [])) for v in (0.5, 0.4999, 0.2, 0.1999)] == [
        "strong", "medium", "medium", "weak",
    ]  # fmt: skip


def test_path_from_the_command_line_shows_the_team_route_and_nothing_else_of_the_teammate(
    cli: Cli, db: Database
) -> None:
    for name in ("ana", "ben"):  # ana takes the local network: `path` without --user is hers
        cli.ok("user", "add", name, "--password-stdin", input=PASSWORD + "\n")
    ben = _owner(db, "ben")
    _ben_knows(db, ben)
    cli.ok("team", "create", "Sales")
    token = cli.ok("team", "invite", "Sales").stdout.strip()
    cli.ok("team", "join", token, "--user", "ben")
    cli.ok("team", "share", "Sales", "--tag", "clients", "--user", "ben")
    out = cli.ok("path", "Globex").stdout
    assert "via teammate ben (strong, since 2019) -> Gil Globex, CTO at Globex  [team Sales]" in out
    assert "No chain from you to Globex." in out
    doc = cli.json("path", "Globex", "--team", "Sales")
    # The route names the entry to ask an introduction with, as `team who` does.
    (known,) = cli.json("team", "who", "Sales", "Globex")
    assert doc["team_routes"][0].pop("share_id") == known["share_id"]
    assert doc == {
        "target": "Globex", "strength": 0.0, "steps": [], "band": "none",
        "team_routes": [{"team": "Sales", "username": "ben", "band": "strong", "since_year": 2019,
                         "name": "Gil Globex", "title": "CTO", "organisation": "Globex"}],
    }  # fmt: skip
    printed = out + json.dumps(doc)
    for never in (SECRET, "gil@globex.example", "555", "Hal Hidden", "CEO", "Ira Initech"):
        assert never not in printed
    assert "you are in no team 'Nope'" in cli.user_error("path", "Globex", "--team", "Nope", code=1)


def _owner(db: Database, username: str) -> int:
    with db.transaction() as s:
        return int(
            s.execute(
                sa.text("SELECT owner_id FROM account WHERE username = :u"), {"u": username}
            ).scalar_one()
        )
