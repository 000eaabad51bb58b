"""The favour ledger and thanks owed (tieline.services.favours)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import FAVOUR_KINDS, LOCAL_OWNER_ID, Favour, Person, Tie
from tieline.repo import interactions as interactions_repo
from tieline.services import favours as favours_service

AddPerson = Callable[..., Person]
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def favour(session: Session, person: Person, direction: str, kind: str = "advice", **extra: object) -> Favour:
    extra.setdefault("when", NOW)
    return favours_service.record_favour(
        session, owner_id=LOCAL_OWNER_ID, person=person, direction=direction, kind=kind, now=NOW, **extra
    )


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("job-lead", "job_lead"), ("job lead", "job_lead"), ("Intro", "introduction"), ("article", "resource")],
)
def test_check_kind_accepts_the_ways_people_type_kinds(typed: str, kind: str) -> None:
    assert favours_service.check_kind(typed) == kind


def test_every_stored_kind_is_accepted_and_others_are_refused() -> None:
    assert [favours_service.check_kind(k) for k in FAVOUR_KINDS] == list(FAVOUR_KINDS)
    with pytest.raises(InvalidInput, match="job-lead"):
        favours_service.check_kind("bribe")


def test_a_favour_counts_in_the_tie(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    favour(session, ana, "received", "job-lead", text="  role at Gamma ")
    favour(session, ana, "received")
    favour(session, ana, "given", "introduction")
    tie = session.get(Tie, ana.id)
    assert tie is not None
    assert (tie.favours_given, tie.favours_received) == (1, 2)
    assert tie.strength > 0  # reciprocity is evidence of a tie
    assert [f.text for f in favours_service.entries(session, owner_id=LOCAL_OWNER_ID, person=ana)][-1] == (
        "role at Gamma"
    )


def test_a_favour_is_given_or_received(session: Session, add_person: AddPerson) -> None:
    with pytest.raises(InvalidInput, match="given or received"):
        favour(session, add_person("Ana"), "lent")


def test_the_balance_says_who_owes_whom(session: Session, add_person: AddPerson) -> None:
    ana, bo, cy = add_person("Ana Lima"), add_person("Bo Chen"), add_person("Cy Diaz")
    favour(session, ana, "received")
    favour(session, ana, "received")
    favour(session, bo, "given")
    favour(session, cy, "given")
    favour(session, cy, "received")
    ana_balance = favours_service.balance_of(session, owner_id=LOCAL_OWNER_ID, person=ana)
    assert (ana_balance.given, ana_balance.received, ana_balance.balance, ana_balance.owe_them) == (
        0,
        2,
        2,
        True,
    )
    assert ana_balance.explain() == "you gave Ana Lima 0, received 2: you owe them (+2)"
    bo_balance = favours_service.balance_of(session, owner_id=LOCAL_OWNER_ID, person=bo)
    assert (bo_balance.balance, bo_balance.owe_them) == (-1, False)
    assert bo_balance.explain().endswith("they owe you (-1)")
    assert favours_service.balance_of(session, owner_id=LOCAL_OWNER_ID, person=cy).explain().endswith("even")
    nobody = favours_service.balance_of(session, owner_id=LOCAL_OWNER_ID, person=add_person("Dee"))
    assert (nobody.given, nobody.received) == (0, 0)


def test_the_ledger_sums_everyone_and_calls_the_owner_a_giver_or_a_taker(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    favour(session, ana, "received")
    favour(session, bo, "given")
    favour(session, bo, "given")
    favour(session, bo, "given")
    ledger = favours_service.ledger(session, owner_id=LOCAL_OWNER_ID)
    assert (ledger.given, ledger.received, ledger.balance, ledger.stance) == (3, 1, -2, "giver")
    assert [(b.name, b.balance) for b in ledger.people] == [("Bo Chen", -3), ("Ana Lima", 1)]
    for _ in range(3):
        favour(session, ana, "received")
    assert favours_service.ledger(session, owner_id=LOCAL_OWNER_ID).stance == "taker"
    favour(session, bo, "given")
    assert favours_service.ledger(session, owner_id=LOCAL_OWNER_ID).stance == "even"


def test_help_received_is_owed_thanks_and_help_given_is_not(session: Session, add_person: AddPerson) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    received = favour(session, ana, "received")
    favour(session, bo, "given")
    assert favours_service.thanks_owed(session, owner_id=LOCAL_OWNER_ID, person=ana) == [received]
    assert favours_service.thanks_owed(session, owner_id=LOCAL_OWNER_ID, person=bo) == []


def test_thanking_closes_every_thanks_owed_to_that_person_only(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    first = favour(session, ana, "received", "introduction", when=NOW - timedelta(days=5))
    second = favour(session, ana, "received", "advice", when=NOW - timedelta(days=1))
    other = favour(session, bo, "received")
    later = NOW + timedelta(hours=1)
    result = favours_service.thank(
        session, owner_id=LOCAL_OWNER_ID, person=ana, now=later, text="the intro to Bo"
    )
    assert result.closed == [first, second]
    assert (first.thanked_at, second.thanked_at, other.thanked_at) == (later, later, None)
    assert favours_service.thanks_owed(session, owner_id=LOCAL_OWNER_ID, person=ana) == []
    assert favours_service.thanks_owed(session, owner_id=LOCAL_OWNER_ID, person=bo) == [other]
    item = result.interaction
    assert (item.kind, item.initiated_by, item.occurred_at, item.notes) == (
        "message",
        "me",
        later,
        "Thank you: the intro to Bo",
    )
    assert ana.last_contact_at == later
    # A second thank-you logs the contact but has nothing left to close.
    again = favours_service.thank(session, owner_id=LOCAL_OWNER_ID, person=ana, now=later)
    assert again.closed == []
    assert first.thanked_at == later
    assert interactions_repo.count_for_person(session, owner_id=LOCAL_OWNER_ID, person_id=ana.id) == 2


def test_the_default_thank_you_note_names_the_help(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    favour(session, ana, "received", "introduction")
    favour(session, ana, "received", "advice")
    favour(session, ana, "received", "introduction")
    result = favours_service.thank(session, owner_id=LOCAL_OWNER_ID, person=ana, now=NOW)
    assert result.interaction.notes == "Thank you for the introduction and your advice"


def test_thanks_are_due_a_number_of_days_after_the_help() -> None:
    late_evening = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert favours_service.thanks_due_on(late_evening, 3).isoformat() == "2026-03-13"


def test_a_person_ledger_agrees_with_the_balance_entries_and_thanks_owed(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima")
    favour(session, ana, "received", when=NOW - timedelta(days=3))
    favour(session, ana, "received", when=NOW - timedelta(days=9))
    favour(session, ana, "given")
    thanked = favour(session, ana, "received", when=NOW - timedelta(days=1))
    thanked.thanked_at = NOW
    session.flush()
    ledger = favours_service.person_ledger(
        session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, name=ana.display_name
    )
    assert ledger.balance == favours_service.balance_of(session, owner_id=LOCAL_OWNER_ID, person=ana)
    assert ledger.entries == favours_service.entries(session, owner_id=LOCAL_OWNER_ID, person=ana)
    assert ledger.thanks_owed == favours_service.thanks_owed(session, owner_id=LOCAL_OWNER_ID, person=ana)
    assert len(ledger.thanks_owed) == 2


def test_deleting_a_favour_takes_it_out_of_the_tie(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima")
    favour(session, ana, "received")
    wrong = favour(session, ana, "received")
    favour(session, ana, "given")
    favours_service.delete_favour(session, owner_id=LOCAL_OWNER_ID, favour=wrong, now=NOW)
    tie = session.get(Tie, ana.id)
    assert tie is not None
    assert (tie.favours_given, tie.favours_received) == (1, 1)
    assert favours_service.balance_of(session, owner_id=LOCAL_OWNER_ID, person=ana).received == 1


def test_a_page_of_favours_is_narrowed_by_person_direction_and_kind_and_counts_them_all(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    old = favour(session, ana, "received", "advice", when=NOW - timedelta(days=2))
    new = favour(session, ana, "received", "job_lead", when=NOW - timedelta(days=1))
    favour(session, ana, "given")
    favour(session, bo, "received")
    rows, total = favours_service.page(
        session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, direction="received", limit=1
    )
    assert ([(f.id, name) for f, name in rows], total) == ([(new.id, "Ana Lima")], 2)
    rows, total = favours_service.page(
        session, owner_id=LOCAL_OWNER_ID, person_id=ana.id, direction="received", limit=1, offset=1
    )
    assert ([f.id for f, _ in rows], total) == ([old.id], 2)
    rows, total = favours_service.page(session, owner_id=LOCAL_OWNER_ID, kind="job lead", limit=10)
    assert ([f.id for f, _ in rows], total) == ([new.id], 1)
    with pytest.raises(InvalidInput, match="job-lead"):
        favours_service.page(session, owner_id=LOCAL_OWNER_ID, kind="bribe", limit=10)
    with pytest.raises(InvalidInput, match="given or received"):
        favours_service.page(session, owner_id=LOCAL_OWNER_ID, direction="lent", limit=10)
