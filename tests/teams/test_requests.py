"""Issue 19's story, its second half, through the services on both databases: an introduction is
requested through a teammate's shared entry, accepted into the holder's double opt-in flow, made,
and shows in both members' histories; declining; who may ask; the holder's agenda line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import FIXED_NOW, Cli
from tests.teams import test_story
from tests.teams.helpers import PASSWORD, account, person, share, team
from tests.teams.test_story import Story
from tieline.db import Database
from tieline.errors import InvalidInput, NotFound
from tieline.models import Introduction
from tieline.services import introductions as introductions_service
from tieline.services import team_requests, team_shares
from tieline.services import teams as teams_service
from tieline.services.agenda import cache as agenda_cache

WHY = "we are pitching Acme's platform team next month"

story = test_story.story  # the story's first half, as its fixture builds it


def entry(db: Database, story: Story, asker: int, username: str, organisation: str = "Acme") -> int:
    """The id of `username`'s entry as `who` shows it to the asker."""
    with db.transaction(writes=True) as s:
        found = team_shares.who(
            s, team_id=story.team, asker_owner_id=asker, now=FIXED_NOW, organisation=organisation
        )
    return next(k.share_id for k in found if k.username == username)


def ask(db: Database, story: Story, asker: int, share_id: int, why: str = WHY) -> team_requests.Request:
    with db.transaction(writes=True) as s:
        return team_requests.ask(
            s, team_id=story.team, asker=asker, share_id=share_id, why=why, now=FIXED_NOW
        )


def asked(db: Database, story: Story, asker: int) -> list[tuple[str, str, str | None]]:
    with db.transaction() as s:
        return [
            (r.holder, r.state, r.introduction)
            for r in team_requests.asked(s, team_id=story.team, asker=asker)
        ]


def history(db: Database, owner_id: int) -> list[tuple[str, list[str]]]:
    """(subject, the people's names) of each of the owner's interactions of kind email."""
    with db.transaction() as s:
        rows = s.execute(
            sa.text(
                "SELECT i.id, i.subject, p.display_name FROM interaction i "
                "JOIN interaction_participant ip ON ip.interaction_id = i.id "
                "JOIN person p ON p.id = ip.person_id "
                "WHERE i.owner_id = :o AND i.kind = 'email' ORDER BY i.id, p.display_name"
            ),
            {"o": owner_id},
        ).all()
    out: dict[int, tuple[str, list[str]]] = {}
    for interaction_id, subject, name in rows:
        out.setdefault(interaction_id, (subject, []))[1].append(name)
    return list(out.values())


def agenda_lines(db: Database, owner_id: int) -> list[str]:
    """The owner's cached agenda's team request lines, as the Today page serves them (real clock:
    the cache keeps today's agenda only)."""
    now = datetime.now(UTC)
    with db.transaction(writes=True) as s:
        view = agenda_cache.cached_agenda(s, owner_id=owner_id, day=now.astimezone().date(), now=now)
    return [f"{i.title} | {' | '.join(i.reasons)}" for i in view.items if i.kind == "team_request"]


def test_an_introduction_requested_accepted_and_made_shows_in_both_members_histories(
    db: Database, story: Story
) -> None:
    assert agenda_lines(db, story.ben) == []  # computed and kept before the request
    request = ask(db, story, story.ana, entry(db, story, story.ana, "ben"))
    assert (request.holder, request.person, request.state) == ("ben", "Dana Reyes", "asked")
    # On Ben's agenda (the kept one is stale: the request was written), with the why and who asks.
    (line,) = agenda_lines(db, story.ben)
    assert line.startswith("ana asks you for an introduction to Dana Reyes")
    assert WHY in line and f"tieline team accept {request.id}" in line
    assert agenda_lines(db, story.ana) == [] and agenda_lines(db, story.cy) == []

    with db.transaction(writes=True) as s:
        intro = team_requests.accept(s, holder=story.ben, request_id=request.id, now=FIXED_NOW)
        intro_id = intro.id
        a, b = introductions_service.people_of(s, intro)
        # Ben's Dana is A, asked first; Ana, whom Ben did not have, is added to his network by her username.
        assert (a.id, b.display_name, intro.state) == (story.ben_dana, "ana", "proposed")
        assert WHY in intro.why
    assert agenda_lines(db, story.ben) == []  # answered: the line is gone
    assert asked(db, story, story.ana) == [("ben", "accepted", "proposed")]

    # Ben runs his double opt-in flow to the end.
    with db.transaction(writes=True) as s:
        intro = s.get(Introduction, intro_id)
        assert intro is not None
        introductions_service.ask_a(s, intro, now=FIXED_NOW)
        introductions_service.ask_b(s, intro, now=FIXED_NOW)
        introductions_service.make(s, owner_id=story.ben, intro=intro, now=FIXED_NOW + timedelta(days=1))
    assert asked(db, story, story.ana) == [("ben", "accepted", "made")]
    # Both histories: Ben's email introducing them; in Ana's, the introduction with her own Dana, found
    # by the keyed hash of the LinkedIn URL they share (Ana has her as "D. Reyes").
    assert history(db, story.ben) == [("Introduction: Dana Reyes and ana", ["Dana Reyes", "ana"])]
    assert history(db, story.ana) == [("Introduction to Dana Reyes by ben (team Sales)", ["D. Reyes"])]
    assert history(db, story.cy) == []


