"""Common ground between you and a person, or two people (tieline.analytics.common)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from tests.analytics.helpers import AddPerson, knows, person
from tieline.analytics.common import common_ground
from tieline.models import LOCAL_OWNER_ID, Event, EventAttendee
from tieline.services import organisations as organisations_service
from tieline.services import preferences


def test_two_people_share_school_employer_event_topics_tags_and_contacts(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    lists = {"expertise": ["Machine learning"], "tags": ["climbing"]}
    ana = person(session, add_person, "Ana", 60, company="Acme", industry="Retail", lists=lists)
    bo = person(
        session,
        add_person,
        "Bo",
        60,
        company="acme",
        industry="retail",
        lists={"interests": ["machine learning"], "tags": ["climbing"]},
    )
    school = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="LSE", kind="school"
    )
    for p, since in ((ana, date(2010, 9, 1)), (bo, date(2011, 9, 1))):
        organisations_service.add_membership(
            session, person=p, organisation=school, since=since, until=date(2012, 7, 1)
        )
    event = Event(owner_id=LOCAL_OWNER_ID, name="PyCon", starts_on=date(2025, 5, 1))
    session.add(event)
    session.flush()
    session.add_all(
        [EventAttendee(owner_id=LOCAL_OWNER_ID, event_id=event.id, person_id=p.id) for p in (ana, bo)]
    )
    friend = person(session, add_person, "Cy", 40)
    knows(session, ana, friend, 0.9)
    knows(session, bo, friend, 0.5)
    ground = common_ground(session, owner_id=LOCAL_OWNER_ID, a=ana.id, b=bo.id, now=now)
    kinds = [(i.kind, i.label) for i in ground.items]
    assert kinds[:2] == [("employer", "Acme"), ("school", "LSE")]
    assert ("event", "PyCon") in kinds and ("expertise", "machine learning") in kinds
    assert ("tag", "climbing") in kinds and ("industry", "retail") in kinds
    contact = next(i for i in ground.items if i.kind == "contact")
    assert contact.person_id == friend.id and contact.weight == 1.0  # 2 x the weaker link, 0.5
    assert ground.mutual_contacts == 1
    school_item = next(i for i in ground.items if i.kind == "school")
    assert school_item.evidence == ["Ana: 2010-09-01 to 2012-07-01", "Bo: 2011-09-01 to 2012-07-01"]


def test_what_you_share_with_a_person_uses_your_memberships_interests_and_ties(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="me.interests", value=["Jazz"])
    club = organisations_service.add_organisation(
        session, owner_id=LOCAL_OWNER_ID, name="Jazz Club", kind="community"
    )
    ana = person(session, add_person, "Ana", 30, lists={"interests": ["jazz"]})
    organisations_service.add_membership(session, person=ana, organisation=club)
    organisations_service.add_membership(session, person=None, organisation=club)
    close, stranger = person(session, add_person, "Close", 80), person(session, add_person, "Stranger", 0)
    knows(session, ana, close, 0.9)
    knows(session, ana, stranger, 0.9)
    ground = common_ground(session, owner_id=LOCAL_OWNER_ID, b=ana.id, now=now)
    assert ground.a_name == "you"
    assert [(i.kind, i.label) for i in ground.items] == [
        ("organisation", "Jazz Club"),
        ("contact", "Close"),
        ("interest", "jazz"),
    ]


def test_nothing_in_common_is_an_empty_list(session: Session, add_person: AddPerson, now: datetime) -> None:
    ana, bo = person(session, add_person, "Ana", 30), person(session, add_person, "Bo", 30)
    ground = common_ground(session, owner_id=LOCAL_OWNER_ID, a=ana.id, b=bo.id, now=now)
    assert ground.items == [] and ground.score == 0


def test_departments_of_one_company_meet_at_the_company(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    # Issue 5: "common membership shown on a person's page", departments included.
    acme = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    data, sales = (
        organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name=name, kind="department")
        for name in ("Acme Data", "Acme Sales")
    )
    data.parent_id = sales.parent_id = acme.id
    ana, bo = person(session, add_person, "Ana", 30), person(session, add_person, "Bo", 30)
    organisations_service.add_membership(session, person=None, organisation=data, role="Analyst")
    organisations_service.add_membership(session, person=ana, organisation=sales, role="Rep")
    organisations_service.add_membership(session, person=bo, organisation=data, role="Lead")
    session.flush()

    with_ana = common_ground(session, owner_id=LOCAL_OWNER_ID, b=ana.id, now=now)
    assert [(i.kind, i.label) for i in with_ana.items if i.kind != "contact"] == [("employer", "Acme")]
    ana_bo = common_ground(session, owner_id=LOCAL_OWNER_ID, a=ana.id, b=bo.id, now=now)
    assert [i.label for i in ana_bo.items if i.kind in ("employer", "organisation")] == ["Acme"]
    # You and Bo are both in Acme Data: the department, not only the company.
    with_bo = common_ground(session, owner_id=LOCAL_OWNER_ID, b=bo.id, now=now)
    assert [i.label for i in with_bo.items if i.kind in ("employer", "organisation")] == ["Acme Data"]


def test_a_shared_employer_one_of_them_left_counts_less_and_says_so(
    session: Session, add_person: AddPerson, now: datetime
) -> None:
    ana = person(session, add_person, "Ana", 60)
    bo = person(session, add_person, "Bo", 60)
    globex = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="Globex")
    organisations_service.add_membership(
        session, person=ana, organisation=globex, since=date(2015, 1, 1), until=date(2020, 1, 1)
    )
    organisations_service.add_membership(session, person=bo, organisation=globex, since=date(2016, 1, 1))
    ground = common_ground(session, owner_id=LOCAL_OWNER_ID, a=ana.id, b=bo.id, now=now)
    employer = next(i for i in ground.items if i.kind == "employer")
    assert (employer.label, employer.weight) == ("Globex (in the past)", 2.0)
    organisations_service.add_membership(session, person=ana, organisation=globex, since=date(2024, 1, 1))
    again = common_ground(session, owner_id=LOCAL_OWNER_ID, a=ana.id, b=bo.id, now=now)
    employer = next(i for i in again.items if i.kind == "employer")
    assert (employer.label, employer.weight) == ("Globex", 3.0)
