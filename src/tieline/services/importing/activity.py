"""Saving what happened with people: interactions (and their participants), memberships, favours and
milestones, each upserted on its source id; then the ties of everyone concerned, in one pass.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from tieline.importers.records import (
    FavourRecord,
    InteractionRecord,
    LabeledValue,
    MembershipRecord,
    MilestoneRecord,
    PersonRecord,
)
from tieline.importers.report import ImportReport
from tieline.models import (
    FAVOUR_DIRECTIONS,
    FAVOUR_KINDS,
    INITIATORS,
    INTERACTION_KINDS,
    MILESTONE_KINDS,
    ORGANISATION_KINDS,
    Favour,
    Interaction,
    Membership,
    Milestone,
)
from tieline.repo import imports as imports_repo
from tieline.repo import people as people_repo
from tieline.repo import rows
from tieline.repo import said as said_repo
from tieline.repo import ties as ties_repo
from tieline.services import preferences, scoring
from tieline.services.importing.changelog import ChangeLog
from tieline.services.importing.people import PeopleWriter

# A light favour (an endorsement) older than this at import time is not owed a thank-you any more.
LIGHT_THANKS_WINDOW = timedelta(days=30)
Event = tuple[str, datetime, str | None]
# The columns interaction_values sets, read back from rows a re-import may update.
INTERACTION_STORED = (*imports_repo.interaction_columns(), "to_me_alone")


@dataclass
class ActivityWriter:
    """Stores interactions, memberships, favours and milestones for one import run."""

    session: Session
    owner_id: int
    now: datetime
    log: ChangeLog
    report: ImportReport
    people: PeopleWriter
    own_emails: frozenset[str] = frozenset()
    create_people: bool = False
    existing: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # Interactions are many (a mailbox has hundreds of thousands): those stored before are looked
    # up a batch at a time, (source, source id) -> row, instead of all held for the whole run.
    batch_interactions: dict[tuple[str, str], Any] = field(default_factory=dict)
    seen: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    events: dict[int, list[Event]] = field(default_factory=lambda: defaultdict(list))
    favours: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))

    def rows_of(self, model: Any, source: str, columns: tuple[str, ...]) -> dict[str, Any]:
        """source id -> existing row of a model from a source, loaded on first use."""
        key = (model.__tablename__, source)
        if key not in self.existing:
            self.existing[key] = imports_repo.by_source(
                self.session, model, owner_id=self.owner_id, source=source, columns=columns
            )
        return self.existing[key]

    def load_batch(self, interactions: list[InteractionRecord]) -> None:
        """Look up which of a batch's interactions were stored before (by a run before this one)."""
        by_source: dict[str, list[str]] = defaultdict(list)
        for record in interactions:
            by_source[record.source].append(record.source_id)
        columns = INTERACTION_STORED
        self.batch_interactions = {
            (source, source_id): row
            for source, ids in by_source.items()
            for source_id, row in imports_repo.by_source(
                self.session,
                Interaction,
                owner_id=self.owner_id,
                source=source,
                columns=columns,
                source_ids=ids,
            ).items()
        }

    def _first_time(self, kind: str, source: str, source_id: str, origin: Any) -> bool:
        seen = self.seen[kind, source]
        if source_id in seen:
            self.report.skip(origin, f"same {source} id as an earlier record")
            return False
        seen.add(source_id)
        return True

    # Participants -----------------------------------------------------------------------------

    def resolve(self, source: str, emails: list[str], source_ids: list[str]) -> tuple[list[int], list[str]]:
        """(person ids, identifiers matching nobody) for a record's participants."""
        email_map = self.people.email_map()
        found: list[int] = []
        missing: list[str] = []
        for address in emails:
            address = address.strip().lower()
            if not address or address in self.own_emails:
                continue
            if (pid := email_map.get(address)) is not None:
                found.append(pid)
            else:
                missing.append(address)
        for source_id in source_ids:
            if (pid := self.people.person_of(source, source_id)) is not None:
                found.append(pid)
            else:
                missing.append(source_id)
        return list(dict.fromkeys(found)), missing

    def people_to_create(self, records: list[Any]) -> list[PersonRecord]:
        """Person records for participants that match nobody (only when people are to be created)."""
        if not self.create_people:
            return []
        wanted: dict[tuple[str, str], PersonRecord] = {}
        for record in records:
            if (
                isinstance(record, InteractionRecord)
                and (record.source, record.source_id) in self.batch_interactions
            ):
                continue  # imported before: its participants were settled then
            emails, ids, names = _participants(record)
            _, missing = self.resolve(record.source, emails, ids)
            for key in missing:
                is_email = "@" in key and key in emails
                name = record.name if isinstance(record, FavourRecord) and record.name else names.get(key)
                person = PersonRecord(
                    source=record.source,
                    source_id=f"email:{key}" if is_email else key,
                    origin=record.origin,
                    display_name=name or key.removeprefix("name:"),
                    emails=[LabeledValue(key)] if is_email else [],
                    links=[LabeledValue("https://www." + key, "LinkedIn")]
                    if key.startswith("linkedin.com/")
                    else [],
                )
                wanted.setdefault((person.source, person.source_id), person)
        return list(wanted.values())

    # Interactions -------------------------------------------------------------------------------

    def add_interactions(self, records: list[InteractionRecord]) -> None:
        """Upsert interactions; new ones get their participants, last contacts and tie events."""
        new: list[tuple[InteractionRecord, list[int], dict[str, Any]]] = []
        changed: list[int] = []
        for record in records:
            if not self._first_time("interaction", record.source, record.source_id, record.origin):
                continue
            if record.kind not in INTERACTION_KINDS or (record.initiated_by not in (None, *INITIATORS)):
                self.report.skip(record.origin, f"kind: unknown interaction kind {record.kind!r}")
                continue
            existing = self.batch_interactions.get((record.source, record.source_id))
            if existing is not None:
                if self._update("interaction", existing, interaction_values(record), "interactions"):
                    changed.append(existing.id)
                continue
            people, _ = self.resolve(record.source, record.emails, record.person_source_ids)
            if not people:
                hint = "" if self.create_people else " (use --create-people to add them)"
                self.report.skip(record.origin, f"nobody among your people took part{hint}")
                continue
            new.append((record, people, interaction_values(record)))
        # What was said, for search: rewritten for the changed, written for the new.
        said_repo.refresh(self.session, owner_id=self.owner_id, item="interaction", ids=changed)
        if not new:
            return
        interactions = [
            {
                "owner_id": self.owner_id,
                "source": r.source,
                "source_id": r.source_id,
                "created_at": self.now,
                "updated_at": self.now,
                **values,
            }
            for r, _, values in new
        ]
        ids = imports_repo.insert_rows(self.session, "interaction", interactions)
        self.log.insert("interaction", ids)
        said = [
            said_repo.ItemText(i, r.occurred_at, r.subject, (r.notes,))
            for (r, _, _), i in zip(new, ids, strict=True)
            if r.subject or r.notes
        ]
        said_repo.index(self.session, owner_id=self.owner_id, item="interaction", texts=said, new=True)
        participants = []
        latest: dict[int, datetime] = {}
        for (record, people, _), interaction_id in zip(new, ids, strict=True):
            for pid in people:
                participants.append(
                    {
                        "interaction_id": interaction_id,
                        "person_id": pid,
                        "owner_id": self.owner_id,
                        "occurred_at": record.occurred_at,
                    }
                )
                self.events[pid].append((record.kind, record.occurred_at, record.initiated_by))
                if pid not in latest or latest[pid] < record.occurred_at:
                    latest[pid] = record.occurred_at
        imports_repo.add_participants(self.session, rows=participants)
        self.log.insert(
            "interaction_participant", [[p["interaction_id"], p["person_id"]] for p in participants]
        )
        self._touch(latest)
        self.report.count("interactions", "added", len(ids))

    def _touch(self, latest: dict[int, datetime]) -> None:
        current = imports_repo.last_contacts(self.session, sorted(latest))
        moved = {}
        for pid, when in latest.items():
            last, updated = current.get(pid, (None, None))
            if last is None or last < when:
                moved[pid] = when
                self.log.update("person", [pid], {"last_contact_at": last, "updated_at": updated})
        imports_repo.set_last_contacts(self.session, contacts=moved, now=self.now)

    def _update(self, table_name: str, existing: Any, values: dict[str, Any], kind: str) -> bool:
        """Store a record's changed values over the row it updates; whether anything changed."""
        before = {c: getattr(existing, c) for c in values if getattr(existing, c) != values[c]}
        if not before:
            self.report.count(kind, "unchanged")
            return False
        changed = {c: values[c] for c in before}
        before["updated_at"] = existing.updated_at
        self.log.update(table_name, [existing.id], before)
        rows.update(self.session, rows.table(table_name), [existing.id], {**changed, "updated_at": self.now})
        self.report.count(kind, "updated")
        return True

    # Memberships, favours, milestones ----------------------------------------------------------

    def add_memberships(self, records: list[MembershipRecord]) -> None:
        """Upsert memberships: the owner's own (no person) or a known person's."""
        columns = ("person_id", "organisation_id", "role", "start_date", "end_date", "notes")
        for record in records:
            if not self._first_time("membership", record.source, record.source_id, record.origin):
                continue
            if record.kind not in ORGANISATION_KINDS:
                self.report.skip(record.origin, f"kind: unknown organisation kind {record.kind!r}")
                continue
            person_id = None
            if record.person_source_id is not None:
                person_id = self.people.person_of(record.source, record.person_source_id)
                if person_id is None:
                    self.report.skip(record.origin, "membership of a person who was not imported")
                    continue
            values = {
                "person_id": person_id, "organisation_id": self.people.organisation(record.organisation, record.kind),
                "role": record.role, "start_date": record.start_date, "end_date": record.end_date, "notes": record.notes,
            }  # fmt: skip
            if (
                existing := self.rows_of(Membership, record.source, columns).get(record.source_id)
            ) is not None:
                self._update("membership", existing, values, "memberships")
                continue
            row = {
                "owner_id": self.owner_id,
                "source": record.source,
                "source_id": record.source_id,
                **values,
            }
            self._insert_one("membership", row, "memberships")

    def add_favours(self, records: list[FavourRecord]) -> None:
        """Upsert favours given or received; light ones long past are not owed thanks any more."""
        columns = ("person_id", "direction", "kind", "text", "occurred_at")
        for record in records:
            if not self._first_time("favour", record.source, record.source_id, record.origin):
                continue
            if record.direction not in FAVOUR_DIRECTIONS or record.kind not in FAVOUR_KINDS:
                self.report.skip(record.origin, f"kind: unknown favour {record.direction} {record.kind}")
                continue
            person_id = self._one_person(record, record.emails, record.person_source_id)
            if person_id is None:
                continue
            values = {
                "person_id": person_id,
                "direction": record.direction,
                "kind": record.kind,
                "text": record.text,
                "occurred_at": record.occurred_at,
            }
            if (existing := self.rows_of(Favour, record.source, columns).get(record.source_id)) is not None:
                self._update("favour", existing, values, "favours")
                continue
            old = record.light and self.now - record.occurred_at > LIGHT_THANKS_WINDOW
            row = {
                "owner_id": self.owner_id,
                "source": record.source,
                "source_id": record.source_id,
                **values,
            }
            self._insert_one("favour", {**row, "thanked_at": record.occurred_at if old else None}, "favours")
            self.favours[person_id].append(record.direction)

    def add_milestones(self, records: list[MilestoneRecord]) -> None:
        """Upsert milestones a source states (a birthday, a new job)."""
        columns = ("person_id", "kind", "occurred_on", "text")
        for record in records:
            if not self._first_time("milestone", record.source, record.source_id, record.origin):
                continue
            if record.kind not in MILESTONE_KINDS:
                self.report.skip(record.origin, f"kind: unknown milestone kind {record.kind!r}")
                continue
            person_id = self._one_person(record, record.emails, record.person_source_id)
            if person_id is None:
                continue
            values = {
                "person_id": person_id,
                "kind": record.kind,
                "occurred_on": record.occurred_on,
                "text": record.text,
            }
            if (
                existing := self.rows_of(Milestone, record.source, columns).get(record.source_id)
            ) is not None:
                self._update("milestone", existing, values, "milestones")
                continue
            row = {
                "owner_id": self.owner_id,
                "source": record.source,
                "source_id": record.source_id,
                **values,
            }
            self._insert_one("milestone", row, "milestones")

    def _one_person(self, record: Any, emails: list[str], source_id: str | None) -> int | None:
        people, _ = self.resolve(record.source, emails, [source_id] if source_id else [])
        if not people:
            self.report.skip(record.origin, "the person is not among your people")
            return None
        return people[0]

    def _insert_one(self, table_name: str, row: dict[str, Any], kind: str) -> None:
        row = {**row, "created_at": self.now, "updated_at": self.now}
        self.log.insert(table_name, imports_repo.insert_rows(self.session, table_name, [row]))
        self.report.count(kind, "added")

    # Ties ---------------------------------------------------------------------------------------

    def rescore(self) -> None:
        """Fold the new interactions and favours into each person's tie (exact, no rescan)."""
        ids = sorted(set(self.events) | set(self.favours))
        if not ids:
            return
        prefs = preferences.load(self.session, owner_id=self.owner_id)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            people = people_repo.plain_many(self.session, owner_id=self.owner_id, person_ids=chunk)
            # One query for the chunk's ties; whoever it did not find has none, so their new tie is
            # made without another lookup, and all are written by one flush at the end.
            ties = imports_repo.ties(self.session, chunk)
            for person in people:
                tie = ties.get(person.id)
                if tie is None:
                    half_life = scoring.half_life_days(person, prefs)
                    tie = ties_repo.new(self.session, person=person, half_life=half_life)
                    self.log.insert("tie", [person.id])
                if events := sorted(self.events.get(person.id, []), key=lambda e: e[1]):
                    # Folded on plain attributes, then set on the tie once: the ORM's bookkeeping of
                    # each attribute set would otherwise cost more than the arithmetic.
                    running = SimpleNamespace(**{name: getattr(tie, name) for name in scoring.RUNNING})
                    for kind, when, initiated_by in events:
                        scoring.add_interaction(
                            running,  # type: ignore[arg-type]  # the tie's running attributes, plain
                            kind=kind, when=when, initiated_by=initiated_by, prefs=prefs,
                        )  # fmt: skip
                    for name in scoring.RUNNING:
                        setattr(tie, name, getattr(running, name))
                for direction in self.favours.get(person.id, []):
                    if direction == "given":
                        tie.favours_given = (tie.favours_given or 0) + 1
                    else:
                        tie.favours_received = (tie.favours_received or 0) + 1
                scoring.refresh_stored_strength(person, tie, prefs=prefs, now=self.now)
        self.log.rescored.update(ids)
        self.session.flush()


def interaction_values(record: InteractionRecord) -> dict[str, Any]:
    """The interaction columns a record sets, on insert and on a re-import's update."""
    values = {c: getattr(record, c) for c in imports_repo.interaction_columns()}
    # A reply is owed on a message to you alone (the agenda's reply-owed line); `tieline log` leaves it False.
    values["to_me_alone"] = record.addressed_to_me_alone
    return values


def _participants(record: Any) -> tuple[list[str], list[str], dict[str, str]]:
    if isinstance(record, InteractionRecord):
        return [e.strip().lower() for e in record.emails], list(record.person_source_ids), record.names
    ids = [record.person_source_id] if record.person_source_id else []
    return [e.strip().lower() for e in record.emails], ids, {}