def test_the_asker_without_the_person_gets_them_added_and_the_holder_finds_the_asker_by_name(
    db: Database, story: Story
) -> None:
    ben_knows_cy = person(db, story.ben, "Cy")  # Ben has Cy in his network, under the username's name
    request = ask(db, story, story.cy, entry(db, story, story.cy, "ben"))
    with db.transaction(writes=True) as s:
        intro = team_requests.accept(s, holder=story.ben, request_id=request.id, now=FIXED_NOW)
        assert intro.person_b_id == ben_knows_cy
        introductions_service.ask_a(s, intro, now=FIXED_NOW)
        introductions_service.ask_b(s, intro, now=FIXED_NOW)
        introductions_service.make(s, owner_id=story.ben, intro=intro, now=FIXED_NOW)
    # Cy's own Dana ("Dana R.", another email) has the same LinkedIn profile as Ben's: found by its hash.
    assert history(db, story.cy) == [("Introduction to Dana Reyes by ben (team Sales)", ["Dana R."])]
    # Someone the asker does not have at all is added to the asker's network.
    gil = person(db, story.cy, "Gil Globex", company="Globex")
    share(db, story.team, story.cy, "person", str(gil))
    request = ask(db, story, story.ana, entry(db, story, story.ana, "cy", "Globex"))
    with db.transaction(writes=True) as s:
        intro = team_requests.accept(s, holder=story.cy, request_id=request.id, now=FIXED_NOW)
        introductions_service.ask_a(s, intro, now=FIXED_NOW)
        introductions_service.ask_b(s, intro, now=FIXED_NOW)
        introductions_service.make(s, owner_id=story.cy, intro=intro, now=FIXED_NOW)
    assert history(db, story.ana) == [("Introduction to Gil Globex by cy (team Sales)", ["Gil Globex"])]
    with db.transaction() as s:
        company = s.execute(
            sa.text("SELECT company FROM person WHERE owner_id = :o AND display_name = 'Gil Globex'"),
            {"o": story.ana},
        ).scalar_one()
    assert company == "Globex"


def test_declining_needs_no_reason_and_takes_the_line_away(db: Database, story: Story) -> None:
    request = ask(db, story, story.ana, entry(db, story, story.ana, "cy"))
    assert len(agenda_lines(db, story.cy)) == 1
    with db.transaction(writes=True) as s:
        team_requests.decline(s, holder=story.cy, request_id=request.id, now=FIXED_NOW)
    assert agenda_lines(db, story.cy) == []
    assert asked(db, story, story.ana) == [("cy", "declined", None)]
    with db.transaction() as s:
        assert s.execute(sa.text("SELECT count(*) FROM introduction")).scalar() == 0
    with db.transaction() as s, pytest.raises(InvalidInput, match="already declined"):
        team_requests.accept(s, holder=story.cy, request_id=request.id, now=FIXED_NOW)
    # Declined is answered: Ana may ask again.
    again = ask(db, story, story.ana, entry(db, story, story.ana, "cy"), why="once more")
    assert again.state == "asked"


