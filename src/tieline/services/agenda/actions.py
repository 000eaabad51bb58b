"""Done, snooze and dismiss: what the owner does with an agenda line, remembered by its key."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.repo import agenda as agenda_repo
from tieline.repo import agenda_people as agenda_people_repo
from tieline.services.agenda import build
from tieline.services.agenda.items import DOES_NOT_QUIET, AgendaItem
from tieline.services.agenda.ranking import person_key
from tieline.services.agenda.sources import SOURCES, by_kind


@dataclass
class DoneOptions:
    """Extra choices for `done` (how the contact happened, a note)."""

    log_kind: str = "message"
    note: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def find_item(
    session: Session, *, owner_id: int, ref: str, now: datetime, day: date | None = None
) -> tuple[AgendaItem, date]:
    """The item a user means by a line number of the last listing, or by its key (on `day`, default today)."""
    text = ref.strip()
    if text.isascii() and text.isdigit() and len(text) < 10:
        listed = agenda_repo.listed_key(session, owner_id=owner_id, number=int(text))
        if listed is None:
            raise NotFound(f"no line {text} in the last agenda shown; run `tieline today` first")
        key, day = listed
    else:
        key, day = text, day or now.astimezone().date()
    ctx = build.context(session, owner_id=owner_id, day=day, now=now)
    # Unmerged: a line folded into another person's line (its `also`) can still be acted on by key.
    for item in (item for source in SOURCES for item in source.collect(ctx)):
        if item.key == key:
            return item, day
    raise NotFound(f"agenda item {key} is no longer due (already acted on, or resolved since)")


def done(
    session: Session, *, owner_id: int, ref: str, now: datetime, options: DoneOptions | None = None
) -> AgendaItem:
    """Mark an item done, and do what done means for its kind (log the contact, close the follow-up)."""
    item, day = find_item(session, owner_id=owner_id, ref=ref, now=now)
    source = by_kind().get(item.kind)
    handler = getattr(source, "on_done", None)
    if handler is not None:
        ctx = build.context(session, owner_id=owner_id, day=day, now=now)
        # A line listed for a later day (`today --date`) is done now: never log a contact in the future.
        ctx = replace(ctx, now=min(ctx.now, now))
        handler(ctx, item, options or DoneOptions())
    agenda_repo.set_state(session, owner_id=owner_id, key=item.key, state="done", until=None, now=now)
    return item


def snooze(session: Session, *, owner_id: int, ref: str, days: int, now: datetime) -> tuple[AgendaItem, date]:
    """Hide an item for `days` days; it comes back on the day after."""
    if days < 1:
        raise InvalidInput(f"--days must be at least 1, not {days}")
    item, day = find_item(session, owner_id=owner_id, ref=ref, now=now)
    until = day + timedelta(days=days)
    agenda_repo.set_state(session, owner_id=owner_id, key=item.key, state="snoozed", until=until, now=now)
    quiet_person(session, owner_id=owner_id, item=item, until=until, now=now)
    return item, until


def dismiss(session: Session, *, owner_id: int, ref: str, now: datetime) -> AgendaItem:
    """Hide an item for good (until its situation changes and it becomes a new item)."""
    item, _ = find_item(session, owner_id=owner_id, ref=ref, now=now)
    agenda_repo.set_state(session, owner_id=owner_id, key=item.key, state="dismissed", until=None, now=now)
    quiet_person(session, owner_id=owner_id, item=item, until=None, now=now)
    return item


def quiet_person(
    session: Session, *, owner_id: int, item: AgendaItem, until: date | None, now: datetime
) -> None:
    """Snoozing or dismissing a line about someone means "not them, not now": their undated
    suggestions (items.QUIETED_KINDS) stay quiet as long (None: for good), until a contact is logged.

    A quiet already longer is kept: snoozing one line never shortens a dismissal of another.
    """
    if item.person_id is None or item.kind in DOES_NOT_QUIET:
        return
    contacts = agenda_people_repo.last_contacts(session, owner_id=owner_id, person_ids=[item.person_id])
    if item.person_id not in contacts:
        return
    key = person_key(item.person_id, contacts[item.person_id])
    current = agenda_people_repo.state_of(session, owner_id=owner_id, key=key)
    if current is not None and (current.until is None or (until is not None and current.until >= until)):
        return
    state = "snoozed" if until is not None else "dismissed"
    agenda_repo.set_state(session, owner_id=owner_id, key=key, state=state, until=until, now=now)
