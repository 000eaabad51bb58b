"""The person page's "What you share": organisations with when you overlapped, events you both went
to, interests and topics in common, and each mutual contact listed once."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.conftest import FIXED_NOW
from tieline.analytics import common
from tieline.models import LOCAL_OWNER_ID
from tieline.services import events as events_service
from tieline.services import organisations as organisations_service
from tieline.services import preferences


def _section(html: str, key: str) -> str:
    """The list of one section of "What you share" ('' when the section is not shown)."""
    found = re.search(rf'<ul class="common" data-section="{key}".*?</ul>', html, re.S)
    return found.group(0) if found else ""


def test_what_you_share_lists_organisations_events_and_interests_in_their_sections(
    client, add_person, session
) -> None:
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="me.interests", value=["Sailing", "jazz"])
    ana = add_person("Ana Lima", lists={"interests": ["Jazz", "chess"], "expertise": ["sailing"]})
    lse = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="LSE", kind="school")
    for who, since, until in ((None, date(2010, 9, 1), date(2013, 7, 1)), (ana, date(2011, 9, 1), None)):
        organisations_service.add_membership(session, person=who, organisation=lse, since=since, until=until)
    summit = events_service.add_event(
        session, owner_id=LOCAL_OWNER_ID, name="Data Summit", starts_on=date(2025, 3, 12)
    )
    events_service.attend(session, owner_id=LOCAL_OWNER_ID, event=summit, people=[ana])
    session.commit()
    block = client.get(f"/people/{ana.id}/common", headers={"HX-Request": "true"}).text
    organisations = _section(block, "organisations")
    assert "<strong>LSE</strong>" in organisations
    assert "together 2011-09-01 to 2013-07-01" in organisations
    assert "<strong>Data Summit</strong>" in _section(block, "events")
    topics = _section(block, "topics")
    assert "<strong>Jazz</strong>" in topics and "<strong>sailing</strong>" in topics
    assert "chess" not in block
    # Each thing in common is in one section only.
    assert block.count("LSE</strong>") == block.count("Data Summit</strong>") == 1


def test_an_organisation_you_are_both_still_in_says_since_when(client, add_person, session) -> None:
    ana = add_person("Ana Lima")
    acme = organisations_service.add_organisation(session, owner_id=LOCAL_OWNER_ID, name="Acme")
    for who, since in ((None, date(2019, 1, 1)), (ana, date(2021, 5, 3))):
        organisations_service.add_membership(session, person=who, organisation=acme, since=since)
    session.commit()
    organisations = _section(client.get(f"/people/{ana.id}/common").text, "organisations")
    assert "<strong>Acme</strong>" in organisations and "together since 2021-05-03" in organisations


def test_a_mutual_contact_is_listed_once_even_when_the_strongest_thing_in_common(
    client, add_person, log, session
) -> None:
    # Bo is a strong tie of yours who meets Ana often: the strongest thing you share with her.
    # The ranked things in common and the mutual contacts both used to list him.
    ana, bo = add_person("Ana Lima"), add_person("Bo Chen", closeness=5)
    for days in range(1, 30, 3):
        log("meeting", [ana, bo], when=FIXED_NOW - timedelta(days=days))
    session.commit()
    block = client.get(f"/people/{ana.id}/common", headers={"HX-Request": "true"}).text
    assert block.count("Bo Chen") == 1
    assert block.count(f'href="/people/{bo.id}"') == 1
    assert 'data-testid="mutual-count">(1)' in block
    assert "No organisation, event or interest in common on record." in block


def test_what_you_share_escapes_what_people_typed(client, add_person, session) -> None:
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key="me.interests", value=["<i>jazz</i>"])
    ana = add_person("Ana Lima", lists={"interests": ["<i>jazz</i>"]})
    session.commit()
    topics = _section(client.get(f"/people/{ana.id}/common").text, "topics")
    assert "&lt;i&gt;jazz&lt;/i&gt;" in topics and "<i>" not in topics


def test_every_kind_of_thing_in_common_lands_in_exactly_one_section() -> None:
    # A kind of common ground without a section would fail the page (or vanish from it).
    kinds = [*common.WEIGHTS, "contact"]
    ground = common.CommonGround(
        None, "you", 7, "Ana", [common.CommonItem(kind, kind, 1.0) for kind in kinds], mutual_contacts=3
    )
    shared = common.by_section(ground)
    placed = [i.kind for name in common.SECTIONS for i in getattr(shared, name)]
    assert sorted(placed) == sorted(kinds)
    assert [i.kind for i in shared.contacts] == ["contact"] and shared.contacts_total == 3
    assert shared.person_id == 7
