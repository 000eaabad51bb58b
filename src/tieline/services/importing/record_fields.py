"""A person record as the plain, comparable fields an import stores, checks and applies.

The same fields are hashed (an unchanged record is recognised by its digest alone) and kept per
source, so the next import can tell what the source changed from what the user edited.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date
from functools import lru_cache
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from tieline import validate
from tieline.errors import InvalidInput
from tieline.importers.records import PersonRecord
from tieline.services.identity import Facts, linkedin_key, phone_key
from tieline.services.people import split_name
from tieline.text import fold, search_words

SCALARS = (
    "display_name",
    "given_name",
    "middle_name",
    "family_name",
    "name_prefix",
    "name_suffix",
    "nickname",
    "title",
    "company",
    "department",
    "industry",
    "location",
    "birthday",
    "met_on",
    "met_how",
    "notes",
)


_scalars_of = attrgetter(*SCALARS)


def _clean(value: Any) -> Any:
    return (value.strip() or None) if value.__class__ is str else value


def fields_of(record: PersonRecord, warnings: list[str]) -> dict[str, Any] | None:
    """The record's fields, checked: bad values are left out with a warning; None if it names nobody."""
    # `_clean`, inlined: this runs for every field of every record an import reads.
    fields: dict[str, Any] = {
        name: (value.strip() or None) if value.__class__ is str else value
        for name, value in zip(SCALARS, _scalars_of(record), strict=True)
    }
    if fields["met_on"] is not None:
        fields["met_on"] = fields["met_on"].isoformat()
    if fields["birthday"]:
        try:
            validate.birthday(fields["birthday"])
        except InvalidInput as exc:
            warnings.append(f"birthday left out: {exc.message}")
            fields["birthday"] = None
    kept: dict[str, Any] = {}  # values that are not what their field needs, kept rather than dropped
    emails: list[list[str | None]] = []
    for item in record.emails:
        try:
            address = validate.email(item.value)
        except InvalidInput as exc:
            _keep(kept, f"email ({item.label})" if item.label else "email", item.value)
            warnings.append(f"{exc.message} (kept in extra fields)")
            continue
        if address not in [e[0] for e in emails]:
            emails.append([address, _clean(item.label)])
    phones: list[list[str | None]] = []
    for item in record.phones:
        try:
            key = validate.phone_key(item.value)
        except InvalidInput as exc:
            _keep(kept, f"phone ({item.label})" if item.label else "phone", item.value)
            warnings.append(f"{exc.message} (kept in extra fields)")
            continue
        if key not in [validate.phone_key(p[0] or "") for p in phones]:
            phones.append([item.value.strip(), _clean(item.label)])
    links: list[list[str | None]] = []
    for item in record.links:
        url = item.value.strip()
        if url and url not in [link[0] for link in links]:
            links.append([url, _clean(item.label)])
    tags = sorted({t.strip() for t in record.tags if t.strip()})
    fields.update(
        emails=emails, phones=phones, links=links, tags=tags, extra={**kept, **record.extra} or None
    )
    if not fields["display_name"]:
        parts = [fields["given_name"], fields["middle_name"], fields["family_name"]]
        fallback = " ".join(p for p in parts if p) or fields["nickname"]
        fallback = fallback or (emails[0][0] if emails else None) or (phones[0][0] if phones else None)
        fields["display_name"] = fallback or fields["company"]
    if not fields["display_name"]:
        return None
    named_by_email = bool(emails) and fields["display_name"] == emails[0][0]
    if (
        not (fields["given_name"] or fields["family_name"] or named_by_email)
        and " " in fields["display_name"]
    ):
        fields["given_name"], fields["family_name"] = split_name(fields["display_name"])
    return fields


def _keep(kept: dict[str, Any], key: str, value: str) -> None:
    name, n = key, 2
    while name in kept:
        name, n = f"{key} {n}", n + 1
    kept[name] = value


_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(PersonRecord) if f.name != "origin")
_record_values = attrgetter(*_RECORD_FIELDS)
# json.dumps builds a new encoder on every call given any option; one encoder serves every record.
_JSON = json.JSONEncoder(ensure_ascii=False)


def record_digest(record: PersonRecord) -> str:
    """A hash of everything a record says (not where it sits in the file): equal hashes mean the
    source says exactly what it said before, so a re-import need not even read the record."""
    return hashlib.sha1(repr(_record_values(record)).encode("utf-8")).hexdigest()


