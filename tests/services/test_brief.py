"""The meeting brief (tieline.services.brief): each section checked against the rows it came from."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.db import Database
from tieline.errors import NotFound
from tieline.models import (
    LOCAL_OWNER_ID,
    Favour,
    FollowUp,
    Interaction,
    InteractionParticipant,
    Milestone,
    Person,
    PersonTopic,
)
from tieline.serialise.brief import brief_json
from tieline.services import brief as brief_service
from tieline.services import demo
from tieline.services import favours as favours_service
from tieline.services import followups as followups_service
from tieline.services import milestones as milestones_service
from tieline.services import organisations as organisations_service
from tieline.services import resources as resources_service
from tieline.services.brief import Brief

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TODAY = NOW.astimezone().date()


def brief(session: Session, person: Person | int, *, now: datetime = NOW) -> Brief:
    person_id = person if isinstance(person, int) else person.id
    return brief_service.brief_for(session, owner_id=LOCAL_OWNER_ID, person_id=person_id, now=now)


def assert_openers_cite_the_brief(b: Brief) -> None:
    assert 1 <= len(b.openers) <= brief_service.OPENERS
    refs = b.refs()
    for opener in b.openers:
        assert opener.text
        assert opener.source.ref in refs, f"{opener.text!r} cites {opener.source.ref}, not in the brief"
    assert len({o.source.ref for o in b.openers}) == len(b.openers), "two openers from one row"


# On the demo network


@pytest.fixture
def demo_people(db: Database) -> list[int]:
    """The small demo network, loaded with the fixed clock, and (the demo logs none) a promise, a
    favour received and a new job on its first people: the ids of its people."""
    with db.transaction() as session:
        demo.load(session, owner_id=LOCAL_OWNER_ID, scale=demo.SCALES["small"], seed=42, now=NOW)
        first, second = session.scalars(sa.select(Person).order_by(Person.id).limit(2))
        followups_service.add_followup(
            session,
            owner_id=LOCAL_OWNER_ID,
            person=first,
            text="send the deck",
            due_on=TODAY,
            is_promise=True,
        )
        favours_service.record_favour(
            session, owner_id=LOCAL_OWNER_ID, person=second, direction="received", kind="referral",
            when=NOW - timedelta(days=2), now=NOW,
        )  # fmt: skip
        milestones_service.add_milestone(
            session,
            owner_id=LOCAL_OWNER_ID,
            person=second,
            kind="new-job",
            occurred_on=TODAY - timedelta(days=9),
        )
    with db.sessions() as session:
        return list(session.scalars(sa.select(Person.id).order_by(Person.id)))


def test_on_the_demo_every_section_comes_from_the_person_s_own_rows(
    db: Database, demo_people: list[int]
) -> None:
    seen = {"notes": 0, "cares": 0, "offers": 0, "promises": 0, "milestones": 0, "common": 0}
    with db.sessions() as session:
        owing = session.scalars(
            sa.select(FollowUp.person_id)
            .where(FollowUp.status == "open")
            .union(
                sa.select(Favour.person_id).where(Favour.direction == "received", Favour.thanked_at.is_(None))
            )
        ).all()
        for person_id in sorted({*demo_people[:40], *owing[:10]}):
            b = brief(session, person_id)
            person = session.get(Person, person_id)
            assert person is not None
            assert (b.who.person_id, b.who.name, b.who.title) == (
                person_id,
                person.display_name,
                person.title,
            )

            # What they told you: their latest interactions that have notes, newest first.
            noted = session.execute(
                sa.select(Interaction.id, Interaction.notes)
                .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
                .where(InteractionParticipant.person_id == person_id)
                .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
            ).all()
            with_notes = [row.id for row in noted if row.notes and row.notes.strip()]
            assert [n.interaction_id for n in b.notes] == with_notes[: len(b.notes)]
            assert len(b.notes) == min(brief_service.NOTES_SHOWN, len(with_notes)) or len(noted) > 50
            assert [n.occurred_at for n in b.notes] == sorted((n.occurred_at for n in b.notes), reverse=True)

            # What they care about: exactly their needs, interests and expertise.
            topics = session.execute(
                sa.select(PersonTopic.kind, PersonTopic.value).where(PersonTopic.person_id == person_id)
            ).all()
            assert sorted((t.kind, t.value) for t in b.cares) == sorted((t.kind, t.value) for t in topics)
            wanted = {t.value for t in topics if t.kind in ("need", "interest")}
            assert all(o.topic in wanted for o in b.offers)
            assert all(o.person_id != person_id for o in b.offers)

            # Promises: their open follow-ups, and every favour received and not thanked.
            open_ids = set(
                session.scalars(
                    sa.select(FollowUp.id).where(FollowUp.person_id == person_id, FollowUp.status == "open")
                )
            )
            unthanked = set(
                session.scalars(
                    sa.select(Favour.id).where(
                        Favour.person_id == person_id,
                        Favour.direction == "received",
                        Favour.thanked_at.is_(None),
                    )
                )
            )
            assert {p.ref for p in b.promises if p.kind in ("follow_up", "promise")} == {
                f"followup:{i}" for i in open_ids
            }
            assert {p.ref for p in b.promises if p.kind == "thanks"} == {f"favour:{i}" for i in unthanked}

            # Milestones near today only; common ground from what you share.
            for m in b.milestones:
                assert -brief_service.MILESTONES_BACK <= m.days_from_today <= brief_service.MILESTONES_AHEAD
            assert all(c.section in ("organisations", "events", "topics", "contacts") for c in b.common)
            assert_openers_cite_the_brief(b)
            json.dumps(brief_json(b))  # plain data all the way down
            for key in seen:
                seen[key] += bool(getattr(b, key))
    assert all(seen.values()), f"the demo exercised every section: {seen}"


def test_on_the_demo_a_logged_milestone_shows_with_its_date(db: Database, demo_people: list[int]) -> None:
    with db.sessions() as session:
        recent = session.execute(
            sa.select(Milestone.person_id, Milestone.occurred_on, Milestone.kind).where(
                Milestone.occurred_on >= TODAY - timedelta(days=brief_service.MILESTONES_BACK),
                Milestone.occurred_on <= TODAY,
            )
        ).first()
        assert recent is not None, "the demo logs recent milestones"
        b = brief(session, recent.person_id)
        assert any(m.kind == recent.kind and m.on == recent.occurred_on for m in b.milestones)


# On small hand-built networks


def test_notes_are_the_latest_interactions_with_notes_newest_first(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima")
    for days in range(1, 9):
        log(
            "coffee",
            [ana],
            when=NOW - timedelta(days=days),
            notes=f"told me thing {days}" if days != 2 else "",
        )
    b = brief(session, ana)
    assert [n.notes for n in b.notes] == ["told me thing 1", "told me thing 3", "told me thing 4",
                                          "told me thing 5", "told me thing 6"]  # fmt: skip
    assert b.notes[0].occurred_at == NOW - timedelta(days=1)
    assert b.notes[0].ref == f"interaction:{b.notes[0].interaction_id}"


def test_the_tie_gives_band_trend_last_contact_and_cadence(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima", tier=2)
    new = brief(session, ana)
    assert (new.tie.band, new.tie.trend, new.tie.last_contact_at, new.tie.interactions) == (
        "never",
        "new",
        None,
        0,
    )
    for days in (200, 40, 20, 5):
        log("coffee", [ana], when=NOW - timedelta(days=days))
    b = brief(session, ana)
    assert b.tie.band in ("weak", "strong")
    assert b.tie.trend == "warming"  # three in the last 90 days, one in the 90 before
    assert b.tie.days_since_contact == 5
    assert b.tie.cadence_days == 30  # tier 2's
    assert b.tie.next_due == (NOW - timedelta(days=5)).astimezone().date() + timedelta(days=30)
    assert not b.tie.overdue
    assert b.tie.interactions == 4


def test_a_tie_without_contact_for_a_year_is_dormant_and_cooling(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    cy = add_person("Cy Diaz", tier=3)
    for days in (800, 700, 400):
        log("meeting", [cy], when=NOW - timedelta(days=days))
    b = brief(session, cy)
    assert (b.tie.band, b.tie.trend, b.tie.overdue) == ("dormant", "cooling", True)


def test_who_they_are_says_role_organisation_and_since_when(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", title="CFO", met_how="at a conference", met_on=date(2019, 5, 2))
    acme = organisations_service.ensure_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    organisations_service.add_membership(session, person=ana, organisation=acme, role="CFO")
    who = brief(session, ana).who
    assert (who.title, who.organisation, who.role, who.met_how) == ("CFO", "Acme", "CFO", "at a conference")
    assert who.since == date(2019, 5, 2)


def test_where_they_are_now_is_their_employer_before_a_club(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", title="CFO")
    club = organisations_service.ensure_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Porto Rowing Club", kind="association"
    )
    acme = organisations_service.ensure_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Acme", kind="company"
    )
    organisations_service.add_membership(session, person=ana, organisation=club, since=date(2024, 1, 1))
    organisations_service.add_membership(
        session, person=ana, organisation=acme, role="CFO", since=date(2019, 1, 1)
    )
    who = brief(session, ana).who
    assert (who.organisation, who.role) == ("Acme", "CFO")


def test_promises_both_ways_open_follow_ups_thanks_owed_and_the_balance(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    deck = followups_service.add_followup(
        session, owner_id=LOCAL_OWNER_ID, person=ana, text="send the deck", due_on=TODAY - timedelta(days=1),
        is_promise=True,
    )  # fmt: skip
    done = followups_service.add_followup(
        session, owner_id=LOCAL_OWNER_ID, person=ana, text="call back", due_on=TODAY
    )
    followups_service.complete(done, day=TODAY, now=NOW)
    cv = favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=ana, direction="received", kind="advice", text="CV review",
        when=NOW - timedelta(days=5), now=NOW,
    )  # fmt: skip
    for _ in range(2):
        favours_service.record_favour(
            session, owner_id=LOCAL_OWNER_ID, person=bo, direction="given", kind="advice", when=NOW, now=NOW
        )
    session.flush()
    mine = brief(session, ana).promises
    assert [(p.ref, p.kind, p.owed_by, p.overdue) for p in mine] == [
        (f"followup:{deck.id}", "promise", "you", True),
        (f"favour:{cv.id}", "thanks", "you", True),  # due 3 days after the help
        ("favours:balance", "favours", "you", False),
    ]
    assert "CV review" in mine[1].text
    theirs = brief(session, bo).promises
    assert [(p.kind, p.owed_by) for p in theirs] == [("favours", "them")]
    assert "they owe you" in theirs[0].text


def test_a_birthday_near_shows_and_one_far_off_does_not(session: Session, add_person: AddPerson) -> None:
    near = add_person("Ana Lima", birthday=(TODAY + timedelta(days=10)).strftime("--%m-%d"))
    far = add_person("Bo Chen", birthday=(TODAY + timedelta(days=60)).strftime("--%m-%d"))
    milestones_service.add_milestone(
        session, owner_id=LOCAL_OWNER_ID, person=far, kind="new-job", occurred_on=TODAY - timedelta(days=20),
        text="CTO at Beta",
    )  # fmt: skip
    session.flush()
    assert [(m.kind, m.days_from_today) for m in brief(session, near).milestones] == [("birthday", 10)]
    far_moments = brief(session, far).milestones
    assert [(m.kind, m.on) for m in far_moments] == [("new_job", TODAY - timedelta(days=20))]
    assert "CTO at Beta" in far_moments[0].text


def test_a_shared_organisation_shows_as_common_ground(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    club = organisations_service.ensure_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Porto Rowing Club", kind="association"
    )
    organisations_service.add_membership(session, person=ana, organisation=club, since=date(2020, 1, 1))
    organisations_service.add_membership(session, person=None, organisation=club, since=date(2021, 6, 1))
    common = brief(session, ana).common
    assert [(c.section, c.label) for c in common] == [("organisations", "Porto Rowing Club")]
    assert common[0].evidence == ["together since 2021-06-01"]


def test_offers_match_their_needs_and_interests(session: Session, add_person: AddPerson, log: Log) -> None:
    ana = add_person("Ana Lima", lists={"needs": ["fundraising"], "interests": ["sailing"]})
    bo = add_person("Bo Chen", lists={"expertise": ["fundraising"]})
    log("coffee", [bo], when=NOW - timedelta(days=3))
    sailing = resources_service.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://example.com/sail", topics=["sailing"], title="Sail"
    )
    given = resources_service.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://example.com/raise", topics=["fundraising"]
    )
    resources_service.share(session, owner_id=LOCAL_OWNER_ID, resource=given, people=[ana], now=NOW)
    resources_service.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://example.com/rust", topics=["rust"]
    )
    offers = brief(session, ana).offers
    assert [(o.kind, o.topic, o.resource_id, o.person_id) for o in offers] == [
        ("resource", "sailing", sailing.id, None),  # not the one she had, nor one off her topics
        ("introduction", "fundraising", None, bo.id),
    ]


def test_openers_cite_rows_of_the_brief(session: Session, add_person: AddPerson, log: Log) -> None:
    ana = add_person("Ana Lima", lists={"interests": ["sailing"]},
                     birthday=(TODAY + timedelta(days=3)).strftime("--%m-%d"))  # fmt: skip
    log("coffee", [ana], when=NOW - timedelta(days=4), notes="Her daughter starts university")
    b = brief(session, ana)
    assert_openers_cite_the_brief(b)
    assert [o.source.section for o in b.openers] == ["milestones", "notes", "cares"]
    assert "university" in b.openers[1].text


def test_someone_you_know_nothing_about_still_gets_an_opener(session: Session, add_person: AddPerson) -> None:
    b = brief(session, add_person("Zed Ray"))
    assert [o.source.section for o in b.openers] == ["who"]
    assert_openers_cite_the_brief(b)


def test_an_unknown_person_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound, match="no person with id 999"):
        brief(session, 999)