def test_only_a_member_who_could_see_the_entry_may_ask_and_only_the_holder_answers(
    db: Database, story: Story
) -> None:
    bens = entry(db, story, story.ana, "ben")
    # Not one's own entry, not twice while unanswered, not without a why.
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.ask(s, team_id=story.team, asker=story.ben, share_id=bens, why=WHY, now=FIXED_NOW)
    with db.transaction() as s, pytest.raises(InvalidInput, match="why"):
        team_requests.ask(s, team_id=story.team, asker=story.ana, share_id=bens, why="  ", now=FIXED_NOW)
    request = ask(db, story, story.ana, bens)
    with pytest.raises(InvalidInput, match="already asked"):
        ask(db, story, story.ana, bens)
    # A non-member is told there is no such team, and an entry of another team is not in this one.
    dora = account(db, "dora")
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.ask(s, team_id=story.team, asker=dora, share_id=bens, why=WHY, now=FIXED_NOW)
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.asked(s, team_id=story.team, asker=dora)
    other = team(db, story.ana, "Other", dora)
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.ask(s, team_id=other, asker=story.ana, share_id=bens, why=WHY, now=FIXED_NOW)
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.ask(s, team_id=story.team, asker=story.ana, share_id=10**12, why=WHY, now=FIXED_NOW)
    # Only Ben answers Ana's request to him; nobody sees another's requests.
    for someone in (story.ana, story.cy, dora):
        with db.transaction() as s, pytest.raises(NotFound):
            team_requests.accept(s, holder=someone, request_id=request.id, now=FIXED_NOW)
        with db.transaction() as s, pytest.raises(NotFound):
            team_requests.decline(s, holder=someone, request_id=request.id, now=FIXED_NOW)
    assert asked(db, story, story.cy) == []
    # Once Ben leaves the team, the request is off his agenda and no longer his to answer.
    with db.transaction(writes=True) as s:
        teams_service.leave(s, owner_id=story.ben, team="Sales")
    assert agenda_lines(db, story.ben) == []
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.accept(s, holder=story.ben, request_id=request.id, now=FIXED_NOW)


def test_requests_and_the_audit_from_the_command_line(cli: Cli, db: Database) -> None:
    for name in ("ana", "ben", "dora"):
        cli.ok("user", "add", name, "--password-stdin", input=PASSWORD + "\n")
    cli.ok("add", "Dana Reyes", "--company", "Acme Inc.", "--title", "CTO")  # Ana's (the local owner's)
    cli.ok("team", "create", "Sales")
    cli.ok("team", "join", cli.ok("team", "invite", "Sales").stdout.strip(), "--user", "ben")
    cli.ok("team", "share", "Sales", "--all")
    (found,) = cli.json("team", "who", "Sales", "Acme", "--user", "ben")
    assert "tieline team ask" in cli.ok("team", "who", "Sales", "Acme", "--user", "ben").stdout
    made = cli.ok(
        "team", "ask", "Sales", "--share", str(found["share_id"]), "--why", "a pilot", "--user", "ben"
    )
    assert "Request #1: ana is asked to introduce you to Dana Reyes" in made.stdout
    assert "already asked" in cli.user_error(
        "team", "ask", "Sales", "--share", str(found["share_id"]), "--why", "again", "--user", "ben", code=2
    )
    assert "you are in no team" in cli.user_error(
        "team", "ask", "Sales", "--share", str(found["share_id"]), "--why", "x", "--user", "dora", code=1
    )
    assert "no introduction request #1" in cli.user_error("team", "accept", "1", "--user", "ben", code=1)
    (listed,) = cli.json("team", "requests", "Sales", "--user", "ben")
    assert (listed["holder"], listed["person"], listed["state"]) == ("ana", "Dana Reyes", "asked")
    audit = cli.json("team", "audit", "Sales")
    assert [(a["asker"], a["what"], a["query"]) for a in audit] == [
        ("ben", "intro_request", "Dana Reyes"),
        ("ben", "who_organisation", "Acme"),
        ("ben", "who_organisation", "Acme"),
    ]
    assert cli.json("team", "audit", "Sales", "--user", "ben") == []
    assert "Introduction #1 proposed" in cli.ok("team", "accept", "1").stdout
    assert "accepted, introduction proposed" in cli.ok("team", "requests", "Sales", "--user", "ben").stdout
    assert "already accepted" in cli.user_error("team", "decline", "1", code=2)
    intro = cli.ok("intro", "list").stdout
    assert "Dana Reyes" in intro and "ben" in intro


def shown(db: Database, story: Story, asker: int) -> list[tuple[str, str, str | None, str, str]]:
    with db.transaction() as s:
        return [
            (r.holder, r.person, r.organisation, r.why, r.state)
            for r in team_requests.asked(s, team_id=story.team, asker=asker)
        ]


