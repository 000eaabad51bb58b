"""Applying a source's fields to a person who exists: fill gaps, take the source's news, keep edits.

A three-way rule per field: when the source says nothing, nothing changes; an empty field is
filled; a field the source changed since the last import takes the new value (a new employer);
a field the source did not change but the user edited stays as the user made it. Lists only
grow, and notes are appended, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tieline import validate
from tieline.models import Person, PersonEmail, PersonLink, PersonPhone, PersonTag
from tieline.services.importing.changelog import ChangeLog
from tieline.services.importing.record_fields import SCALARS, child_rows
from tieline.text import fold

NOTES_SEPARATOR = "\n\n---\n"


@dataclass(frozen=True)
class Applied:
    """What applying a record did: whether anything changed, and whether it is a new job."""

    changed: bool
    job_change: bool


def _current(person: Person, name: str) -> Any:
    if name == "birthday":
        if person.birthday_month is None or person.birthday_day is None:
            return None
        year = f"{person.birthday_year:04d}" if person.birthday_year else "-"
        return f"{year}-{person.birthday_month:02d}-{person.birthday_day:02d}"
    if name == "met_on":
        return person.met_on.isoformat() if person.met_on else None
    return getattr(person, name)


def _set(person: Person, name: str, value: Any, before: dict[str, Any]) -> None:
    if name == "birthday":
        for column in ("birthday_year", "birthday_month", "birthday_day"):
            before.setdefault(column, getattr(person, column))
        person.birthday_year, person.birthday_month, person.birthday_day = validate.birthday(value)
    elif name == "met_on":
        before.setdefault("met_on", person.met_on)
        person.met_on = date.fromisoformat(value)
    else:
        before.setdefault(name, getattr(person, name))
        setattr(person, name, value)
        if name == "display_name":
            before.setdefault("sort_name", person.sort_name)
            person.sort_name = fold(value)


def apply_fields(
    session: Session,
    person: Person,
    fields: dict[str, Any],
    old: dict[str, Any] | None,
    *,
    log: ChangeLog,
    now: datetime,
) -> Applied:
    """Apply a record's fields to a person; `old` is what the same source said last time (or None)."""
    before: dict[str, Any] = {}
    for name in SCALARS:
        new, current = fields.get(name), _current(person, name)
        if new is None or new == current:
            continue
        source_changed = old is not None and old.get(name) != new
        if name == "notes":
            # Replace notes the user never touched; append to notes they wrote.
            if not current or (old is not None and current == old.get(name)):
                _set(person, name, new, before)
            elif new not in current:
                _set(person, name, current + NOTES_SEPARATOR + new, before)
        elif current is None or source_changed:
            _set(person, name, new, before)
    if fields.get("extra"):
        merged = dict(person.extra or {})
        previous = (old or {}).get("extra") or {}
        for key, value in fields["extra"].items():
            if key not in merged or (previous.get(key) != value and merged[key] == previous.get(key)):
                merged[key] = value
        if merged != (person.extra or {}):
            before["extra"] = person.extra
            person.extra = merged
    job_change = bool(
        old is not None
        and (old.get("company") or old.get("title"))
        and (fields.get("company") or fields.get("title"))
        and (fold(old.get("company") or "") != fold(fields.get("company") or "")
             or fold(old.get("title") or "") != fold(fields.get("title") or ""))
        and person.company == fields.get("company")
        and person.title == fields.get("title")
    )  # fmt: skip
    if before:
        before["updated_at"] = person.updated_at
        person.updated_at = now
        log.update("person", [person.id], before)
    added = _add_children(session, person, fields, log)
    return Applied(changed=bool(before) or added, job_change=job_change)


def _add_children(session: Session, person: Person, fields: dict[str, Any], log: ChangeLog) -> bool:
    have_emails = {e.address for e in person.emails}
    have_phones = {p.match_key for p in person.phones}
    have_links = {link.url for link in person.links}
    have_tags = {t.tag for t in person.tags}
    wanted = {
        "emails": [e for e in fields["emails"] if e[0] not in have_emails],
        "phones": [p for p in fields["phones"] if validate.phone_key(p[0]) not in have_phones],
        "links": [link for link in fields["links"] if link[0] not in have_links],
        "tags": [t for t in fields["tags"] if t not in have_tags],
    }
    if not any(wanted.values()):
        return False
    rows = child_rows(wanted, person_id=person.id, owner_id=person.owner_id)
    created: list[tuple[str, Any]] = []
    for table, model, attribute in (
        ("person_email", PersonEmail, "emails"),
        ("person_phone", PersonPhone, "phones"),
        ("person_link", PersonLink, "links"),
        ("person_tag", PersonTag, "tags"),
    ):
        for row in rows[table]:
            row.pop("person_id")
            if "position" in row:
                row["position"] = len(getattr(person, attribute))
            child = model(**row)
            getattr(person, attribute).append(child)
            created.append((table, child))
    session.flush()
    for table, child in created:
        log.insert(table, [child.id])
    return True
