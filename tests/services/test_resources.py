"""Passing resources on: who `tieline share` suggests, and what sharing records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import LOCAL_OWNER_ID, Favour, Interaction, Person, ResourceShare
from tieline.services import people as people_service
from tieline.services import resources
from tieline.services.people import PersonChanges


def _network(
    add_person: Callable[..., Person], log: Callable[..., Interaction], now: datetime
) -> dict[str, Person]:
    """A hand-made network where the right order for a Rust hiring guide is known."""
    people = {
        # Needs hiring and is interested in Rust: both topics, the heaviest fields.
        "needs": add_person("Nia Hire", lists={"needs": ["Hiring engineers"], "interests": ["Rust"]}),
        # Interested in Rust only, and a strong tie: one heavy topic, with the strength bonus.
        "strong": add_person("Sam Strong", lists={"interests": ["rust"]}, closeness=5),
        # Interested in Rust only, a weak tie: the same match, ranked below the strong tie.
        "weak": add_person("Wes Weak", lists={"interests": ["Rust"]}),
        # Expertise in Rust: weighed below interests and needs.
        "expert": add_person("Eva Expert", lists={"expertise": ["Rust programming"]}),
        # Only a prefix match ("rustacean"), in a tag: counted, but below whole words.
        "prefix": add_person("Pat Prefix", lists={"tags": ["rustacean"]}),
        # Only the notes mention it: the lightest field.
        "notes": add_person("Nora Notes", notes="We talked about Rust at the meetup"),
        # Named Rust, with nothing about it: names never match a topic.
        "named": add_person("Rusty Rustman", company="Acme"),
        # Unrelated.
        "other": add_person("Olga Other", lists={"interests": ["gardening"]}),
        # Archived: never suggested.
        "archived": add_person("Arch Ived", lists={"needs": ["hiring"], "interests": ["rust"]}),
    }
    for days in (3, 10, 20, 40):
        log("coffee", [people["strong"]], when=now - timedelta(days=days))
    people_service.archive_person(people["archived"])
    return people


def test_share_ranks_the_right_people_first_on_a_known_network(
    session: Session, add_person: Callable[..., Person], log: Callable[..., Interaction], now: datetime
) -> None:
    people = _network(add_person, log, now)
    guide = resources.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/rust-hiring", topics=["rust", "hiring"]
    )
    found = resources.suggest(session, owner_id=LOCAL_OWNER_ID, resource=guide)
    order = [s.person_id for s in found]
    expected = ["needs", "strong", "weak", "expert", "prefix", "notes"]
    assert order == [people[k].id for k in expected]
    reasons = {s.person_id: s.reasons for s in found}
    assert reasons[people["needs"].id] == ["interested in Rust", "needs: Hiring engineers"]
    assert reasons[people["expert"].id] == ["expertise: Rust programming"]
    assert reasons[people["notes"].id] == ["notes mention rust"]


def test_people_who_already_had_it_are_not_suggested_again(
    session: Session, add_person: Callable[..., Person], log: Callable[..., Interaction], now: datetime
) -> None:
    people = _network(add_person, log, now)
    guide = resources.save_resource(session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/r", topics=["rust"])
    resources.share(session, owner_id=LOCAL_OWNER_ID, resource=guide, people=[people["needs"]], now=now)
    found = [s.person_id for s in resources.suggest(session, owner_id=LOCAL_OWNER_ID, resource=guide)]
    assert people["needs"].id not in found
    assert found[0] == people["strong"].id


def test_accents_and_case_do_not_matter(session: Session, add_person: Callable[..., Person]) -> None:
    ana = add_person("Ana Lima", lists={"interests": ["Économie comportementale"]})
    item = resources.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/econ", topics=["economie"]
    )
    [only] = resources.suggest(session, owner_id=LOCAL_OWNER_ID, resource=item)
    assert only.person_id == ana.id


def test_sharing_logs_a_favour_and_a_message_once_per_person(
    session: Session, add_person: Callable[..., Person], now: datetime
) -> None:
    ana = add_person("Ana Lima")
    item = resources.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/a", topics=["rust"], title="A guide"
    )
    [first] = resources.share(
        session, owner_id=LOCAL_OWNER_ID, resource=item, people=[ana], now=now, note="thought of you"
    )
    assert first.share is not None
    [again] = resources.share(session, owner_id=LOCAL_OWNER_ID, resource=item, people=[ana], now=now)
    assert again.share is None
    assert session.query(ResourceShare).count() == 1
    [favour] = session.query(Favour).all()
    assert (favour.direction, favour.kind, favour.text) == ("given", "resource", "A guide")
    [message] = session.query(Interaction).all()
    assert message.kind == "message"
    assert message.notes == "Shared A guide: https://ex.org/a\nthought of you"
    assert first.share.favour_id == favour.id and first.share.interaction_id == message.id


def test_saving_again_adds_topics_and_keeps_one_resource(session: Session) -> None:
    first = resources.save_resource(session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/a", topics=["rust"])
    again = resources.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/a", topics=["RUST", "hiring"], kind="talk"
    )
    assert again.id == first.id
    assert (again.topics, again.kind) == (["rust", "hiring"], "talk")


@pytest.mark.parametrize("url", ["", "  ", "two words"])
def test_an_address_must_be_one_word(session: Session, url: str) -> None:
    with pytest.raises(InvalidInput):
        resources.save_resource(session, owner_id=LOCAL_OWNER_ID, url=url, topics=["x"])


def test_suggesting_needs_a_topic(session: Session) -> None:
    item = resources.save_resource(session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/a")
    with pytest.raises(InvalidInput, match="no topics"):
        resources.suggest(session, owner_id=LOCAL_OWNER_ID, resource=item)


def test_a_change_to_a_person_is_seen_by_the_next_suggestion(
    session: Session, add_person: Callable[..., Person]
) -> None:
    ana = add_person("Ana Lima")
    item = resources.save_resource(
        session, owner_id=LOCAL_OWNER_ID, url="https://ex.org/a", topics=["kotlin"]
    )
    assert resources.suggest(session, owner_id=LOCAL_OWNER_ID, resource=item) == []
    people_service.edit_person(
        session,
        ana,
        PersonChanges(add={"interests": ["Kotlin"]}),
        today=item.created_at.date(),
        now=item.created_at,
    )
    session.flush()
    assert [s.person_id for s in resources.suggest(session, owner_id=LOCAL_OWNER_ID, resource=item)] == [
        ana.id
    ]
