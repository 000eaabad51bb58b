""" "Knows" links between two people (tieline.services.knows)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import LOCAL_OWNER_ID, Person
from tieline.services import knows

AddPerson = Callable[..., Person]
OWNER = LOCAL_OWNER_ID


def test_a_link_is_stored_once_per_pair_lower_id_first_and_rerunning_updates_it(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    link, created = knows.link(session, owner_id=OWNER, person=bo, other=ana, strength=0.4, note="old team")
    assert created
    assert (link.knows.person_id, link.knows.other_id, link.knows.source) == (ana.id, bo.id, "manual")
    again, created = knows.link(session, owner_id=OWNER, person=ana, other=bo, strength=0.9)
    assert not created and again.knows.id == link.knows.id
    assert (again.knows.strength, again.knows.note) == (0.9, "old team")


def test_each_person_sees_the_other_end_of_their_links(session: Session, add_person: AddPerson) -> None:
    ana, bo, cy = add_person("Ana Lima"), add_person("Bo Chen"), add_person("Cy Dee")
    knows.link(session, owner_id=OWNER, person=ana, other=cy)
    knows.link(session, owner_id=OWNER, person=bo, other=cy)
    assert [link.other.display_name for link in knows.known_by(session, owner_id=OWNER, person=cy)] == [
        "Ana Lima",
        "Bo Chen",
    ]
    assert [link.other.id for link in knows.known_by(session, owner_id=OWNER, person=ana)] == [cy.id]
    assert knows.known_by(session, owner_id=OWNER, person=add_person("Di Eve")) == []


def test_refuses_a_person_knowing_themselves_and_strengths_outside_0_to_1(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen")
    with pytest.raises(InvalidInput, match="the same person"):
        knows.link(session, owner_id=OWNER, person=ana, other=ana)
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        knows.link(session, owner_id=OWNER, person=ana, other=bo, strength=1.5)
    assert knows.known_by(session, owner_id=OWNER, person=ana) == []
