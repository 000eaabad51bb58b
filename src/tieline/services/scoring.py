"""Tie strength (0-100) with its parts, cadences and due ratios; see docs/scores.md.

Tie strength is a weighted linear combination (Granovetter 1973; Gilbert & Karahalios 2009) of:
your closeness rating, recency-decayed interaction intensity, duration, and reciprocity. A part
with no data (no rating given, nobody has initiated anything yet) drops out and the remaining
weights are renormalised, so a missing rating never counts as a low one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tieline.models import Interaction, Person, Tie
from tieline.repo import ties as ties_repo
from tieline.services.preferences import Preferences

SECONDS_PER_DAY = 86400.0
PARTS = ("closeness", "intensity", "duration", "reciprocity")
# Observations needed before reciprocity moves far from neutral (a Bayesian-style prior of 2).
_RECIPROCITY_PRIOR = 2.0


@dataclass(frozen=True)
class Strength:
    """A tie strength and the parts it was made of, each 0-100 or None when there is no data."""

    total: float
    parts: dict[str, float | None]
    weights: dict[str, float]
    decayed_intensity: float

    def reasons(self) -> list[str]:
        """Each part that counted, with its value and weight, for people to read."""
        lines = []
        for name in PARTS:
            value = self.parts[name]
            if value is None:
                lines.append(f"{name}: no data (not counted)")
            else:
                lines.append(f"{name}: {value:.0f} x weight {self.weights[name]:.2f}")
        return lines


def cadence_days(person: Person, prefs: Preferences) -> int | None:
    """The person's keep-in-touch cadence: their override, else their tier's."""
    return person.cadence_days or prefs.cadence_for_tier(person.tier)


def half_life_days(person: Person, prefs: Preferences) -> float:
    """Recency half-life: the person's cadence by default (PRODUCT.md), else the no-cadence value."""
    return float(cadence_days(person, prefs) or prefs["half_life.no_cadence"])


def decay(value: float, *, since: datetime | None, at: datetime, half_life: float) -> float:
    """`value` as of `since`, decayed to `at` with the half-life (never grows if `at` is earlier)."""
    if since is None or value == 0.0:
        return value
    days = max(0.0, (at - since).total_seconds() / SECONDS_PER_DAY)
    return value * 2.0 ** (-days / half_life)


# The tie's running state that add_interaction reads and writes.
RUNNING = (
    "intensity", "intensity_at", "half_life_days", "first_contact_at", "interactions", "initiated_by_me",
    "initiated_by_them",
)  # fmt: skip


def add_interaction(
    tie: Tie, *, kind: str, when: datetime, initiated_by: str | None, prefs: Preferences
) -> None:
    """Fold one interaction into the tie's running state (exact; no rescan needed)."""
    weight = prefs.kind_weight(kind)
    if tie.intensity_at is None or when >= tie.intensity_at:
        tie.intensity = decay(
            tie.intensity or 0.0, since=tie.intensity_at, at=when, half_life=tie.half_life_days
        )
        tie.intensity += weight
        tie.intensity_at = when
    else:  # a back-dated interaction: decay it forward to the reference time instead
        tie.intensity = (tie.intensity or 0.0) + decay(
            weight, since=when, at=tie.intensity_at, half_life=tie.half_life_days
        )
    if tie.first_contact_at is None or when < tie.first_contact_at:
        tie.first_contact_at = when
    tie.interactions = (tie.interactions or 0) + 1
    if initiated_by == "me":
        tie.initiated_by_me = (tie.initiated_by_me or 0) + 1
    elif initiated_by == "them":
        tie.initiated_by_them = (tie.initiated_by_them or 0) + 1


def _saturate(value: float, scale: float) -> float:
    return 100.0 * (1.0 - math.exp(-value / scale)) if scale > 0 else 0.0


def reciprocity(tie: Tie) -> float | None:
    """0-100: 100 when initiative and favours flow both ways evenly, None with no evidence."""
    me, them = tie.initiated_by_me or 0, tie.initiated_by_them or 0
    given, received = tie.favours_given or 0, tie.favours_received or 0
    initiated, favours = me + them, given + received
    if not initiated and not favours:
        return None
    # Each balance (0..1) weighs by its number of observations.
    weighted = 0.0
    if initiated:
        weighted += (1.0 - abs(them / initiated - 0.5) * 2.0) * initiated
    if favours:
        weighted += min(given, received) / max(given, received) * favours
    observations = initiated + favours
    # Few observations pull towards neutral (0.5): one message is not a pattern.
    return 100.0 * (weighted + 0.5 * _RECIPROCITY_PRIOR) / (observations + _RECIPROCITY_PRIOR)


@dataclass(frozen=True)
class StrengthSettings:
    """The settings strength() reads, looked up once instead of once per person."""

    weights: dict[str, float]
    intensity_scale: float
    duration_years: float

    @classmethod
    def of(cls, prefs: Preferences) -> StrengthSettings:
        """Read them from the owner's preferences."""
        return cls(
            weights={name: float(prefs[f"strength.weight.{name}"]) for name in PARTS},
            intensity_scale=float(prefs["strength.intensity_scale"]),
            duration_years=float(prefs["strength.duration_years"]),
        )


_SETTINGS_CACHE: dict[int, tuple[Preferences, StrengthSettings]] = {}


