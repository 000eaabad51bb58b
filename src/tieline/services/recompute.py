"""Full recompute of every tie: after settings change, or to repair. One pass over interactions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from tieline.repo import people as people_repo
from tieline.repo import ties as ties_repo
from tieline.services import scoring
from tieline.services.preferences import Preferences


@dataclass
class TieState:
    """A tie being rebuilt in memory: same fields as models.Tie, without ORM bookkeeping."""

    person_id: int
    owner_id: int
    half_life_days: float
    intensity: float = 0.0
    intensity_at: datetime | None = None
    first_contact_at: datetime | None = None
    interactions: int = 0
    initiated_by_me: int = 0
    initiated_by_them: int = 0
    favours_given: int = 0
    favours_received: int = 0
    strength: float = 0.0
    strength_at: datetime | None = None
    contact_strength: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


def recompute_all(session: Session, *, owner_id: int, prefs: Preferences, now: datetime) -> int:
    """Rebuild every tie of the owner from scratch; returns how many people were scored."""
    people = {p.id: p for p in people_repo.every(session, owner_id=owner_id)}
    states = {
        pid: TieState(person_id=pid, owner_id=owner_id, half_life_days=scoring.half_life_days(p, prefs))
        for pid, p in people.items()
    }
    for person_id, kind, when, initiated_by in ties_repo.stream_interactions(session, owner_id=owner_id):
        state = states.get(person_id)
        if state is not None:
            scoring.add_interaction(state, kind=kind, when=when, initiated_by=initiated_by, prefs=prefs)  # type: ignore[arg-type]
    for person_id, (given, received) in ties_repo.all_favour_counts(session, owner_id=owner_id).items():
        if person_id in states:
            states[person_id].favours_given, states[person_id].favours_received = given, received
    rows = []
    for pid, state in states.items():
        state.strength = scoring.strength(people[pid], state, at=now, prefs=prefs).total  # type: ignore[arg-type]
        state.strength_at = now
        if state.intensity_at is not None:
            state.contact_strength = scoring.strength(
                people[pid], state, at=state.intensity_at, prefs=prefs
            ).total  # type: ignore[arg-type]
        row = {k: v for k, v in state.__dict__.items() if k != "extra"}
        rows.append(row)
    ties_repo.replace_all(session, owner_id=owner_id, rows=rows)
    return len(rows)
