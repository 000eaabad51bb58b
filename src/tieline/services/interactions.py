"""Logging interactions: the fast capture at the heart of tieline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.models import INITIATORS, INTERACTION_KINDS, Interaction, Person, utcnow
from tieline.repo import interactions as interactions_repo
from tieline.repo import said as said_repo
from tieline.services import preferences, scoring

# Words people type for a kind, mapped to the stored kind.
KIND_ALIASES = {
    "video": "video_call",
    "video-call": "video_call",
    "zoom": "video_call",
    "lunch": "meeting",
    "dinner": "meeting",
    "drinks": "meeting",
    "text": "message",
    "sms": "message",
    "dm": "message",
    "mail": "email",
    "like": "social",
    "comment": "social",
    "phone": "call",
}


def check_kind(kind: str) -> str:
    """A known interaction kind, accepting common words (lunch, zoom, dm) for them."""
    normalised = kind.strip().lower().replace(" ", "_")
    normalised = KIND_ALIASES.get(normalised, normalised).replace("-", "_")
    if normalised not in INTERACTION_KINDS:
        raise InvalidInput(f"unknown interaction kind {kind!r}: use one of {', '.join(INTERACTION_KINDS)}")
    return normalised


def log_interaction(
    session: Session,
    *,
    owner_id: int,
    kind: str,
    people: list[Person],
    when: datetime,
    notes: str | None = None,
    initiated_by: str | None = None,
    subject: str | None = None,
    channel: str | None = None,
    now: datetime | None = None,
) -> Interaction:
    """Record an interaction with one or more people and update their tie strengths."""
    if not people:
        raise InvalidInput("an interaction needs at least one person")
    if initiated_by is not None and initiated_by not in INITIATORS:
        raise InvalidInput(f"--initiated-by must be 'me' or 'them', not {initiated_by!r}")
    unique = list({p.id: p for p in people}.values())
    interaction = Interaction(
        owner_id=owner_id,
        kind=check_kind(kind),
        occurred_at=when,
        initiated_by=initiated_by,
        notes=notes.strip() if notes and notes.strip() else None,
        subject=subject,
        channel=channel,
    )
    interactions_repo.add(session, interaction, unique)
    if interaction.subject or interaction.notes:  # what was said, for search
        text = said_repo.ItemText(interaction.id, when, interaction.subject, (interaction.notes,))
        said_repo.index(session, owner_id=owner_id, item="interaction", texts=[text], new=True)
    prefs = preferences.load(session, owner_id=owner_id)
    scoring.record_interaction(session, interaction, unique, prefs=prefs, now=now or utcnow())
    session.flush()
    return interaction