def _settings(prefs: Preferences) -> StrengthSettings:
    cached = _SETTINGS_CACHE.get(id(prefs))
    if cached is None or cached[0] is not prefs:
        cached = (prefs, StrengthSettings.of(prefs))
        _SETTINGS_CACHE.clear()  # one Preferences object is live per command or request
        _SETTINGS_CACHE[id(prefs)] = cached
    return cached[1]


def strength(person: Person, tie: Tie | None, *, at: datetime, prefs: Preferences) -> Strength:
    """The tie strength with the person as of `at`, with every part shown."""
    cfg = _settings(prefs)
    parts, intensity = _parts(person, tie, at, cfg)
    return Strength(
        total=_combine(parts, cfg.weights),
        parts=parts,
        weights=dict(cfg.weights),
        decayed_intensity=intensity,
    )


def strength_total(person: Person, tie: Tie | None, *, at: datetime, prefs: Preferences) -> float:
    """`strength(...).total` alone, for ranking thousands of people (the agenda)."""
    cfg = _settings(prefs)
    return _combine(_parts(person, tie, at, cfg)[0], cfg.weights)


def _parts(
    person: Person, tie: Tie | None, at: datetime, cfg: StrengthSettings
) -> tuple[dict[str, float | None], float]:
    """Each part of the strength (None without data), and the decayed intensity."""
    closeness = person.closeness * 20.0 if person.closeness else None
    intensity_part = recip = None
    intensity = 0.0
    first = None
    if tie is not None:
        if tie.interactions:
            intensity = decay(tie.intensity, since=tie.intensity_at, at=at, half_life=tie.half_life_days)
            intensity_part = _saturate(intensity, cfg.intensity_scale)
        recip = reciprocity(tie)
        first = tie.first_contact_at
    met = person.met_on
    if met is not None:
        met_at = datetime(met.year, met.month, met.day, 12, tzinfo=UTC)
        first = met_at if first is None or met_at < first else first
    duration = None
    if first is not None:
        years = max(0.0, (at - first).total_seconds() / SECONDS_PER_DAY / 365.25)
        duration = _saturate(years, cfg.duration_years)
    parts = {"closeness": closeness, "intensity": intensity_part, "duration": duration, "reciprocity": recip}
    return parts, intensity


def _combine(parts: dict[str, float | None], weights: dict[str, float]) -> float:
    """The weighted mean of the parts with data, rounded to one decimal."""
    total_weight = total = 0.0
    for name, value in parts.items():
        if value is not None:
            total_weight += weights[name]
            total += weights[name] * value
    total = total / total_weight if total_weight > 0 else 0.0
    # An acquaintance you have never interacted with cannot be strong on duration alone.
    if parts["intensity"] is None and parts["closeness"] is None:
        total = min(total, 10.0)
    return round(total, 1)


def record_interaction(
    session: Session, interaction: Interaction, people: Iterable[Person], *, prefs: Preferences, now: datetime
) -> None:
    """Update each participant's tie for a new interaction (the incremental path, one row each)."""
    for person in people:
        tie = ties_repo.get_or_create(session, person=person, half_life=half_life_days(person, prefs))
        add_interaction(
            tie,
            kind=interaction.kind,
            when=interaction.occurred_at,
            initiated_by=interaction.initiated_by,
            prefs=prefs,
        )
        refresh_stored_strength(person, tie, prefs=prefs, now=now)


def record_favour(
    session: Session, person: Person, *, direction: str, delta: int, prefs: Preferences, now: datetime
) -> None:
    """Count a favour given or received (delta -1 when one is deleted) in the person's tie."""
    tie = ties_repo.get_or_create(session, person=person, half_life=half_life_days(person, prefs))
    if direction == "given":
        tie.favours_given = max(0, (tie.favours_given or 0) + delta)
    else:
        tie.favours_received = max(0, (tie.favours_received or 0) + delta)
    refresh_stored_strength(person, tie, prefs=prefs, now=now)


def refresh_stored_strength(person: Person, tie: Tie, *, prefs: Preferences, now: datetime) -> float:
    """Store the current strength on the tie (used for sorting; shown values are recomputed)."""
    tie.strength = strength(person, tie, at=now, prefs=prefs).total
    tie.strength_at = now
    tie.contact_strength = (
        strength(person, tie, at=tie.intensity_at, prefs=prefs).total if tie.intensity_at else 0.0
    )
    return tie.strength


def recompute_person(session: Session, person: Person, *, prefs: Preferences, now: datetime) -> Tie:
    """Rebuild one person's tie from their interactions and favours (after a tier or cadence change)."""
    tie = ties_repo.get_or_create(session, person=person, half_life=half_life_days(person, prefs))
    reset_tie(tie, half_life=half_life_days(person, prefs))
    for kind, when, initiated_by in ties_repo.interactions_of(
        session, owner_id=person.owner_id, person_id=person.id
    ):
        add_interaction(tie, kind=kind, when=when, initiated_by=initiated_by, prefs=prefs)
    tie.favours_given, tie.favours_received = ties_repo.favour_counts(
        session, owner_id=person.owner_id, person_id=person.id
    )
    refresh_stored_strength(person, tie, prefs=prefs, now=now)
    return tie


def reset_tie(tie: Tie, *, half_life: float) -> None:
    """Clear a tie's running state before a rebuild."""
    tie.intensity, tie.intensity_at, tie.half_life_days = 0.0, None, half_life
    tie.first_contact_at = None
    tie.interactions = tie.initiated_by_me = tie.initiated_by_them = 0
    tie.favours_given = tie.favours_received = 0