def test_the_askers_list_names_a_teammates_person_only_while_it_is_shared(db: Database, story: Story) -> None:
    """As who does: once Ben stops sharing, Ana's requests to him keep her words and their states
    and no longer name Dana; once he leaves, not him either. Sharing again names them again."""
    first = ask(db, story, story.ana, entry(db, story, story.ana, "ben"))
    with db.transaction(writes=True) as s:
        team_requests.accept(s, holder=story.ben, request_id=first.id, now=FIXED_NOW)
    ask(db, story, story.ana, entry(db, story, story.ana, "cy"), why="for the pilot")
    assert shown(db, story, story.ana) == [
        ("cy", "Dana R.", "ACME", "for the pilot", "asked"),
        ("ben", "Dana Reyes", "Acme Inc.", WHY, "accepted"),
    ]
    with db.transaction(writes=True) as s:
        team_shares.unshare(s, team_id=story.team, owner_id=story.ben, rule=None, now=FIXED_NOW)
    gone = team_requests.NO_LONGER_SHARED
    assert shown(db, story, story.ana) == [
        ("cy", "Dana R.", "ACME", "for the pilot", "asked"),
        ("ben", gone, None, WHY, "accepted"),
    ]
    share(db, story.team, story.ben, "all")
    assert shown(db, story, story.ana)[1][:3] == ("ben", "Dana Reyes", "Acme Inc.")
    with db.transaction(writes=True) as s:
        teams_service.leave(s, owner_id=story.ben, team="Sales")
    assert shown(db, story, story.ana)[1] == (team_requests.FORMER_TEAMMATE, gone, None, WHY, "accepted")


def test_withdrawing_takes_the_line_away_and_a_request_lapses_when_its_asker_leaves(
    db: Database, story: Story
) -> None:
    request = ask(db, story, story.ana, entry(db, story, story.ana, "cy"))
    assert len(agenda_lines(db, story.cy)) == 1
    for someone in (story.cy, story.ben):  # only the asker withdraws
        with db.transaction() as s, pytest.raises(NotFound, match="of yours"):
            team_requests.withdraw(s, asker=someone, request_id=request.id, now=FIXED_NOW)
    with db.transaction(writes=True) as s:
        taken = team_requests.withdraw(s, asker=story.ana, request_id=request.id, now=FIXED_NOW)
    assert (taken.state, taken.answered_at) == ("withdrawn", FIXED_NOW)
    assert agenda_lines(db, story.cy) == []
    with db.transaction() as s, pytest.raises(InvalidInput, match="already withdrawn"):
        team_requests.withdraw(s, asker=story.ana, request_id=request.id, now=FIXED_NOW)
    with db.transaction() as s, pytest.raises(InvalidInput, match="already withdrawn"):
        team_requests.accept(s, holder=story.cy, request_id=request.id, now=FIXED_NOW)
    # Asked again, and then Ana leaves: off Cy's agenda, no longer Cy's to answer.
    again = ask(db, story, story.ana, entry(db, story, story.ana, "cy"))
    assert len(agenda_lines(db, story.cy)) == 1
    with db.transaction(writes=True) as s:
        teams_service.leave(s, owner_id=story.ana, team="Sales")
    assert agenda_lines(db, story.cy) == []
    with db.transaction() as s:
        assert team_requests.waiting(s, holder=story.cy) == []
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.accept(s, holder=story.cy, request_id=again.id, now=FIXED_NOW)


def test_withdrawing_from_the_command_line(cli: Cli, db: Database) -> None:
    for name in ("ana", "ben"):
        cli.ok("user", "add", name, "--password-stdin", input=PASSWORD + "\n")
    cli.ok("add", "Dana Reyes", "--company", "Acme Inc.")
    cli.ok("team", "create", "Sales")
    cli.ok("team", "join", cli.ok("team", "invite", "Sales").stdout.strip(), "--user", "ben")
    cli.ok("team", "share", "Sales", "--all")
    (found,) = cli.json("team", "who", "Sales", "Acme", "--user", "ben")
    cli.ok("team", "ask", "Sales", "--share", str(found["share_id"]), "--why", "a pilot", "--user", "ben")
    assert "no introduction request #1 of yours" in cli.user_error("team", "withdraw", "1", code=1)
    assert "Request #1 withdrawn." in cli.ok("team", "withdraw", "1", "--user", "ben").stdout
    (listed,) = cli.json("team", "requests", "Sales", "--user", "ben")
    assert (listed["state"], listed["person"], listed["team_id"]) == ("withdrawn", "Dana Reyes", 1)
    assert "already withdrawn" in cli.user_error("team", "withdraw", "1", "--user", "ben", code=2)
    assert "ana asks" not in cli.ok("today").stdout


def test_a_member_removed_by_the_owner_has_their_open_requests_withdrawn(db: Database, story: Story) -> None:
    request = ask(db, story, story.cy, entry(db, story, story.cy, "ben"))
    assert len(agenda_lines(db, story.ben)) == 1
    with db.transaction(writes=True) as s:
        teams_service.remove(s, owner_id=story.ana, team="Sales", username="cy")
    assert agenda_lines(db, story.ben) == []
    with db.transaction() as s:
        state = s.execute(
            sa.text("SELECT state FROM intro_request WHERE id = :i"), {"i": request.id}
        ).scalar()
    assert state == "withdrawn"
