"""Merging two people into one, keeping everything either held, and undoing a merge exactly.

Every row that points at the merged person, in any table (emails, phones, links, tags, topics,
memberships, interaction participations, favours, follow-ups, milestones, source ids and any table
added later), is repointed to the kept person. Both people are stored as they were, whole, so that
`unmerge` puts the merged person back with the same id and rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tieline.errors import InvalidInput, NotFound
from tieline.models import DistinctPair, MergeRecord, Person
from tieline.repo import merges as merges_repo
from tieline.repo import people as people_repo
from tieline.repo import rows
from tieline.repo import search as search_repo
from tieline.services import identity, preferences, scoring

NOTES_SEPARATOR = "\n\n--- merged from {name} ---\n"
# Derived rows (rebuilt for the kept person) and pairs that make no sense once merged: dropped.
DROPPED = ("tie", "person_search", "distinct_pair")
# Fields where the kept person's value wins when both have one; where only the other has one, it is taken.
FILLED = (
    "given_name", "middle_name", "family_name", "name_prefix", "name_suffix", "nickname", "title", "company",
    "department", "industry", "location", "birthday_year", "birthday_month", "birthday_day", "met_how",
    "met_where", "cadence_days",
)  # fmt: skip


def snapshot(session: Session, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """The person's row and every row of any table pointing at them, encoded: "table.column" -> rows."""
    person = rows.table("person")
    found = {"person": rows.select_encoded(session, person, person.c.id == person_id)}
    for tbl, column in rows.references_to("person"):
        found[f"{tbl.name}.{column.name}"] = rows.select_encoded(session, tbl, column == person_id)
    return found


def merge(
    session: Session, *, kept: Person, merged: Person, now: datetime, reasons: list[str] | None = None
) -> MergeRecord:
    """Merge `merged` into `kept`: keep every value and row of both, delete `merged`, rescore `kept`."""
    if kept.id == merged.id:
        raise InvalidInput("cannot merge a person with themself")
    if kept.owner_id != merged.owner_id:
        raise NotFound(f"no person with id {merged.id}")
    if reasons is None:
        match = identity.compare(_facts(kept), _facts(merged))
        reasons = list(match.reasons) if match else ["merged by hand"]
    before = {"kept": snapshot(session, kept.id), "merged": snapshot(session, merged.id)}
    record = MergeRecord(
        owner_id=kept.owner_id,
        kept_id=kept.id,
        merged_id=merged.id,
        merged_at=now,
        evidence=reasons,
        before=before,
    )
    session.add(record)
    _combine_fields(kept, merged)
    session.flush()
    merges_repo.repoint_person(session, kept_id=kept.id, merged_id=merged.id, dropped=DROPPED)
    session.expunge(merged)
    session.expire_all()
    _rebuild(session, kept.owner_id, kept.id, now)
    session.flush()
    return record


def _facts(person: Person) -> identity.Facts:
    return identity.Facts(
        id=person.id,
        name=person.display_name,
        company=person.company,
        emails={e.address for e in person.emails},
        linkedin={k for link in person.links if (k := identity.linkedin_key(link.url))},
        phones={k for p in person.phones if (k := identity.phone_key(p.number))},
    )


def _combine_fields(kept: Person, merged: Person) -> None:
    for name in FILLED:
        if getattr(kept, name) is None and getattr(merged, name) is not None:
            setattr(kept, name, getattr(merged, name))
    if merged.notes:
        header = NOTES_SEPARATOR.format(name=merged.display_name)
        kept.notes = (kept.notes + header + merged.notes) if kept.notes else merged.notes
    kept.tier = min(kept.tier, merged.tier)
    if merged.closeness is not None:
        kept.closeness = max(kept.closeness or 0, merged.closeness)
    if merged.met_on is not None and (kept.met_on is None or merged.met_on < kept.met_on):
        kept.met_on = merged.met_on
    if merged.last_contact_at is not None and (
        kept.last_contact_at is None or merged.last_contact_at > kept.last_contact_at
    ):
        kept.last_contact_at = merged.last_contact_at
    if merged.extra:
        kept.extra = {**merged.extra, **(kept.extra or {})}
    kept.archived = kept.archived and merged.archived


def _rebuild(session: Session, owner_id: int, person_id: int, now: datetime) -> None:
    person = people_repo.get(session, owner_id=owner_id, person_id=person_id)
    if person is None:
        return
    prefs = preferences.load(session, owner_id=owner_id)
    scoring.recompute_person(session, person, prefs=prefs, now=now)
    search_repo.refresh_document(session, person)


def unmerge(session: Session, *, owner_id: int, merge_id: int, now: datetime) -> MergeRecord:
    """Put the merged person back exactly as they were, and the kept person's fields as they were."""
    record = session.get(MergeRecord, merge_id)
    if record is None or record.owner_id != owner_id:
        raise NotFound(f"no merge {merge_id}")
    if record.unmerged_at is not None:
        raise InvalidInput(f"merge {merge_id} was already undone")
    if people_repo.get(session, owner_id=owner_id, person_id=record.kept_id, details=False) is None:
        raise InvalidInput(
            f"person #{record.kept_id} no longer exists (merged or deleted since): cannot unmerge"
        )
    kept_rows, merged_rows = record.before["kept"], record.before["merged"]
    person = rows.table("person")
    rows.insert(session, person, merged_rows["person"][0])
    rows.update(session, person, [record.kept_id], rows.decode(person, kept_rows["person"][0]))
    for tbl, column in rows.references_to("person"):
        label = f"{tbl.name}.{column.name}"
        kept_keys = {tuple(rows.key_of(tbl, r)) for r in kept_rows.get(label, [])}
        if tbl.name in DROPPED:  # derived rows of the kept person go back to what they were
            rows.delete_where(session, column, record.kept_id)
            for doc in kept_rows.get(label, []):
                rows.put(session, tbl, doc)
        for doc in merged_rows.get(label, []):
            key = rows.key_of(tbl, doc)
            if column.primary_key:
                # The row was repointed: its key now names the kept person; move it back.
                moved = [
                    record.kept_id if c is column else v
                    for c, v in zip(tbl.primary_key.columns, key, strict=True)
                ]
                if tuple(moved) not in kept_keys:
                    rows.delete(session, tbl, moved)
            rows.put(session, tbl, doc)
    record.unmerged_at = now
    session.flush()
    session.expire_all()
    return record


def mark_distinct(session: Session, *, owner_id: int, a: Person, b: Person) -> None:
    """Record that two people are not the same, so they are no longer proposed as duplicates."""
    low, high = sorted((a.id, b.id))
    if session.get(DistinctPair, (low, high)) is None:
        session.add(DistinctPair(owner_id=owner_id, low_id=low, high_id=high))
        session.flush()
