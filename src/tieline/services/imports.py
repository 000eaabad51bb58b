"""Importing a file as one transaction, listing runs, and undoing a run whole."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from tieline import importers
from tieline.db import Database, lean_page_cache
from tieline.errors import InvalidInput, NotFound, TielineError
from tieline.importers.records import ImportOptions
from tieline.importers.report import ImportReport
from tieline.models import Base, ImportRun, Tie
from tieline.repo import imports as imports_repo
from tieline.repo import people as people_repo
from tieline.repo import rows
from tieline.repo import said as said_repo
from tieline.repo import search as search_repo
from tieline.services import preferences, scoring
from tieline.services.importing.save import Progress, save
from tieline.text import fold


def options_for(session: Session, *, owner_id: int, create_people: bool = False) -> ImportOptions:
    """Import options from the owner's settings (their own addresses and name) and the flags."""
    prefs = preferences.load(session, owner_id=owner_id)
    own_emails = frozenset(str(e).strip().lower() for e in prefs["me.emails"] or [])
    own_names = frozenset({fold(prefs["me.name"])} if prefs["me.name"] else set())
    return ImportOptions(own_emails=own_emails, own_names=own_names, create_people=create_people)


def import_path(
    db: Database,
    path: Path,
    *,
    owner_id: int,
    now: datetime,
    fmt: str | None = None,
    dry_run: bool = False,
    create_people: bool = False,
    progress: Progress | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import a file or folder in one transaction: all of it lands, or (on any error) none of it.

    A dry run, and a run that changed nothing, are rolled back: they write no row at all. `name` is
    what the user calls the file (an upload's own name, not where the server saved it): the run and
    the report are recorded under it.
    """
    with _named_as(path, name):
        fmt = importers.check_format(fmt) if fmt else importers.detect(path)
        return _import(db, path, owner_id, now, fmt, dry_run, create_people, progress, name)


@contextmanager
def _named_as(path: Path, name: str | None) -> Iterator[None]:
    """Errors name the file as the user knows it (`name`), not where it was saved."""
    try:
        yield
    except TielineError as exc:
        if name:
            exc.message = exc.message.replace(str(path), name)
            exc.args = (exc.message,)
        raise


def _import(
    db: Database,
    path: Path,
    owner_id: int,
    now: datetime,
    fmt: str,
    dry_run: bool,
    create_people: bool,
    progress: Progress | None,
    name: str | None,
) -> ImportReport:
    with db.sessions() as session, collector_paused():
        session.begin()
        try:
            options = options_for(session, owner_id=owner_id, create_people=create_people)
            records = importers.parse(path, fmt, options)
            with lean_page_cache(session):
                report = save(
                    session,
                    records,
                    owner_id=owner_id,
                    fmt=fmt,
                    path=str(path),
                    name=name,
                    options=options,
                    now=now,
                    progress=progress,
                    dry_run=dry_run,
                )
                if dry_run or report.run_id is None:
                    report.run_id = None
                    session.rollback()
                else:
                    session.commit()
        except BaseException:
            session.rollback()
            raise
    return report


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import or a sync runs (in any thread).

    An import keeps hundreds of thousands of small dicts and tuples alive until their batch is
    written, and the collector would walk them all again and again: a quarter of a 30,000-row
    import's time. They hold no reference cycles, so reference counting frees them either way;
    what cycles there are wait for the collector's next run after the import.
    """
    if not gc.isenabled():  # another import is running, or the embedding program turned it off
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def runs(session: Session, *, owner_id: int, limit: int = 50) -> list[ImportRun]:
    """The latest import runs, newest first."""
    return imports_repo.runs(session, owner_id=owner_id, limit=limit)


def undo_run(session: Session, *, owner_id: int, run_id: int, now: datetime) -> ImportRun:
    """Undo a run whole: delete what it created, restore what it changed, rebuild affected ties.

    Runs are undone newest first, so every before-image is restored onto the state it was taken from.
    """
    run = imports_repo.get_run(session, owner_id=owner_id, run_id=run_id)
    if run is None:
        raise NotFound(f"no import run {run_id}")
    if run.undone_at is not None:
        raise InvalidInput(f"import run {run_id} was already undone")
    if (later := imports_repo.later_active_run(session, owner_id=owner_id, run_id=run_id)) is not None:
        raise InvalidInput(f"undo import run {later.id} first: it came after run {run_id}")
    changes = imports_repo.changes(session, run_id=run_id)
    touched: set[int] = set()
    rescore: set[int] = set()
    restored: dict[str, set[int]] = {}  # items whose text an update put back: said anew below
    for change in reversed(changes):
        if change.action != "update":
            continue
        if "rescore" in change.data:
            rescore.update(change.data["rescore"])
            continue
        if "restore" in change.data:  # rows the run deleted: put back below
            continue
        tbl = rows.table(change.table_name)
        for item in change.data["rows"]:
            rows.update(session, tbl, item["key"], rows.decode(tbl, item["before"]))
            if change.table_name == "person":
                touched.add(item["key"][0])
            elif change.table_name in said_repo.SOURCES:
                restored.setdefault(change.table_name, set()).add(item["key"][0])
    inserted: dict[str, list[object]] = {}
    for change in changes:
        if change.action == "insert":
            inserted.setdefault(change.table_name, []).extend(change.data["keys"])
    for tbl in reversed(Base.metadata.sorted_tables):
        keys = inserted.get(tbl.name)
        if not keys:
            continue
        if len(tbl.primary_key.columns) == 1:
            rows.delete_ids(session, tbl, keys)  # type: ignore[arg-type]
        else:
            for key in keys:
                rows.delete(session, tbl, key)  # type: ignore[arg-type]
    for change in reversed(changes):  # rows the run deleted, put back once its own rows are gone
        if change.action == "update" and "restore" in change.data:
            tbl = rows.table(change.table_name)
            for doc in change.data["restore"]:
                rows.insert(session, tbl, doc)
                if "person_id" in doc:
                    touched.add(doc["person_id"])
    session.expire_all()
    _rebuild(session, owner_id=owner_id, people=touched | rescore, now=now)
    for item, ids in restored.items():
        said_repo.refresh(session, owner_id=owner_id, item=item, ids=ids)
    run.undone_at = now
    session.flush()
    return run


def _rebuild(session: Session, *, owner_id: int, people: set[int], now: datetime) -> None:
    """Rebuild ties and search documents of the people an undo touched that still exist."""
    if not people:
        return
    prefs = preferences.load(session, owner_id=owner_id)
    ids = sorted(people)
    for start in range(0, len(ids), 500):
        for person in people_repo.get_many(session, owner_id=owner_id, person_ids=ids[start : start + 500]):
            if session.get(Tie, person.id) is not None:
                scoring.recompute_person(session, person, prefs=prefs, now=now)
            search_repo.refresh_document(session, person)
    session.flush()
