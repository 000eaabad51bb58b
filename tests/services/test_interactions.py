"""Logging interactions (tieline.services.interactions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import INTERACTION_KINDS, Interaction, Person
from tieline.services import interactions as interactions_service

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("coffee", "coffee"),
        ("Coffee", "coffee"),
        ("video call", "video_call"),
        ("video-call", "video_call"),
        ("zoom", "video_call"),
        ("lunch", "meeting"),
        ("dm", "message"),
        ("phone", "call"),
        ("mail", "email"),
    ],
)
def test_check_kind_accepts_common_words(typed: str, kind: str) -> None:
    assert interactions_service.check_kind(typed) == kind


def test_every_stored_kind_is_accepted_as_is() -> None:
    assert [interactions_service.check_kind(k) for k in INTERACTION_KINDS] == list(INTERACTION_KINDS)


def test_an_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match=r"unknown interaction kind 'brunch'.*coffee"):
        interactions_service.check_kind("brunch")


def test_log_stores_kind_time_initiator_and_stripped_notes(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    item = log(
        "zoom", [add_person("Ana")], initiated_by="them", notes="  talked about Rust  ", subject="Intro"
    )
    assert (item.kind, item.occurred_at, item.initiated_by, item.notes, item.subject) == (
        "video_call",
        now,
        "them",
        "talked about Rust",
        "Intro",
    )


def test_blank_notes_are_stored_as_none(session: Session, add_person: AddPerson, log: Log) -> None:
    assert log("call", [add_person("Ana")], notes="   ").notes is None


def test_a_person_named_twice_takes_part_once(session: Session, add_person: AddPerson, log: Log) -> None:
    ana, bo = add_person("Ana"), add_person("Bo")
    item = log("meeting", [ana, bo, ana])
    assert sorted(p.person_id for p in item.participants) == sorted([ana.id, bo.id])


def test_an_interaction_needs_someone(log: Log) -> None:
    with pytest.raises(InvalidInput, match="at least one person"):
        log("call", [])


def test_initiated_by_must_be_me_or_them(add_person: AddPerson, log: Log) -> None:
    with pytest.raises(InvalidInput, match="'me' or 'them'"):
        log("call", [add_person("Ana")], initiated_by="someone")
