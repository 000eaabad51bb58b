"""The fields an address book sync keeps in step, read from a card and from a person, merged three
ways, and written into a person with the run's change log (so `tieline import undo` takes it back).

One plain, JSON-able shape on both sides, so comparing is `==`:

- names: [FN, family, given, middle, prefix, suffix]
- emails, phones, urls: [[value, label], ...] (emails lower-cased, as tieline keeps them)
- org: [company, department, title]
- birthday: "YYYY-MM-DD" or "--MM-DD"
- addresses: [[label, ADR value as the card wrote it], ...] (kept in the person's extra fields)
- notes: only when the connection syncs notes (`--notes`)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from tieline import validate
from tieline.importers.records import PersonRecord
from tieline.models import Person, PersonEmail, PersonLink, PersonPhone, PersonSearch
from tieline.repo import rows
from tieline.repo import search as search_repo
from tieline.repo.carddav import CardPerson, Labelled
from tieline.services.importing import record_fields
from tieline.services.importing.changelog import ChangeLog
from tieline.text import fold

FIELDS = ("names", "emails", "phones", "org", "birthday", "addresses", "urls", "notes")
_NOT_LABELS = {"internet", "pref", "voice", "x400", "msg", "text"}


def of_record(record: PersonRecord, *, notes: bool) -> dict[str, Any] | None:
    """A card's fields as the import reads them; None for a card that names nobody."""
    plain = record_fields.fields_of(record, [])
    if plain is None:
        return None
    kept = (plain.get("extra") or {}).get("vcard") or []
    return {
        "names": [
            plain[k]
            for k in (
                "display_name",
                "family_name",
                "given_name",
                "middle_name",
                "name_prefix",
                "name_suffix",
            )
        ],
        "emails": [list(e) for e in plain["emails"]],
        "phones": [list(p) for p in plain["phones"]],
        "org": [plain["company"], plain["department"], plain["title"]],
        "birthday": plain["birthday"],
        "addresses": _addresses(kept),
        "urls": [list(link) for link in plain["links"]],
        "notes": plain["notes"] if notes else None,
    }


def of_person(person: Person | CardPerson, *, notes: bool) -> dict[str, Any]:
    """A person's fields as a card would carry them (emails, phones and links loaded), from the
    model or from the plain rows a sync compares by the thousand."""
    birthday = None
    if person.birthday_month is not None and person.birthday_day is not None:
        year = f"{person.birthday_year:04d}" if person.birthday_year else "-"
        birthday = f"{year}-{person.birthday_month:02d}-{person.birthday_day:02d}"
    return {
        "names": [
            person.display_name,
            person.family_name,
            person.given_name,
            person.middle_name,
            person.name_prefix,
            person.name_suffix,
        ],
        "emails": [[_value(e), e.label] for e in person.emails],
        "phones": [[_value(p), p.label] for p in person.phones],
        "org": [person.company, person.department, person.title],
        "birthday": birthday,
        "addresses": _addresses((person.extra or {}).get("vcard") or []),
        "urls": [[_value(link), link.label] for link in person.links],
        "notes": person.notes if notes else None,
    }


def _value(item: Any) -> str:
    """An email's address, a phone's number or a link's URL, from a model row or a plain one."""
    if isinstance(item, Labelled):
        return item.value
    return str(getattr(item, "address", None) or getattr(item, "number", None) or item.url)


def _addresses(kept: list[Any]) -> list[list[str | None]]:
    """[label, raw value] of the ADR properties an import kept as [name, params, value]."""
    found = []
    for item in kept:
        if isinstance(item, list) and len(item) == 3 and str(item[0]).upper().rpartition(".")[2] == "ADR":
            types = [
                t.strip().lower()
                for raw in (item[1] or {}).get("TYPE", [])
                for t in str(raw).split(",")
                if t.strip() and t.strip().lower() not in _NOT_LABELS
            ]
            found.append([",".join(dict.fromkeys(types)) or None, str(item[2])])
    return found


@dataclass
class Merged:
    """A three-way merge: the fields both sides should hold, the fields the server's value takes
    in tieline, and the fields changed on both sides (tieline's kept, the server's recorded)."""

    fields: dict[str, Any]
    from_server: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def merge(base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any]) -> Merged:
    """Field by field: a side that changed since `base` wins; both changed differently: ours is
    kept and the field is a conflict. No base (a first meeting): ours wins where it says
    something, the card fills the rest."""
    merged = Merged(fields={})
    for name in FIELDS:
        mine, server = ours.get(name), theirs.get(name)
        if mine == server:
            merged.fields[name] = mine
            continue
        was = base.get(name) if base is not None else None
        if base is None:
            take_server = _empty(mine)
        elif mine == was:
            take_server = True
        elif server == was:
            take_server = False
        elif name in _LISTS and (both := _merge_lists(was, mine, server, _LISTS[name])) is not None:
            # An address added on each side is two additions, not a conflict: both sides get both.
            merged.fields[name] = both
            if both != mine:
                merged.from_server.append(name)
            continue
        else:
            take_server = False
            merged.conflicts.append(name)
        merged.fields[name] = server if take_server else mine
        if take_server:
            merged.from_server.append(name)
    return merged


