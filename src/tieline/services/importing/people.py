"""Saving person records: look each up by its source id, else resolve its identity, then add,
update or merge in bulk. New people are written with a few multi-row inserts; people who exist are
updated one by one, which only a changed or newly matched record costs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from tieline.importers.records import PersonRecord
from tieline.importers.report import ImportReport
from tieline.models import Person, PersonSearch, PersonSource
from tieline.repo import imports as imports_repo
from tieline.repo import organisations as organisations_repo
from tieline.repo import search as search_repo
from tieline.services import duplicates, identity
from tieline.services.importing import record_fields as pf
from tieline.services.importing.changelog import ChangeLog
from tieline.text import fold

CHILD_TABLES = ("person_email", "person_phone", "person_link", "person_tag")


@dataclass
class Pending:
    """A person to create at the end of the batch, known meanwhile by a temporary negative id."""

    temp_id: int
    record: PersonRecord
    fields: dict[str, Any]
    digest: str


@dataclass
class PeopleWriter:
    """Resolves and stores person records for one import run."""

    session: Session
    owner_id: int
    now: datetime
    log: ChangeLog
    report: ImportReport
    aliases: dict[str, dict[str, tuple[int, int, str]]] = field(default_factory=dict)
    index: identity.Index | None = None
    organisations: dict[tuple[str, str], int] | None = None
    emails: dict[str, int] | None = None
    pending: list[Pending] = field(default_factory=list)
    seen: dict[tuple[str, str], str] = field(default_factory=dict)
    changed_people: set[int] = field(default_factory=set)

    def known(self, source: str) -> dict[str, tuple[int, int, str]]:
        """source id -> (alias id, person id, digest) of a source, loaded on first use."""
        if source not in self.aliases:
            self.aliases[source] = imports_repo.aliases(self.session, owner_id=self.owner_id, source=source)
        return self.aliases[source]

    def person_of(self, source: str, source_id: str) -> int | None:
        """The person a source id stands for, if any."""
        hit = self.known(source).get(source_id)
        return hit[1] if hit else None

    def email_map(self) -> dict[str, int]:
        """address -> person id, loaded on first use and kept current."""
        if self.emails is None:
            self.emails = imports_repo.email_owners(self.session, owner_id=self.owner_id)
        return self.emails

    def identity_index(self) -> identity.Index:
        """Everyone's identity facts, loaded the first time a record is not known by its source id."""
        if self.index is None:
            self.index = identity.Index(duplicates.load_facts(self.session, owner_id=self.owner_id))
        return self.index

    def add(self, records: list[PersonRecord]) -> None:
        """Resolve a batch of records and write it."""
        updates: list[tuple[int, PersonRecord, dict[str, Any], str, tuple[int, int, str] | None]] = []
        for record in records:
            key = (record.source, record.source_id)
            if key in self.seen:
                self.report.skip(record.origin, f"same {record.source} id as {self.seen[key]}")
                continue
            self.seen[key] = str(record.origin)
            # A record exactly as the source gave it last time costs one hash: nothing else is read.
            digest = pf.record_digest(record)
            alias = self.known(record.source).get(record.source_id)
            if alias is not None and alias[2] == digest:
                self.report.count("people", "unchanged")
                continue
            warnings: list[str] = []
            fields = pf.fields_of(record, warnings)
            for warning in warnings:
                self.report.warn(record.origin, warning)
            if fields is None:
                self.report.skip(record.origin, "no name, email or phone")
                continue
            if alias is not None:
                updates.append((alias[1], record, fields, digest, alias))
                continue
            index = self.identity_index()
            temp_id = -(len(self.pending) + 1)
            match = index.best(pf.facts_of(fields, temp_id)) if index.facts else None
            if match and match.certain:
                updates.append((match.a, record, fields, digest, None))
                self.report.evidence(record.origin, match.a, match.reasons)
                continue
            if match is not None:
                self.report.possible_duplicates += 1
            # People new in this run are not indexed: a file's own rows are never merged with each
            # other (they are listed by `tieline duplicates` instead).
            self.pending.append(Pending(temp_id, record, fields, digest))
        self._create()
        for person_id, record, fields, digest, alias in updates:
            self._update(person_id, record, fields, digest, alias)

    def _create(self) -> None:
        if not self.pending:
            return
        rows = [
            pf.person_row(
                p.fields,
                owner_id=self.owner_id,
                source=p.record.source,
                source_id=p.record.source_id,
                now=self.now,
            )
            for p in self.pending
        ]
        ids = self._insert("person", rows)
        children: dict[str, list[dict[str, Any]]] = defaultdict(list)
        aliases, documents = [], []
        for p, pid in zip(self.pending, ids, strict=True):
            for table, table_rows in pf.child_rows(p.fields, person_id=pid, owner_id=self.owner_id).items():
                children[table].extend(table_rows)
            aliases.append(
                {
                    "owner_id": self.owner_id,
                    "person_id": pid,
                    "source": p.record.source,
                    "source_id": p.record.source_id,
                    "digest": p.digest,
                    "fields": pf.to_json(p.fields),
                }
            )
            doc = pf.search_document(p.fields)
            documents.append({"person_id": pid, "owner_id": self.owner_id, **doc})
            if self.emails is not None:
                for address, _ in p.fields["emails"]:
                    self.emails.setdefault(address, pid)
        for table in CHILD_TABLES:
            self._insert(table, children[table])
        alias_ids = self._insert("person_source", aliases)
        for row, alias_id in zip(aliases, alias_ids, strict=True):
            self.known(row["source"])[row["source_id"]] = (alias_id, row["person_id"], row["digest"])
        search_repo.insert_documents(self.session, documents)
        self.log.insert("person_search", [d["person_id"] for d in documents])
        self._employ(
            [
                (pid, p.fields["company"], p.fields["title"], p.record)
                for p, pid in zip(self.pending, ids, strict=True)
            ]
        )
        self.report.count("people", "added", len(ids))
        self.pending = []

    def _insert(self, table_name: str, rows: list[dict[str, Any]]) -> list[int]:
        ids = imports_repo.insert_rows(self.session, table_name, rows)
        self.log.insert(table_name, ids)
        return ids

    def organisation(self, name: str, kind: str) -> int:
        """The id of the organisation of this kind and name, created (and logged) when missing."""
        return self.organisation_ids([name], kind)[name]

    def organisation_ids(self, names: list[str], kind: str) -> dict[str, int]:
        """name as given -> id of the organisation of this kind, creating the missing ones at once."""
        if self.organisations is None:
            self.organisations = imports_repo.organisations(self.session, owner_id=self.owner_id)
        keys = {name: (kind, fold(name)) for name in names}
        missing: dict[tuple[str, str], str] = {}
        for name, key in keys.items():
            if key not in self.organisations:
                missing.setdefault(key, name)
        rows = [
            {
                "owner_id": self.owner_id,
                "name": name.strip(),
                "match_name": key[1],
                "kind": kind,
                "created_at": self.now,
                "updated_at": self.now,
            }
            for key, name in missing.items()
        ]
        for key, new_id in zip(missing, self._insert("organisation", rows), strict=True):
            self.organisations[key] = new_id
        return {name: self.organisations[key] for name, key in keys.items()}

    def _employ(self, people: list[tuple[int, str | None, str | None, PersonRecord]]) -> None:
        companies = self.organisation_ids(list({c: None for _, c, _, _ in people if c}), "company")
        rows = [
            {
                "owner_id": self.owner_id,
                "person_id": pid,
                "organisation_id": companies[company],
                "role": title,
                "start_date": None,
                "end_date": None,
                "notes": None,
                "source": record.source,
                "source_id": f"{record.source_id}#employer",
                "created_at": self.now,
                "updated_at": self.now,
            }
            for pid, company, title, record in people
            if company
        ]
        self._insert("membership", rows)

    def _update(
        self,
        person_id: int,
        record: PersonRecord,
        fields: dict[str, Any],
        digest: str,
        alias: tuple[int, int, str] | None,
    ) -> None:
        from tieline.services.importing.apply import apply_fields

        person = self.session.get(Person, person_id)
        if person is None:
            return
        old = imports_repo.alias_fields(self.session, [alias[0]]).get(alias[0]) if alias else None
        result = apply_fields(self.session, person, fields, old, log=self.log, now=self.now)
        if alias is not None:
            row = self.session.get(PersonSource, alias[0])
            assert row is not None
            self.log.update("person_source", [row.id], {"digest": row.digest, "fields": row.fields})
            row.fields, row.digest = pf.to_json(fields), digest
            self.known(record.source)[record.source_id] = (alias[0], person_id, digest)
        else:
            ids = self._insert(
                "person_source",
                [
                    {
                        "owner_id": self.owner_id,
                        "person_id": person_id,
                        "source": record.source,
                        "source_id": record.source_id,
                        "fields": pf.to_json(fields),
                        "digest": digest,
                    }
                ],
            )
            self.known(record.source)[record.source_id] = (ids[0], person_id, digest)
        if result.job_change:
            self._job_change(person, old or {}, record)
        if result.changed or result.job_change:
            self.session.flush()
            self.log.update("person_search", [person_id], _search_before(self.session, person_id))
            search_repo.refresh_document(self.session, person)
            self.changed_people.add(person_id)
        kind = "merged" if alias is None else "updated" if result.changed else "unchanged"
        self.report.count("people", kind)

    def _job_change(self, person: Person, old: dict[str, Any], record: PersonRecord) -> None:
        today = self.now.date()
        for membership in organisations_repo.open_memberships(
            self.session, owner_id=self.owner_id, person_id=person.id
        ):
            if membership.organisation.kind == "company":
                before = {"end_date": membership.end_date, "updated_at": membership.updated_at}
                self.log.update("membership", [membership.id], before)
                membership.end_date = max(today, membership.start_date or today)
                membership.updated_at = self.now
        if person.company:
            row = {
                "owner_id": self.owner_id, "person_id": person.id, "role": person.title,
                "organisation_id": self.organisation(person.company, "company"), "start_date": today,
                "end_date": None, "notes": None, "source": record.source, "source_id": f"{record.source_id}#employer",
                "created_at": self.now, "updated_at": self.now,
            }  # fmt: skip
            self._insert("membership", [row])
        was = " at ".join(x for x in (old.get("title"), old.get("company")) if x)
        now_text = " at ".join(x for x in (person.title, person.company) if x)
        milestone = {
            "owner_id": self.owner_id, "person_id": person.id, "kind": "new_job", "occurred_on": today,
            "text": f"{now_text} (was {was})" if was else now_text, "source": record.source,
            "source_id": f"{record.source_id}#job:{_day(today)}", "created_at": self.now, "updated_at": self.now,
        }  # fmt: skip
        self._insert("milestone", [milestone])
        self.report.count("milestones", "added")


def _day(day: date) -> str:
    return day.isoformat()


def _search_before(session: Session, person_id: int) -> dict[str, Any]:
    row = session.get(PersonSearch, person_id)
    if row is None:
        return {}
    return {k: getattr(row, k) for k in ("names", "handles", "work", "topics", "notes")}
