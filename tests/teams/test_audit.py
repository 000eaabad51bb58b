"""The audit list (issue 19), both databases: every `who` and every introduction request writes, for
each member whose entries matched, who asked, what and when; each member reads only their own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import FIXED_NOW
from tests.teams import test_story
from tests.teams.helpers import account, who
from tests.teams.test_story import Story
from tieline.db import Database
from tieline.errors import NotFound
from tieline.services import team_requests, team_shares

story = test_story.story  # the story's first half, as its fixture builds it


def audit(db: Database, story: Story, owner_id: int) -> list[tuple[str, str, str, int, object]]:
    with db.transaction() as s:
        return [
            (a.asker, a.what, a.query, a.matched, a.at)
            for a in team_requests.audit(s, team_id=story.team, owner_id=owner_id)
        ]


def test_each_ask_is_shown_to_the_members_whose_entries_matched_and_to_nobody_else(
    db: Database, story: Story
) -> None:
    later = FIXED_NOW + timedelta(hours=1)
    who(db, story.team, story.ana, organisation="Acme, Inc.")
    who(db, story.team, story.ben, now=later, person_id=story.ben_dana)
    who(db, story.team, story.ana, organisation="Globex")  # matches nobody: nobody's audit
    # Ben's entries answered Ana's question; Cy's answered Ana's and then Ben's (newest first), with
    # Cy's shared person's name, not Ben's, for the person asked about.
    assert audit(db, story, story.ben) == [("ana", "who_organisation", "Acme, Inc.", 1, FIXED_NOW)]
    assert audit(db, story, story.cy) == [
        ("ben", "who_person", "Dana R.", 1, later),
        ("ana", "who_organisation", "Acme, Inc.", 1, FIXED_NOW),
    ]
    assert audit(db, story, story.ana) == []  # nothing of Ana's is shared, nothing was asked of her
    # An introduction request is in the holder's audit too.
    with db.transaction(writes=True) as s:
        (bens,) = [
            k.share_id
            for k in team_shares.who(
                s, team_id=story.team, asker_owner_id=story.cy, now=later, organisation="Acme"
            )
        ]
        team_requests.ask(s, team_id=story.team, asker=story.cy, share_id=bens, why="a pilot", now=later)
    assert audit(db, story, story.ben)[:2] == [
        ("cy", "intro_request", "Dana Reyes", 1, later),
        ("cy", "who_organisation", "Acme", 1, later),
    ]
    assert [a[0] for a in audit(db, story, story.cy)] == ["ben", "ana"]  # unchanged
    # Someone outside the team reads nothing.
    dora = account(db, "dora")
    with db.transaction() as s, pytest.raises(NotFound):
        team_requests.audit(s, team_id=story.team, owner_id=dora)
