"""User settings: every score weight, cadence and cap, with documented defaults.

Stored per owner in the `setting` table; only values that differ from the default are stored.
docs/scores.md explains what each one does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput
from tieline.repo import settings as settings_repo

# key -> (default, help). A None default means "not set".
DEFAULTS: dict[str, tuple[Any, str]] = {
    "cadence.tier1": (7, "keep-in-touch cadence in days for tier 1 (inner circle, ~5 people)"),
    "cadence.tier2": (30, "cadence for tier 2 (close, ~15)"),
    "cadence.tier3": (90, "cadence for tier 3 (active, ~50)"),
    "cadence.tier4": (365, "cadence for tier 4 (network, ~150)"),
    "cadence.tier5": (None, "cadence for tier 5 (acquaintances, ~500); none by default"),
    "half_life.no_cadence": (730, "recency half-life in days for people without a cadence"),
    "kind_weight.meeting": (3.0, "weight of a meeting in interaction intensity"),
    "kind_weight.coffee": (3.0, "weight of a coffee"),
    "kind_weight.call": (2.0, "weight of a call"),
    "kind_weight.video_call": (2.0, "weight of a video call"),
    "kind_weight.event": (1.5, "weight of meeting at an event"),
    "kind_weight.email": (1.0, "weight of an email"),
    "kind_weight.message": (1.0, "weight of a message"),
    "kind_weight.social": (0.3, "weight of a like or comment"),
    "kind_weight.mentoring": (3.0, "weight of a mentoring session"),
    "kind_weight.other": (1.0, "weight of any other interaction"),
    "strength.weight.closeness": (0.40, "weight of your own closeness rating in tie strength"),
    "strength.weight.intensity": (0.35, "weight of recency-decayed interaction intensity"),
    "strength.weight.duration": (0.10, "weight of how long you have known them"),
    "strength.weight.reciprocity": (0.15, "weight of reciprocity (who initiates; favours both ways)"),
    "strength.intensity_scale": (4.0, "decayed intensity at which the intensity part reaches 63 of 100"),
    "strength.duration_years": (3.0, "years of acquaintance at which the duration part reaches 63 of 100"),
    "dormant.days": (365, "days without contact after which a tie is dormant"),
    "dormant.long_days": (1095, "days without contact after which a tie is long-dormant"),
    "demote.missed_cadences": (3, "missed cadences after which a move one tier down is suggested"),
    "thanks.due_days": (3, "days within which a thank-you is due after help received"),
    "event.follow_up_hours": (48, "hours after meeting someone at an event within which to follow up"),
    "mentoring.cadence_days": (30, "days without a mentoring session before the agenda suggests one"),
    "introductions.nudge_days": (3, "days without an answer to an introduction request before a nudge"),
    "introductions.outcome_days": (30, "days after an introduction was made to ask how it went"),
    "agenda.daily_cap": (5, "most lines the daily agenda shows"),
    "agenda.weight.keep_in_touch": (1.0, "priority weight of overdue keep-in-touch lines"),
    "agenda.weight.follow_up": (3.0, "priority weight of follow-ups and promises due"),
    "agenda.weight.thanks": (4.0, "priority weight of thanks owed"),
    "agenda.weight.congratulate": (3.0, "priority weight of congratulations due"),
    "agenda.weight.reactivate": (1.5, "priority weight of dormant ties worth reactivating"),
    "agenda.weight.give_first": (3.5, "priority weight of giving before a planned ask"),
    "agenda.weight.review_tier": (0.5, "priority weight of suggestions to move someone a tier down"),
    "agenda.weight.mentoring": (2.0, "priority weight of mentoring relations without a recent session"),
    "agenda.weight.introduction": (2.5, "priority weight of introductions waiting on you"),
    "agenda.reactivate_min_strength": (40.0, "least past strength for a dormant tie to be suggested"),
    "agenda.weight.opportunity": (2.5, "priority weight of opportunity deadlines and stalled opportunities"),
    "opportunity.stale_days": (21, "days in the same open stage after which an opportunity is stalled"),
    "me.name": ("", "your name, used to sign drafts"),
    "me.emails": ([], "your own email addresses (never treated as contacts)"),
    "me.interests": ([], "your interests, for common ground in drafts"),
    "calendar.token": (None, "secret part of the calendar feed address (`tieline export calendar-link`)"),
    "smtp.host": (None, "SMTP server for the digest"),
    "smtp.port": (25, "SMTP port"),
    "smtp.username": (None, "SMTP user (the password comes from TIELINE_SMTP_PASSWORD)"),
    "smtp.starttls": (False, "use STARTTLS"),
    "smtp.from": (None, "From address of the digest"),
    "smtp.to": (None, "where the digest goes"),
}


# Settings that are divided by or count days: zero would mean nothing sensible.
_POSITIVE = ("cadence.", "half_life.", "strength.intensity_scale", "strength.duration_years",
             "demote.missed_cadences", "thanks.due_days", "dormant.", "agenda.daily_cap",
             "mentoring.", "introductions.", "opportunity.stale_days")  # fmt: skip


@dataclass(frozen=True)
class Preferences:
    """Effective settings: stored values over defaults."""

    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def cadence_for_tier(self, tier: int) -> int | None:
        """The default cadence in days of a tier, or None for no cadence."""
        value = self.values[f"cadence.tier{tier}"]
        return int(value) if value else None

    def kind_weight(self, kind: str) -> float:
        """The intensity weight of an interaction kind."""
        return float(self.values.get(f"kind_weight.{kind}", self.values["kind_weight.other"]))


def load(session: Session, *, owner_id: int) -> Preferences:
    """The owner's effective settings."""
    values = {key: default for key, (default, _) in DEFAULTS.items()}
    values.update(settings_repo.stored(session, owner_id=owner_id))
    return Preferences(values=values)


