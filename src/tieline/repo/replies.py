"""Queries about replies owed: messages to the owner alone that nobody answered since."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tieline.models import Interaction, InteractionParticipant, Person

# Core tables, not the mapped classes: a statement naming a mapped class configures every mapper
# (about 26 ms of `tieline today`'s start-up, tests/cli/test_startup.py), and this is a plain read.
_interaction = Interaction.__table__
_participant = InteractionParticipant.__table__
_person = Person.__table__


class ReplyOwedRow(NamedTuple):
    """A message to you alone, not answered since, and who wrote it."""

    interaction_id: int
    occurred_at: datetime
    subject: str | None
    kind: str
    channel: str | None
    person_id: int
    display_name: str
    given_name: str | None


def _unanswered() -> sa.Select:  # type: ignore[type-arg]
    """Messages to you alone received between two moments, from live people, with no later
    interaction with the sender that they did not start (yours, or one nobody is said to have started:
    a reply, a call, a coffee)."""
    later_participant = _participant.alias("later_participant")
    later = _interaction.alias("later")
    answered = (
        sa.select(sa.literal(1))
        .select_from(later_participant)
        .join(later, later.c.id == later_participant.c.interaction_id)
        .where(
            # By (person, time): the sender's interactions after the message, however many they have.
            later_participant.c.person_id == _participant.c.person_id,
            later_participant.c.occurred_at > _participant.c.occurred_at,
            sa.or_(later.c.initiated_by.is_(None), later.c.initiated_by == "me"),
        )
        .exists()
    )
    return (
        sa.select(
            _interaction.c.id.label("interaction_id"),
            _interaction.c.occurred_at,
            _interaction.c.subject,
            _interaction.c.kind,
            _interaction.c.channel,
            _participant.c.person_id,
            _person.c.display_name,
            _person.c.given_name,
        )
        .select_from(_interaction)
        .join(_participant, _participant.c.interaction_id == _interaction.c.id)
        .join(_person, _person.c.id == _participant.c.person_id)
        .where(
            # The owner's interactions in a window of time: a range of (owner, time).
            _interaction.c.owner_id == sa.bindparam("owner_id"),
            _interaction.c.occurred_at >= sa.bindparam("since"),
            _interaction.c.occurred_at <= sa.bindparam("until"),
            # `= true`, not `IS true`: the form a partial index on to_me_alone is chosen for.
            _interaction.c.to_me_alone == sa.true(),
            _person.c.archived.is_(False),
            ~answered,
        )
        .order_by(_interaction.c.occurred_at, _interaction.c.id, _participant.c.person_id)
    )


_UNANSWERED = _unanswered()


def unanswered(session: Session, *, owner_id: int, since: datetime, until: datetime) -> list[ReplyOwedRow]:
    """Messages to you alone received from `since` to `until`, not answered since, oldest first."""
    params = {"owner_id": owner_id, "since": since, "until": until}
    return [ReplyOwedRow._make(row) for row in session.execute(_UNANSWERED, params)]
