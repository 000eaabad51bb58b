"""Tie strength and its parts (tieline.services.scoring), on small networks with known answers."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy.orm import Session

from tieline.models import LOCAL_OWNER_ID, Person, Tie
from tieline.repo import ties as ties_repo
from tieline.services import agenda, preferences, recompute, scoring
from tieline.services import favours as favours_service
from tieline.services import interactions as interactions_service
from tieline.services import people as people_service
from tieline.services.people import PersonChanges
from tieline.services.preferences import Preferences

AddPerson = Callable[..., Person]
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
# Every field of the running state that an incremental update and a rebuild must agree on.
TIE_FIELDS = (
    "intensity_at",
    "half_life_days",
    "first_contact_at",
    "interactions",
    "initiated_by_me",
    "initiated_by_them",
    "favours_given",
    "favours_received",
)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def prefs_of(session: Session) -> Preferences:
    return preferences.load(session, owner_id=LOCAL_OWNER_ID)


def talk(
    session: Session,
    people: list[Person],
    when: datetime,
    kind: str = "message",
    by: str | None = None,
) -> None:
    interactions_service.log_interaction(
        session, owner_id=LOCAL_OWNER_ID, kind=kind, people=people, when=when, initiated_by=by, now=NOW
    )


def favour(session: Session, person: Person, direction: str, when: datetime = NOW) -> None:
    favours_service.record_favour(
        session,
        owner_id=LOCAL_OWNER_ID,
        person=person,
        direction=direction,
        kind="advice",
        when=when,
        now=NOW,
    )


def tie_of(session: Session, person: Person) -> Tie:
    tie = ties_repo.get(session, person_id=person.id)
    assert tie is not None
    return tie


def state(tie: Tie) -> dict[str, object]:
    return {name: getattr(tie, name) for name in TIE_FIELDS}


def strength_now(session: Session, person: Person) -> scoring.Strength:
    return scoring.strength(
        person, ties_repo.get(session, person_id=person.id), at=NOW, prefs=prefs_of(session)
    )


def set_pref(session: Session, key: str, value: str) -> None:
    preferences.set_value(session, owner_id=LOCAL_OWNER_ID, key=key, value=value)


# --- recency decay ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "half_life", "kind", "weight"),
    [(1, 7, "coffee", 3.0), (2, 30, "meeting", 3.0), (3, 90, "call", 2.0), (4, 365, "email", 1.0),
     (5, 730, "social", 0.3)],
)  # fmt: skip
def test_an_interaction_one_half_life_ago_counts_half_its_weight(
    session: Session, add_person: AddPerson, tier: int, half_life: int, kind: str, weight: float
) -> None:
    ana = add_person("Ana Lima", tier=tier)
    talk(session, [ana], NOW - timedelta(days=half_life), kind)
    tie = tie_of(session, ana)
    assert tie.half_life_days == half_life
    assert tie.intensity == weight  # stored as of the interaction itself
    s = strength_now(session, ana)
    assert s.decayed_intensity == pytest.approx(weight / 2, rel=1e-12)
    assert s.parts["intensity"] == pytest.approx(100 * (1 - math.exp(-weight / 2 / 4.0)), rel=1e-12)
    # Two half-lives: a quarter.
    later = scoring.strength(ana, tie, at=NOW + timedelta(days=half_life), prefs=prefs_of(session))
    assert later.decayed_intensity == pytest.approx(weight / 4, rel=1e-12)


def test_decay_is_exact_and_never_grows_backwards() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert scoring.decay(8.0, since=start, at=start + timedelta(days=30), half_life=10.0) == 1.0
    assert scoring.decay(8.0, since=start, at=start + timedelta(hours=12), half_life=1.0) == pytest.approx(
        8.0 / math.sqrt(2)
    )
    assert scoring.decay(8.0, since=start, at=start - timedelta(days=5), half_life=10.0) == 8.0
    assert scoring.decay(8.0, since=None, at=start, half_life=10.0) == 8.0


def test_a_back_dated_interaction_is_decayed_forward_to_the_latest(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", tier=2)  # half-life 30 days
    talk(session, [ana], noon(DAY - timedelta(days=1)), "meeting")
    talk(session, [ana], noon(DAY - timedelta(days=31)), "message")  # logged late: 30 days before
    tie = tie_of(session, ana)
    assert tie.intensity == pytest.approx(3.0 + 0.5, rel=1e-12)
    assert tie.intensity_at == noon(DAY - timedelta(days=1))
    assert tie.first_contact_at == noon(DAY - timedelta(days=31))
    assert tie.interactions == 2


def test_kind_weights_follow_the_documented_order(session: Session, add_person: AddPerson) -> None:
    weights = {}
    for kind in ("meeting", "coffee", "call", "video_call", "event", "email", "message", "other", "social"):
        person = add_person(f"Person {kind}")
        talk(session, [person], NOW, kind)
        weights[kind] = tie_of(session, person).intensity
    assert weights == {
        "meeting": 3.0, "coffee": 3.0, "call": 2.0, "video_call": 2.0, "event": 1.5, "email": 1.0,
        "message": 1.0, "other": 1.0, "social": 0.3,
    }  # fmt: skip


# --- incremental == rebuilt from scratch ------------------------------------------------------


def small_network(session: Session, add_person: AddPerson) -> list[Person]:
    """Four people, group and solo interactions logged out of order, favours both ways."""
    ana = add_person("Ana Lima", tier=2, closeness=4)
    bo = add_person("Bo Chen", tier=1, cadence_days=10)
    cy = add_person("Cy Dorn", tier=5)
    dee = add_person("Dee Eng", tier=3, met_on=date(2020, 1, 15))
    day = lambda n: noon(DAY - timedelta(days=n))  # noqa: E731
    talk(session, [ana], day(40), "coffee", "me")
    talk(session, [ana, bo], day(3), "message", "them")
    talk(session, [ana, bo, cy], day(100), "meeting")
    talk(session, [bo], day(1), "call", "me")
    talk(session, [cy], day(700), "email", "them")
    talk(session, [ana], day(200), "meeting", "them")  # back-dated: after newer ones were logged
    talk(session, [dee], day(15), "social")
    talk(session, [dee], day(400), "video_call", "me")
    talk(session, [bo], day(2) - timedelta(hours=5), "video_call", "them")
    favour(session, ana, "given")
    favour(session, ana, "given")
    favour(session, ana, "received")
    favour(session, cy, "received")
    return [ana, bo, cy, dee]


def snapshot_ties(session: Session, people: list[Person]) -> dict[int, dict[str, object]]:
    out = {}
    for person in people:
        tie = tie_of(session, person)
        out[person.id] = {
            **state(tie),
            "intensity": tie.intensity,
            "strength": tie.strength,
            "contact_strength": tie.contact_strength,
        }
    return out


def assert_same_ties(got: dict[int, dict[str, object]], want: dict[int, dict[str, object]]) -> None:
    assert got.keys() == want.keys()
    for person_id, fields in want.items():
        for name, value in fields.items():
            if isinstance(value, float):
                assert got[person_id][name] == pytest.approx(value, rel=1e-9, abs=1e-6), (person_id, name)
            else:
                assert got[person_id][name] == value, (person_id, name)


def test_logging_one_by_one_equals_a_rebuild_from_scratch(session: Session, add_person: AddPerson) -> None:
    people = small_network(session, add_person)
    incremental = snapshot_ties(session, people)
    ana, bo, cy, _ = people
    # Hand check of one person: Ana's running sum as of her latest contact (3 days ago), half-life 30.
    decayed = lambda w, days: w * 2 ** (-days / 30)  # noqa: E731
    assert incremental[ana.id]["intensity"] == pytest.approx(
        decayed(1, 0) + decayed(3, 37) + decayed(3, 97) + decayed(3, 197), rel=1e-12
    )
    assert incremental[ana.id] | {"intensity": 0, "strength": 0, "contact_strength": 0} == {
        "intensity_at": noon(DAY - timedelta(days=3)),
        "half_life_days": 30.0,
        "first_contact_at": noon(DAY - timedelta(days=200)),
        "interactions": 4,
        "initiated_by_me": 1,
        "initiated_by_them": 2,
        "favours_given": 2,
        "favours_received": 1,
        "intensity": 0,
        "strength": 0,
        "contact_strength": 0,
    }
    assert incremental[bo.id]["half_life_days"] == 10.0  # the person's own cadence
    assert incremental[cy.id]["half_life_days"] == 730.0  # no cadence: half_life.no_cadence

    prefs = prefs_of(session)
    for person in people:
        scoring.recompute_person(session, person, prefs=prefs, now=NOW)
    session.flush()
    assert_same_ties(snapshot_ties(session, people), incremental)

    assert recompute.recompute_all(session, owner_id=LOCAL_OWNER_ID, prefs=prefs, now=NOW) == 4
    session.expire_all()
    assert_same_ties(snapshot_ties(session, people), incremental)


def test_stored_strength_is_now_and_contact_strength_is_as_of_the_last_contact(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", tier=3, closeness=3)
    for days in (400, 410, 420):
        talk(session, [ana], noon(DAY - timedelta(days=days)), "meeting", "them")
    tie = tie_of(session, ana)
    prefs = prefs_of(session)
    assert tie.strength == scoring.strength(ana, tie, at=NOW, prefs=prefs).total
    assert tie.strength_at == NOW
    assert tie.contact_strength == scoring.strength(ana, tie, at=tie.intensity_at, prefs=prefs).total
    assert tie.contact_strength > tie.strength  # the tie has faded since


# --- parts with no data, and the cap -----------------------------------------------------------


def test_a_rating_alone_is_the_whole_score(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", closeness=4)
    s = strength_now(session, ana)
    assert s.parts == {"closeness": 80.0, "intensity": None, "duration": None, "reciprocity": None}
    assert s.total == 80.0  # the missing parts drop out; they are not zeros
    assert s.reasons() == [
        "closeness: 80 x weight 0.40",
        "intensity: no data (not counted)",
        "duration: no data (not counted)",
        "reciprocity: no data (not counted)",
    ]


def test_missing_parts_are_renormalised_over_the_weights_present(
    session: Session, add_person: AddPerson
) -> None:
    met = date(2023, 3, 10)
    ana = add_person("Ana Lima", closeness=4, met_on=met)
    s = strength_now(session, ana)
    years = (NOW - datetime(2023, 3, 10, 12, tzinfo=UTC)).total_seconds() / 86400 / 365.25
    duration = 100 * (1 - math.exp(-years / 3))
    assert s.parts["duration"] == pytest.approx(duration)
    assert s.total == round((0.40 * 80 + 0.10 * duration) / 0.50, 1)


def test_no_rating_and_no_interaction_is_capped_at_ten(session: Session, add_person: AddPerson) -> None:
    known_long = add_person("Ana Lima", met_on=date(2010, 1, 1))
    helped = add_person("Bo Chen")
    favour(session, helped, "given")
    favour(session, helped, "received")
    nobody = add_person("Cy Dorn")
    s = strength_now(session, known_long)
    assert s.parts["duration"] is not None and s.parts["duration"] > 95
    assert s.total == 10.0
    s = strength_now(session, helped)
    assert s.parts["reciprocity"] == 75.0
    assert s.total == 10.0
    assert strength_now(session, nobody).total == 0.0
    # One interaction lifts the cap.
    talk(session, [known_long], NOW, "meeting")
    assert strength_now(session, known_long).total > 10.0


def test_the_total_alone_is_the_same_number_as_the_full_strength(
    session: Session, add_person: AddPerson
) -> None:
    people = [
        add_person("Ana Lima", closeness=4, met_on=date(2015, 5, 1)),
        add_person("Bo Chen", met_on=date(2010, 1, 1)),
        add_person("Cy Dorn"),
        add_person("Dee Eng", closeness=2),
    ]
    talk(session, people[:1], NOW - timedelta(days=40), "meeting", by="them")
    talk(session, people[3:], NOW - timedelta(days=400), "call", by="me")
    favour(session, people[1], "received")
    prefs = prefs_of(session)
    for person in people:
        tie = ties_repo.get(session, person_id=person.id)
        for at in (NOW, NOW + timedelta(days=90), NOW - timedelta(days=1000)):
            total = scoring.strength_total(person, tie, at=at, prefs=prefs)
            assert total == scoring.strength(person, tie, at=at, prefs=prefs).total, (person.display_name, at)


# --- reciprocity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("me", "them", "given", "received", "expected"),
    [
        (0, 0, 0, 0, None),  # no evidence: not counted at all
        (1, 0, 0, 0, 100 / 3),  # one message is not a pattern: pulled towards 50
        (0, 1, 0, 0, 100 / 3),
        (1, 1, 0, 0, 75.0),
        (5, 5, 0, 0, 100 * 11 / 12),
        (50, 50, 0, 0, 100 * 101 / 102),
        (4, 0, 0, 0, 100 / 6),  # one-sided: towards 0
        (0, 0, 2, 2, 100 * 5 / 6),
        (0, 0, 3, 1, 100 * (4 / 3 + 1) / 6),
        (2, 2, 1, 1, 87.5),
    ],
)
def test_reciprocity_of_initiative_and_favours(
    me: int, them: int, given: int, received: int, expected: float | None
) -> None:
    tie = Tie(initiated_by_me=me, initiated_by_them=them, favours_given=given, favours_received=received)
    if expected is None:
        assert scoring.reciprocity(tie) is None
    else:
        assert scoring.reciprocity(tie) == pytest.approx(expected)


def test_balanced_reciprocity_climbs_towards_100_and_one_sided_falls() -> None:
    balanced = [scoring.reciprocity(Tie(initiated_by_me=n, initiated_by_them=n)) for n in range(1, 40)]
    assert all(a < b < 100 for a, b in itertools.pairwise(balanced))
    one_sided = [scoring.reciprocity(Tie(initiated_by_me=n, initiated_by_them=0)) for n in range(1, 40)]
    assert all(a > b > 0 for a, b in itertools.pairwise(one_sided))


def test_reciprocity_in_the_score_comes_from_logged_initiative_and_favours(
    session: Session, add_person: AddPerson
) -> None:
    even, one_sided, silent = add_person("Ana Lima"), add_person("Bo Chen"), add_person("Cy Dorn")
    for n, by in enumerate(["me", "them", "me", "them"]):
        when = noon(DAY - timedelta(days=n + 1))
        talk(session, [even], when, by=by)
        talk(session, [one_sided], when, by="me")
        talk(session, [silent], when)  # nobody said who reached out
    favour(session, even, "given")
    favour(session, even, "received")
    assert strength_now(session, even).parts["reciprocity"] == pytest.approx(100 * (4 + 2 + 1) / 8)
    assert strength_now(session, one_sided).parts["reciprocity"] == pytest.approx(100 / 6)
    assert strength_now(session, silent).parts["reciprocity"] is None
    # Same interactions, so the same intensity and duration: reciprocity alone orders them.
    assert strength_now(session, even).total > strength_now(session, silent).total
    assert strength_now(session, silent).total > strength_now(session, one_sided).total


# --- settings change the result ---------------------------------------------------------------


def rated_and_busy(session: Session, add_person: AddPerson) -> tuple[Person, Person]:
    """Ana: rated very close, one message. Bo: unrated, four balanced meetings. Both 40 days silent."""
    ana = add_person("Ana Lima", tier=2, closeness=5)
    bo = add_person("Bo Chen", tier=2)
    talk(session, [ana], noon(DAY - timedelta(days=40)), "message", "me")
    for n, by in enumerate(["me", "them", "me", "them"]):
        talk(session, [bo], noon(DAY - timedelta(days=40 + n)), "meeting", by)
    return ana, bo


def keep_in_touch_order(session: Session) -> list[str]:
    ctx = agenda.context(session, owner_id=LOCAL_OWNER_ID, day=DAY, now=NOW)
    return [i.person_name or "" for i in agenda.collect_all(ctx) if i.kind == "keep_in_touch"]


def test_the_closeness_weight_changes_strength_and_the_agenda_order(
    session: Session, add_person: AddPerson
) -> None:
    ana, bo = rated_and_busy(session, add_person)
    before = strength_now(session, ana).total, strength_now(session, bo).total
    assert before[1] > before[0]
    assert keep_in_touch_order(session) == ["Bo Chen", "Ana Lima"]

    set_pref(session, "strength.weight.closeness", "2.0")
    after = strength_now(session, ana).total, strength_now(session, bo).total
    assert after[0] > before[0]
    assert after[1] == before[1]  # Bo has no rating: the closeness weight does not touch him
    assert keep_in_touch_order(session) == ["Ana Lima", "Bo Chen"]

    preferences.reset(session, owner_id=LOCAL_OWNER_ID, key="strength.weight.closeness")
    assert keep_in_touch_order(session) == ["Bo Chen", "Ana Lima"]


def test_a_kind_weight_changes_strength_and_order_after_a_recompute(
    session: Session, add_person: AddPerson
) -> None:
    _, bo = rated_and_busy(session, add_person)
    bo_before = strength_now(session, bo).total
    set_pref(session, "kind_weight.meeting", "0.1")
    prefs = prefs_of(session)
    recompute.recompute_all(session, owner_id=LOCAL_OWNER_ID, prefs=prefs, now=NOW)
    session.expire_all()
    assert tie_of(session, bo).intensity == pytest.approx(sum(0.1 * 2 ** (-n / 30) for n in range(4)))
    assert strength_now(session, bo).total < bo_before
    assert keep_in_touch_order(session) == ["Ana Lima", "Bo Chen"]
    # New interactions take the new weight at once.
    cy = add_person("Cy Dorn")
    talk(session, [cy], NOW, "meeting")
    assert tie_of(session, cy).intensity == pytest.approx(0.1)


def test_the_intensity_scale_and_duration_settings_are_used(session: Session, add_person: AddPerson) -> None:
    ana = add_person("Ana Lima", tier=2)
    talk(session, [ana], NOW - timedelta(days=30), "meeting")  # 1.5 decayed
    set_pref(session, "strength.intensity_scale", "1.5")
    assert strength_now(session, ana).parts["intensity"] == pytest.approx(100 * (1 - math.exp(-1)))
    set_pref(session, "strength.duration_years", "0.5")
    years = 30 / 365.25
    assert strength_now(session, ana).parts["duration"] == pytest.approx(100 * (1 - math.exp(-years / 0.5)))


# --- a new tier or cadence rebuilds the tie -----------------------------------------------------


def test_changing_tier_or_cadence_rebuilds_the_tie_with_the_new_half_life(
    session: Session, add_person: AddPerson
) -> None:
    ana = add_person("Ana Lima", tier=2)
    for days, kind in ((2, "call"), (16, "meeting"), (30, "message")):
        talk(session, [ana], noon(DAY - timedelta(days=days)), kind)

    def expected(half_life: float) -> float:
        return 2 + 3 * 2 ** (-14 / half_life) + 1 * 2 ** (-28 / half_life)

    assert tie_of(session, ana).intensity == pytest.approx(expected(30))

    def edit(**values: object) -> Tie:
        people_service.edit_person(session, ana, PersonChanges(set=values), today=DAY)
        session.flush()
        return tie_of(session, ana)

    tie = edit(tier=1)
    assert (tie.half_life_days, tie.intensity) == (7.0, pytest.approx(expected(7)))
    assert tie.interactions == 3 and tie.intensity_at == noon(DAY - timedelta(days=2))
    tie = edit(cadence_days=14)
    assert (tie.half_life_days, tie.intensity) == (14.0, pytest.approx(expected(14)))
    tie = edit(cadence_days=None)
    assert (tie.half_life_days, tie.intensity) == (7.0, pytest.approx(expected(7)))
    tie = edit(tier=5)
    assert (tie.half_life_days, tie.intensity) == (730.0, pytest.approx(expected(730)))
    # The rebuilt tie is what logging everything again from scratch would give.
    rebuilt = {**state(tie), "intensity": tie.intensity}
    scoring.recompute_person(session, ana, prefs=prefs_of(session), now=NOW)
    assert {**state(tie), "intensity": tie.intensity} == rebuilt
