"""The network map's data (tieline.services.network): the strongest ties, the links among them (the
graph's own evidence and strength), their groups, and the person searched for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.analytics.graph import GraphSettings, co_participation_strength, combine
from tieline.errors import Ambiguous, NotFound
from tieline.models import LOCAL_OWNER_ID, Interaction, Person
from tieline.services import network as network_service

AddPerson = Callable[..., Person]
Log = Callable[..., Interaction]


def test_the_map_holds_the_strongest_ties_and_links_those_seen_together(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, bo, cy = add_person("Ana Lima", tier=2), add_person("Bo Chen", tier=3), add_person("Cy Diaz", tier=3)
    add_person("Di Ezra")  # never met: no tie strength, not on the map
    for days in (1, 8, 15):
        log("meeting", [ana, bo], when=now - timedelta(days=days))
    log("coffee", [cy], when=now - timedelta(days=200))
    session.flush()
    found = network_service.network_map(session, owner_id=LOCAL_OWNER_ID, now=now, limit=10)
    assert {p.name for p in found.people} == {"Ana Lima", "Bo Chen", "Cy Diaz"}
    strengths = [p.strength for p in found.people]
    assert strengths == sorted(strengths, reverse=True)
    # The link is the graph's: three shared meetings, the last a day ago.
    expected = combine([co_participation_strength(3, 1.0, GraphSettings())])
    [(a, b, strength)] = found.links
    assert (a, b) == (ana.id, bo.id) and strength == pytest.approx(expected, abs=1e-3)
    strongest = network_service.network_map(session, owner_id=LOCAL_OWNER_ID, now=now, limit=2)
    assert [p.id for p in strongest.people] == [p.id for p in found.people[:2]]
    # The tier picks that tier's strongest, and links only the people left.
    tier_3 = network_service.network_map(session, owner_id=LOCAL_OWNER_ID, now=now, limit=10, tier=3)
    assert ({p.id for p in tier_3.people}, tier_3.links) == ({bo.id, cy.id}, [])


def test_the_searched_person_is_resolved_as_the_cli_resolves_names(
    session: Session, add_person: AddPerson, log: Log, now: datetime
) -> None:
    ana, _ = add_person("Ana Lima"), add_person("Ana Souza")
    di = add_person("Di Ezra")  # no tie: drawn only when searched for
    log("call", [ana], when=now - timedelta(days=3))
    session.flush()
    found = network_service.network_map(session, owner_id=LOCAL_OWNER_ID, now=now, limit=10, focus="di ez")
    assert found.focus == di.id and "searched" in {r for p in found.people if p.id == di.id for r in p.roles}
    with pytest.raises(Ambiguous):
        network_service.network_map(session, owner_id=LOCAL_OWNER_ID, now=now, limit=10, focus="Ana")
    with pytest.raises(NotFound):
        network_service.network_map(session, owner_id=LOCAL_OWNER_ID, now=now, limit=10, focus="#99999")
