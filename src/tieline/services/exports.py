"""What the people exports read, and how the JSON export is laid out.

`tieline export vcard|csv|json` and `GET /api/v1/export/vcard|csv|json` both hand these to the
writers in `exporters/` (`write_vcards`, `write_csv`) or to `write_people_json`, so they write the
same bytes (a test holds them equal).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from sqlalchemy.orm import Session

from tieline.models import Person
from tieline.repo import interactions as interactions_repo
from tieline.repo import people as people_repo
from tieline.serialise.interactions import interaction
from tieline.serialise.people import person_full

JSON_FORMAT = "tieline-export"


def every_person(session: Session, *, owner_id: int, batch: int = 500) -> Iterator[Person]:
    """Every person, archived ones too, by id, with their many-valued fields, a batch at a time."""
    ids = sorted(person_id for person_id, _ in people_repo.all_names(session, owner_id=owner_id))
    for start in range(0, len(ids), batch):
        yield from people_repo.get_many(session, owner_id=owner_id, person_ids=ids[start : start + batch])
        session.expunge_all()  # keeps memory flat over tens of thousands of people


def every_interaction(session: Session, *, owner_id: int) -> Iterator[dict[str, Any]]:
    """Every interaction, oldest id first, with the ids of the people who took part."""
    for item in interactions_repo.every_with_participants(session, owner_id=owner_id):
        yield {**interaction(item), "people": sorted(p.person_id for p in item.participants)}


def write_people_json(
    session: Session, out: TextIO, *, owner_id: int, with_interactions: bool = False
) -> dict[str, int]:
    """Everyone with every field (the `show --json` shape), optionally every interaction; counts back."""
    sections: dict[str, Iterable[dict[str, Any]]] = {
        "people": (person_full(p) for p in every_person(session, owner_id=owner_id))
    }
    if with_interactions:
        sections["interactions"] = every_interaction(session, owner_id=owner_id)
    return write_json_document(out, {"format": JSON_FORMAT}, sections)


def write_json_document(
    out: TextIO, head: dict[str, Any], sections: dict[str, Iterable[dict[str, Any]]]
) -> dict[str, int]:
    """An indented JSON object written a record at a time: `head`'s keys, then each list."""
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    counts = {}
    for n, (key, records) in enumerate(sections.items()):
        out.write(f"  {json.dumps(key)}: [")
        count = 0
        for record in records:
            text = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n    ")
            out.write(("," if count else "") + "\n    " + text)
            count += 1
        out.write(("\n  " if count else "") + "]" + ("," if n < len(sections) - 1 else "") + "\n")
        counts[key] = count
    out.write("}\n")
    return counts
