"""The network map's data (tieline.services.network): the strongest ties and their shared interactions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

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
    found = network_service.strongest_ties(session, owner_id=LOCAL_OWNER_ID, limit=10)
    assert {p.display_name for p in found.people} == {"Ana Lima", "Bo Chen", "Cy Diaz"}
    strengths = [p.strength for p in found.people]
    assert strengths == sorted(strengths, reverse=True)
    assert found.links == [(ana.id, bo.id, 3)]
    strongest = network_service.strongest_ties(session, owner_id=LOCAL_OWNER_ID, limit=2)
    assert [p.id for p in strongest.people] == [p.id for p in found.people[:2]]
    # The tier narrows the strongest `limit`, and links only the people left.
    tier_3 = network_service.strongest_ties(session, owner_id=LOCAL_OWNER_ID, limit=10, tier=3)
    assert ([p.id for p in tier_3.people], tier_3.links) == ([p.id for p in found.people if p.tier == 3], [])