def to_json(fields: dict[str, Any]) -> str:
    """The fields as the JSON text kept with the source id."""
    return _JSON.encode(fields)


@lru_cache(maxsize=16384)
def _words(value: str) -> str:
    return search_words(value)


def search_document(fields: dict[str, Any]) -> dict[str, str]:
    """The search document of a new person, as `repo.search.document_for` makes it (a test keeps
    them equal), folding a value that many people share (a given name, an employer) only once."""
    names = [fields[k] for k in ("given_name", "middle_name", "family_name", "nickname")]
    handles = (
        [a for a, _ in fields["emails"]] + [n for n, _ in fields["phones"]] + [u for u, _ in fields["links"]]
    )
    work = [fields[k] for k in ("title", "company", "department", "industry", "location")]
    notes = [fields["notes"], fields["met_how"]]
    return {
        # Given and family names repeat across people too; display names rarely do.
        "names": " ".join([search_words(fields["display_name"]), *(_words(v) for v in names if v)]),
        "handles": search_words(" ".join(v for v in handles if v)),
        # Employers, titles and tags repeat across people: each distinct value is folded once.
        "work": " ".join(_words(v) for v in work if v),
        "topics": " ".join(_words(v) for v in fields["tags"] if v),
        "notes": " ".join(_words(v) for v in notes if v),
    }


_ROW_SCALARS = tuple(k for k in SCALARS if k not in ("display_name", "birthday", "met_on"))


def person_row(
    fields: dict[str, Any], *, owner_id: int, source: str, source_id: str, now: Any
) -> dict[str, Any]:
    """The person table row for a new person with these fields (every column, for executemany)."""
    year = month = day = None
    if fields["birthday"]:
        year, month, day = validate.birthday(fields["birthday"])
    return {
        "owner_id": owner_id,
        "source": source,
        "source_id": source_id,
        "display_name": fields["display_name"],
        "sort_name": fold(fields["display_name"]),
        **{k: fields[k] for k in _ROW_SCALARS},
        "met_on": date.fromisoformat(fields["met_on"]) if fields["met_on"] else None,
        "met_where": None,
        "birthday_year": year,
        "birthday_month": month,
        "birthday_day": day,
        "tier": 4,
        "cadence_days": None,
        "closeness": None,
        "archived": False,
        "last_contact_at": None,
        "extra": fields["extra"],
        "created_at": now,
        "updated_at": now,
    }


def child_rows(fields: dict[str, Any], *, person_id: int, owner_id: int) -> dict[str, list[dict[str, Any]]]:
    """Rows of person_email, person_phone, person_link and person_tag for the fields' lists."""
    return {
        "person_email": [
            {"owner_id": owner_id, "person_id": person_id, "address": a, "label": label, "position": i}
            for i, (a, label) in enumerate(fields["emails"])
        ],
        "person_phone": [
            {
                "owner_id": owner_id,
                "person_id": person_id,
                "number": n,
                "match_key": validate.phone_key(n),
                "label": label,
                "position": i,
            }
            for i, (n, label) in enumerate(fields["phones"])
        ],
        "person_link": [
            {
                "owner_id": owner_id,
                "person_id": person_id,
                "url": u,
                "kind": validate.link_kind(u),
                "label": label,
                "position": i,
            }
            for i, (u, label) in enumerate(fields["links"])
        ],
        "person_tag": [{"owner_id": owner_id, "person_id": person_id, "tag": t} for t in fields["tags"]],
    }


def search_stand_in(fields: dict[str, Any]) -> SimpleNamespace:
    """An object with the attributes `repo.search.document_for` reads, built from plain fields."""
    return SimpleNamespace(
        **{k: fields[k] for k in SCALARS if k not in ("birthday", "met_on")},
        met_where=None,
        emails=[SimpleNamespace(address=a) for a, _ in fields["emails"]],
        phones=[SimpleNamespace(number=n) for n, _ in fields["phones"]],
        links=[SimpleNamespace(url=u) for u, _ in fields["links"]],
        tags=[SimpleNamespace(tag=t) for t in fields["tags"]],
        topics=[],
    )


def facts_of(fields: dict[str, Any], person_id: int) -> Facts:
    """What identity resolution compares, from a record's fields."""
    return Facts(
        id=person_id,
        name=fields["display_name"],
        company=fields["company"],
        emails={a for a, _ in fields["emails"]},
        linkedin={k for u, _ in fields["links"] if (k := linkedin_key(u))},
        phones={k for n, _ in fields["phones"] if (k := phone_key(n))},
    )
