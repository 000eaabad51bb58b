"""Issue 19's story through the services, on both databases: three members, two of whom know the
same person under different emails and one LinkedIn URL; who knows someone at Acme; the asker's own
person found by the keyed hash of that URL; entries following the members' data; leaving,
un-sharing and not being a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import FIXED_NOW
from tests.teams.helpers import MET, account, edit, meet, person, share, team, who
from tieline.db import Database
from tieline.errors import InvalidInput, NotFound
from tieline.repo import teams as teams_repo
from tieline.services import team_shares
from tieline.services import teams as teams_service


@dataclass
class Story:
    ana: int
    ben: int
    cy: int
    team: int
    ben_dana: int
    cy_dana: int
    ana_dana: int


@pytest.fixture
def story(db: Database) -> Story:
    ana, ben, cy = account(db, "ana"), account(db, "ben"), account(db, "cy")
    ben_dana = person(
        db, ben, "Dana Reyes", company="Acme Inc.", title="CTO", closeness=5, met_on=MET,
        lists={"emails": ["dana@acme.example"], "links": ["https://www.linkedin.com/in/dana-reyes/"]},
    )  # fmt: skip
    meet(db, ben, ben_dana, times=6)
    cy_dana = person(
        db, cy, "Dana R.", company="ACME", title="Chief Technology Officer",
        lists={"emails": ["dreyes@mail.example"], "links": ["linkedin.com/in/Dana-Reyes?trk=profile"],
               "tags": ["acme"]},
    )  # fmt: skip
    person(db, cy, "Gil Globex", company="Globex", lists={"tags": ["other"]})
    # Ana knows Dana under yet another name and address, and the same LinkedIn profile.
    ana_dana = person(
        db,
        ana,
        "D. Reyes",
        lists={"emails": ["d@reyes.example"], "links": ["http://linkedin.com/in/dana-reyes"]},
    )
    team_id = team(db, ana, "Sales", ben, cy)
    share(db, team_id, ben, "all")
    share(db, team_id, cy, "tag", "acme")
    return Story(ana, ben, cy, team_id, ben_dana, cy_dana, ana_dana)


def test_who_knows_someone_at_acme_answers_both_teammates_with_their_bands(
    db: Database, story: Story
) -> None:
    assert who(db, story.team, story.ana, organisation="acme, inc") == [
        ("ben", "strong", 2019, "Dana Reyes", "CTO"),
        ("cy", "weak", 2026, "Dana R.", "Chief Technology Officer"),
    ]
    # Cy shares only the tag acme: Gil at Globex is not shared.
    assert who(db, story.team, story.ana, organisation="Globex") == []
    # Never the asker's own entries: Ben asking hears of Cy only.
    assert [r[0] for r in who(db, story.team, story.ben, organisation="Acme")] == ["cy"]


def test_the_askers_own_person_is_matched_by_the_keyed_hash_of_a_linkedin_url(
    db: Database, story: Story
) -> None:
    # "D. Reyes" matches neither "Dana Reyes" nor "Dana R." by name, and no email is shared: the
    # LinkedIn URL, written three ways, is the one key the three people have in common.
    assert who(db, story.team, story.ana, person_id=story.ana_dana) == [
        ("ben", "strong", 2019, "Dana Reyes", "CTO"),
        ("cy", "weak", 2026, "Dana R.", "Chief Technology Officer"),
    ]
    with db.transaction() as s:
        stored = s.execute(sa.text("SELECT key_hash FROM team_share_key")).scalars().all()
        hash_key = s.execute(sa.text("SELECT hash_key FROM team")).scalar_one()
    expected = team_shares.keyed_hash(hash_key, "linkedin", "linkedin.com/in/dana-reyes")
    assert stored.count(expected) == 2


def test_without_a_shared_key_the_person_is_matched_by_name(db: Database, story: Story) -> None:
    plain = person(db, story.ana, "dana  REYES")
    assert who(db, story.team, story.ana, person_id=plain) == [("ben", "strong", 2019, "Dana Reyes", "CTO")]
    # Another team's secret makes other hashes: the same URL matches nobody across teams.
    other = team(db, story.ben, "Other", story.cy)
    share(db, other, story.cy, "all")
    with db.transaction() as s:
        keys = s.execute(
            sa.text(
                "SELECT k.key_hash FROM team_share_key k JOIN team_share t ON t.id = k.share_id "
                "WHERE t.team_id = :a"
            ),
            {"a": story.team},
        ).scalars()
        theirs = s.execute(
            sa.text(
                "SELECT k.key_hash FROM team_share_key k JOIN team_share t ON t.id = k.share_id "
                "WHERE t.team_id = :b"
            ),
            {"b": other},
        ).scalars()
        assert not set(keys) & set(theirs)


def test_entries_follow_the_members_data_and_are_computed_again_only_when_it_changed(
    db: Database, story: Story
) -> None:
    def refreshed_at(owner_id: int):  # type: ignore[no-untyped-def]
        with db.transaction() as s:
            return s.execute(
                sa.text("SELECT shares_at FROM team_member WHERE team_id = :t AND owner_id = :o"),
                {"t": story.team, "o": owner_id},
            ).scalar_one()

    who(db, story.team, story.ana, organisation="Acme")
    first = refreshed_at(story.ben)
    # Nothing of Ben's changed: an hour later his entries are not computed again.
    who(db, story.team, story.ana, organisation="Acme", now=FIXED_NOW + timedelta(hours=1))
    assert refreshed_at(story.ben) == first
    # Ben's Dana moves to Initech; Cy archives his Dana; Ana asks again.
    edit(db, story.ben, story.ben_dana, company="Initech")
    with db.transaction(writes=True) as s:
        s.execute(sa.text("UPDATE person SET archived = true WHERE id = :p"), {"p": story.cy_dana})
    later = FIXED_NOW + timedelta(hours=2)
    assert who(db, story.team, story.ana, organisation="Acme", now=later) == []
    assert who(db, story.team, story.ana, organisation="Initech", now=later) == [
        ("ben", "strong", 2019, "Dana Reyes", "CTO")
    ]
    assert refreshed_at(story.ben) != first
    # A day on, entries are computed again even with no write (a tie may have turned dormant).
    stamp = refreshed_at(story.cy)
    who(
        db,
        story.team,
        story.ana,
        organisation="Acme",
        now=later + team_shares.REFRESH_MAX_AGE + timedelta(minutes=1),
    )
    assert refreshed_at(story.cy) > stamp


def test_unsharing_and_leaving_remove_the_entries_at_once(db: Database, story: Story) -> None:
    def rows(owner_id: int) -> tuple[int, int]:
        with db.transaction() as s:
            shares = s.execute(
                sa.text("SELECT count(*) FROM team_share WHERE owner_id = :o"), {"o": owner_id}
            ).scalar_one()
            rules = s.execute(
                sa.text("SELECT count(*) FROM team_share_rule WHERE owner_id = :o"), {"o": owner_id}
            ).scalar_one()
        return shares, rules

    assert rows(story.cy) == (1, 1) and rows(story.ben)[0] == 1
    with db.transaction(writes=True) as s:
        team_shares.unshare(s, team_id=story.team, owner_id=story.cy, rule=None, now=FIXED_NOW)
    assert rows(story.cy) == (0, 0)
    assert [r[0] for r in who(db, story.team, story.ana, organisation="Acme")] == ["ben"]
    with db.transaction(writes=True) as s:
        teams_service.leave(s, owner_id=story.ben, team="Sales")
    assert rows(story.ben) == (0, 0)
    assert who(db, story.team, story.ana, organisation="Acme") == []
    with db.transaction() as s, pytest.raises(NotFound):
        team_shares.who(s, team_id=story.team, asker_owner_id=story.ben, now=FIXED_NOW, organisation="Acme")


def test_a_removed_member_loses_everything_shared_and_only_an_owner_removes(
    db: Database, story: Story
) -> None:
    with db.transaction() as s, pytest.raises(Exception, match="only an owner"):
        teams_service.remove(s, owner_id=story.ben, team="Sales", username="cy")
    with db.transaction(writes=True) as s:
        teams_service.remove(s, owner_id=story.ana, team="Sales", username="CY")
    assert [r[0] for r in who(db, story.team, story.ana, organisation="Acme")] == ["ben"]
    with db.transaction() as s:
        assert (
            s.execute(
                sa.text("SELECT count(*) FROM team_share WHERE owner_id = :o"), {"o": story.cy}
            ).scalar()
            == 0
        )
    # The last owner leaving hands the team to the member who joined first; the last member deletes it.
    with db.transaction(writes=True) as s:
        teams_service.leave(s, owner_id=story.ana, team="Sales")
    with db.transaction() as s:
        assert teams_service.resolve(s, owner_id=story.ben, text="Sales").role == "owner"
    with db.transaction(writes=True) as s:
        teams_service.leave(s, owner_id=story.ben, team="Sales")
    with db.transaction() as s:
        assert s.execute(sa.text("SELECT count(*) FROM team")).scalar() == 0


def test_a_non_member_asking_is_told_no_such_team_and_reads_nothing(db: Database, story: Story) -> None:
    dora = account(db, "dora")
    share_count = 2
    with db.transaction() as s:
        with pytest.raises(NotFound):
            team_shares.who(s, team_id=story.team, asker_owner_id=dora, now=FIXED_NOW, organisation="Acme")
        with pytest.raises(NotFound):
            teams_service.resolve(s, owner_id=dora, text="Sales")
        with pytest.raises(NotFound):
            team_shares.refresh(s, team_id=story.team, owner_id=dora, now=FIXED_NOW)
        # The queries check membership themselves: called past the service, they still answer nothing.
        assert teams_repo.knowers_at(s, team_id=story.team, asker_id=dora, organisation_key="acme") == []
        assert teams_repo.members(s, team_id=story.team, asker_id=dora) == []
        assert teams_repo.stale_members(s, team_id=story.team, asker_id=dora, before=FIXED_NOW) == []
        assert len(
            teams_repo.knowers_at(s, team_id=story.team, asker_id=story.ana, organisation_key="acme")
        ) == (share_count)
    # Nor does a member reach another member's people by id.
    with db.transaction() as s, pytest.raises(NotFound):
        team_shares.who(
            s, team_id=story.team, asker_owner_id=story.ana, now=FIXED_NOW, person_id=story.ben_dana
        )


def test_invitations_are_single_use_expire_and_are_stored_hashed(db: Database) -> None:
    ana, ben, cy = account(db, "ana"), account(db, "ben"), account(db, "cy")
    with db.transaction(writes=True) as s:
        made = teams_service.create(s, owner_id=ana, name="Sales", now=FIXED_NOW)
        invitation = teams_service.invite(s, owner_id=ana, team="sales", now=FIXED_NOW)
        late = teams_service.invite(s, owner_id=ana, team="Sales", now=FIXED_NOW)
    assert invitation.expires_at == FIXED_NOW + timedelta(days=7)
    with db.transaction() as s:
        stored = [tuple(r) for r in s.execute(sa.text("SELECT * FROM team_invite"))]
    assert invitation.token not in repr(stored) and invitation.token[4:] not in repr(stored)
    with db.transaction() as s, pytest.raises(InvalidInput, match="expired"):
        teams_service.join(s, owner_id=ben, token=late.token, now=FIXED_NOW + timedelta(days=7))
    with db.transaction(writes=True) as s:
        assert teams_service.join(s, owner_id=ben, token=invitation.token, now=FIXED_NOW).id == made.id
    with db.transaction() as s, pytest.raises(InvalidInput, match="already used"):
        teams_service.join(s, owner_id=cy, token=invitation.token, now=FIXED_NOW)
    with db.transaction() as s, pytest.raises(NotFound, match="no such invitation"):
        teams_service.join(s, owner_id=cy, token="tli_made-up", now=FIXED_NOW)
    with db.transaction() as s, pytest.raises(Exception, match="only an owner"):
        teams_service.invite(s, owner_id=ben, team="Sales", now=FIXED_NOW)
    with db.transaction(writes=True) as s:
        again = teams_service.invite(s, owner_id=ana, team="Sales", now=FIXED_NOW)
    with db.transaction() as s, pytest.raises(InvalidInput, match="already in this team"):
        teams_service.join(s, owner_id=ben, token=again.token, now=FIXED_NOW)


@pytest.mark.parametrize(
    ("strength", "days_since", "band"),
    [
        (team_shares.STRONG_FROM, 1, "strong"),
        (team_shares.STRONG_FROM - 0.1, 1, "medium"),
        (team_shares.MEDIUM_FROM, 1, "medium"),
        (team_shares.MEDIUM_FROM - 0.1, 1, "weak"),
        (None, None, "weak"),
        (90.0, 366, "weak"),  # dormant: no contact for dormant.days (365)
        (90.0, None, "strong"),  # never contacted, strong by closeness alone
    ],
)
def test_bands(strength: float | None, days_since: int | None, band: str) -> None:
    last = FIXED_NOW - timedelta(days=days_since) if days_since is not None else None
    assert team_shares.band(strength, last, now=FIXED_NOW, dormant_days=365) == band


def test_two_askers_computing_a_teammates_entries_at_once_both_succeed(db: Database, story: Story) -> None:
    # PostgreSQL: the second waits on the first refresh's row lock; SQLite: at BEGIN IMMEDIATE.
    import threading

    later = FIXED_NOW + timedelta(days=2)  # every entry is due to be computed again
    errors: list[BaseException] = []
    with db.transaction(writes=True) as first:
        assert team_shares.refresh_stale(first, team_id=story.team, asker_id=story.ana, now=later)

        def second() -> None:
            try:
                with db.transaction(writes=True) as s:
                    team_shares.refresh_stale(s, team_id=story.team, asker_id=story.ana, now=later)
            except BaseException as exc:  # reported below
                errors.append(exc)

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first refresh's lock
    thread.join(10)
    assert errors == []
    assert [r[0] for r in who(db, story.team, story.ana, organisation="Acme", now=later)] == ["ben", "cy"]


def test_each_shared_persons_keyed_hashes_are_on_that_persons_entry(db: Database) -> None:
    # A member sharing several people at once: every address's keyed hash is written against the
    # entry of the person it belongs to, so asking about one person finds that person only.
    ana, ben = account(db, "ana"), account(db, "ben")
    for name, email in (("Ann One", "one@x.example"), ("Bob Two", "two@x.example"), ("Cat Three", None)):
        links = ["https://linkedin.com/in/cat-three"] if email is None else []
        person(db, ana, name, lists={"emails": [email] if email else [], "links": links})
    team_id = team(db, ana, "Sales", ben)
    share(db, team_id, ana, "all")
    asked = {
        person(db, ben, "Robert", lists={"emails": ["TWO@x.example"]}): "Bob Two",
        person(db, ben, "Annie", lists={"emails": ["one@x.example"]}): "Ann One",
        person(db, ben, "C.", lists={"links": ["www.linkedin.com/in/Cat-Three/"]}): "Cat Three",
    }
    for person_id, known in asked.items():
        assert [k[3] for k in who(db, team_id, ben, person_id=person_id)] == [known]
    with db.transaction() as s:
        assert s.execute(sa.text("SELECT count(*) FROM team_share_key")).scalar() == 3