# The list fields, and which element of an item names it (an address, a number, a URL; an ADR's value).
_LISTS = {"emails": 0, "phones": 0, "urls": 0, "addresses": 1}


def _merge_lists(was: Any, mine: Any, server: Any, key: int) -> list[Any] | None:
    """A list both sides changed, item by item against the base: what either side added is kept,
    what either side removed is gone, and an item changed (relabelled) on one side only takes that
    change. None when the same item was changed differently on both sides: that is a conflict."""
    before = {item[key]: item for item in was or []}
    ours = {item[key]: item for item in mine or []}
    theirs = {item[key]: item for item in server or []}
    both: list[Any] = []
    for name, item in ours.items():
        other = theirs.get(name)
        if other is None:
            if name not in before:
                both.append(item)  # added here
            continue  # else removed on the server
        if other != item:
            if item == before.get(name):
                item = other  # changed on the server only
            elif other != before.get(name):
                return None  # changed on both sides, differently
        both.append(item)
    both += [item for name, item in theirs.items() if name not in ours and name not in before]
    return both


def _empty(value: Any) -> bool:
    if isinstance(value, list):
        return all(_empty(v) for v in value)
    return value is None or value == ""


def write(
    session: Session, person: Person, fields: dict[str, Any], names: list[str], *, log: ChangeLog, now: Any
) -> bool:
    """Give the person the server's value of each named field, every change logged; True if any."""
    before: dict[str, Any] = {}
    changed = False
    for name in names:
        value = fields[name]
        if name == "names":
            cols = ("display_name", "family_name", "given_name", "middle_name", "name_prefix", "name_suffix")
            display = value[0] or " ".join(v for v in value[1:] if v) or person.display_name
            for col, new in zip(cols, [display, *value[1:]], strict=True):
                _set(person, col, new, before)
            _set(person, "sort_name", fold(display), before)
        elif name == "org":
            for col, new in zip(("company", "department", "title"), value, strict=True):
                _set(person, col, new, before)
        elif name == "birthday":
            year, month, day = validate.birthday(value) if value else (None, None, None)
            for col, new in zip(
                ("birthday_year", "birthday_month", "birthday_day"), (year, month, day), strict=True
            ):
                _set(person, col, new, before)
        elif name == "notes":
            _set(person, "notes", value, before)
        elif name == "addresses":
            extra = dict(person.extra or {})
            kept = [i for i in extra.get("vcard") or [] if not _addresses([i])]
            adrs = [["ADR", {"TYPE": [label]} if label else {}, raw] for label, raw in value]
            extra["vcard"] = kept + adrs
            if not extra["vcard"]:
                del extra["vcard"]
            _set(person, "extra", extra or None, before)
        else:
            changed |= _replace_children(session, person, name, value, log)
    if before:
        before.setdefault("updated_at", person.updated_at)
        person.updated_at = now
        log.update("person", [person.id], before)
    if before or changed:
        session.flush()
        log.update("person_search", [person.id], _search_before(session, person.id))
        search_repo.refresh_document(session, person)
    return bool(before) or changed


def _set(person: Person, column: str, value: Any, before: dict[str, Any]) -> None:
    if getattr(person, column) != value:
        before.setdefault(column, getattr(person, column))
        setattr(person, column, value)


_CHILDREN = {
    "emails": ("person_email", PersonEmail, "emails"),
    "phones": ("person_phone", PersonPhone, "phones"),
    "urls": ("person_link", PersonLink, "links"),
}


def _replace_children(
    session: Session, person: Person, name: str, values: list[list[Any]], log: ChangeLog
) -> bool:
    """The person's emails, phones or links become `values`, in order; the rows removed are kept
    whole in the log."""
    table, model, attribute = _CHILDREN[name]
    current: list[Any] = getattr(person, attribute)
    if [_pair(name, c) for c in current] == [list(v) for v in values]:
        return False
    tbl = rows.table(table)
    old_ids = [c.id for c in current]
    if old_ids:
        log.delete(table, rows.select_encoded(session, tbl, tbl.c.id.in_(old_ids)))
    current.clear()
    session.flush()
    fields = {"emails": [], "phones": [], "links": [], "tags": []}
    fields["links" if name == "urls" else name] = values
    new_rows = record_fields.child_rows(fields, person_id=person.id, owner_id=person.owner_id)[table]
    created = []
    for row in new_rows:
        row.pop("person_id")
        child = model(**row)
        current.append(child)
        created.append(child)
    session.flush()
    log.insert(table, [c.id for c in created])
    return True


def _pair(name: str, child: Any) -> list[Any]:
    if name == "emails":
        return [child.address, child.label]
    if name == "phones":
        return [child.number, child.label]
    return [child.url, child.label]


def _search_before(session: Session, person_id: int) -> dict[str, Any]:
    row = session.get(PersonSearch, person_id)
    if row is None:
        return {}
    return {k: getattr(row, k) for k in ("names", "handles", "work", "topics", "notes")}
