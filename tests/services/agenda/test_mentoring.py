"""Mentoring sessions due on the agenda (tieline.services.agenda.mentoring)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Interaction, Person
from tieline.repo import interactions as interactions_repo
from tieline.services import agenda, mentorship, preferences
from tieline.services.agenda import AgendaItem

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]
DAY = date(2026, 3, 10)
OWNER = LOCAL_OWNER_ID


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def lines(session: Session, day: date = DAY, kind: str = "mentoring") -> list[AgendaItem]:
    ctx = agenda.context(session, owner_id=OWNER, day=day, now=noon(day))
    return [i for i in agenda.collect_all(ctx) if i.kind == kind]


def relate(
    session: Session, person: Person, kind: str = "mentee", since: date = DAY, **extra: object
) -> None:
    mentorship.set_relation(session, owner_id=OWNER, person=person, kind=kind, today=since, **extra)


def test_a_mentee_without_a_session_for_longer_than_the_cadence_is_due(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima", tier=5)  # no keep-in-touch cadence: only the mentoring line
    relate(session, ana, since=DAY - timedelta(days=100))
    log("mentoring", [ana], when=noon(DAY - timedelta(days=29)))
    assert lines(session) == []
    [line] = lines(session, DAY + timedelta(days=1))
    assert line.title == "Meet Ana Lima (your mentee): last session a month ago"
    assert line.reasons[0] == "you meant to meet every month; a regular session keeps it going"
    assert line.details[0].startswith("30 days since the last session; cadence 30 days")
    assert line.key == "mentoring:1:2026-02-09"
    assert (line.person_id, line.due_on, line.draft) == (ana.id, DAY + timedelta(days=1), "check_in")


def test_any_other_contact_does_not_count_as_a_session(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima", tier=5)
    relate(session, ana, kind="coach", since=DAY - timedelta(days=40))
    log("coffee", [ana], when=noon(DAY - timedelta(days=1)))
    [line] = lines(session)
    assert line.title == "Meet Ana Lima (your coach): no session logged since it began over a month ago"


def test_the_cadence_is_a_setting_and_sponsors_ended_and_others_relations_are_left_out(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo, cy, di = (add_person(n, tier=5) for n in ("Ana Lima", "Bo Chen", "Cy Dee", "Di Eve"))
    start = DAY - timedelta(days=20)
    relate(session, ana, since=start)
    relate(session, bo, kind="sponsor", since=start)
    relate(session, cy, kind="mentor", since=start, until=DAY - timedelta(days=1))
    mentorship.set_relation(session, owner_id=OWNER, person=di, of=ana, today=start)
    assert lines(session) == []
    preferences.set_value(session, owner_id=OWNER, key="mentoring.cadence_days", value="14")
    assert [line.person_name for line in lines(session)] == ["Ana Lima"]


def test_it_merges_with_keep_in_touch_for_the_same_person(
    session: Session, add_person: AddPerson, log: Log
) -> None:
    ana = add_person("Ana Lima", tier=1)  # weekly cadence: overdue to keep in touch too
    relate(session, ana, since=DAY - timedelta(days=60))
    log("coffee", [ana], when=noon(DAY - timedelta(days=50)))
    ctx = agenda.context(session, owner_id=OWNER, day=DAY, now=noon(DAY))
    [line] = [i for i in agenda.collect_all(ctx) if i.person_id == ana.id and i.kind != "review_tier"]
    assert sorted([line.title, *line.also]) == [
        "Get in touch with Ana Lima",
        "Meet Ana Lima (your mentee): no session logged since it began two months ago",
    ]


def test_done_logs_a_mentoring_session_and_the_line_goes(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=5)
    relate(session, ana, since=DAY - timedelta(days=60))
    [line] = lines(session)
    agenda.done(
        session, owner_id=OWNER, ref=line.key, now=noon(DAY), options=agenda.DoneOptions(note="talked promo")
    )
    [entry] = interactions_repo.timeline(session, owner_id=OWNER, person_id=ana.id)
    assert (entry.interaction.kind, entry.interaction.notes) == ("mentoring", "talked promo")
    assert lines(session) == []
    assert lines(session, DAY + timedelta(days=29)) == []
    assert len(lines(session, DAY + timedelta(days=30))) == 1
