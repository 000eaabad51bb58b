"""Building teams and networks for the team tests through the services, each step committed as the
app commits it (a member's shared entries follow their data from commit to commit)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from tests.conftest import FIXED_NOW
from tieline.db import Database
from tieline.models import Person
from tieline.services import accounts as accounts_service
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services import team_shares
from tieline.services import teams as teams_service
from tieline.services.people import PersonChanges

PASSWORD = "a long enough password"


def account(db: Database, name: str) -> int:
    with db.transaction(writes=True) as s:
        return accounts_service.add_user(s, username=name, password=PASSWORD, now=FIXED_NOW).owner_id


def person(
    db: Database, owner_id: int, name: str, *, lists: dict[str, list[str]] | None = None, **values: Any
) -> int:
    with db.transaction(writes=True) as s:
        made = people_service.add_person(
            s,
            owner_id=owner_id,
            name=name,
            changes=PersonChanges(set=values, add=lists or {}),
            today=FIXED_NOW.date(),
        )
        s.flush()
        return made.id


def meet(db: Database, owner_id: int, person_id: int, *, times: int, notes: str | None = None) -> None:
    """`times` meetings, a fortnight apart, up to the fixed clock."""
    with db.transaction(writes=True) as s:
        someone = s.get(Person, person_id)
        assert someone is not None
        for i in range(times):
            interactions_service.log_interaction(
                s,
                owner_id=owner_id,
                kind="meeting",
                people=[someone],
                when=FIXED_NOW - timedelta(days=14 * (i + 1)),
                notes=notes,
                initiated_by="them" if i % 2 else "me",
                now=FIXED_NOW,
            )


def edit(db: Database, owner_id: int, person_id: int, **values: Any) -> None:
    with db.transaction(writes=True) as s:
        someone = s.get(Person, person_id)
        assert someone is not None
        assert someone.owner_id == owner_id
        people_service.edit_person(
            s, someone, PersonChanges(set=values), today=FIXED_NOW.date(), now=FIXED_NOW
        )


def team(db: Database, owner_id: int, name: str, *members: int) -> int:
    """A team made by `owner_id`, each of `members` joined by an invitation of their own."""
    with db.transaction(writes=True) as s:
        made = teams_service.create(s, owner_id=owner_id, name=name, now=FIXED_NOW)
    for member in members:
        with db.transaction(writes=True) as s:
            token = teams_service.invite(s, owner_id=owner_id, team=f"#{made.id}", now=FIXED_NOW).token
        with db.transaction(writes=True) as s:
            teams_service.join(s, owner_id=member, token=token, now=FIXED_NOW)
    return made.id


def share(db: Database, team_id: int, owner_id: int, kind: str, value: str | None = None) -> None:
    with db.transaction(writes=True) as s:
        rule = team_shares.rule_from(s, owner_id=owner_id, kind=kind, value=value)
        team_shares.share(s, team_id=team_id, owner_id=owner_id, rule=rule, now=FIXED_NOW)


def who(
    db: Database, team_id: int, asker: int, *, now: datetime = FIXED_NOW, **what: Any
) -> list[tuple[str, str, int, str, str | None]]:
    """(username, band, since_year, name, title) of each teammate the asker is told of."""
    with db.transaction(writes=True) as s:
        found = team_shares.who(s, team_id=team_id, asker_owner_id=asker, now=now, **what)
    return [(k.username, k.band, k.since_year, k.name, k.title) for k in found]


MET = date(2019, 5, 1)