def coerce(key: str, text: str | Any) -> Any:
    """A value typed on the command line, converted to the type of the key's default."""
    if key not in DEFAULTS:
        raise InvalidInput(f"unknown setting {key!r}; `tieline config` lists them")
    default = DEFAULTS[key][0]
    if not isinstance(text, str):
        return text
    raw = text.strip()
    if raw.lower() in ("none", "null", ""):
        return None
    try:
        if isinstance(default, bool):
            if raw.lower() not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(raw)
            return raw.lower() in ("true", "yes", "1")
        if isinstance(default, int) or key.startswith("cadence."):
            value: Any = int(raw)
        elif isinstance(default, float):
            value = float(raw)
        elif isinstance(default, list):
            value = [part.strip() for part in raw.split(",") if part.strip()]
        else:
            value = raw
    except ValueError:
        kind = type(default).__name__ if default is not None else "number"
        raise InvalidInput(f"setting {key} takes {_article(kind)} {kind}, not {text!r}") from None
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        raise InvalidInput(f"setting {key} cannot be negative")
    if value == 0 and key.startswith(_POSITIVE):
        raise InvalidInput(f"setting {key} must be more than 0 (use 'none' for no cadence)")
    return value


def set_value(session: Session, *, owner_id: int, key: str, value: Any) -> Any:
    """Store a setting (converted and checked); setting it to its default removes the override."""
    converted = coerce(key, value)
    if converted == DEFAULTS[key][0]:
        settings_repo.delete(session, owner_id=owner_id, key=key)
    else:
        settings_repo.put(session, owner_id=owner_id, key=key, value=converted)
    return converted


def reset(session: Session, *, owner_id: int, key: str) -> None:
    """Go back to the default of a setting."""
    if key not in DEFAULTS:
        raise InvalidInput(f"unknown setting {key!r}; `tieline config` lists them")
    settings_repo.delete(session, owner_id=owner_id, key=key)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def new_calendar_token(session: Session, *, owner_id: int) -> str:
    """Make (or replace) the calendar feed's secret; the old address stops working at once."""
    import secrets

    token = secrets.token_urlsafe(24)
    set_value(session, owner_id=owner_id, key="calendar.token", value=token)
    return token
