"""Issue 19's acceptance: the team tables hold no raw email, phone or note of any member's contact.

Every member shares everyone, with every field filled with a value made for this test, and then
every column of every row of every team table is searched for each of those values (and the forms a
value could be stored in: lower-cased, the phone's digits, the LinkedIn profile's path)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import FIXED_NOW
from tests.teams.helpers import account, meet, person, share, team, who
from tieline.db import Database
from tieline.models import Base, Favour, FollowUp, Person
from tieline.services import team_requests, team_shares

TEAM_TABLES = (
    "team", "team_member", "team_invite", "team_share_rule", "team_share", "team_share_key", "team_audit",
    "intro_request",
)  # fmt: skip


def test_the_team_tables_name_every_team_table() -> None:
    named = {t for t in Base.metadata.tables if t.startswith("team") or t == "intro_request"}
    assert named == set(TEAM_TABLES)


def test_no_email_phone_note_or_link_of_any_contact_reaches_a_team_table(db: Database) -> None:
    members = [account(db, name) for name in ("ana", "ben", "cy")]
    secrets_of: list[str] = []
    for n, owner_id in enumerate(members):
        for i in range(3):
            mark = secrets.token_hex(5)
            email = f"Priv.{mark}@Example.org"
            phone = f"+44 20 7{n}{i}{int(mark[:6], 16) % 10**6:06d}"
            slug = f"in/priv-{mark}"
            note = f"private note {mark}"
            shown = person(
                db, owner_id, f"Person {n}{i}", company="Acme", title="Engineer", notes=note,
                lists={"emails": [email], "phones": [phone],
                       "links": [f"https://www.linkedin.com/{slug}", f"https://blog.example/{mark}"]},
            )  # fmt: skip
            meet(db, owner_id, shown, times=2, notes=f"met about {mark}-meeting")
            with db.transaction(writes=True) as s:
                s.add(
                    FollowUp(
                        owner_id=owner_id, person_id=shown, due_on=FIXED_NOW.date() + timedelta(days=3),
                        text=f"{mark}-follow-up",
                    )
                )  # fmt: skip
                s.add(
                    Favour(
                        owner_id=owner_id, person_id=shown, direction="given", kind="advice",
                        occurred_at=FIXED_NOW, text=f"{mark}-favour",
                    )
                )  # fmt: skip
                assert s.get(Person, shown) is not None
            digits = re.sub(r"\D", "", phone)
            secrets_of += [email, email.lower(), digits, digits[-9:], slug, mark, note]
    team_id = team(db, members[0], "Everyone", *members[1:])
    for owner_id in members:
        share(db, team_id, owner_id, "all")
    assert len(who(db, team_id, members[0], organisation="Acme")) == 6  # the entries are there
    with db.transaction(writes=True) as s:  # asked about (the audit) and asked for an introduction
        entry = team_shares.who(
            s, team_id=team_id, asker_owner_id=members[0], now=FIXED_NOW, organisation="Acme"
        )[0]
        team_requests.ask(
            s, team_id=team_id, asker=members[0], share_id=entry.share_id, why="a pilot", now=FIXED_NOW
        )

    found = []
    with db.engine.connect() as conn:
        for name in TEAM_TABLES:
            table = Base.metadata.tables[name]
            for row in conn.execute(sa.select(table)):
                for column, value in zip(table.c.keys(), row, strict=True):
                    text = str(value).lower()
                    found += [(name, column, s) for s in secrets_of if s.lower() in text]
    assert found == []
