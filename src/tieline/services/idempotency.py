"""Idempotency keys: a request sent again with the same key (a quick log queued on a phone while
offline, retried after a lost answer) gets the first one's answer and logs nothing more.

The first request with a key stores it before doing its work and stores its result (the
interaction's id) with it, all in the request's one transaction: if the work fails, the key goes
with it, so the request may be tried again. Two requests with the same key at once: the second
one's insert waits on the unique (owner, key) index until the first commits, then finds the key
and answers as the first did (SQLite's writers already queue at BEGIN IMMEDIATE). Keys belong to
their owner: another owner's same key is another request. Keys older than `KEEP` are forgotten
whenever the owner stores a new one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from tieline.errors import Busy, InvalidInput, NotFound
from tieline.models import Interaction, Person
from tieline.repo import request_keys as request_keys_repo
from tieline.services import people as people_service

MAX_KEY_LENGTH = 100
KEEP = timedelta(days=30)


def check_key(*sent: str | None) -> str | None:
    """The request's key from wherever it came (a form field, the Idempotency-Key header), or None
    when none was sent; InvalidInput when it is too long, not plain printable ASCII, or when two
    different keys came."""
    keys = {value.strip() for value in sent if value is not None and value.strip()}
    if len(keys) > 1:
        raise InvalidInput("idempotency key: the form field and the Idempotency-Key header differ")
    if not keys:
        return None
    key = keys.pop()
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidInput(f"idempotency key: at most {MAX_KEY_LENGTH} characters, not {len(key)}")
    if not all("!" <= ch <= "~" for ch in key):
        raise InvalidInput("idempotency key: only printable ASCII letters, digits and signs, no spaces")
    return key


@dataclass(frozen=True)
class Logged:
    """An interaction logged by a request, and whether this request only repeated an earlier one."""

    interaction: Interaction
    people: list[Person]
    repeated: bool


def log_once(
    session: Session,
    *,
    owner_id: int,
    key: str | None,
    now: datetime,
    log: Callable[[], tuple[Interaction, list[Person]]],
) -> Logged:
    """Run `log` (which logs an interaction and returns it with its people) unless the owner's
    request with this key already did; then answer with what that one logged."""
    if key is None:
        interaction, people = log()
        return Logged(interaction, people, repeated=False)
    if not request_keys_repo.claim(session, owner_id=owner_id, key=key, now=now):
        return _earlier(session, owner_id=owner_id, key=key)
    request_keys_repo.purge(session, owner_id=owner_id, before=now - KEEP)
    interaction, people = log()
    result = json.dumps({"interaction": interaction.id, "people": [p.id for p in people]})
    request_keys_repo.set_result(session, owner_id=owner_id, key=key, result=result)
    return Logged(interaction, people, repeated=False)


def _earlier(session: Session, *, owner_id: int, key: str) -> Logged:
    found, result = request_keys_repo.result(session, owner_id=owner_id, key=key)
    if not found or result is None:  # not committed yet: cannot be seen once the claim returned
        raise Busy("a request with this idempotency key is still being handled: try again")
    stored = json.loads(result)
    interaction_id = stored.get("interaction")
    interaction = session.get(Interaction, interaction_id) if isinstance(interaction_id, int) else None
    if interaction is None or interaction.owner_id != owner_id:
        raise NotFound("the interaction this idempotency key logged has since been deleted")
    # In the order the first request named them; whoever is left of them.
    there = {p.person_id for p in interaction.participants}
    person_ids = [i for i in stored.get("people", []) if i in there] or sorted(there)
    people = people_service.get_people(session, owner_id=owner_id, person_ids=person_ids, details=False)
    return Logged(interaction, people, repeated=True)
